"""Lesson: label every pixel by classifying the patch around it, one forward pass per pixel, or run the
same weights once over the whole image. Same scores; very different cost."""

import streamlit as st

from lessons.figures.sliding_window_sweep import sweep_figure
from ops.device import available_devices, best_device, device_name
from ops.patches import (CLASSES, IMAGE_NAMES, compare_methods, fully_conv_predict, lesson_image,
                         sliding_window_cost, trained_patch_classifier)
from pages import ui

SLUG = "sliding-window"
SIZES = [32, 48, 64, 96, 128, 192, 256]
PER_CALL = [1, 16, 256]
CLASS_ZH = {"sky": "天空", "grass": "草地", "cow": "牛"}
IMAGE_LABELS = {"pasture": ("Generated pasture (sky, grass, cows)", "生成的牧场（天空、草地、牛）"),
                "rocket": ("Photo: rocket at dusk", "照片：黄昏的火箭"),
                "astronaut": ("Photo: astronaut", "照片：宇航员"),
                "chelsea": ("Photo: Chelsea the cat", "照片：猫 Chelsea"),
                "coffee": ("Photo: cup of coffee", "照片：一杯咖啡")}
RESULT = "sliding-window.result"


@st.cache_resource(show_spinner=False)
def classifier():
    """Trained once per server (seeded), shared read-only by every session."""
    return trained_patch_classifier()


@st.cache_data(show_spinner=False, max_entries=16)
def picture_and_scores(name: str, size: int):
    """The picture and the ONE fully convolutional pass that every animation frame is cut from."""
    image = lesson_image(name, size)
    prediction = fully_conv_predict(classifier(), image.tensor, device="cpu")
    accuracy = prediction.accuracy(image.labels) if image.labels is not None else None
    return image.pixels, prediction.scores.numpy(), accuracy


ui.title(SLUG)
ui.text(SLUG, "intro")

devices = available_devices()
ui.init_state("sliding-window.image", "pasture", choices=list(IMAGE_NAMES))
ui.init_state("sliding-window.size", 64, choices=SIZES)
ui.init_state("sliding-window.device", best_device(), choices=devices)
ui.init_state("sliding-window.per_call", 1, choices=PER_CALL)

image_column, size_column, device_column = st.columns([2, 2, 1])
image_column.selectbox(ui.t("Image", "图像"), list(IMAGE_NAMES), key="sliding-window.image",
                       format_func=lambda name: ui.t(*IMAGE_LABELS[name]))
size_column.select_slider(ui.t("Image size (pixels per side)", "图像大小（每边像素数）"), SIZES,
                          key="sliding-window.size")
device_column.selectbox(ui.t("Device for timing", "计时所用设备"), devices, key="sliding-window.device",
                        format_func=lambda d: f"{d}: {device_name(d)}")
name, size = st.session_state["sliding-window.image"], st.session_state["sliding-window.size"]
device = st.session_state["sliding-window.device"]

with st.spinner(ui.t("Training the patch classifier (once, a few seconds)…", "正在训练图块分类器（只需一次，几秒钟）…")):
    net = classifier()
    pixels, scores, accuracy = picture_and_scores(name, size)
cost = sliding_window_cost(net, size, size)
patch = net.patch_size
names = [ui.t(c, CLASS_ZH[c]) for c in CLASSES]

st.subheader(ui.t("What the sliding window costs", "滑动窗口的代价"))
passes, overlap, repeated, ratio = st.columns(4)
passes.metric(ui.t("Forward passes (sliding window)", "前向计算次数（滑动窗口）"), f"{cost.forward_passes:,}",
              help=ui.t(f"One per pixel: {size} × {size}. The fully convolutional network needs 1.",
                        f"每个像素一次：{size} × {size}。全卷积网络只需 1 次。"))
overlap.metric(ui.t("Window overlap with the next", "与下一个窗口的重叠"), f"{cost.input_overlap:.1%}",
               help=ui.t(f"Share of a {patch}×{patch} window's pixels that the next window also reads: "
                         f"({patch}−1)/{patch}, because it moves one pixel.",
                         f"{patch}×{patch} 窗口中也被下一个窗口读取的像素比例：({patch}−1)/{patch}，因为它只移动一个像素。"))
repeated.metric(ui.t("Repeated work", "重复计算"),
                f"{cost.repeated_share:.1%}",
                help=ui.t(f"Share of all the sliding window's convolution FLOPs that recompute a value another window "
                          f"already computed. Of one window's own work, {cost.neighbour_overlap:.1%} is redone by the "
                          "next window.", f"滑动窗口的全部卷积 FLOPs 中，重新计算其他窗口已算过的值所占的比例。一个窗口自身的"
                                          f"计算中，有 {cost.neighbour_overlap:.1%} 会被下一个窗口重做。"))
ratio.metric(ui.t("FLOP ratio (theory)", "FLOP 比（理论）"),
             f"{cost.flop_ratio:.2f}×",
             help=ui.t(f"Sliding window ÷ fully convolutional: {cost.sliding_flops:,} FLOPs against "
                       f"{cost.fully_conv_flops:,}.", f"滑动窗口 ÷ 全卷积：{cost.sliding_flops:,} FLOPs 对 "
                                                      f"{cost.fully_conv_flops:,}。"))

ui.text(SLUG, "animation")
ui.chart(sweep_figure(pixels, scores, patch, names, {
    "input": ui.t(f"Input: {size}×{size} image (pale: repeated edge)", f"输入：{size}×{size} 图像（浅色：重复的边缘）"),
    "output": ui.t("Output: each centre pixel's label", "输出：每个中心像素的标签"),
    "caption": ui.t("Forward pass {done} of {total}: pixel (row {row}, col {col}) → {label} ({p})",
                    "第 {done}/{total} 次前向计算：像素（第 {row} 行，第 {col} 列）→ {label}（{p}）"),
    "play": ui.t("Play", "播放"), "pause": ui.t("Pause", "暂停"), "step": ui.t("forward pass", "前向计算"),
    "not_yet": ui.t("not computed yet", "尚未计算"), "window": ui.t(f"{patch}×{patch} window", f"{patch}×{patch} 窗口"),
    "edge": ui.t("image edge", "图像边界")}, font_size=20 if ui.presenting() else 14),
    key="sliding-window.sweep", export="sliding-window-sweep")
if accuracy is not None:
    st.caption(ui.t(f"The scene is generated, so its true labels are known: {accuracy:.1%} of the pixels are "
                    "labelled correctly.", f"场景是生成的，因此真实标签已知：{accuracy:.1%} 的像素标注正确。"))
else:
    st.caption(ui.t("This classifier was trained only on generated pastures and knows three classes: sky, grass and "
                    "cow. On a photo it must still pick one of them for every pixel.",
                    "这个分类器只在生成的牧场上训练过，只认识三个类别：天空、草地和牛。在照片上，它仍然必须为每个像素选一个。"))

st.subheader(ui.t("Run both for real", "真正运行两种方法"))
ui.text(SLUG, "run")
per_call_column, button_column = st.columns([2, 1])
per_call_column.select_slider(ui.t("Patches per network call (1 = one forward pass per pixel, as above)",
                                   "每次调用网络处理的图块数（1 = 如上所述每个像素一次前向计算）"), PER_CALL,
                              key="sliding-window.per_call")
per_call = st.session_state["sliding-window.per_call"]
settings = (name, size, device, per_call)
if button_column.button(ui.t("Run the real sliding window", "运行真正的滑动窗口"), type="primary",
                        icon=":material/play_arrow:", key="sliding-window.run"):
    bar = st.progress(0.0, text=ui.t("Sliding window: starting…", "滑动窗口：开始…"))

    def report(done: int, total: int) -> None:
        bar.progress(done / total, text=ui.t(f"Sliding window: {done:,} of {total:,} forward passes",
                                             f"滑动窗口：已完成 {done:,}/{total:,} 次前向计算"))

    try:
        result = compare_methods(net, lesson_image(name, size).tensor, device, per_call, progress=report)
        st.session_state[RESULT] = (settings, result)
    except (RuntimeError, ValueError) as error:  # e.g. a GPU out of memory: say so, keep the page working
        ui.bad_input(ui.t(f"The run failed on {device}: {error}", f"在 {device} 上运行失败：{error}"))
    finally:
        bar.empty()

stored = st.session_state.get(RESULT)
if stored is not None and stored[0] == settings:
    result = stored[1]
    timings = st.columns(5)
    timings[0].metric(ui.t("Sliding window time", "滑动窗口用时"), f"{result.sliding.seconds:.3f} s",
                      help=ui.t(f"{result.sliding.forward_passes:,} forward passes in {result.sliding.calls:,} calls",
                                f"{result.sliding.calls:,} 次调用中完成 {result.sliding.forward_passes:,} 次前向计算"))
    timings[1].metric(ui.t("Fully convolutional time", "全卷积用时"), f"{result.fully_conv.seconds * 1000:.2f} ms",
                      help=ui.t("One pass; the median of 5 runs.", "一次计算；5 次运行的中位数。"))
    timings[2].metric(ui.t("Measured speed-up", "实测加速比"), f"{result.measured_speedup:,.1f}×")
    timings[3].metric(ui.t("Theoretical FLOP ratio", "理论 FLOP 比"), f"{result.cost.flop_ratio:.2f}×")
    timings[4].metric(ui.t("Largest |score difference|", "最大 |分数差|"), f"{result.max_difference:.1e}",
                      help=ui.t("Over every pixel and class: float32 rounding only, the scores are the same.",
                                "遍历所有像素和类别：只有 float32 舍入误差，分数相同。"))
    where = device_name(result.sliding.device)
    st.caption(ui.t(f"Measured on {where}.", f"测量设备：{where}。"))
else:
    st.info(ui.t("Press the button to time the real sliding window against the fully convolutional pass. "
                 "At 256 pixels with one patch per call it takes several seconds; a progress bar shows how far it is.",
                 "按下按钮，比较真正的滑动窗口与全卷积计算的用时。256 像素、每次一个图块时需要几秒钟；进度条会显示进度。"),
            icon=":material/timer:")

ui.text(SLUG, "after")
ui.link("per-pixel-loss")
ui.share_state()
