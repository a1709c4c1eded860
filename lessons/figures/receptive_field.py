"""Receptive-field figures the server still draws (they need autograd): the effective field next to the
theoretical square, and effective width (√L) against theoretical side (L). The field of one pixel growing
layer by layer is drawn in the browser (pages/components/layer_stack_view.js)."""

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures import hover
from lessons.figures.palette import HEATMAP, HIGHLIGHT, OKABE_ITO


def effective_field_figure(erf, labels: dict, lang: str | None = None) -> go.Figure:
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
                             hovertemplate=hover.cell(lang, "%{z:.3f}%")), 1, 1)
    theory = erf.theoretical.astype(float)
    fig.add_trace(go.Heatmap(z=theory, colorscale=[[0, "#F2F2F2"], [1, OKABE_ITO[2]]], zmin=0, zmax=1,
                             showscale=False,
                             customdata=np.where(erf.theoretical, labels["inside"], labels["outside"]),
                             hovertemplate=hover.cell(lang, "%{customdata}")), 1, 2)
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
