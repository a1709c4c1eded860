"""Object detection drawn on the toy field: a box per thing, with its name; stuff gets no box."""

import plotly.graph_objects as go

from lessons.figures.label_maps import image_figure
from lessons.figures.palette import class_colour


def boxes_figure(image, boxes, names: list[str], title: str, height: int = 420, lang: str | None = None) -> go.Figure:
    """The picture with one labelled rectangle per object; box k uses object colour k."""
    fig = image_figure(image, title, height=height, lang=lang)
    for k, ((x1, y1, x2, y2), name) in enumerate(zip(boxes, names), start=1):
        colour = class_colour(k + 5)  # vermillion, then Tol's indigo...: visible on sky, grass and cows
        fig.add_shape(type="rect", x0=x1 - 0.5, y0=y1 - 0.5, x1=x2 + 0.5, y1=y2 + 0.5,
                      line={"color": colour, "width": 4})
        fig.add_annotation(x=x1 - 0.5, y=y1 - 0.5, text=f"<b>{name}</b>", showarrow=False, xanchor="left",
                           yanchor="bottom", font={"color": "white", "size": 14}, bgcolor=colour)
    return fig
