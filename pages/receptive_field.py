"""Lesson: how far does one output pixel see? Theoretical field, its growth, and the effective field."""

import streamlit as st

from lessons.figures.receptive_field import depth_growth_figure, effective_field_figure, field_growth_figure
from ops.layer_stack import StackError, decode_stack, effective_field, encode_stack, field_growth, receptive_field
from ops.layer_stack.effective_field import depth_growth
from pages import stack_editor, ui

SLUG = "receptive-field"
GRIDS = [16, 24, 32, 48, 64]
TRIALS = 8

ui.title(SLUG)
ui.text(SLUG, "intro")

stack_editor.init()
ui.init_state(f"{SLUG}.grid", 32, choices=GRIDS)
ui.init_state(f"{SLUG}.row", 16, lo=0, hi=max(GRIDS) - 1)
ui.init_state(f"{SLUG}.col", 16, lo=0, hi=max(GRIDS) - 1)


@st.cache_data(max_entries=64, show_spinner=False)
def field_table(text: str):
    return receptive_field(decode_stack(text))


@st.cache_data(max_entries=64, show_spinner=False)
def growth(text: str, grid: int, row: int, col: int):
    return field_growth(decode_stack(text), grid, (row, col))


@st.cache_resource(show_spinner=False)
def effective_field_store() -> dict:
    """Effective fields already measured, shared by every session (read only once stored)."""
    return {}


def measured_effective_field(text: str, trials: int, bar):
    """The slow part (autograd over trials × inputs): measured once per stack, with a progress bar."""
    store = effective_field_store()
    if (text, trials) not in store:
        def progress(done, total):
            bar.progress(done / total * 0.9, text=ui.t(f"Measuring the effective field by autograd: "
                                                       f"initialisation {done} of {total}",
                                                       f"正在用自动求导测量有效感受野：第 {done}/{total} 次初始化"))
        if len(store) >= 32:
            store.pop(next(iter(store)))
        store[(text, trials)] = effective_field(decode_stack(text), trials=trials, progress=progress)
    return store[(text, trials)]


@st.cache_data(max_entries=2, show_spinner=False)
def depth_points(max_depth: int, trials: int):
    return depth_growth(max_depth, trials)


st.subheader(ui.t("The layer stack", "层栈"))
layers = stack_editor.editor(SLUG)
text = encode_stack(layers)

# ------------------------------------------------------------------------------- the table
st.subheader(ui.t("Receptive field of every layer", "每一层的感受野"))
ui.text(SLUG, "table")
try:
    with st.spinner(ui.t("Measuring the fields after upsampling by autograd…", "正在用自动求导测量上采样之后的感受野…")):
        rows = field_table(text)
except StackError as error:
    rows = None
    ui.bad_input(str(error))
if rows:
    how = {False: ui.t("recurrence", "递推公式"), True: ui.t("autograd (gradient support)", "自动求导（梯度支撑）")}
    names = {"layer": ui.t("layer", "层"), "size": ui.t("field r (px)", "感受野 r（像素）"),
             "jump": ui.t("jump j (px)", "跳距 j（像素）"), "start": ui.t("start (px)", "起点（像素）"),
             "how": ui.t("computed by", "计算方式")}
    table = [{"#": i, names["layer"]: stack_editor.layer_name(row.layer) if row.layer else ui.t("input", "输入"),
              names["size"]: row.size, names["jump"]: row.jump_value,
              names["start"]: row.start if row.start == row.start else None, names["how"]: how[row.measured]}
             for i, row in enumerate(rows)]
    number = st.column_config.NumberColumn
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        names["size"]: number(format="%d", help=ui.t("side of the square of input pixels one unit can see",
                                                     "一个单元能看到的输入像素正方形的边长")),
        names["jump"]: number(format="%g", help=ui.t("input pixels between two neighbouring units of this layer",
                                                     "这一层相邻两个单元之间相隔的输入像素数")),
        names["start"]: number(format="%g", help=ui.t("centre of unit 0's field, in input pixel coordinates",
                                                      "第 0 个单元感受野的中心（输入像素坐标）"))})
    if any(row.measured for row in rows):
        st.info(ui.t("Upsampling layers shrink the jump, and how many inputs an upsampled pixel reads depends on "
                     "where it sits, so the simple recurrence no longer holds. From the first upsampling layer on, "
                     "the field is the support (nonzero region) of the gradient of the centre unit with respect to the "
                     "input, computed by autograd.",
                     "上采样层会缩小跳距，而且上采样后的像素读取多少个输入取决于它的位置，简单的递推公式不再成立。"
                     "从第一个上采样层开始，感受野是中心单元对输入的梯度的支撑（非零区域），由自动求导计算。"),
                icon=":material/functions:")

# ------------------------------------------------------------------------------- the animation
@st.fragment
def animation() -> None:
    """Grid size and pixel rerun only this part (the effective field below stays as it is)."""
    st.subheader(ui.t("Watch one pixel's field grow", "观察一个像素的感受野如何增长"))
    ui.text(SLUG, "growth")
    grid_column, row_column, col_column = st.columns(3)
    grid_column.select_slider(ui.t("Input grid side (pixels)", "输入网格边长（像素）"), GRIDS, key=f"{SLUG}.grid")
    grid = st.session_state[f"{SLUG}.grid"]
    row_column.slider(ui.t("Pixel row", "像素行"), 0, max(GRIDS) - 1, key=f"{SLUG}.row")
    col_column.slider(ui.t("Pixel column", "像素列"), 0, max(GRIDS) - 1, key=f"{SLUG}.col")
    row = min(st.session_state[f"{SLUG}.row"], grid - 1)
    col = min(st.session_state[f"{SLUG}.col"], grid - 1)
    if (row, col) != (st.session_state[f"{SLUG}.row"], st.session_state[f"{SLUG}.col"]):
        st.caption(ui.t(f"The grid is {grid}×{grid}: following pixel ({row}, {col}).",
                        f"网格是 {grid}×{grid}：跟踪像素 ({row}, {col})。"))
    try:
        frames = growth(text, grid, row, col)
    except StackError as error:
        frames = None
        ui.bad_input(ui.t(f"On a {grid}×{grid} grid the stack cannot run: ", f"在 {grid}×{grid} 的网格上层栈无法运行：")
                     + str(error))
    if frames:
        titles = []
        for i, entry in enumerate(frames.rows):
            seen = int(frames.masks[i].any(axis=0).sum())
            name = stack_editor.layer_name(entry.layer) if entry.layer else ui.t("the input pixel", "输入像素")
            titles.append(ui.t(f"After layer {i} of {len(frames.rows) - 1} ({name}): sees {seen}×{seen} pixels "
                               f"(theory {entry.size}×{entry.size}), jump {entry.jump_value:g}",
                               f"第 {i}/{len(frames.rows) - 1} 层之后（{name}）：看到 {seen}×{seen} 个像素"
                               f"（理论 {entry.size}×{entry.size}），跳距 {entry.jump_value:g}"))
        labels = {"play": ui.t("Play", "播放"), "pause": ui.t("Pause", "暂停"), "step": ui.t("after layer", "层"),
                  "colorbar": ui.t("joined at layer", "加入时的层"), "x": ui.t("input column", "输入列"),
                  "y": ui.t("input row", "输入行")}
        ui.chart(field_growth_figure(frames, titles, labels, (row, col)), key=f"{SLUG}.animation",
                 export="receptive-field")
        st.caption(ui.t("Input grid: every cell is an input pixel. Coloured cells are those the followed output pixel "
                        "sees after that layer; the number says at which layer the cell joined. The orange square marks "
                        "the chosen pixel; grey cells are outside the field.",
                        "输入网格：每个格子是一个输入像素。彩色格子是该层之后被跟踪的输出像素能看到的像素；数字表示它在第几层加入。"
                        "橙色方框标出所选像素；灰色格子在感受野之外。"))
    ui.share_state()  # a fragment rerun does not reach the end of the page: keep the link up to date


animation()

# ------------------------------------------------------------------------------- effective field
st.subheader(ui.t("The effective receptive field", "有效感受野"))
ui.text(SLUG, "effective")
bar = st.progress(0.0, text=ui.t("Measuring the effective field by autograd…", "正在用自动求导测量有效感受野…"))
try:
    erf = measured_effective_field(text, TRIALS, bar)
    bar.progress(0.9, text=ui.t("Measuring width against depth…", "正在测量宽度随深度的变化…"))
    points = depth_points(16, TRIALS)
except StackError as error:
    erf = points = None
    ui.bad_input(str(error))
finally:
    bar.empty()
if erf:
    side = erf.theoretical_side
    columns = st.columns(3)
    columns[0].metric(ui.t("Theoretical square", "理论正方形"), f"{side} × {side} px")
    columns[1].metric(ui.t("Effective width 4σ", "有效宽度 4σ"), f"{erf.width:.1f} px")
    columns[2].metric(ui.t("Effective share of the square", "有效区域占正方形的比例"), f"{erf.fraction:.0%}",
                      help=ui.t("The fewest pixels that together carry 95% of the gradient, as a share of the "
                                "theoretical square.", "合计承载 95% 梯度所需的最少像素数，占理论正方形的比例。"))
    labels = {"effective_title": ui.t("Effective field: mean |∂output/∂input|", "有效感受野：平均 |∂输出/∂输入|"),
              "x": ui.t("input column", "输入列"), "y": ui.t("input row", "输入行"),
              "theoretical_title": ui.t("Theoretical field: pixels that can matter at all", "理论感受野：可能产生影响的像素"),
              "colorbar": ui.t("% of the gradient", "梯度占比 %"),
              "square": ui.t("theoretical square", "理论正方形"),
              "inside": ui.t("inside the field", "在感受野内"), "outside": ui.t("outside", "在感受野外")}
    ui.chart(effective_field_figure(erf, labels), key=f"{SLUG}.effective", export="effective-receptive-field")
    st.caption(ui.t(f"Input {erf.size}×{erf.size} pixels, output unit {erf.unit} of the last layer, gradient averaged "
                    f"over {TRIALS} random initialisations (PyTorch's default) with 4 random inputs each, ReLU after "
                    "every conv, channels capped at 8 (the field's shape depends on the geometry, not on the width).",
                    f"输入 {erf.size}×{erf.size} 像素，最后一层的输出单元 {erf.unit}，梯度在 {TRIALS} 次随机初始化"
                    "（每次 4 个随机输入）上取平均，通道数上限为 8（感受野的形状取决于几何结构，"
                    "而不是宽度），每个卷积后接 ReLU，使用 PyTorch 默认初始化。"))
if points:
    ui.text(SLUG, "depth")
    labels = {"title": ui.t("Stacked 3×3 convs: theoretical side grows like L, effective width like √L",
                            "堆叠 3×3 卷积：理论边长按 L 增长，有效宽度按 √L 增长"),
              "depth": ui.t("number of 3×3 conv layers L", "3×3 卷积层数 L"),
              "width": ui.t("width (input pixels)", "宽度（输入像素）"),
              "theoretical": ui.t("theoretical side 1 + 2L", "理论边长 1 + 2L"),
              "random": ui.t("effective width 4σ, random ReLU nets (measured)", "有效宽度 4σ，随机 ReLU 网络（实测）"),
              "equal": ui.t("effective width, equal weights: 4·√(2L/3)", "有效宽度，等权重：4·√(2L/3)"),
              "fit": ui.t("fit {a:.2f}·√L", "拟合 {a:.2f}·√L")}
    ui.chart(depth_growth_figure(points, labels), key=f"{SLUG}.depth", export="receptive-field-depth")

ui.text(SLUG, "after")
stack_editor.link("full-resolution-cost")
ui.link("things-and-stuff")
ui.share_state()
