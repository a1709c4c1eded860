"""Upsampling page, section "Why it is called transposed": the transposed convolution three more ways, and in 1-D.

On the page's own grid y, kernel k and settings (stride, padding, output_padding, dilation):
zero insertion then an ordinary stride-1 convolution with the flipped kernel (stepped over the output cells),
the matrix view (C and Cᵀ, Cᵀ applied, the round trip Cᵀ C x ≠ x), the gradient view (autograd, live) and a
1-D version of all of them. Everything is computed by ops.upsampling; this file only lays it out. The section
runs as an st.fragment, so its own widgets rerun only it.
"""

import numpy as np
import streamlit as st

from lessons.figures.transposed_views import matrix_pair_figure, rows_figure, zero_insertion_figure
from lessons.figures.upsampling_figures import panels_figure
from ops.upsampling import (
    OPERATORS,
    ViewSettingsError,
    conv_matrix,
    conv_matrix_1d,
    round_trip,
    transposed_via_gradient,
    transposed_via_gradient_1d,
    transposed_via_matrix,
    transposed_via_matrix_1d,
    zero_insert_1d,
    zero_insertion_view,
    zero_insertion_view_1d,
)
from pages import grid_input, ui

SLUG = "upsampling"
MAX_MATRIX_CELLS = 36  # C and Cᵀ are shown with their numbers up to this many output cells
CELL = "upsampling.views.cell"  # the zero-insertion step: one output cell, row-major
ROW, ROW_KERNEL = "upsampling.views.row", "upsampling.views.row_kernel"  # the 1-D input and kernel, as text


def render_transposed_views(grid, kernel, params: dict) -> None:
    """The whole section, for the page's grid, kernel and the transposed convolution's settings."""
    st.subheader(ui.t("upsampling.views.section"))
    ui.text(SLUG, "views-intro")
    _views(np.asarray(grid, dtype=float), np.asarray(kernel, dtype=float), {k: v for k, v in params.items()
                                                                           if k != "kernel"})


def _settings(params: dict) -> tuple[int, int, int, int]:
    return (int(params["stride"]), int(params["padding"]), int(params["output_padding"]), int(params["dilation"]))


@st.fragment
def _views(grid: np.ndarray, kernel: np.ndarray, params: dict) -> None:
    s, p, op, d = _settings(params)
    stamps = OPERATORS["transposed_conv"](grid, kernel=kernel, stride=s, padding=p, output_padding=op,
                                          dilation=d)[0][0]
    tabs = st.tabs([ui.t("upsampling.views.tab.zero_insertion"), ui.t("upsampling.views.tab.matrix"),
                    ui.t("upsampling.views.tab.gradient"), ui.t("upsampling.views.tab.one_d")])
    for tab, view in zip(tabs, (_zero_insertion, _matrix, _gradient, _one_d)):
        with tab:
            try:
                view(grid, kernel, s, p, op, d, stamps)
            except ViewSettingsError as error:
                ui.bad_input(ui.t(error.key, **error.params))


def _zero_insertion(grid, kernel, s, p, op, d, stamps) -> None:
    st.markdown(f"**{ui.t('upsampling.views.zero_insertion.title')}**")
    ui.text(SLUG, "views-zero-insertion")
    view = zero_insertion_view(grid, kernel, s, p, op, d)
    rows, cols = view.output.shape
    cells = rows * cols
    st.session_state[CELL] = min(int(st.session_state.get(CELL, 0)), cells - 1)
    if cells > 1:
        st.slider(ui.t("upsampling.views.zero_insertion.step", cells=cells), 0, cells - 1, key=CELL)
    r, c = divmod(int(st.session_state[CELL]), cols)
    steps = [  # the four steps in words; the figure's panels carry their short names
        ui.t("upsampling.views.zero_insertion.inserted", zeros=s - 1),
        ui.t("upsampling.views.zero_insertion.padded", border=view.border, output_padding=view.output_padding),
        ui.t("upsampling.views.zero_insertion.flipped"),
        ui.t("upsampling.views.zero_insertion.slide", row=r, col=c, value=f"{view.output[r, c]:.2f}"),
    ]
    st.markdown("  \n".join(steps))  # the steps are numbered in their own words: one line each
    labels = {
        "inserted": ui.t("upsampling.views.zero_insertion.short.inserted", rows=view.inserted.shape[0],
                         cols=view.inserted.shape[1]),
        "padded": ui.t("upsampling.views.zero_insertion.short.padded", rows=view.padded.shape[0],
                       cols=view.padded.shape[1]),
        "flipped": ui.t("upsampling.views.zero_insertion.short.flipped"),
        "output": ui.t("upsampling.views.zero_insertion.short.output", rows=rows, cols=cols),
    }
    ui.chart(zero_insertion_figure(view, (r, c), labels), key="upsampling.views.zero_insertion")
    window = view.window(r, c)
    terms = [f"{w:g}·{k:g}" for w, k in zip(window.ravel(), view.flipped.ravel()) if w != 0]
    st.markdown(ui.t("upsampling.views.zero_insertion.sum", row=r, col=c, terms=" + ".join(terms) or "0",
                     value=f"{view.output[r, c]:.2f}"))
    st.caption(ui.t("upsampling.views.zero_insertion.legend"))
    _match(view.output, stamps)


def _match(values: np.ndarray, stamps: np.ndarray) -> None:
    """The view's numbers against the stamps (the operator the page checks against F.conv_transpose2d)."""
    difference = float(np.max(np.abs(values - stamps)))
    if difference < 1e-9:
        st.success(ui.t("upsampling.views.same_as_stamps", difference=f"{difference:.1e}"),
                   icon=":material/verified:")
    else:
        st.error(ui.t("upsampling.views.differs_from_stamps", difference=f"{difference:.1e}"))


def _matrix(grid, kernel, s, p, op, d, stamps) -> None:
    st.markdown(f"**{ui.t('upsampling.views.matrix.title')}**")
    ui.text(SLUG, "views-matrix")
    out_shape = stamps.shape
    cells = int(np.prod(out_shape))
    if cells > MAX_MATRIX_CELLS:
        st.info(ui.t("upsampling.views.matrix.too_large", cells=cells, limit=MAX_MATRIX_CELLS),
                icon=":material/grid_on:")
    else:
        matrix = conv_matrix(out_shape, kernel, s, p, d)
        rows, cols = matrix.shape
        _matrix_pair(matrix, "upsampling.views.matrix")
        st.caption(ui.t("upsampling.views.matrix.legend"))
    applied = transposed_via_matrix(grid, kernel, s, p, op, d)
    ui.chart(panels_figure([grid, applied], [ui.t("upsampling.views.matrix.y", rows=grid.shape[0],
                                                  cols=grid.shape[1]),
                                             ui.t("upsampling.views.matrix.applied", rows=applied.shape[0],
                                                  cols=applied.shape[1])],
                           ui.t("upsampling.views.matrix.applied_title"), shared_scale=False),
             key="upsampling.views.matrix_applied")
    _match(applied, stamps)

    st.markdown(f"**{ui.t('upsampling.views.matrix.trip_title')}**")
    x = np.asarray(grid_input.random_grid(*out_shape, low=0, high=9, seed=out_shape[0] * 100 + out_shape[1]))
    trip = round_trip(x, kernel, s, p, d)
    ui.chart(panels_figure([trip.input, trip.down, trip.back],
                           [ui.t("upsampling.views.matrix.trip_x", rows=x.shape[0], cols=x.shape[1]),
                            ui.t("upsampling.views.matrix.trip_down", rows=trip.down.shape[0],
                                 cols=trip.down.shape[1]),
                            ui.t("upsampling.views.matrix.trip_back", rows=x.shape[0], cols=x.shape[1])],
                           ui.t("upsampling.views.matrix.trip_caption"), shared_scale=False, decimals=1),
             key="upsampling.views.round_trip")
    st.info(ui.t("upsampling.views.matrix.not_inverse", error=f"{trip.max_error:.2f}"), icon=":material/undo:")


def _gradient(grid, kernel, s, p, op, d, stamps) -> None:
    st.markdown(f"**{ui.t('upsampling.views.gradient.title')}**")
    ui.text(SLUG, "views-gradient")
    gradient = transposed_via_gradient(grid, kernel, s, p, op, d)  # torch.autograd, on every run
    ui.chart(panels_figure([grid, gradient], [ui.t("upsampling.views.matrix.y", rows=grid.shape[0],
                                                   cols=grid.shape[1]),
                                              ui.t("upsampling.views.gradient.grid", rows=gradient.shape[0],
                                                   cols=gradient.shape[1])],
                           ui.t("upsampling.views.gradient.figure"), shared_scale=False),
             key="upsampling.views.gradient")
    difference = float(np.max(np.abs(gradient - stamps)))
    if difference < 1e-9:
        st.success(ui.t("upsampling.views.gradient.match", difference=f"{difference:.1e}"),
                   icon=":material/verified:")
    else:
        st.error(ui.t("upsampling.views.differs_from_stamps", difference=f"{difference:.1e}"))
    st.caption(ui.t("upsampling.views.gradient.code"))
    st.code(_gradient_code(grid, kernel, gradient.shape, s, p, op, d), language="python", wrap_lines=True)


def _literal(values: np.ndarray) -> str:
    return repr(np.asarray(values, dtype=float).round(4).tolist())


def _gradient_code(grid, kernel, out_shape, s, p, op, d) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"y = torch.tensor({_literal(grid)})[None, None]\n"
        f"k = torch.tensor({_literal(kernel)})[None, None]\n"
        f"x = torch.zeros(1, 1, {out_shape[0]}, {out_shape[1]}, requires_grad=True)\n"
        f"z = F.conv2d(x, k, stride={s}, padding={p}, dilation={d})\n"
        "z.backward(F.pad(y, (0, z.shape[3] - y.shape[3], 0, z.shape[2] - y.shape[2])))\n"
        f"print(x.grad[0, 0])  # == F.conv_transpose2d(y, k, stride={s}, padding={p}, output_padding={op}, "
        f"dilation={d})[0, 0]"
    )


def _numbers(text: str) -> list:
    """A typed row '1, 2, 3' as its items; ops.upsampling checks that they are numbers."""
    return [item for item in text.replace(";", ",").replace(" ", ",").split(",") if item]


def _one_d(grid, kernel, s, p, op, d, stamps) -> None:
    st.markdown(f"**{ui.t('upsampling.views.one_d.title')}**")
    ui.text(SLUG, "views-one-d")
    st.session_state.setdefault(ROW, ", ".join(f"{v:g}" for v in grid[0]))
    st.session_state.setdefault(ROW_KERNEL, ", ".join(f"{v:g}" for v in kernel[len(kernel) // 2]))
    with st.form("upsampling.views.one_d.form", border=False):
        left, right, button = st.columns([3, 3, 1], vertical_alignment="bottom")
        left.text_input(ui.t("upsampling.views.one_d.input"), key=ROW)
        right.text_input(ui.t("upsampling.views.one_d.kernel"), key=ROW_KERNEL)
        button.form_submit_button(ui.t("upsampling.views.one_d.apply"), width="stretch")
    y, k = _numbers(st.session_state[ROW]), _numbers(st.session_state[ROW_KERNEL])
    view = zero_insertion_view_1d(y, k, s, p, op, d)
    via_matrix = transposed_via_matrix_1d(y, k, s, p, op, d)
    via_gradient = transposed_via_gradient_1d(y, k, s, p, op, d)
    rows = {
        ui.t("upsampling.views.one_d.row_input"): view.input,
        ui.t("upsampling.views.one_d.row_inserted", zeros=s - 1): zero_insert_1d(y, s),
        ui.t("upsampling.views.one_d.row_padded", border=view.border): view.padded,
        ui.t("upsampling.views.one_d.row_flipped"): view.flipped,
        ui.t("upsampling.views.one_d.row_output"): view.output,
        ui.t("upsampling.views.one_d.row_matrix"): via_matrix,
        ui.t("upsampling.views.one_d.row_gradient"): via_gradient,
    }
    ui.chart(rows_figure(rows), key="upsampling.views.one_d")
    difference = float(max(np.max(np.abs(view.output - via_matrix)), np.max(np.abs(view.output - via_gradient))))
    st.success(ui.t("upsampling.views.one_d.match", difference=f"{difference:.1e}"), icon=":material/verified:")
    _matrix_pair(conv_matrix_1d(len(view.output), k, s, p, d), "upsampling.views.one_d_matrix")


def _matrix_pair(matrix: np.ndarray, key: str) -> None:
    """C and Cᵀ side by side, short titles on the panels and what each one does in words above them."""
    rows, cols = matrix.shape
    st.markdown(f"- {ui.t('upsampling.views.matrix.c', rows=rows, cols=cols)}\n"
                f"- {ui.t('upsampling.views.matrix.ct', rows=rows, cols=cols)}")
    ui.chart(matrix_pair_figure(matrix, {"c": ui.t("upsampling.views.matrix.c_short", rows=rows, cols=cols),
                                         "ct": ui.t("upsampling.views.matrix.ct_short", rows=rows, cols=cols)}),
             key=key)
