"""The projector's picture of how a class answered: bars of numbers or choices, a heat map of clicked cells.

Data in, a plotly figure out; every word comes in `labels` (already translated by the page):
    labels = {"title": ..., "count": ..., "row": ..., "col": ...}
`figure()` is what the projector draws for a tally's Distribution: its size is the exercise's (the grid of a
cell question, at most MAX_BINS bars or the offered choices), never the size of what a student typed.
Answer texts are untrusted: plotly draws them as text (no HTML is interpreted in the hover or tick
labels we set here, because every text is escaped by `_plain`).
"""

import html
from collections.abc import Callable

import plotly.graph_objects as go

from ops.classroom.tally_views import right_bins, right_choices

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
    # square cells: the plot narrows to the grid (constrain) instead of widening the axis past its columns
    fig.update_xaxes(title=labels["col"], dtick=1, side="top", range=[-0.5, cols - 0.5], constrain="domain")
    fig.update_yaxes(title=labels["row"], dtick=1, autorange="reversed", scaleanchor="x", constrain="domain")
    return fig


def figure(dist, labels: dict, solution=None, bin_label: Callable[[float, float], str] | None = None,
           choice_name: Callable[[str], str] | None = None):
    """The projector's figure of a Distribution (None when nothing readable was answered); `solution` is the
    revealed answer (None before the reveal), `bin_label(low, high)` names a histogram bin, `choice_name(key)`
    an option in the chosen language."""
    if dist.kind == "numeric" and dist.bins:
        name = bin_label or (lambda lo, hi: f"{lo:.4g} – {hi:.4g}")
        names = [name(lo, hi) if lo != hi else f"{lo:.4g}" for lo, hi, _ in dist.bins]
        right = right_bins(dist.bins, solution) if solution is not None else None
        return bars(names, [n for _, _, n in dist.bins], labels, right)
    if dist.kind == "cells" and dist.cells:
        rows, cols = dist.grid
        answer = tuple(solution) if solution is not None else None
        return cell_heatmap(dist.cells, rows, cols, labels, answer)
    if dist.kind == "choice" and dist.choices:
        names = list(dist.choices)
        right = right_choices(names, solution) if solution is not None else None
        shown = [choice_name(name) for name in names] if choice_name else names
        return bars(shown, list(dist.choices.values()), labels, right)
    return None
