"""Figures for the three extra views of transposed convolution: C and Cᵀ, zero insertion steps, 1-D rows.

Each builder takes the data from ops.upsampling and a `labels` dict of already translated titles.
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures.grids import grid_heatmap
from lessons.figures.palette import CONTRIBUTOR, HEATMAP, HIGHLIGHT


def _matrix_trace(matrix: np.ndarray, decimals: int) -> go.Heatmap:
    """Nonzeros coloured by value, zeros left blank so the band structure of C shows."""
    z = np.where(matrix != 0, matrix, np.nan)
    text = [[f"{v:.{decimals}f}" if v != 0 else "" for v in row] for row in matrix]
    return go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale=HEATMAP, showscale=False, xgap=1, ygap=1,
                      hovertemplate="row %{y}, col %{x}: %{z}<extra></extra>")


def matrix_pair_figure(matrix: np.ndarray, labels: dict, decimals: int = 1) -> go.Figure:
    """C (rows = output cells, columns = input cells) next to Cᵀ; labels: {"c": ..., "ct": ...} titles."""
    rows, cols = matrix.shape
    fig = make_subplots(1, 2, subplot_titles=(labels["c"], labels["ct"]), column_widths=[cols, rows],
                        horizontal_spacing=0.06)
    fig.add_trace(_matrix_trace(matrix, decimals), 1, 1)
    fig.add_trace(_matrix_trace(matrix.T, decimals), 1, 2)
    fig.update_yaxes(autorange="reversed", dtick=1)
    fig.update_xaxes(dtick=1, side="top")
    fig.update_annotations(yshift=30)  # the titles sit above the column numbers (the x axes are on top)
    fig.update_layout(height=int(min(720, 140 + 22 * max(rows, cols))), margin={"l": 30, "r": 10, "t": 80, "b": 20},
                      plot_bgcolor="rgba(0,0,0,0)")
    return fig


def zero_insertion_figure(view, cell: tuple[int, int], labels: dict, decimals: int = 1) -> go.Figure:
    """Step 1-4 of one output cell: the zero-inserted grid, the padded grid with the flipped kernel's window
    over `cell` highlighted (input cells outlined), the flipped kernel and the output so far.
    labels: {"inserted", "padded", "flipped", "output"} titles."""
    titles = (labels["inserted"], labels["padded"], labels["flipped"], labels["output"])
    fig = make_subplots(1, 4, subplot_titles=titles, horizontal_spacing=0.05,
                        column_widths=[view.inserted.shape[1], view.padded.shape[1], view.kernel.shape[1],
                                       view.output.shape[1]])
    for k, grid in enumerate((view.inserted, view.padded, view.flipped, view.output), start=1):
        single = grid_heatmap(grid, "", decimals=decimals).data[0]
        fig.add_trace(single, 1, k)
    d, (kh, kw) = view.dilation, view.kernel.shape
    for ty in range(kh):
        for tx in range(kw):
            y, x = cell[0] + ty * d, cell[1] + tx * d
            fig.add_shape(type="rect", x0=x - 0.5, x1=x + 0.5, y0=y - 0.5, y1=y + 0.5, line={"color": HIGHLIGHT,
                          "width": 3}, row=1, col=2)
    for y, x in view.input_positions():
        fig.add_shape(type="circle", x0=x - 0.2, x1=x + 0.2, y0=y - 0.2, y1=y + 0.2, line={"color": CONTRIBUTOR},
                      row=1, col=2)
    fig.add_shape(type="rect", x0=cell[1] - 0.5, x1=cell[1] + 0.5, y0=cell[0] - 0.5, y1=cell[0] + 0.5,
                  line={"color": HIGHLIGHT, "width": 3}, row=1, col=4)
    fig.update_yaxes(autorange="reversed", dtick=1, scaleanchor=None)
    fig.update_xaxes(dtick=1, side="top")
    fig.update_annotations(yshift=30)  # above the column numbers
    fig.update_layout(height=int(min(560, 160 + 30 * view.padded.shape[0])),
                      margin={"l": 20, "r": 10, "t": 80, "b": 20}, plot_bgcolor="rgba(0,0,0,0)")
    return fig


def rows_figure(rows: dict[str, np.ndarray], decimals: int = 2) -> go.Figure:
    """1-D: each named row of numbers (input, zero-inserted, padded, output, ...) as one labelled strip;
    keys are the translated row titles."""
    names = list(rows)
    width = max(len(r) for r in rows.values())
    z = np.full((len(names), width), np.nan)
    text = [[""] * width for _ in names]
    for i, name in enumerate(names):
        z[i, :len(rows[name])] = rows[name]
        text[i][:len(rows[name])] = [f"{v:.{decimals}f}" for v in rows[name]]
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", y=names, colorscale=HEATMAP, showscale=False,
                               xgap=2, ygap=6, hovertemplate="%{y}, %{x}: %{z}<extra></extra>"))
    fig.update_layout(height=90 + 50 * len(names), margin={"l": 10, "r": 10, "t": 20, "b": 20},
                      yaxis={"autorange": "reversed"}, xaxis={"dtick": 1}, plot_bgcolor="rgba(0,0,0,0)")
    return fig
