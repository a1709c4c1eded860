"""The projector's picture of how a class answered: bars of numbers or choices, a heat map of clicked cells.

Data in, a plotly figure out; every word comes in `labels` (already translated by the page):
    labels = {"title": ..., "count": ..., "row": ..., "col": ...}
Answer texts are untrusted: plotly draws them as text (no HTML is interpreted in the hover or tick
labels we set here, because every text is escaped by `_plain`).
"""

import html

import plotly.graph_objects as go

CORRECT = "#2e7d32"
OTHER = "#1f77b4"


def _plain(text: str) -> str:
    """Plotly renders a small subset of HTML in labels; show a student's text as text."""
    return html.escape(str(text), quote=False)


def bars(names: list[str], counts: list[int], labels: dict, correct: list[bool] | None = None) -> go.Figure:
    """One bar per histogram bin or choice; `correct` colours the bars holding the right answer (after reveal)."""
    colours = [CORRECT if correct and correct[i] else OTHER for i in range(len(names))]
    fig = go.Figure(go.Bar(x=[_plain(n) for n in names], y=counts, marker_color=colours, text=counts,
                           textposition="auto", hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_layout(title=labels["title"], yaxis_title=labels["count"], height=380,
                      margin={"l": 50, "r": 20, "t": 60, "b": 60}, xaxis={"type": "category"})
    fig.update_yaxes(rangemode="tozero", dtick=1 if max(counts or [0]) <= 10 else None)
    return fig


def cell_heatmap(cells: dict, rows: int, cols: int, labels: dict, answer: tuple | None = None) -> go.Figure:
    """Counts of clicked cells on a rows×cols grid; the right cell outlined once revealed."""
    z = [[0] * cols for _ in range(rows)]
    for (r, c), n in cells.items():
        if 0 <= r < rows and 0 <= c < cols:
            z[r][c] = n
    fig = go.Figure(go.Heatmap(z=z, colorscale="Blues", zmin=0, text=z, texttemplate="%{text}", showscale=False,
                               hovertemplate=f"{labels['row']} %{{y}}, {labels['col']} %{{x}}: %{{z}}<extra></extra>"))
    if answer is not None:
        r, c = answer
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                      line={"color": CORRECT, "width": 5})
    fig.update_layout(title=labels["title"], height=min(120 + 60 * rows, 600),
                      margin={"l": 50, "r": 20, "t": 60, "b": 40})
    fig.update_xaxes(title=labels["col"], dtick=1, side="top")
    fig.update_yaxes(title=labels["row"], dtick=1, autorange="reversed", scaleanchor="x")
    return fig
