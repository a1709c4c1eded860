"""Receptive-field figures: the field of one pixel growing layer by layer (animated), the effective
field next to the theoretical square, and effective width (√L) against theoretical side (L)."""

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures.palette import HEATMAP, HIGHLIGHT, OKABE_ITO


def _frame_grid(frames, index: int, show_numbers: bool):
    """z: the layer at which each pixel of the current field first joined; blank outside the field."""
    mask = frames.masks[index]
    z = np.where(mask, frames.joined, np.nan).astype(float)
    text = [[(str(int(v)) if show_numbers else "") if v == v else "" for v in row] for row in z]
    return z, text


def field_growth_figure(frames, titles: list[str], labels: dict, pixel: tuple[int, int]) -> go.Figure:
    """Input grid; frame L colours the pixels the followed unit of layer L sees, each numbered with the
    layer at which it joined. Play/pause buttons and a step slider (one step per layer).

    `titles`: one per frame; `labels`: play, pause, step, colorbar, x, y.
    """
    size = frames.masks[0].shape[0]
    last = len(frames.masks) - 1
    show_numbers = size <= 32
    z, text = _frame_grid(frames, 0, show_numbers)
    heat = go.Heatmap(z=z, text=text, texttemplate="%{text}", textfont={"size": 11 if size > 24 else 13},
                      colorscale=HEATMAP, zmin=0, zmax=max(last, 1), xgap=1, ygap=1,
                      colorbar={"title": {"text": labels["colorbar"], "side": "right"}, "dtick": max(1, last // 8)},
                      hovertemplate=f"{labels['y']} %{{y}}, {labels['x']} %{{x}}<br>{labels['colorbar']}: %{{z}}"
                                    "<extra></extra>")
    marker = go.Scatter(x=[pixel[1]], y=[pixel[0]], mode="markers", hoverinfo="skip", showlegend=False,
                        marker={"symbol": "square-open", "size": max(8, 520 // size), "color": HIGHLIGHT,
                                "line": {"width": 3, "color": HIGHLIGHT}})
    fig = go.Figure([heat, marker])
    fig.frames = [go.Frame(data=[go.Heatmap(z=_frame_grid(frames, i, show_numbers)[0],
                                            text=_frame_grid(frames, i, show_numbers)[1])],
                           traces=[0], name=str(i), layout={"title": {"text": titles[i]}})
                  for i in range(last + 1)]
    steps = [{"args": [[str(i)], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                                  "transition": {"duration": 0}}],
              "label": str(i), "method": "animate"} for i in range(last + 1)]
    fig.update_layout(
        title={"text": titles[0], "x": 0.5, "xanchor": "center", "y": 0.98, "yanchor": "top"},
        height=660, margin={"l": 40, "r": 20, "t": 120, "b": 110},
        xaxis={"title": labels["x"], "side": "top", "constrain": "domain", "range": [-0.5, size - 0.5],
               "showgrid": False, "zeroline": False},
        yaxis={"title": labels["y"], "autorange": "reversed", "scaleanchor": "x", "constrain": "domain",
               "showgrid": False, "zeroline": False},
        plot_bgcolor="#F2F2F2",
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.06, "xanchor": "left",
                      "yanchor": "top", "showactive": False,
                      "buttons": [{"label": "▶ " + labels["play"], "method": "animate",
                                   "args": [None, {"frame": {"duration": 900, "redraw": True}, "fromcurrent": True,
                                                   "transition": {"duration": 0}}]},
                                  {"label": "■ " + labels["pause"], "method": "animate",
                                   "args": [[None], {"frame": {"duration": 0, "redraw": False},
                                                     "mode": "immediate", "transition": {"duration": 0}}]}]}],
        sliders=[{"active": 0, "steps": steps, "x": 0.22, "len": 0.78, "y": -0.04, "yanchor": "top",
                  "currentvalue": {"prefix": labels["step"] + ": ", "font": {"size": 14}}, "pad": {"t": 10}}],
    )
    return fig


def effective_field_figure(erf, labels: dict) -> go.Figure:
    """Left: mean |gradient| of one output unit (share of the total, %), the theoretical square outlined.
    Right: the theoretical field itself (which pixels can matter at all), same outline.

    `labels`: effective_title, theoretical_title, colorbar, square, inside, outside.
    """
    top, bottom, left, right = erf.box
    percent = erf.gradient * 100
    fig = make_subplots(rows=1, cols=2, subplot_titles=[labels["effective_title"], labels["theoretical_title"]],
                        horizontal_spacing=0.2)
    fig.add_trace(go.Heatmap(z=percent, colorscale=HEATMAP, zmin=0,
                             colorbar={"title": {"text": labels["colorbar"], "side": "top"}, "x": 0.42, "len": 0.85,
                                       "thickness": 14},
                             hovertemplate="row %{y}, col %{x}: %{z:.3f}%<extra></extra>"), 1, 1)
    theory = erf.theoretical.astype(float)
    fig.add_trace(go.Heatmap(z=theory, colorscale=[[0, "#F2F2F2"], [1, OKABE_ITO[2]]], zmin=0, zmax=1,
                             showscale=False,
                             customdata=np.where(erf.theoretical, labels["inside"], labels["outside"]),
                             hovertemplate="row %{y}, col %{x}: %{customdata}<extra></extra>"), 1, 2)
    for col in (1, 2):
        fig.add_shape(type="rect", x0=left - 0.5, x1=right + 0.5, y0=top - 0.5, y1=bottom + 0.5,
                      line={"color": HIGHLIGHT, "width": 2.5, "dash": "dash"}, row=1, col=col)
    fig.add_annotation(x=right + 0.5, y=top - 0.5, xref="x2", yref="y2", text=labels["square"], showarrow=False,
                       xanchor="right", yanchor="bottom", font={"color": HIGHLIGHT, "size": 13})
    fig.update_xaxes(constrain="domain", showgrid=False, zeroline=False, title_text=labels["x"])
    fig.update_yaxes(autorange="reversed", constrain="domain", showgrid=False, zeroline=False, title_text=labels["y"])
    fig.update_yaxes(scaleanchor="x", row=1, col=1)
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    fig.update_layout(height=470, margin={"l": 40, "r": 20, "t": 60, "b": 40}, plot_bgcolor="#FFFFFF")
    return fig


def depth_growth_figure(points, labels: dict) -> go.Figure:
    """Theoretical side 1 + 2L against effective width 4σ (random ReLU nets; equal-weight linear nets,
    exactly 4·√(2L/3)), for L stacked 3×3 convs. `labels`: title, depth, width, theoretical, random, equal, fit."""
    depths = [p.depth for p in points]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=depths, y=[p.theoretical for p in points], mode="lines+markers",
                             name=labels["theoretical"], line={"color": OKABE_ITO[6], "width": 3},
                             marker={"symbol": "square", "size": 8}))
    fig.add_trace(go.Scatter(x=depths, y=[p.width_random for p in points], mode="lines+markers",
                             name=labels["random"], line={"color": OKABE_ITO[5], "width": 3, "dash": "dash"},
                             marker={"symbol": "circle", "size": 9}))
    fig.add_trace(go.Scatter(x=depths, y=[p.width_equal for p in points], mode="lines+markers",
                             name=labels["equal"], line={"color": OKABE_ITO[3], "width": 3, "dash": "dot"},
                             marker={"symbol": "diamond", "size": 9}))
    # least-squares a·√L through the random-network points
    a = sum(p.width_random * math.sqrt(p.depth) for p in points) / sum(p.depth for p in points)
    fine = np.linspace(1, depths[-1], 60)
    fig.add_trace(go.Scatter(x=fine, y=a * np.sqrt(fine), mode="lines", name=labels["fit"].format(a=a),
                             line={"color": "#777777", "width": 1.5}, hoverinfo="skip"))
    for trace, value in ((0, points[-1].theoretical), (1, points[-1].width_random), (2, points[-1].width_equal)):
        fig.add_annotation(x=depths[-1], y=value, text=f"{value:.1f}", showarrow=False, xanchor="left", xshift=8,
                           font={"color": fig.data[trace].line.color, "size": 13})
    fig.update_layout(title={"text": labels["title"], "x": 0.5, "xanchor": "center"}, height=430,
                      xaxis={"title": labels["depth"], "dtick": 2, "range": [0.5, depths[-1] + 1.5]},
                      yaxis={"title": labels["width"], "rangemode": "tozero"},
                      margin={"l": 60, "r": 20, "t": 60, "b": 60},
                      legend={"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center"})
    return fig
