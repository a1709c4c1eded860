"""Upsampling operators: edit a grid, pick one of the six operators, watch each output cell being made.

Everything shown is computed by ops.upsampling (numpy) and checked live against PyTorch; the page only
lays out widgets and figures. All settings live in the URL, so a teacher can share an example.
"""

import numpy as np
import streamlit as st

from lessons.figures.upsampling_figures import (
    cell_walk_animation,
    input_output_figure,
    panels_figure,
    stamp_animation,
    switches_figure,
)
from ops.memo import shared
from ops.upsampling import OPERATORS, max_pool_with_switches, output_size, tied_windows
from ops.upsampling.explorer import ExplorerSettings, compare_all, params_for, run_with_fallback, torch_check
from pages import figcache, grid_input, practice_pictures, state, ui
from pages.lesson_start import lesson_start
from pages.shell import run_app
from pages.transposed_views import render_transposed_views

SLUG = "upsampling"
NOTES_INPUT = state.setting("upsampling.grid").default  # the notes' 2×2 example
# The classic max-unpooling example: for the notes' input at scale 2 the switches are not all top-left.
NOTES_ENCODER_MAP = [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]]
DEFAULT_KERNEL = state.setting("upsampling.kernel").default
MAX_FRAMES = 64  # larger outputs animate one output row at a time
MAX_FRAME_CELLS = 16384  # stamp frames × output cells: beyond this, one input row of stamps
GRID, KERNEL, ENCODER = "upsampling.grid", "upsampling.kernel", "upsampling.encoder"


def op_title(name: str) -> str:
    return ui.t(f"operator.{name}")


def labels() -> dict:
    return {
        "input": ui.t("upsampling.input"),
        "output": ui.t("upsampling.output"),
        "kernel": ui.t("upsampling.kernel"),
        "output_so_far": ui.t("upsampling.output_so_far"),
        "play": ui.t("upsampling.play"),
        "pause": ui.t("upsampling.pause"),
        "step": ui.t("upsampling.output_cell"),
        "input_step": ui.t("upsampling.input_cell"),
        "formula_cell": ui.t("upsampling.output_2"),
        "nothing_lands": ui.t("upsampling.0_no_input_cell_lands"),
    }


@shared(maxsize=1)  # process-wide: the warm-up thread fills it (pages/warmup.py)
def notes_tables() -> list:
    return [OPERATORS[n](NOTES_INPUT, scale=2)[0][0] for n in ("bed_of_nails", "nearest", "bilinear", "bicubic")]


@shared(maxsize=1)
def overlap_counts() -> list:
    ones = np.ones((1, 4, 4))
    return [OPERATORS["transposed_conv"](ones, kernel=np.ones((k, k)), stride=2)[1].overlap_counts() for k in (3, 4)]


def frozen(value):
    """A hashable stand-in for a figure input: arrays by shape, dtype and bytes; dicts, lists, dataclasses inside."""
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    if isinstance(value, ExplorerSettings):
        return frozen(vars(value))
    return value


def notes_figure():
    """The notes' tables: depend on nothing the student edits, built once per server and language."""
    return figcache.figure(
        "upsampling.notes",
        (),
        lambda: panels_figure(
            notes_tables(),
            [op_title(n) for n in ("bed_of_nails", "nearest", "bilinear", "bicubic")],
            ui.t("upsampling.input_1_2_3_4"),
        ),
    )


def checkerboard_figure():
    """Overlap counts of a 3- and a 4-wide kernel at stride 2: static, built once per server and language."""

    def build():
        three, four = overlap_counts()
        return panels_figure(
            [three, four],
            [ui.t("upsampling.kernel_3_stride_2_1"), ui.t("upsampling.kernel_4_stride_2_even")],
            ui.t("upsampling.input_4_4_ones_all"),
            decimals=0,
        )

    return figcache.figure("upsampling.checkerboard", (), build)


def render() -> None:
    lesson_start(SLUG, practice_pictures.upsampling)

    # ------------------------------------------------------------------------------------- input + operator
    editor_column, settings_column = st.columns([2, 3], gap="large")
    with editor_column:
        grid = grid_input.grid_editor(GRID, label=ui.t("upsampling.input_grid"))
        ui.text(SLUG, "editor-help")

    with settings_column:
        name = st.selectbox(
            ui.t("upsampling.operator"), state.choices("upsampling.op"), format_func=op_title, key="upsampling.op"
        )
        op = OPERATORS[name]
        ui.text(SLUG, f"op-{name}")
        if name == "transposed_conv":
            a, b, c, d = st.columns(4)
            a.number_input(ui.t("upsampling.stride"), 1, 4, step=1, key="upsampling.stride")
            limit = max(st.session_state["upsampling.stride"], st.session_state["upsampling.dilation"]) - 1
            st.session_state["upsampling.output_padding"] = min(st.session_state["upsampling.output_padding"], limit)
            b.number_input(ui.t("upsampling.padding"), 0, 6, step=1, key="upsampling.padding")
            c.number_input(
                ui.t("upsampling.output_padding"),
                0,
                limit,
                step=1,
                key="upsampling.output_padding",
                disabled=limit == 0,
                help=ui.t("upsampling.must_smaller_than_stride_or"),
            )
            d.number_input(ui.t("upsampling.dilation"), 1, 3, step=1, key="upsampling.dilation")
            kernel = grid_input.grid_editor(
                KERNEL,
                max_side=5,
                square=True,
                low=-2,
                high=3,
                label=ui.t("upsampling.kernel_learnable_weights"),
            )
        else:
            st.segmented_control(
                ui.t("upsampling.scale_each_side_s"),
                state.choices("upsampling.scale"),
                format_func=lambda s: f"×{s}",
                key="upsampling.scale",
                required=True,
            )
            if name in ("bilinear", "bicubic"):
                st.toggle(
                    "align_corners",
                    key="upsampling.align_corners",
                    help=ui.t("upsampling.corner_cells_input_output_coincide"),
                )
    scale = st.session_state["upsampling.scale"]
    h, w = grid.shape

    def default_encoder_map() -> list:
        """The encoder grid whose max pooling gives the switches must be (H·s)×(W·s): one per size, always the same."""
        if (h, w, scale) == (2, 2, 2):
            return NOTES_ENCODER_MAP
        return grid_input.random_grid(h * scale, w * scale, seed=h * 100 + w * 10 + scale)

    encoder_default = default_encoder_map()
    state.init_setting(ENCODER, encoder_default)  # its default follows the input grid and the scale
    if np.shape(st.session_state[ENCODER]) != np.shape(encoder_default):  # the input or the scale changed
        grid_input.replace_grid(ENCODER, encoder_default)
    encoder_map = np.asarray(st.session_state[ENCODER], dtype=float)
    if name == "max_unpool":
        with settings_column:
            encoder_map = grid_input.grid_editor(
                ENCODER,
                encoder_default,
                max_side=32,
                resizable=False,
                low=0,
                high=9,
                label=ui.t("upsampling.encoder_grid_was_max_pooled", h_scale=h * scale, w_scale=w * scale),
            )

    settings = ExplorerSettings(
        scale=scale,
        align_corners=st.session_state["upsampling.align_corners"],
        pooled_from=encoder_map,
        kernel=kernel if name == "transposed_conv" else st.session_state.get(KERNEL, DEFAULT_KERNEL),
        stride=st.session_state["upsampling.stride"],
        padding=st.session_state["upsampling.padding"],
        output_padding=st.session_state["upsampling.output_padding"],
        dilation=st.session_state["upsampling.dilation"],
    )
    last_name, last_params = st.session_state.get("upsampling.last_valid", (None, None))
    run = run_with_fallback(name, grid, params_for(name, settings), last_params if last_name == name else None)
    if run.refused is not None:
        ui.bad_input(ui.t("upsampling.these_settings_cannot_used_showing", error=ui.error_text(run.refused)))
    out, trace, params = run.output, run.trace, run.params
    st.session_state["upsampling.last_valid"] = (name, params)
    shown = frozen((name, grid, params))  # what the result figure shows; the others add to it (keep the name)

    # --------------------------------------------------------------------------------------------- output
    st.subheader(ui.t("upsampling.input_output", op_title_name=op_title(name)))
    if max(out.shape[1:]) > 8:  # a large output gets the full width; the check and the code go below it
        figure_column, code_column = st.container(), st.container()
    else:
        figure_column, code_column = st.columns(2, gap="large")
    with figure_column:
        ui.chart(
            figcache.figure("upsampling.result", shown, lambda: input_output_figure(
                grid,
                out[0],
                labels(),
                ui.t(
                    "upsampling.input_output_values_2_decimals",
                    h=h,
                    w=w,
                    out_shape=out.shape[1],
                    out_shape2=out.shape[2],
                ),
            )),
            key="upsampling.result",
        )
        st.caption(ui.t("upsampling.colour_shows_value_one_scale"))
    with code_column:
        check = torch_check(name, grid, params)  # PyTorch, live
        if check.matches:
            difference = "0.0" if check.max_difference == 0 else f"{check.max_difference:.2g}"
            st.success(
                ui.t("upsampling.matches_max_diff", torch_function=check.torch_function, shown_difference=difference),
                icon=":material/verified:",
            )
        else:
            st.error(
                ui.t(
                    "upsampling.differs_from_max_diff",
                    torch_function=check.torch_function,
                    difference=check.max_difference,
                )
            )
        st.caption(ui.t("upsampling.same_computation_pytorch_ready_copy"))
        st.code(op.torch_code(grid, **params), language="python", wrap_lines=True)

    if name == "transposed_conv":
        k, s, p, op_pad, d = (
            len(kernel),
            params["stride"],
            params["padding"],
            params["output_padding"],
            params["dilation"],
        )
        st.markdown(ui.t("upsampling.output_size_same_formula_rows"))
        st.latex(
            rf"H_{{out}} = (H_{{in}} - 1)\,s - 2p + d\,(k - 1) + \text{{output\_padding}} + 1"
            rf" = ({h} - 1)\cdot {s} - 2\cdot {p} + {d}\cdot({k} - 1) + {op_pad} + 1"
            rf" = {output_size(h, k, s, p, op_pad, d)}"
        )
    if name == "max_unpool":
        pooled, switches = max_pool_with_switches(encoder_map, scale)
        tied = tied_windows(encoder_map, scale)
        ui.text(SLUG, "tie-rule")
        if tied:
            st.info(
                ui.t(
                    "upsampling.tied_windows",
                    count=len(tied),
                    windows=ui.t("list.separator").join(f"({i}, {j})" for _, i, j in tied),
                ),
                icon=":material/balance:",
            )
        ui.chart(
            switches_figure(
                encoder_map,
                pooled[0],
                switches[0],
                tied,
                {
                    "encoder": ui.t("upsampling.max_pooling_input_encoder_grid"),
                    "pooled": ui.t("upsampling.max_pooling_output"),
                    "title": ui.t("upsampling.switches_remembered_maximum_each_window", scale=scale),
                },
            ),
            key="upsampling.switches",
        )

    # --------------------------------------------------------------------------------------- step by step
    st.subheader(ui.t("upsampling.step_step"))
    out_rows, out_cols = out.shape[1:]
    st.session_state["upsampling.row"] = min(st.session_state["upsampling.row"], out_rows - 1)
    st.session_state["upsampling.col"] = min(st.session_state["upsampling.col"], out_cols - 1)
    pick_row, pick_col, formula_column = st.columns([1, 1, 4])
    pick_row.number_input(ui.t("upsampling.output_row"), 0, out_rows - 1, step=1, key="upsampling.row")
    pick_col.number_input(ui.t("upsampling.output_column"), 0, out_cols - 1, step=1, key="upsampling.col")
    row, col = st.session_state["upsampling.row"], st.session_state["upsampling.col"]
    terms, total = trace.formula_terms(grid[None], (0, row, col))
    with formula_column:
        st.markdown(
            ui.t("upsampling.formula_sum", row=row, col=col, terms=" + ".join(terms), total=total)
            if terms
            else ui.t("upsampling.formula_nothing", row=row, col=col)
        )
        if op.explained_by_input and len(terms) > 1:
            st.caption(ui.t("upsampling.stamps_overlap_cell", n_terms=len(terms)))

    if op.explained_by_input:
        st.caption(ui.t("upsampling.each_frame_adds_one_input"))
        stamps_shown = None
        if h * w * out_rows * out_cols > MAX_FRAME_CELLS:  # large: animate the input row that reaches this output row
            input_row = min(max((row + params["padding"]) // params["stride"], 0), h - 1)
            stamps_shown = [(input_row, j) for j in range(w)]
            st.caption(ui.t("upsampling.large_grid_animation_shows_stamps", input_row=input_row))
        sheet = figcache.figure("upsampling.stamps", (shown, row, col), lambda: stamp_animation(
            grid,
            params["kernel"],
            out[0],
            trace,
            {**labels(), "stamp": ui.t("upsampling.stamp_input_adds_kernel")},
            stamps_shown=stamps_shown,
        ))
    else:
        if out_rows * out_cols <= MAX_FRAMES:
            cells = [(r, c) for r in range(out_rows) for c in range(out_cols)]
        else:
            cells = [(row, c) for c in range(out_cols)]
            st.caption(
                ui.t("upsampling.output_has_cells_animation_walks", out_rows_out_cols=out_rows * out_cols, row=row)
            )
        st.caption(ui.t("upsampling.sky_blue_outlines_input_cells"))
        sheet = figcache.figure(
            "upsampling.walk",
            (shown, row, col),
            lambda: cell_walk_animation(grid, out[0], trace, cells, labels(), active=cells.index((row, col))),
        )
    ui.chart(sheet, key="upsampling.animation", export=f"{name}-steps")
    if name == "transposed_conv":  # why it is called transposed: zero insertion, C and Cᵀ, the gradient, 1-D
        render_transposed_views(grid, params["kernel"], params)

    # ---------------------------------------------------------------------------------------- compare all
    st.subheader(ui.t("upsampling.compare_all_six"))
    ui.text(SLUG, "compare")

    def compare_figure():
        compared = compare_all(grid, settings, name, run)
        outputs = [result[0] for _, result in compared]
        titles = [f"{op_title(other)} ({result.shape[1]}×{result.shape[2]})" for other, result in compared]
        return panels_figure(
            outputs, titles, ui.t("upsampling.input_grid_above_six_outputs", h=h, w=w, scale=scale), per_row=3
        )

    ui.chart(figcache.figure("upsampling.compare", (shown, frozen(settings)), compare_figure), key="upsampling.compare")

    # ------------------------------------------------------------------------------------ the notes' tables

    st.subheader(ui.t("upsampling.lecture_s_tables"))
    ui.text(SLUG, "notes")
    ui.chart(notes_figure(), key="upsampling.notes")

    # ---------------------------------------------------------------------------------------- checkerboard

    st.subheader(ui.t("upsampling.checkerboard_effect"))
    ui.text(SLUG, "checkerboard")
    ui.chart(checkerboard_figure(), key="upsampling.checkerboard")

    ui.text(SLUG, "after")
    ui.link("receptive-field")
    ui.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    run_app()
