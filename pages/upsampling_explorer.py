"""Upsampling operators: edit a grid, pick one of the six operators, watch each output cell being made.

Everything shown is computed by ops.upsampling (numpy) and checked live against PyTorch; the page only
lays out widgets and figures. All settings live in the URL, so a teacher can share an example.
"""

import numpy as np
import streamlit as st

from lessons.figures.upsampling_figures import (cell_walk_animation, input_output_figure, panels_figure,
                                                stamp_animation, switches_figure)
from ops.upsampling import OPERATORS, max_pool_with_switches, output_size, tied_windows
from ops.upsampling.checks import SCALES
from pages import grid_input, ui

SLUG = "upsampling"
NOTES_INPUT = [[1, 2], [3, 4]]
# The classic max-unpooling example: for the notes' input at scale 2 the switches are not all top-left.
NOTES_ENCODER_MAP = [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]]
DEFAULT_KERNEL = [[1, 1, 1], [1, 1, 1], [1, 1, 1]]
MAX_FRAMES = 64  # larger outputs animate one output row at a time
MAX_FRAME_CELLS = 16384  # stamp frames × output cells: beyond this, one input row of stamps
GRID, KERNEL, ENCODER = "upsampling.grid", "upsampling.kernel", "upsampling.encoder"

ui.title(SLUG)
ui.text(SLUG, "intro")

ui.init_state("upsampling.op", "bilinear", choices=list(OPERATORS))
ui.init_state("upsampling.scale", 2, choices=list(SCALES))
ui.init_state("upsampling.align_corners", False)
ui.init_state("upsampling.stride", 2, lo=1, hi=4)
ui.init_state("upsampling.padding", 1, lo=0, hi=6)
ui.init_state("upsampling.output_padding", 1, lo=0, hi=3)
ui.init_state("upsampling.dilation", 1, lo=1, hi=3)
ui.init_state("upsampling.row", 0, lo=0, hi=63)
ui.init_state("upsampling.col", 1, lo=0, hi=63)


def op_title(name: str) -> str:
    return OPERATORS[name].title.get(ui.lang(), OPERATORS[name].title["en"])


def labels() -> dict:
    return {"input": ui.t("Input", "输入"), "output": ui.t("Output", "输出"), "kernel": ui.t("Kernel", "卷积核"),
            "output_so_far": ui.t("Output so far", "目前的输出"), "play": ui.t("Play", "播放"),
            "pause": ui.t("Pause", "暂停"), "step": ui.t("output cell", "输出单元格"),
            "input_step": ui.t("input cell", "输入单元格"),
            "formula_cell": ui.t("output[{row}, {col}] =", "输出[{row}, {col}] ="),
            "nothing_lands": ui.t("0 (no input cell lands here)", "0（没有输入单元格落在这里）")}


# ------------------------------------------------------------------------------------- input + operator
editor_column, settings_column = st.columns([2, 3], gap="large")
with editor_column:
    grid = grid_input.grid_editor(GRID, NOTES_INPUT, max_side=8, label=ui.t("Input grid", "输入网格"))
    ui.text(SLUG, "editor-help")

with settings_column:
    name = st.selectbox(ui.t("Operator", "算子"), list(OPERATORS), format_func=op_title, key="upsampling.op")
    op = OPERATORS[name]
    ui.text(SLUG, f"op-{name}")
    if name == "transposed_conv":
        a, b, c, d = st.columns(4)
        a.number_input(ui.t("Stride", "步长"), 1, 4, step=1, key="upsampling.stride")
        limit = max(st.session_state["upsampling.stride"], st.session_state["upsampling.dilation"]) - 1
        st.session_state["upsampling.output_padding"] = min(st.session_state["upsampling.output_padding"], limit)
        b.number_input(ui.t("Padding", "填充"), 0, 6, step=1, key="upsampling.padding")
        c.number_input(ui.t("Output padding", "输出填充"), 0, limit, step=1, key="upsampling.output_padding",
                       disabled=limit == 0, help=ui.t("Must be smaller than the stride (or the dilation).",
                                                      "必须小于步长（或膨胀率）。"))
        d.number_input(ui.t("Dilation", "膨胀率"), 1, 3, step=1, key="upsampling.dilation")
        kernel = grid_input.grid_editor(KERNEL, DEFAULT_KERNEL, max_side=5, square=True, low=-2, high=3,
                                        label=ui.t("Kernel (learnable weights)", "卷积核（可学习的权重）"))
    else:
        st.segmented_control(ui.t("Scale (each side × s)", "放大倍数（每条边 × s）"), list(SCALES),
                             format_func=lambda s: f"×{s}", key="upsampling.scale", required=True)
        if name in ("bilinear", "bicubic"):
            st.toggle("align_corners", key="upsampling.align_corners",
                      help=ui.t("On: the corner cells of input and output coincide. Off (PyTorch's default): "
                                "cells are squares whose centres line up.",
                                "开：输入与输出的角点单元格重合。关（PyTorch 默认）：单元格是正方形，中心对齐。"))
scale = st.session_state["upsampling.scale"]
h, w = grid.shape


def default_encoder_map() -> list:
    """The encoder grid whose max pooling gives the switches must be (H·s)×(W·s): one per size, always the same."""
    if (h, w, scale) == (2, 2, 2):
        return NOTES_ENCODER_MAP
    return grid_input.random_grid(h * scale, w * scale, seed=h * 100 + w * 10 + scale)


encoder_default = default_encoder_map()
ui.init_state(ENCODER, encoder_default, decode=lambda text: ui.decode_grid(text, max_side=32))
if np.shape(st.session_state[ENCODER]) != np.shape(encoder_default):  # the input or the scale changed
    grid_input.replace_grid(ENCODER, encoder_default)
encoder_map = np.asarray(st.session_state[ENCODER], dtype=float)
if name == "max_unpool":
    with settings_column:
        encoder_map = grid_input.grid_editor(
            ENCODER, encoder_default, max_side=32, resizable=False, low=0, high=9,
            label=ui.t(f"Encoder grid that was max-pooled ({h * scale}×{w * scale}): its maxima set the switches",
                       f"被最大池化的编码器网格（{h * scale}×{w * scale}）：其最大值决定开关"))



def scale_params(op_name: str) -> dict:
    """The settings of an operator that upsamples by `scale` (all but transposed convolution)."""
    if op_name == "max_unpool":
        return {"scale": scale, "pooled_from": encoder_map}
    if op_name in ("bilinear", "bicubic"):
        return {"scale": scale, "align_corners": st.session_state["upsampling.align_corners"]}
    return {"scale": scale}


if name == "transposed_conv":
    params = {"kernel": kernel, "stride": st.session_state["upsampling.stride"],
              "padding": st.session_state["upsampling.padding"],
              "output_padding": st.session_state["upsampling.output_padding"],
              "dilation": st.session_state["upsampling.dilation"]}
else:
    params = scale_params(name)

SAFE_PARAMS = {"transposed_conv": {"kernel": DEFAULT_KERNEL, "stride": 2, "padding": 1, "output_padding": 1,
                                   "dilation": 1},
               "max_unpool": {"scale": scale, "pooled_from": None}}
candidates = [params]  # what the widgets say, else the last settings that worked, else settings that always work
last_name, last_params = st.session_state.get("upsampling.last_valid", (None, None))
if last_name == name:
    candidates.append(last_params)
candidates.append(SAFE_PARAMS.get(name, {"scale": 2}))
for attempt, candidate in enumerate(candidates):
    try:
        out, trace = op(grid, **candidate)
    except ValueError as error:
        if attempt == 0:
            ui.bad_input(ui.t(f"These settings cannot be used: {error}. Showing the last settings that worked.",
                              f"这些设置无法使用：{error}。显示上一次可用的设置。"))
        continue
    params = candidate
    st.session_state["upsampling.last_valid"] = (name, params)
    break

# --------------------------------------------------------------------------------------------- output
st.subheader(ui.t(f"{op_title(name)}: input → output", f"{op_title(name)}：输入 → 输出"))
if max(out.shape[1:]) > 8:  # a large output gets the full width; the check and the code go below it
    figure_column, code_column = st.container(), st.container()
else:
    figure_column, code_column = st.columns(2, gap="large")
with figure_column:
    ui.chart(input_output_figure(grid, out[0], labels(), ui.t(
        f"Input {h}×{w} → output {out.shape[1]}×{out.shape[2]} (values to 2 decimals)",
        f"输入 {h}×{w} → 输出 {out.shape[1]}×{out.shape[2]}（数值保留 2 位小数）")),
             key="upsampling.result")
    st.caption(ui.t("Colour shows the value on one scale for input and output (dark blue low, yellow high); "
                    "the number in each cell is the value itself.",
                    "颜色表示数值，输入与输出使用同一色标（深蓝为低，黄色为高）；每个单元格中的数字就是数值本身。"))
with code_column:
    difference = float(np.max(np.abs(out - op.torch_result(grid, **params))))  # PyTorch, live
    shown_difference = "0.0" if difference == 0 else f"{difference:.2g}"
    verdict = ui.t(f"matches {op.torch_function} ✓ (max |diff| {shown_difference})",
                   f"与 {op.torch_function} 一致 ✓（最大 |差| {shown_difference}）")
    if difference <= 1e-6:
        st.success(verdict, icon=":material/verified:")
    else:
        st.error(ui.t(f"differs from {op.torch_function} (max |diff| {difference:.3g})",
                      f"与 {op.torch_function} 不一致（最大 |差| {difference:.3g}）"))
    st.caption(ui.t("The same computation in PyTorch, ready to copy:", "PyTorch 中的同一计算，可直接复制："))
    st.code(op.torch_code(grid, **params), language="python", wrap_lines=True)

if name == "transposed_conv":
    k, s, p, op_pad, d = (len(kernel), params["stride"], params["padding"], params["output_padding"],
                          params["dilation"])
    st.markdown(ui.t("**Output size** (the same formula for rows and columns):", "**输出大小**（行和列使用同一公式）："))
    st.latex(rf"H_{{out}} = (H_{{in}} - 1)\,s - 2p + d\,(k - 1) + \text{{output\_padding}} + 1"
             rf" = ({h} - 1)\cdot {s} - 2\cdot {p} + {d}\cdot({k} - 1) + {op_pad} + 1"
             rf" = {output_size(h, k, s, p, op_pad, d)}")
if name == "max_unpool":
    pooled, switches = max_pool_with_switches(encoder_map, scale)
    tied = tied_windows(encoder_map, scale)
    ui.text(SLUG, "tie-rule")
    if tied:
        st.info(ui.t(f"{len(tied)} window(s) here have equal maxima: " + ", ".join(f"({i}, {j})" for _, i, j in tied),
                     f"这里有 {len(tied)} 个窗口的最大值并列：" + "、".join(f"({i}, {j})" for _, i, j in tied)),
                icon=":material/balance:")
    ui.chart(switches_figure(encoder_map, pooled[0], switches[0], tied, {
        "encoder": ui.t("Max-pooling input: encoder grid", "最大池化的输入：编码器网格"),
        "pooled": ui.t("Max-pooling output", "最大池化的输出"),
        "title": ui.t(f"Switches: the remembered maximum of each {scale}×{scale} window (outlined)",
                      f"开关：每个 {scale}×{scale} 窗口记住的最大值（方框标出）")}),
             key="upsampling.switches")

# --------------------------------------------------------------------------------------- step by step
st.subheader(ui.t("Step by step", "逐步演示"))
out_rows, out_cols = out.shape[1:]
st.session_state["upsampling.row"] = min(st.session_state["upsampling.row"], out_rows - 1)
st.session_state["upsampling.col"] = min(st.session_state["upsampling.col"], out_cols - 1)
pick_row, pick_col, formula_column = st.columns([1, 1, 4])
pick_row.number_input(ui.t("Output row", "输出行"), 0, out_rows - 1, step=1, key="upsampling.row")
pick_col.number_input(ui.t("Output column", "输出列"), 0, out_cols - 1, step=1, key="upsampling.col")
row, col = st.session_state["upsampling.row"], st.session_state["upsampling.col"]
terms, total = trace.formula_terms(grid[None], (0, row, col))
with formula_column:
    st.markdown(ui.t(f"**output[{row}, {col}]** = " + (" + ".join(terms) + f" = **{total:.2f}**" if terms
                                                        else "0 (no input cell lands here)"),
                     f"**输出[{row}, {col}]** = " + (" + ".join(terms) + f" = **{total:.2f}**" if terms
                                                    else "0（没有输入单元格落在这里）")))
    if op.explained_by_input and len(terms) > 1:
        st.caption(ui.t(f"{len(terms)} stamps overlap on this cell.", f"有 {len(terms)} 个印章在这个单元格上重叠。"))

if op.explained_by_input:
    st.caption(ui.t("Each frame adds one input cell's stamp (its value × the kernel) into the output; "
                    "outlined: where the stamp lands, with what it adds. Use ▶ or drag the slider.",
                    "每一帧把一个输入单元格的印章（其数值 × 卷积核）加到输出中；方框标出印章落下的位置及其增加的数值。"
                    "点击 ▶ 或拖动滑块。"))
    stamps_shown = None
    if h * w * out_rows * out_cols > MAX_FRAME_CELLS:  # large: animate the input row that reaches this output row
        input_row = min(max((row + params["padding"]) // params["stride"], 0), h - 1)
        stamps_shown = [(input_row, j) for j in range(w)]
        st.caption(ui.t(f"Large grid: the animation shows the stamps of input row {input_row} (the ones before it "
                        "are already added). Choose another output row above to move on.",
                        f"网格较大：动画展示输入第 {input_row} 行的印章（之前的印章已经加上）。在上方选择其他输出行可继续。"))
    sheet = stamp_animation(grid, params["kernel"], out[0], trace, {**labels(), "stamp": ui.t(
                                "Stamp of input[{row}, {col}] = {value}: adds {value} × kernel",
                                "输入[{row}, {col}] = {value} 的印章：加上 {value} × 卷积核")},
                            stamps_shown=stamps_shown)
else:
    if out_rows * out_cols <= MAX_FRAMES:
        cells = [(r, c) for r in range(out_rows) for c in range(out_cols)]
    else:
        cells = [(row, c) for c in range(out_cols)]
        st.caption(ui.t(f"The output has {out_rows * out_cols} cells: the animation walks output row {row} "
                        "(choose another row above).",
                        f"输出共有 {out_rows * out_cols} 个单元格：动画逐个演示第 {row} 行（可在上方选择其他行）。"))
    st.caption(ui.t("Sky-blue outlines: the input cells that contribute, with their weights; vermillion: the output "
                    "cell being made. Use ▶ or drag the slider to go back and forth.",
                    "天蓝色方框：参与计算的输入单元格及其权重；朱红色方框：正在计算的输出单元格。点击 ▶ 或拖动滑块前后移动。"))
    sheet = cell_walk_animation(grid, out[0], trace, cells, labels(), active=cells.index((row, col)))
ui.chart(sheet, key="upsampling.animation", export=f"{name}-steps")

# ---------------------------------------------------------------------------------------- compare all
st.subheader(ui.t("Compare all six", "六种算子对比"))
ui.text(SLUG, "compare")
outputs, titles = [], []
for other, other_op in OPERATORS.items():
    if other == "transposed_conv":
        other_params = params if name == "transposed_conv" else {
            "kernel": np.asarray(st.session_state.get(KERNEL, DEFAULT_KERNEL), dtype=float), "stride": scale,
            "padding": 1, "output_padding": scale - 1}
    else:
        other_params = scale_params(other)
    try:
        result = out if other == name else other_op(grid, **other_params)[0]
    except ValueError:
        continue
    outputs.append(result[0])
    titles.append(f"{op_title(other)} ({result.shape[1]}×{result.shape[2]})")
ui.chart(panels_figure(outputs, titles, ui.t(f"Input: the {h}×{w} grid above → the six outputs (×{scale})",
                                             f"输入：上面的 {h}×{w} 网格 → 六种输出（×{scale}）"), per_row=3),
         key="upsampling.compare")


# ------------------------------------------------------------------------------------ the notes' tables
@st.cache_data(show_spinner=False)
def notes_tables() -> list:
    return [OPERATORS[n](NOTES_INPUT, scale=2)[0][0] for n in ("bed_of_nails", "nearest", "bilinear", "bicubic")]


st.subheader(ui.t("The lecture's tables", "课上的表格"))
ui.text(SLUG, "notes")
ui.chart(panels_figure(notes_tables(), [op_title(n) for n in ("bed_of_nails", "nearest", "bilinear", "bicubic")],
                       ui.t("Input [[1, 2], [3, 4]] (2×2) → output 4×4", "输入 [[1, 2], [3, 4]]（2×2）→ 输出 4×4")),
         key="upsampling.notes")


# ---------------------------------------------------------------------------------------- checkerboard
@st.cache_data(show_spinner=False)
def overlap_counts() -> list:
    ones = np.ones((1, 4, 4))
    return [OPERATORS["transposed_conv"](ones, kernel=np.ones((k, k)), stride=2)[1].overlap_counts() for k in (3, 4)]


st.subheader(ui.t("The checkerboard effect", "棋盘格效应"))
ui.text(SLUG, "checkerboard")
three, four = overlap_counts()
ui.chart(panels_figure([three, four], [ui.t("Kernel 3, stride 2: 1 / 2 / 4 stamps", "卷积核 3，步长 2：1 / 2 / 4 个印章"),
                                       ui.t("Kernel 4, stride 2: even inside", "卷积核 4，步长 2：内部均匀")],
                       ui.t("Input: 4×4 of ones, all-ones kernel → output: how many stamps land on each cell",
                            "输入：4×4 全 1，全 1 卷积核 → 输出：每个单元格上落了几个印章"), decimals=0),
         key="upsampling.checkerboard")

ui.text(SLUG, "after")
ui.link("receptive-field")
ui.share_state(grid_input.encoders(GRID, KERNEL, ENCODER))
