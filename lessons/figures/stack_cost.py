"""How the cost of a layer stack grows with the input: total FLOPs and activation memory, log–log."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures.palette import OKABE_ITO

SERIES_COLOURS = [OKABE_ITO[6], OKABE_ITO[5], OKABE_ITO[3], OKABE_ITO[7], OKABE_ITO[1]]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]


def _short(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def cost_growth_figure(series: dict[str, list], labels: dict) -> go.Figure:
    """Left: total GFLOPs; right: activation memory (MiB), against the input side, one line per stack.

    `series` maps a stack's name to its Totals (size, flops, activation_bytes); `labels` holds the
    translated strings: flops_title, memory_title, size, flops, memory, quadratic.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=[labels["flops_title"], labels["memory_title"]],
                        horizontal_spacing=0.1)
    sizes = sorted({t.size for rows in series.values() for t in rows})
    for k, (name, rows) in enumerate(series.items()):
        colour, dash = SERIES_COLOURS[k % len(SERIES_COLOURS)], DASHES[k % len(DASHES)]
        x = [t.size for t in rows]
        for col, values, unit in ((1, [t.flops / 1e9 for t in rows], "GFLOPs"),
                                  (2, [t.activation_bytes / 2 ** 20 for t in rows], "MiB")):
            fig.add_trace(go.Scatter(
                x=x, y=values, mode="lines+markers+text", name=name, legendgroup=name, showlegend=col == 1,
                line={"color": colour, "width": 3, "dash": dash}, marker={"size": 9, "symbol": k},
                text=[_short(v) if i == len(values) - 1 else "" for i, v in enumerate(values)],
                textposition="middle left", textfont={"color": colour, "size": 13},
                hovertemplate=f"{name}<br>%{{x}}×%{{x}} px: %{{y:,.4g}} {unit}<extra></extra>"), 1, col)
    if sizes and series:
        # a guide with slope 2 on log–log axes: doubling the side quadruples the cost
        first = next(iter(series.values()))
        if first:
            base = first[0]
            for col, start in ((1, base.flops / 1e9), (2, base.activation_bytes / 2 ** 20)):
                fig.add_trace(go.Scatter(
                    x=sizes, y=[start * (s / base.size) ** 2 for s in sizes], mode="lines",
                    line={"color": "#777777", "width": 1.5, "dash": "dot"}, name=labels["quadratic"],
                    legendgroup="quadratic", showlegend=col == 1, hoverinfo="skip"), 1, col)
    fig.update_xaxes(type="log", title_text=labels["size"], tickvals=sizes, ticktext=[str(s) for s in sizes])
    fig.update_yaxes(type="log", title_text=labels["flops"], row=1, col=1)
    fig.update_yaxes(type="log", title_text=labels["memory"], row=1, col=2)
    fig.update_layout(height=430, margin={"l": 60, "r": 20, "t": 60, "b": 60},
                      legend={"orientation": "h", "y": -0.25, "x": 0.5, "xanchor": "center"})
    return fig
