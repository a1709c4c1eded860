"""Lesson: per-pixel cross-entropy. Edit the true labels and the class scores; see every pixel's loss,
the mean, one pixel's softmax, and PyTorch computing the same thing."""

import numpy as np
import streamlit as st

from lessons.figures.pixel_loss import loss_map_figure, softmax_figure
from ops.patches import CLASSES, classifier_example, per_pixel_cross_entropy, torch_cross_entropy, validate_labels
from pages import grid_input, ui

SLUG = "per-pixel-loss"
CLASS_ZH = {"sky": "天空", "grass": "草地", "cow": "牛"}
DEFAULT_LABELS = [[0, 0, 0, 0], [0, 2, 2, 0], [1, 2, 2, 1], [1, 1, 1, 1]]
# true class gets 3, others 0, except four pixels where the "network" is wrong or unsure
DEFAULT_LOGITS = np.zeros((3, 4, 4))
for _r, _row in enumerate(DEFAULT_LABELS):
    for _c, _label in enumerate(_row):
        DEFAULT_LOGITS[_label, _r, _c] = 3.0
DEFAULT_LOGITS[:, 1, 1] = [2.5, 0.0, 1.0]  # a cow pixel that looks like sky
DEFAULT_LOGITS[:, 2, 3] = [0.0, 0.5, 2.0]  # grass called cow
DEFAULT_LOGITS[:, 3, 0] = [0.8, 1.0, 0.0]  # unsure between sky and grass
DEFAULT_LOGITS[:, 0, 3] = [6.0, 0.0, 0.0]  # very sure and right

LABEL_KEY = "per-pixel-loss.labels"
LOGIT_KEYS = [f"per-pixel-loss.logits.{name}" for name in CLASSES]
# fixed-size grids: the page's buttons replace them all at once; 56 px cells fit three grids side by side
GRID_STYLE = {"max_side": 8, "resizable": False, "buttons": False, "label_style": "caption", "cell_width": 56}


@st.cache_data(show_spinner=False)
def _classifier_crop():
    return classifier_example(rows=4, cols=4)


def use_classifier() -> None:
    logits, labels = _classifier_crop()
    grid_input.replace_grid(LABEL_KEY, labels)
    for key, channel in zip(LOGIT_KEYS, logits):
        grid_input.replace_grid(key, channel)


def reset() -> None:
    grid_input.replace_grid(LABEL_KEY, DEFAULT_LABELS)
    for key, channel in zip(LOGIT_KEYS, DEFAULT_LOGITS):
        grid_input.replace_grid(key, channel)


ui.title(SLUG)
ui.text(SLUG, "intro")
names = [ui.t(c, CLASS_ZH[c]) for c in CLASSES]

ui.init_state("per-pixel-loss.row", 1, lo=0, hi=7)
ui.init_state("per-pixel-loss.col", 1, lo=0, hi=7)

buttons = st.columns([3, 2, 3])
buttons[0].button(ui.t("Use the patch classifier's scores", "使用图块分类器的分数"), icon=":material/smart_toy:",
                  on_click=use_classifier, key="per-pixel-loss.classifier",
                  help=ui.t("A 4×4 crop of a generated pasture and the real scores of the sliding-window lesson's "
                            "classifier there.", "生成的牧场中的一个 4×4 区域，以及滑动窗口一课中分类器在那里给出的真实分数。"))
buttons[1].button(ui.t("Reset the example", "恢复示例"), icon=":material/restart_alt:", on_click=reset,
                  key="per-pixel-loss.reset")

st.subheader(ui.t("Input: true labels and class scores", "输入：真实标签和类别分数"))
legend = ", ".join(f"{k} = {name}" for k, name in enumerate(names))
labels = grid_input.grid_editor(LABEL_KEY, DEFAULT_LABELS,
                                label=ui.t(f"Input 1 · true label per pixel ({legend})",
                                           f"输入 1 · 每个像素的真实标签（{legend}）"),
                                validate=lambda values: validate_labels(values, len(CLASSES)), **GRID_STYLE)
st.markdown(ui.t("**Input 2 · class scores (logits) per pixel**, one grid per class: the network's raw outputs "
                 "before the softmax.", "**输入 2 · 每个像素的类别分数（logits）**，每个类别一个网格：网络在 softmax 之前的原始输出。"))
score_columns = st.columns(len(CLASSES))
channels = []
for column, key, channel, name in zip(score_columns, LOGIT_KEYS, DEFAULT_LOGITS, names):
    with column:
        channels.append(grid_input.grid_editor(key, channel, label=ui.t(f"score for “{name}”", f"“{name}”的分数"),
                                               cell_format=".1f", **GRID_STYLE))

try:
    if len({c.shape for c in channels} | {labels.shape}) != 1:
        raise ValueError(ui.t("the label grid and the three score grids must have the same size",
                              "标签网格和三个分数网格的大小必须相同"))
    logits = np.stack(channels)
    result = per_pixel_cross_entropy(logits, labels)
except ValueError as error:
    ui.bad_input(ui.t(f"These grids cannot be compared: {error}. Press “Reset the example”.",
                      f"这些网格无法比较：{error}。请按“恢复示例”。"))
    ui.share_state(grid_input.encoders(LABEL_KEY, *LOGIT_KEYS))
    st.stop()

height, width = labels.shape
FONT = 20 if ui.presenting() else 14  # figure text: larger on a projector
st.subheader(ui.t("Output: the loss at every pixel", "输出：每个像素的损失"))
ui.text(SLUG, "loss")
pick_row, pick_col, mean_column = st.columns([1, 1, 2])
pick_row.number_input(ui.t("Chosen pixel: row", "所选像素：行"), 0, 7, step=1, key="per-pixel-loss.row")
pick_col.number_input(ui.t("Chosen pixel: column", "所选像素：列"), 0, 7, step=1, key="per-pixel-loss.col")
row, col = st.session_state["per-pixel-loss.row"], st.session_state["per-pixel-loss.col"]
if row >= height or col >= width:
    ui.bad_input(ui.t(f"Pixel ({row}, {col}) is outside the {height}×{width} grid; showing the last pixel.",
                      f"像素 ({row}, {col}) 在 {height}×{width} 网格之外；改为显示最后一个像素。"))
    row, col = min(row, height - 1), min(col, width - 1)
mean_column.metric(ui.t("Mean loss over all pixels", "所有像素的平均损失"),
                   f"{result.mean:.4f}", help=ui.t("The number training minimises; in nats (natural logarithm).", "训练要最小化的数；单位 nat（自然对数）。"))

left, right = st.columns(2)
with left:
    ui.chart(loss_map_figure(result.loss_map, (row, col),
                             ui.t("Output: per-pixel loss −log p(true class), in nats",
                                  "输出：逐像素损失 −log p(真实类别)，单位 nat"), ui.t("loss", "损失"),
                             font_size=FONT),
             key="per-pixel-loss.map", export="per-pixel-loss-map")
with right:
    true_class = int(result.labels[row, col])
    probabilities = result.softmax_at(row, col)
    ui.chart(softmax_figure(probabilities, names, true_class,
                            ui.t(f"Softmax at pixel (row {row}, col {col}): "
                                 f"loss = −log {probabilities[true_class]:.3f} "
                                 f"= {result.loss_map[row, col]:.3f}",
                                 f"像素（第 {row} 行，第 {col} 列）的 softmax：损失 = −log {probabilities[true_class]:.3f} "
                                 f"= {result.loss_map[row, col]:.3f}"),
                            ui.t("probability", "概率"), ui.t("true class", "真实类别"), font_size=FONT),
             key="per-pixel-loss.softmax", export="per-pixel-loss-softmax")

st.subheader(ui.t("The same in PyTorch", "在 PyTorch 中"))
ui.text(SLUG, "torch")
st.code("import torch.nn.functional as F\n"
        "# logits: N×C×H×W scores, labels: N×H×W class indices\n"
        "loss_map = F.cross_entropy(logits, labels, reduction='none')   # N×H×W, one loss per pixel\n"
        "loss = F.cross_entropy(logits, labels)                          # their mean: what training minimises",
        language="python")
reference = torch_cross_entropy(logits, labels)
difference = float(np.max(np.abs(reference - result.loss_map)))
check_a, check_b = st.columns(2)
check_a.metric(ui.t("PyTorch's mean loss", "PyTorch 的平均损失"), f"{reference.mean():.4f}")
check_b.metric(ui.t("Largest |difference| from the loss map above", "与上方损失图的最大 |差值|"), f"{difference:.1e}")
if difference < 1e-9:
    st.success(ui.t("PyTorch computes exactly this loss map (differences are rounding in the last digits).",
                    "PyTorch 算出的正是这张损失图（差异只是末位的舍入）。"), icon=":material/check_circle:")
else:
    st.error(ui.t("PyTorch disagrees with the loss map above.", "PyTorch 与上方的损失图不一致。"))
ui.text(SLUG, "after")
ui.link("full-resolution-cost")
ui.share_state(grid_input.encoders(LABEL_KEY, *LOGIT_KEYS))
