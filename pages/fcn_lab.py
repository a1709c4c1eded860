"""Lab: train a small FCN live on synthetic scenes, then compare the six decoder upsamplings.

Training advances one epoch per run of a fragment that reruns itself every TICK seconds while a job
is active; the job (a TrainingPlan) lives in the session, so the Stop button only has to mark it
stopped and the panel stops ticking. An epoch interrupted by a page rerun is rolled back by the
Trainer, so the curve stays the same as an uninterrupted run's.
"""

import streamlit as st

from lessons.figures.lab_curves import checkerboard_figure, training_curves_figure
from lessons.figures.lab_scenes import comparison_grid_figure, gallery_figure, prediction_strip_figure
from ops.device import best_device, device_name
from ops.lab import CLASSES, DECODERS, TrainingPlan, TrainSettings, make_dataset
from pages import ui

SLUG = "fcn-lab"
TICK = 0.25  # seconds between automatic panel reruns while a job is active
TRAIN_SIZES = [8, 32, 128, 256, 512, 1024, 2048]
VAL_SIZES = [8, 32, 64, 128, 256]
BATCH_SIZES = [8, 16, 32, 64]
LEARNING_RATES = [0.001, 0.002, 0.004, 0.008]
SHOWN = 6  # images in the gallery and the prediction strip
CLASS_ZH = {"sky": "天空", "grass": "草地", "disc": "圆盘", "square": "正方形", "triangle": "三角形"}
RUNNING = "fcn-lab.running"  # which job is active: "single", "comparison" or None

ui.title(SLUG)
ui.text(SLUG, "intro")

ui.init_state("fcn-lab.train_images", 512, choices=TRAIN_SIZES)
ui.init_state("fcn-lab.val_images", 128, choices=VAL_SIZES)
ui.init_state("fcn-lab.seed", 0, lo=0, hi=9999)
ui.init_state("fcn-lab.decoder", "bilinear", choices=list(DECODERS))
ui.init_state("fcn-lab.skips", True)
ui.init_state("fcn-lab.epochs", 6, lo=1, hi=30)
ui.init_state("fcn-lab.batch", 32, choices=BATCH_SIZES)
ui.init_state("fcn-lab.lr", 0.004, choices=LEARNING_RATES)
ui.init_state("fcn-lab.compare_epochs", 3, lo=1, hi=15)

class_names = [ui.t(c, CLASS_ZH[c]) for c in CLASSES]


def decoder_label(name: str, short: bool = False) -> str:
    labels = DECODERS[name].short if short else DECODERS[name].label
    return labels.get(ui.lang(), labels["en"])


@st.cache_resource(max_entries=6, show_spinner=False)
def dataset(n_train: int, n_val: int, seed: int):
    """Shared by every session (read only): the same settings always give the same scenes."""
    return make_dataset(n_train, n_val, seed)


def current_dataset():
    s = st.session_state
    with st.spinner(ui.t("Drawing the scenes…", "正在生成场景…")):
        return dataset(s["fcn-lab.train_images"], s["fcn-lab.val_images"], s["fcn-lab.seed"])


# ---------------------------------------------------------------------------------------------- data
st.header(ui.t("1. The data", "1. 数据"))
ui.text(SLUG, "data")
size_column, val_column, seed_column = st.columns(3)
size_column.select_slider(ui.t("Training images", "训练图像数"), TRAIN_SIZES, key="fcn-lab.train_images")
val_column.select_slider(ui.t("Validation images", "验证图像数"), VAL_SIZES, key="fcn-lab.val_images")
seed_column.number_input(ui.t("Random seed (scenes and weights)", "随机种子（场景与权重）"), 0, 9999, step=1,
                         key="fcn-lab.seed")
data = current_dataset()
shown = min(SHOWN, len(data.train_images))
ui.chart(gallery_figure(data.train_images[:shown], data.train_masks[:shown].numpy(), class_names,
                        [ui.t("image", "图像"), ui.t("labels", "标签")],
                        ui.t(f"Training scenes (64×64 pixels) and their per-pixel labels: {shown} of "
                             f"{len(data.train_images)}", f"训练场景（64×64 像素）及其逐像素标签：共 "
                                                          f"{len(data.train_images)} 张，显示 {shown} 张")),
         key="fcn-lab.gallery", export="fcn-lab-scenes")


# -------------------------------------------------------------------------------------------- jobs
def settings_from_widgets(epochs: int) -> TrainSettings:
    s = st.session_state
    return TrainSettings(decoder=s["fcn-lab.decoder"], skips=s["fcn-lab.skips"], epochs=epochs,
                         batch_size=s["fcn-lab.batch"], learning_rate=s["fcn-lab.lr"], seed=s["fcn-lab.seed"])


def start(kind: str) -> None:
    """Button callback: replace this kind's job with a fresh one and make it the active job."""
    s = st.session_state
    active = s.get(RUNNING)
    if active and s.get(f"fcn-lab.{active}") is not None:
        s[f"fcn-lab.{active}"].stop()  # one job at a time: a new one stops the old
    epochs = s["fcn-lab.epochs"] if kind == "single" else s["fcn-lab.compare_epochs"]
    decoders = (s["fcn-lab.decoder"],) if kind == "single" else tuple(DECODERS)
    try:
        s[f"fcn-lab.{kind}"] = TrainingPlan(current_dataset(), settings_from_widgets(epochs), decoders)
        s[RUNNING] = kind
    except (RuntimeError, ValueError) as error:
        s[f"fcn-lab.{kind}.error"] = str(error)


def advance(plan: TrainingPlan, kind: str) -> None:
    """Train the active job one epoch, with a progress bar and a Stop button that acts between epochs."""
    st.button(ui.t("Stop", "停止"), icon=":material/stop_circle:", key=f"fcn-lab.stop.{kind}", on_click=plan.stop,
              help=ui.t("Stops after the epoch in progress; what was trained so far is kept.",
                        "在当前轮次结束后停止；已训练的结果会保留。"))
    run = plan.current
    done, total = plan.epochs_done, plan.epochs_total
    label = decoder_label(run.settings.decoder)
    bar = st.progress(done / total, text=ui.t(f"{label}: epoch {len(run.history) + 1} of {run.settings.epochs}",
                                              f"{label}：第 {len(run.history) + 1}/{run.settings.epochs} 轮"))

    def on_batch(batch: int, batches: int, loss: float) -> None:
        bar.progress((done + batch / batches) / total, text=ui.t(
            f"{label}: epoch {len(run.history) + 1} of {run.settings.epochs}, batch {batch} of {batches}, "
            f"loss {loss:.3f}", f"{label}：第 {len(run.history) + 1}/{run.settings.epochs} 轮，第 {batch}/{batches} "
                                f"批，损失 {loss:.3f}"))

    try:
        plan.step(on_batch)
    except (RuntimeError, ValueError) as error:  # e.g. out of GPU memory, or an op missing on MPS: say so
        plan.stop()
        st.session_state[f"fcn-lab.{kind}.error"] = ui.t(f"Training stopped: {error}", f"训练已停止：{error}")
    if plan.finished:
        st.session_state[RUNNING] = None
        st.rerun()  # a full run redraws the page without the ticking


def curve_labels() -> dict:
    return {"loss_title": ui.t("Loss: per-pixel cross-entropy", "损失：逐像素交叉熵"),
            "miou_title": ui.t("Validation mean IoU", "验证集平均 IoU"),
            "epoch": ui.t("epoch", "轮次"), "loss": ui.t("cross-entropy (nats)", "交叉熵（nat）"),
            "miou": ui.t("mIoU (0–1)", "mIoU（0–1）"), "batch": ui.t("training batches", "训练批次"),
            "validation": ui.t("validation", "验证"), "target": ui.t("goal", "目标"),
            "line_key": ui.t("thin line: each training batch · dots: validation set after each epoch",
                             "细线：每个训练批次 · 圆点：每轮结束后的验证集")}


def status_line(plan: TrainingPlan, active: bool) -> None:
    s = plan.settings
    state = (ui.t("training…", "训练中…") if active else
             ui.t("stopped early", "已提前停止") if not plan.complete else ui.t("done", "完成"))
    st.caption(ui.t(f"{state} · device: {device_name(best_device())} · {len(plan.dataset.train_images)} training / "
                    f"{len(plan.dataset.val_images)} validation images · batch {s.batch_size} · learning rate "
                    f"{s.learning_rate} · skip connections {'on' if s.skips else 'off'} · seed {s.seed}",
                    f"{state} · 设备：{device_name(best_device())} · {len(plan.dataset.train_images)} 张训练图 / "
                    f"{len(plan.dataset.val_images)} 张验证图 · 批大小 {s.batch_size} · 学习率 {s.learning_rate} · "
                    f"跳跃连接{'开' if s.skips else '关'} · 种子 {s.seed}"))


def error_note(kind: str) -> None:
    message = st.session_state.pop(f"fcn-lab.{kind}.error", None)
    if message:
        ui.bad_input(message)


def single_panel() -> None:
    plan: TrainingPlan | None = st.session_state.get("fcn-lab.single")
    active = st.session_state.get(RUNNING) == "single"
    error_note("single")
    if plan is None:
        st.info(ui.t("Press **Train** to start. The curves and predictions appear here and update every epoch.",
                     "按 **训练** 开始。曲线和预测会出现在这里，并且每一轮都会更新。"), icon=":material/model_training:")
        return
    if active:
        advance(plan, "single")
    status_line(plan, active)
    run = plan.runs.get(plan.decoders[0])
    if run is None or not run.history:
        return
    last = run.history[-1]
    columns = st.columns(5)
    columns[0].metric(ui.t("Validation mIoU", "验证 mIoU"), f"{last.val_miou:.3f}")
    columns[1].metric(ui.t("Pixel accuracy", "像素准确率"), f"{last.val_accuracy:.1%}")
    columns[2].metric(ui.t("Epochs", "轮次"), f"{last.epoch} / {run.settings.epochs}")
    columns[3].metric(ui.t("Time (s)", "时间（秒）"), f"{last.seconds:.1f}")
    columns[4].metric(ui.t("Speed (images/s)", "速度（图像/秒）"), f"{last.images_per_s:.0f}")
    name = decoder_label(run.settings.decoder)
    ui.chart(training_curves_figure({name: run.history}, curve_labels(), total_epochs=run.settings.epochs),
             key="fcn-lab.single.curves")
    epochs = sorted({1, (len(run.previews) + 1) // 2, len(run.previews)})
    shown = len(run.previews[-1])
    ui.chart(prediction_strip_figure(
        plan.dataset.val_images[:shown], plan.dataset.val_masks[:shown].numpy(),
        [run.previews[e - 1] for e in epochs], [ui.t(f"epoch {e}", f"第 {e} 轮") for e in epochs], class_names,
        ui.t("image", "图像"), ui.t("truth", "真值"),
        ui.t("Validation images: predictions sharpen as training goes on", "验证图像：随着训练进行，预测越来越清晰")),
        key="fcn-lab.single.strip")


def comparison_panel() -> None:
    plan: TrainingPlan | None = st.session_state.get("fcn-lab.comparison")
    active = st.session_state.get(RUNNING) == "comparison"
    error_note("comparison")
    if plan is None:
        return
    if active:
        advance(plan, "comparison")
    status_line(plan, active)
    runs = {name: run for name, run in plan.runs.items() if run.history}
    if not runs:
        return
    short = {name: decoder_label(name, short=True) for name in runs}
    ui.chart(training_curves_figure({short[name]: run.history for name, run in runs.items()}, curve_labels(),
                                    total_epochs=plan.settings.epochs), key="fcn-lab.comparison.curves")
    finished = {name: run for name, run in runs.items() if run.finished or plan.stopped}
    if active or not finished:
        return
    flat = {name: run.checkerboard() for name, run in finished.items()}
    columns = {"decoder": ui.t("decoder", "解码器"), "miou": ui.t("validation mIoU", "验证 mIoU"),
               "accuracy": ui.t("pixel accuracy", "像素准确率"), "epochs": ui.t("epochs", "轮次"),
               "time": ui.t("time (s)", "时间（秒）"), "parameters": ui.t("parameters", "参数量"),
               "checkerboard": ui.t("checkerboard score", "棋盘格分数")}
    rows = [{columns["decoder"]: decoder_label(name), columns["miou"]: run.history[-1].val_miou,
             columns["accuracy"]: run.history[-1].val_accuracy, columns["epochs"]: len(run.history),
             columns["time"]: run.history[-1].seconds, columns["parameters"]: run.parameters,
             columns["checkerboard"]: flat[name][0]} for name, run in finished.items()]
    number = st.column_config.NumberColumn
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={columns["miou"]: number(format="%.3f"), columns["accuracy"]: number(format="percent"),
                                columns["time"]: number(format="%.1f"), columns["parameters"]: number(format="localized"),
                                columns["checkerboard"]: number(format="%.4f")})
    count = min(2, len(plan.dataset.val_images))
    ui.chart(comparison_grid_figure(
        plan.dataset.val_images[:count], plan.dataset.val_masks[:count].numpy(),
        {short[name]: run.previews[-1][:count] for name, run in finished.items()}, class_names,
        ui.t("image", "图像"), ui.t("truth", "真值"),
        ui.t("The same validation images through every decoder", "同样的验证图像经过每一种解码器")),
        key="fcn-lab.comparison.grid")
    ui.text(SLUG, "checkerboard")
    ui.chart(checkerboard_figure({short[name]: (score, unevenness.numpy()) for name, (score, unevenness) in flat.items()},
                                 {"title": ui.t("Logits on a flat patch of sky: how far each pixel is from flat",
                                                "平坦天空区域上的 logits：每个像素偏离平坦的程度"),
                                  "colorbar": ui.t("RMS deviation", "均方根偏差"), "score": ui.t("score", "分数")}),
             key="fcn-lab.comparison.flat")


# ------------------------------------------------------------------------------------------- train
st.header(ui.t("2. Train one network", "2. 训练一个网络"))
ui.text(SLUG, "train")
decoder_column, skip_column, epoch_column = st.columns([2, 1, 2])
decoder_column.selectbox(ui.t("Decoder upsampling", "解码器上采样方式"), list(DECODERS), format_func=decoder_label,
                         key="fcn-lab.decoder")
skip_column.toggle(ui.t("Skip connections", "跳跃连接"), key="fcn-lab.skips",
                   help=ui.t("Concatenate the encoder's feature map of the same size before each decoder stage.",
                             "在每个解码阶段之前拼接编码器中相同尺寸的特征图。"))
epoch_column.slider(ui.t("Epochs (passes over the training images)", "轮次（遍历训练图像的次数）"), 1, 30,
                    key="fcn-lab.epochs")
with st.expander(ui.t("Optimiser settings", "优化器设置"), icon=":material/tune:"):
    batch_column, rate_column = st.columns(2)
    batch_column.select_slider(ui.t("Batch size (images per step)", "批大小（每步图像数）"), BATCH_SIZES,
                               key="fcn-lab.batch")
    rate_column.select_slider(ui.t("Learning rate (Adam, cosine decay)", "学习率（Adam，余弦衰减）"), LEARNING_RATES,
                              key="fcn-lab.lr")
st.button(ui.t("Train", "训练"), type="primary", icon=":material/play_arrow:", key="fcn-lab.train",
          on_click=start, args=("single",))
st.fragment(single_panel, run_every=TICK if st.session_state.get(RUNNING) == "single" else None)()

# ----------------------------------------------------------------------------------------- compare
st.header(ui.t("3. Compare the six decoders", "3. 比较六种解码器"))
ui.text(SLUG, "compare")
st.slider(ui.t("Epochs per decoder (same budget for each)", "每种解码器的轮次（预算相同）"), 1, 15,
          key="fcn-lab.compare_epochs")
st.button(ui.t("Compare all six decoders", "比较全部六种解码器"), icon=":material/compare:", key="fcn-lab.compare",
          on_click=start, args=("comparison",))
st.fragment(comparison_panel, run_every=TICK if st.session_state.get(RUNNING) == "comparison" else None)()

ui.text(SLUG, "after")
ui.link("upsampling")
ui.share_state()
