"""Figures of the per-pixel loss lesson: the loss map with a number in every cell, and the softmax of
one chosen pixel as bars named by class (the true class marked)."""

import numpy as np
import plotly.graph_objects as go

from lessons.figures.grids import grid_heatmap
from lessons.figures.palette import HIGHLIGHT
from lessons.figures.sliding_window_sweep import PASTURE_COLOURS


def loss_map_figure(loss_map: np.ndarray, chosen: tuple[int, int], title: str, colorbar: str,
                    font_size: int = 14) -> go.Figure:
    """The H×W loss, −log p(true class) per pixel, numbers in cells, the chosen pixel outlined."""
    fig = grid_heatmap(loss_map, title, decimals=2, zmin=0, zmax=max(float(np.max(loss_map)), 1.0), font_size=16)
    fig.update_traces(showscale=True, colorbar={"title": {"text": colorbar, "side": "right",
                                                          "font": {"size": font_size}},
                                                "thickness": 14, "tickfont": {"size": font_size}})
    fig.update_xaxes(tickfont_size=font_size)
    fig.update_yaxes(tickfont_size=font_size)
    fig.update_layout(margin={"t": 95}, title={"y": 0.98, "yanchor": "top"})  # room for the column numbers
    row, col = chosen
    fig.add_shape(type="rect", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
                  line={"color": HIGHLIGHT, "width": 4})
    return fig


def softmax_figure(probabilities: np.ndarray, class_names: list[str], true_class: int, title: str,
                   axis: str, true_label: str, font_size: int = 14) -> go.Figure:
    """Bars of one pixel's class probabilities; the true class is outlined and named."""
    names = [f"{name}<br>({true_label})" if k == true_class else name for k, name in enumerate(class_names)]
    fig = go.Figure(go.Bar(
        x=names, y=probabilities, text=[f"{p:.3f}" for p in probabilities], textposition="outside",
        textfont={"size": font_size + 2}, marker={"color": PASTURE_COLOURS[:len(class_names)],
                                       "line": {"color": [HIGHLIGHT if k == true_class else "#333333"
                                                          for k in range(len(class_names))],
                                                "width": [5 if k == true_class else 1
                                                          for k in range(len(class_names))]}},
        hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=380,
                      yaxis={"title": axis, "range": [0, 1.15]}, margin={"l": 50, "r": 20, "t": 70, "b": 40},
                      plot_bgcolor="white", font={"size": font_size})
    fig.update_yaxes(gridcolor="#E5E5E5", tickfont_size=font_size, title_font_size=font_size)
    fig.update_xaxes(tickfont_size=font_size)
    return fig
