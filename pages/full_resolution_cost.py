"""Lesson: keeping every conv at full resolution is expensive; downsample, then upsample."""

import streamlit as st

from lessons.figures.stack_cost import cost_growth_figure
from ops.layer_stack import STACK_PRESETS, StackError, cost_growth, encode_stack, layer_costs
from pages import figcache, practice_pictures, stack_editor, state, ui
from pages.lesson_start import lesson_start
from pages.shell import run_app

SLUG = "full-resolution-cost"


def si(value: float, unit: str) -> str:
    """1.2e9 FLOPs -> '1.20 G' + unit; bytes use binary prefixes (KiB, MiB, GiB)."""
    if unit == "B":
        for prefix, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if value >= scale:
                return f"{value / scale:,.2f} {prefix}"
        return f"{value:,.0f} B"
    for prefix, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:,.2f} {prefix}{unit}"
    return f"{value:,.0f} {unit}"


def growth_chart(layers):
    """Cost against image size for the presets and the stack: depends on the stack only (not the size)."""
    current = encode_stack(layers)

    def build():
        series = {}
        for name, preset in STACK_PRESETS.items():
            label = ui.t(f"preset.{name}")
            series[label] = cost_growth(list(preset.layers))
        if current not in {encode_stack(list(p.layers)) for p in STACK_PRESETS.values()}:
            series[ui.t("full_resolution_cost.your_stack")] = cost_growth(layers)
        labels = {
            "flops_title": ui.t("full_resolution_cost.total_compute_gflops_log_scale"),
            "memory_title": ui.t("full_resolution_cost.activation_memory_mib_log_scale"),
            "size": ui.t("full_resolution_cost.input_side_pixels"),
            "flops": "GFLOPs",
            "memory": "MiB",
            "quadratic": ui.t("full_resolution_cost.4_per_doubling_quadratic"),
        }
        return cost_growth_figure(series, labels)

    return figcache.figure(f"{SLUG}.growth", (current,), build)


def render() -> None:
    lesson_start(SLUG, practice_pictures.full_resolution_cost)

    stack_editor.init()

    st.subheader(ui.t("full_resolution_cost.layer_stack"))
    ui.text(SLUG, "stack")
    layers = stack_editor.editor(SLUG)
    st.select_slider(
        ui.t("full_resolution_cost.input_image_side_pixels_square"), state.choices(f"{SLUG}.size"), key=f"{SLUG}.size"
    )
    size = st.session_state[f"{SLUG}.size"]

    st.subheader(ui.t("full_resolution_cost.cost_every_layer_pixels", size=size))
    try:
        costs = layer_costs(layers, size)
    except StackError as error:
        costs = None
        ui.bad_input(ui.t("full_resolution_cost.input_size_stack_cannot_run") + ui.error_text(error))
    if costs:
        total_flops = sum(c.flops for c in costs)
        total_bytes = sum(c.activation_bytes for c in costs)
        columns = st.columns(3)
        columns[0].metric(ui.t("full_resolution_cost.total_flops_one_image"), si(total_flops, "FLOPs"))
        columns[1].metric(ui.t("full_resolution_cost.activation_memory_float32"), si(total_bytes, "B"))
        last = costs[-1]
        columns[2].metric(
            ui.t("full_resolution_cost.output_channels_height_width"), f"{last.channels} × {last.side} × {last.side}"
        )
        flop_unit, flop_scale = ("GFLOPs", 1e9) if total_flops >= 1e9 else ("MFLOPs", 1e6)
        names = {
            "layer": ui.t("full_resolution_cost.layer"),
            "output": ui.t("full_resolution_cost.output_c_h_w"),
            "flops": flop_unit,
            "share": ui.t("full_resolution_cost.share_flops"),
            "memory": ui.t("full_resolution_cost.activations_mib"),
        }
        table = [
            {
                "#": i + 1,
                names["layer"]: stack_editor.layer_name(c.layer),
                names["output"]: f"{c.channels} × {c.side} × {c.side}",
                names["flops"]: c.flops / flop_scale,
                names["share"]: 100 * c.flops / total_flops if total_flops else 0.0,
                names["memory"]: c.activation_bytes / 2**20,
            }
            for i, c in enumerate(costs)
        ]
        number = st.column_config.NumberColumn
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                names["flops"]: number(format="%.3f", help=ui.t("full_resolution_cost.2_per_multiply_add_convolution")),
                names["share"]: st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100),
                names["memory"]: number(format="%.2f", help=ui.t("full_resolution_cost.output_tensor_layer_4_bytes")),
            },
        )
        ui.text(SLUG, "table")

    st.subheader(ui.t("full_resolution_cost.image_grows"))
    ui.text(SLUG, "growth")
    ui.chart(growth_chart(layers), key=f"{SLUG}.growth", export="full-resolution-cost")

    ui.text(SLUG, "after")
    stack_editor.link("receptive-field")
    ui.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    run_app()
