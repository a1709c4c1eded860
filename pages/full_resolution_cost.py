"""Lesson: keeping every conv at full resolution is expensive; downsample, then upsample."""

import streamlit as st

from lessons.figures.stack_cost import cost_growth_figure
from ops.layer_stack import STACK_PRESETS, StackError, cost_growth, encode_stack, layer_costs
from pages import stack_editor, ui

SLUG = "full-resolution-cost"
SIZES = [32, 64, 128, 224, 256, 512, 1024]

ui.title(SLUG)
ui.text(SLUG, "intro")

stack_editor.init()
ui.init_state(f"{SLUG}.size", 256, choices=SIZES)

st.subheader(ui.t("The layer stack", "层栈"))
ui.text(SLUG, "stack")
layers = stack_editor.editor(SLUG)
st.select_slider(ui.t("Input image side (pixels, square, 3 colour channels)", "输入图像边长（像素，正方形，3 个颜色通道）"),
                 SIZES, key=f"{SLUG}.size")
size = st.session_state[f"{SLUG}.size"]


def si(value: float, unit: str) -> str:
    """1.2e9 FLOPs -> '1.20 G' + unit; bytes use binary prefixes (KiB, MiB, GiB)."""
    if unit == "B":
        for prefix, scale in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
            if value >= scale:
                return f"{value / scale:,.2f} {prefix}"
        return f"{value:,.0f} B"
    for prefix, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:,.2f} {prefix}{unit}"
    return f"{value:,.0f} {unit}"


st.subheader(ui.t(f"Cost of every layer at {size}×{size} pixels", f"{size}×{size} 像素输入时每一层的开销"))
try:
    costs = layer_costs(layers, size)
except StackError as error:
    costs = None
    ui.bad_input(ui.t("At this input size the stack cannot run: ", "在这个输入尺寸下，层栈无法运行：") + str(error))
if costs:
    total_flops = sum(c.flops for c in costs)
    total_bytes = sum(c.activation_bytes for c in costs)
    columns = st.columns(3)
    columns[0].metric(ui.t("Total FLOPs (one image)", "总 FLOPs（一张图像）"), si(total_flops, "FLOPs"))
    columns[1].metric(ui.t("Activation memory (float32)", "激活内存（float32）"), si(total_bytes, "B"))
    last = costs[-1]
    columns[2].metric(ui.t("Output (channels × height × width)", "输出（通道 × 高 × 宽）"),
                      f"{last.channels} × {last.side} × {last.side}")
    flop_unit, flop_scale = ("GFLOPs", 1e9) if total_flops >= 1e9 else ("MFLOPs", 1e6)
    names = {"layer": ui.t("layer", "层"), "output": ui.t("output C × H × W", "输出 C × H × W"),
             "flops": flop_unit, "share": ui.t("share of FLOPs", "FLOPs 占比"),
             "memory": ui.t("activations (MiB)", "激活（MiB）")}
    table = [{"#": i + 1, names["layer"]: stack_editor.layer_name(c.layer),
              names["output"]: f"{c.channels} × {c.side} × {c.side}",
              names["flops"]: c.flops / flop_scale,
              names["share"]: 100 * c.flops / total_flops if total_flops else 0.0,
              names["memory"]: c.activation_bytes / 2 ** 20} for i, c in enumerate(costs)]
    number = st.column_config.NumberColumn
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        names["flops"]: number(format="%.3f", help=ui.t("2 per multiply-add of a convolution, every kernel tap "
                                                        "counted (as torch's FlopCounterMode). Pools and "
                                                        "upsampling count 0.",
                                                        "卷积每次乘加计 2 次，每个卷积核位置都计入（与 torch 的 "
                                                        "FlopCounterMode 相同）。池化与上采样计 0。")),
        names["share"]: st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100),
        names["memory"]: number(format="%.2f", help=ui.t("output tensor of the layer, 4 bytes a value",
                                                         "该层的输出张量，每个值 4 字节"))})
    ui.text(SLUG, "table")

st.subheader(ui.t("As the image grows", "当图像变大时"))
ui.text(SLUG, "growth")
series = {}
current = encode_stack(layers)
for name, preset in STACK_PRESETS.items():
    label = preset.label.get(ui.lang(), preset.label["en"])
    series[label] = cost_growth(list(preset.layers))
if current not in {encode_stack(list(p.layers)) for p in STACK_PRESETS.values()}:
    series[ui.t("your stack", "你的层栈")] = cost_growth(layers)
labels = {"flops_title": ui.t("Total compute (GFLOPs, log scale)", "总计算量（GFLOPs，对数刻度）"),
          "memory_title": ui.t("Activation memory (MiB, log scale)", "激活内存（MiB，对数刻度）"),
          "size": ui.t("input side (pixels)", "输入边长（像素）"), "flops": "GFLOPs", "memory": "MiB",
          "quadratic": ui.t("×4 per doubling (quadratic)", "边长翻倍则 ×4（二次增长）")}
ui.chart(cost_growth_figure(series, labels), key=f"{SLUG}.growth", export="full-resolution-cost")

ui.text(SLUG, "after")
stack_editor.link("receptive-field")
ui.share_state()
