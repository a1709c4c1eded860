"""Label maps as figures: one colour per class AND the class written in each cell."""

import numpy as np
import plotly.graph_objects as go

from lessons.figures import hover
from lessons.figures.palette import class_colour


def discrete_colorscale(colours: list[str]) -> list:
    """A plotly colorscale that maps integer k (with zmin=-0.5, zmax=n-0.5) to colours[k] exactly."""
    n = len(colours)
    scale = []
    for k, colour in enumerate(colours):
        scale += [[k / n, colour], [(k + 1) / n, colour]]
    return scale


def label_map_figure(labels: np.ndarray, names: list[str], title: str, cell_text=None,
                     colours: list[str] | None = None, height: int = 420, lang: str | None = None) -> go.Figure:
    """Heatmap of integer labels with a legend-like colour bar naming each class; the hover in `lang`."""
    colours = colours or [class_colour(k + 1) for k in range(len(names))]
    n = len(names)
    text = cell_text if cell_text is not None else [[names[v][0] for v in row] for row in labels]
    fig = go.Figure(go.Heatmap(
        z=labels, text=text, texttemplate="%{text}", textfont={"size": 13, "color": "black"},
        colorscale=discrete_colorscale(colours), zmin=-0.5, zmax=n - 0.5, xgap=1, ygap=1,
        colorbar={"tickvals": list(range(n)), "ticktext": names, "orientation": "h", "y": -0.02,
                  "yanchor": "top", "thickness": 18, "tickfont": {"size": 14}},
        customdata=[[names[v] for v in row] for row in labels],
        hovertemplate=hover.cell(lang, "%{customdata}"),
    ))
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=height,
                      margin={"l": 20, "r": 20, "t": 50, "b": 20},
                      yaxis={"autorange": "reversed", "scaleanchor": "x", "showticklabels": False},
                      xaxis={"showticklabels": False})
    return fig


def image_figure(image: np.ndarray, title: str, height: int = 420, lang: str | None = None) -> go.Figure:
    """A picture, each pixel's row and column in the hover (in `lang`)."""
    fig = go.Figure(go.Image(z=image, hovertemplate=hover.cell(lang)))
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=height,
                      margin={"l": 20, "r": 20, "t": 50, "b": 20},
                      xaxis={"showticklabels": False}, yaxis={"showticklabels": False})
    return fig
