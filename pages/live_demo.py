"""Lab: a real network segments the class's own photo (upload, camera or a bundled sample).

Thin page: decoding, models and numbers come from ops.segmentation; pictures from
lessons/figures/live_views.py. Uploads stay in memory (never written to disk).
"""

import hashlib
import os
import time

import numpy as np
import streamlit as st

from lessons.class_names import count_phrase, display_name
from lessons.figures import live_views as views
from ops.device import available_devices, device_name
from ops.segmentation import checkpoints
from ops.segmentation.images import EXTENSIONS, BadImage, decode_upload
from ops.segmentation.instances import from_semantic
from ops.segmentation.pipeline import compare_upsampling, load_model, palette_png, segment
from ops.segmentation.registry import WeightsUnavailable, available_models, download_weights, missing_models
from ops.segmentation.samples import SAMPLES, sample_bytes
from pages import ui

SLUG = "live-demo"
SOURCES = ["sample", "upload", "camera"]
RESULT = "live-demo.result"  # session: (key, image array, Segmentation) of the last photo segmented

ui.title(SLUG)
ui.text(SLUG, "intro")
lang = ui.lang()


def name_of(classes: list[str], class_id: int) -> str:
    return display_name(classes[class_id], lang)


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_model(name: str, device: str, half: bool):
    """One copy per (model, device, precision) for the whole server, shared by every session (eval mode)."""
    return load_model(name, device, half)


def model_label(spec) -> str:
    metric, value = next(iter(spec.metrics.items()))
    return f"{spec.title} · {metric.split(' (')[0]} {value:g}"


SAMPLE_ZH = {"astronaut": "宇航员 Eileen Collins（NASA，公有领域）", "chelsea": "猫咪 Chelsea（公有领域）",
             "motorcycle": "一辆摩托车（Middlebury 立体数据集）", "coffee": "一杯咖啡：没有合适的 Pascal VOC 类别（公有领域）",
             "rocket": "发射台上的火箭：不是 Pascal VOC 类别（公有领域）"}


# ------------------------------------------------------------------------------------------- choose
present = available_models()
devices = available_devices()
ui.init_state("live-demo.source", "sample", choices=SOURCES)
ui.init_state("live-demo.sample", "astronaut", choices=list(SAMPLES))
ui.init_state("live-demo.model", present[0].name if present else "", choices=[s.name for s in present] or [""])
ui.init_state("live-demo.device", devices[0], choices=devices)
ui.init_state("live-demo.half", False)
ui.init_state("live-demo.opacity", 0.6, lo=0.0, hi=1.0)

source_column, model_column, device_column = st.columns([3, 3, 2])
with source_column:
    st.segmented_control(ui.t("Photo", "照片"), SOURCES, key="live-demo.source", required=True,
                         format_func=lambda s: {"sample": ui.t("Sample", "示例"), "upload": ui.t("Upload", "上传"),
                                                "camera": ui.t("Camera", "摄像头")}[s])
with model_column:
    if present:
        st.selectbox(ui.t("Model (only those whose weights are here)", "模型（仅列出已有权重的模型）"),
                     [s.name for s in present], key="live-demo.model",
                     format_func=lambda n: model_label(next(s for s in present if s.name == n)))
with device_column:
    st.selectbox(ui.t("Device", "设备"), devices, key="live-demo.device",
                 format_func=lambda d: {"cuda": "GPU (CUDA)", "mps": "GPU (Apple MPS)", "cpu": "CPU"}[d],
                 help=ui.t("The fastest device is chosen first: CUDA, then Apple's MPS, then the CPU.",
                           "默认选择最快的设备：先 CUDA，再 Apple MPS，最后 CPU。"))
    st.toggle(ui.t("Half precision", "半精度"), key="live-demo.half",
              disabled=not st.session_state["live-demo.device"].startswith("cuda"),
              help=ui.t("float16 on a CUDA GPU: about twice as fast, nearly the same labels.",
                        "在 CUDA GPU 上使用 float16：约快一倍，标签几乎相同。"))


def missing_panel() -> None:
    """The models whose weights are not here: which file, where to put it, and a download button."""
    missing = missing_models()
    if not missing:
        return
    env = os.environ.get(checkpoints.ENV_VAR)
    heading = (ui.t(f"{len(missing)} more models need their weights file", f"另有 {len(missing)} 个模型缺少权重文件")
               if present else ui.t(f"No weights yet: choose one of {len(missing)} models to download",
                                    f"还没有权重：从 {len(missing)} 个模型中选一个下载"))
    with st.expander(heading, icon=":material/download:", expanded=not present):
        st.markdown(ui.t(
            f"Put a missing file in **{env or '$PIXELWISE_WEIGHTS (not set)'}** or in torch's hub cache "
            f"**{checkpoints.hub_checkpoint_dir()}**, or download it here (it goes to the hub cache).",
            f"把缺少的文件放到 **{env or '$PIXELWISE_WEIGHTS（未设置）'}** 或 torch 的缓存目录 "
            f"**{checkpoints.hub_checkpoint_dir()}**，或在这里下载（保存到缓存目录）。"))
        for spec in missing:
            text, button = st.columns([5, 2])
            metric = ", ".join(f"{k}: {v}" for k, v in spec.metrics.items())
            text.markdown(f"**{spec.title}** · `{spec.weights_file}` · {spec.size_mb:.1f} MB · {metric}  \n"
                          f"<small>{spec.url} · {spec.licence}</small>", unsafe_allow_html=True)
            if button.button(ui.t("Download", "下载"), key=f"live-demo.download.{spec.name}",
                             icon=":material/download:"):
                bar = st.progress(0.0, text=ui.t("Connecting…", "正在连接…"))

                def show(done: int, total: int, bar=bar, spec=spec) -> None:
                    bar.progress(min(1.0, done / max(total, 1)),
                                 text=f"{spec.weights_file}: {done / 1e6:.1f} / {total / 1e6:.1f} MB")

                try:
                    download_weights(spec, progress=show)
                except WeightsUnavailable as error:
                    bar.empty()
                    ui.bad_input(ui.t("The download did not work (offline?). ", "下载失败（可能没有联网）。") + str(error))
                else:
                    st.rerun()


missing_panel()
if not present:
    ui.bad_input(ui.t("No segmentation weights were found, so there is nothing to run yet. See the list above: "
                      "put a file where it says, or download one.",
                      "没有找到任何分割模型的权重，暂时无法运行。请看上面的列表：把文件放到指定位置，或直接下载。"))
    ui.share_state()
    st.stop()

# ------------------------------------------------------------------------------------------- photo
source = st.session_state["live-demo.source"]
data, label = None, ""
if source == "sample":
    st.selectbox(ui.t("Sample photo (shipped with scikit-image)", "示例照片（随 scikit-image 提供）"), list(SAMPLES),
                 key="live-demo.sample", format_func=lambda n: f"{n}: {ui.t(SAMPLES[n][1], SAMPLE_ZH.get(n))}")
    data, label = sample_bytes(st.session_state["live-demo.sample"]), st.session_state["live-demo.sample"]
elif source == "upload":
    uploaded = st.file_uploader(ui.t("Your photo (JPEG, PNG, WebP, BMP, TIFF or GIF; stays in memory, never saved)",
                                     "你的照片（JPEG、PNG、WebP、BMP、TIFF 或 GIF；只在内存中处理，不会保存）"),
                                type=EXTENSIONS, key="live-demo.upload", max_upload_size=50)
    if uploaded is not None:
        data, label = uploaded.getvalue(), uploaded.name
else:
    shot = st.camera_input(ui.t("Take a photo", "拍一张照片"), key="live-demo.camera")
    if shot is not None:
        data, label = shot.getvalue(), ui.t("camera", "摄像头")

model_name = st.session_state["live-demo.model"]
device = st.session_state["live-demo.device"]
half = bool(st.session_state["live-demo.half"]) and device.startswith("cuda")
previous = st.session_state.get(RESULT)


def run(data: bytes, label: str):
    """Decode, load the model (cached per server) and segment; the session keeps only the last result."""
    key = (hashlib.sha1(data).hexdigest(), model_name, device, half)
    last = st.session_state.get(RESULT)
    if last is not None and last[0] == key:
        return last
    started = time.perf_counter()
    image = decode_upload(data)  # BadImage: a clear message
    decode_ms = (time.perf_counter() - started) * 1000
    with st.spinner(ui.t(f"Loading the model on {device_name(device)} (once per server)…",
                         f"正在 {device_name(device)} 上加载模型（每个服务器只加载一次）…")):
        model = cached_model(model_name, device, half)
    with st.spinner(ui.t("Segmenting…", "正在分割…")):
        result = segment(image, model, keep_scores=False)
    result.latency.decode_ms = decode_ms
    st.session_state[RESULT] = (key, np.asarray(image), result, image.info.get("notes", []), label)
    return st.session_state[RESULT]


if data is None and source != "sample":
    st.info(ui.t("Choose a photo above (or take one); until then the last photo stays.",
                 "请在上方选择（或拍摄）一张照片；在此之前保留上一张照片。"), icon=":material/photo:")
try:
    if data is not None:
        try:
            previous = run(data, label)
        except BadImage as error:
            ui.bad_input(ui.t("This photo cannot be used: ", "这张照片无法使用：") + str(error) + ui.t(
                " The last good photo is shown instead.", " 下面改为显示上一张可用的照片。"))
    if previous is None:  # nothing usable yet in this session: start from the default sample
        previous = run(sample_bytes("astronaut"), "astronaut")
except (WeightsUnavailable, RuntimeError, ValueError) as error:
    ui.bad_input(ui.t("The model could not run: ", "模型无法运行：") + str(error))
    previous = st.session_state.get(RESULT)

if previous is None:
    ui.share_state()
    st.stop()

_, image_array, result, notes, label = previous
classes = result.classes
height, width = result.labels.shape
if notes:
    st.caption(ui.t("Converted on the way in: ", "读入时的转换：") + "; ".join(notes))

# ----------------------------------------------------------------------------------------- overlay
st.header(ui.t("1. Every pixel gets a class", "1. 每个像素都得到一个类别"))
shares = result.class_shares()
present_ids = [c for c, _ in shares]
objects = [c for c in present_ids if c != 0]
toggle_key = f"live-demo.shown.{hash(tuple(objects))}"
controls, legend = st.columns([2, 3])
with controls:
    st.slider(ui.t("Colour opacity", "颜色不透明度"), 0.0, 1.0, step=0.05, key="live-demo.opacity",
              help=ui.t("0 shows the photo alone, 1 the colours alone.", "0 只显示照片，1 只显示颜色。"))
    shown = st.pills(ui.t("Classes shown (click to hide)", "显示的类别（点击隐藏）"), objects, selection_mode="multi",
                     default=objects, key=toggle_key, format_func=lambda c: name_of(classes, c))
with legend:
    legend_fig = views.share_figure(
        [(name_of(classes, c), f, views.colour_hex(c)) for c, f in shares],
        ui.t("Classes in the picture: share of its pixels", "图中的类别：占像素的比例"), ui.t("pixels (%)", "像素（%）"))
    ui.chart(legend_fig, key="live-demo.legend")

overlaid = views.overlay(image_array, result.labels, len(classes), st.session_state["live-demo.opacity"], set(shown or []))
left, right = st.columns(2)
left.image(image_array, caption=ui.t(f"Input: {label} ({width}×{height} pixels)", f"输入：{label}（{width}×{height} 像素）"),
           width="stretch")
right.image(overlaid, caption=ui.t(f"Output: a class per pixel, drawn over the photo ({result.model})",
                                   f"输出：每个像素一个类别，叠加在照片上（{result.model}）"), width="stretch")
save_mask, save_overlay, _ = st.columns([1, 1, 2])
save_mask.download_button(ui.t("Label mask (palette PNG)", "标签掩码（调色板 PNG）"), palette_png(result.labels),
                          file_name="labels.png", mime="image/png", icon=":material/download:", on_click="ignore",
                          help=ui.t("Pixel value = class id; Pascal VOC colours.", "像素值 = 类别编号；Pascal VOC 配色。"))
save_overlay.download_button(ui.t("Overlay (PNG)", "叠加图（PNG）"), views.png(overlaid), file_name="overlay.png",
                             mime="image/png", icon=":material/download:", on_click="ignore")

ui.text(SLUG, "confidence")
confidence = views.resize_map(result.confidence, (width, height))
ui.chart(views.heatmap_figure(confidence, ui.t("Confidence: the highest softmax probability of each pixel",
                                               "置信度：每个像素最高的 softmax 概率"),
                              ui.t("probability", "概率"), zmin=0, zmax=1, hover=ui.t("probability", "概率")),
         key="live-demo.confidence", export="live-confidence")

# -------------------------------------------------------------------------------- coarse vs final
if result.coarse is not None:
    st.header(ui.t("2. What the network really predicts", "2. 网络真正预测的是什么"))
    ui.text(SLUG, "coarse")
    coarse = result.coarse
    in_w, in_h = result.input_size
    st.caption(ui.t(f"The network saw {in_w}×{in_h} pixels and predicted {coarse.shape[0]} class scores on a "
                    f"{coarse.shape[2]}×{coarse.shape[1]} grid (1/{round(in_w / coarse.shape[2])} of the input side).",
                    f"网络输入 {in_w}×{in_h} 像素，在 {coarse.shape[2]}×{coarse.shape[1]} 的网格上预测 {coarse.shape[0]} "
                    f"个类别分数（输入边长的 1/{round(in_w / coarse.shape[2])}）。"))
    inspect_options = objects or present_ids
    if st.session_state.get("live-demo.inspect") not in inspect_options:
        st.session_state["live-demo.inspect"] = inspect_options[0]
    inspected = st.selectbox(ui.t("Class whose scores are shown", "显示哪一类的分数"), inspect_options,
                             key="live-demo.inspect", format_func=lambda c: name_of(classes, c))
    align = result.model.startswith("espnetv2")
    derived = st.session_state.get("live-demo.upsampled")
    if derived is None or derived[0] is not result:  # once per photo, not on every slider move
        derived = (result, compare_upsampling(coarse, (in_h, in_w), align_corners=align))
        st.session_state["live-demo.upsampled"] = derived
    nearest, bilinear, differ = derived[1]
    coarse_ids = coarse.argmax(0)
    first, second = st.columns(2)
    with first:
        ui.chart(views.heatmap_figure(coarse[inspected], ui.t(
            f"Coarse scores for '{name_of(classes, inspected)}' ({coarse.shape[2]}×{coarse.shape[1]}, before upsampling)",
            f"“{name_of(classes, inspected)}”的粗分数（{coarse.shape[2]}×{coarse.shape[1]}，上采样之前）"),
            ui.t("score (logit)", "分数（logit）"), hover=ui.t("score", "分数")), key="live-demo.coarse-scores")
    with second:
        st.image(views.crisp(views.colourise(coarse_ids, len(classes))), width="stretch",
                 caption=ui.t(f"Coarse class map: the best class in each of the {coarse.shape[2]}×{coarse.shape[1]} cells",
                              f"粗类别图：{coarse.shape[2]}×{coarse.shape[1]} 个格子中每格得分最高的类别"))
    third, fourth = st.columns(2)
    third.image(views.colourise(nearest, len(classes)), width="stretch",
                caption=ui.t(f"Scores upsampled by nearest neighbour to {in_w}×{in_h}, then the best class: blocky",
                             f"分数用最近邻上采样到 {in_w}×{in_h} 后取最高类别：块状"))
    fourth.image(views.colourise(bilinear, len(classes)), width="stretch",
                 caption=ui.t(f"Scores upsampled bilinearly to {in_w}×{in_h}, then the best class: the network's output",
                              f"分数用双线性上采样到 {in_w}×{in_h} 后取最高类别：网络的输出"))
    st.metric(ui.t("Pixels labelled differently by nearest and bilinear upsampling", "最近邻与双线性上采样标签不同的像素"),
              f"{differ:.1%}")
    st.markdown(views.legend_html([(name_of(classes, c), views.colour_hex(c)) for c in present_ids]),
                unsafe_allow_html=True)
    ui.link("upsampling", ui.t("Back to the upsampling lesson: nearest, bilinear and the others",
                               "回到上采样一课：最近邻、双线性及其他方法"))

# ------------------------------------------------------------------------------ semantic vs instance
st.header(ui.t("3. Semantic or instance: how many?", "3. 语义还是实例：有几个？"))
if result.instances is not None:
    found = result.instances
    ui.text(SLUG, "instances-maskrcnn")
else:
    found = from_semantic(result.labels, classes)
    ui.text(SLUG, "instances-components")
counts = found.counts()
first, second = st.columns(2)
first.image(views.colourise(result.labels, len(classes)), width="stretch",
            caption=ui.t("Semantic: one colour per class", "语义分割：每个类别一种颜色"))
second.image(views.object_overlay(image_array, found.ids, 0.65), width="stretch",
             caption=ui.t("Instances: one colour per object", "实例：每个物体一种颜色") + (
                 ui.t(" (Mask R-CNN)", "（Mask R-CNN）") if found.source == "mask-rcnn"
                 else ui.t(" (connected blobs of the semantic map)", "（语义图中的连通区域）")))
if counts:
    st.subheader(", ".join(count_phrase(name, n, lang) for name, n in counts.items()))
else:
    st.subheader(ui.t("No objects found", "没有找到物体"))
if found.source != "mask-rcnn":
    ui.link("things-and-stuff", ui.t("Why touching objects merge, and what Mask R-CNN does instead",
                                     "为什么相互接触的物体会合并，以及 Mask R-CNN 怎么做"))

# ------------------------------------------------------------------------------------------ latency
st.header(ui.t("4. Where the time went", "4. 时间花在了哪里"))
stages = result.latency.as_dict()
stage_names = {"decode": ui.t("decode", "解码"), "preprocess": ui.t("preprocess", "预处理"),
               "forward": ui.t("forward pass", "前向计算"), "postprocess": ui.t("postprocess", "后处理")}
st.markdown(ui.t(f"Device: **{device_name(result.device)}**", f"设备：**{device_name(result.device)}**")
            + (ui.t(" · half precision", " · 半精度") if half else "")
            + (ui.t(f" · waited {result.latency.wait_ms:.0f} ms for other students' photos on this model",
                    f" · 等待其他同学的照片 {result.latency.wait_ms:.0f} 毫秒") if result.latency.wait_ms >= 1 else ""))
columns = st.columns(4)
for column, (stage, ms) in zip(columns, stages.items()):
    column.metric(stage_names[stage] + " (ms)", f"{ms:.1f}")
on_gpu = not result.device.startswith("cpu")
ui.chart(views.latency_figure(stages, stage_names, ui.t(
    f"One photo, {result.latency.total_ms:.0f} ms in all" + (" (forward synchronised on the GPU)" if on_gpu else ""),
    f"一张照片，共 {result.latency.total_ms:.0f} 毫秒" + ("（GPU 上的前向计算已同步计时）" if on_gpu else "")), "ms"),
    key="live-demo.latency")
ui.text(SLUG, "latency")
ui.share_state()
