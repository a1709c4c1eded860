"""A grid of numbers as a heatmap with each value written in its cell.

Used wherever a page shows a small tensor: the value is always readable as a number,
not only as a colour (projectors and colour-blind students both need that).
"""

import numpy as np
import plotly.graph_objects as go

from lessons.figures import hover
from lessons.figures.palette import HEATMAP


def grid_heatmap(values, title: str, decimals: int = 2, colorscale: str = HEATMAP,
                 zmin: float | None = None, zmax: float | None = None, font_size: int = 14,
                 height: int | None = None, lang: str | None = None) -> go.Figure:
    """Heatmap of a 2-D array, row 0 at the top, each cell labelled with its value; the hover in `lang`."""
    z = np.asarray(values, dtype=float)
    text = [[f"{v:.{decimals}f}" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, text=text, texttemplate="%{text}", textfont={"size": font_size},
        colorscale=colorscale, zmin=zmin, zmax=zmax, showscale=False, xgap=2, ygap=2,
        hovertemplate=hover.cell(lang, "%{z}"),
    ))
    side = max(z.shape) if z.size else 1
    fig.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"},
        height=height or int(min(560, 120 + 55 * side)),
        margin={"l": 30, "r": 10, "t": 50, "b": 30},
        xaxis={"dtick": 1, "side": "top", "constrain": "domain"},
        yaxis={"dtick": 1, "autorange": "reversed", "scaleanchor": "x"},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
