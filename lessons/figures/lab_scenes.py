"""The FCN lab's pictures: scenes, their label maps and the network's predictions, side by side.

Label maps use one fixed colour per class (Okabe & Ito's colour-blind-safe set, chosen to hint at the
class: sky blue, bluish-green grass) and every figure carries a legend naming them.
"""

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from lessons.figures.palette import OKABE_ITO, hex_to_rgb

PLOT_WIDTH = 900  # screen pixels a figure gets on the wide layout; sets how tall a grid is drawn
# sky, grass, disc, square, triangle
LAB_CLASS_COLOURS = [OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[6], OKABE_ITO[7], OKABE_ITO[4]]


def labels_to_rgb(labels: np.ndarray, colours: list[str] = LAB_CLASS_COLOURS) -> np.ndarray:
    """H×W class indices → H×W×3 uint8 in the class colours."""
    table = np.array([hex_to_rgb(c) for c in colours], dtype=np.uint8)
    return table[np.asarray(labels, dtype=np.int64)]


def chw_to_rgb(image) -> np.ndarray:
    """A 3×H×W uint8 tensor or array → H×W×3 for display."""
    return np.asarray(image).transpose(1, 2, 0)


def png_data_uri(image: np.ndarray) -> str:
    """An H×W×3 uint8 array as an inline PNG: a few kB where plotly's pixel lists take hundreds."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def mosaic(rows: list[list[np.ndarray]], zoom: int, gap: int) -> np.ndarray:
    """Tiles (each H×W×3) enlarged `zoom` times by pixel repetition, with white gaps between them."""
    height, width = rows[0][0].shape[:2]
    cell_h, cell_w = height * zoom + gap, width * zoom + gap
    n_cols = max(len(r) for r in rows)
    canvas = np.full((len(rows) * cell_h - gap, n_cols * cell_w - gap, 3), 255, np.uint8)
    for r, row in enumerate(rows):
        for c, tile in enumerate(row):
            big = np.repeat(np.repeat(np.asarray(tile, np.uint8), zoom, 0), zoom, 1)
            canvas[r * cell_h:r * cell_h + height * zoom, c * cell_w:c * cell_w + width * zoom] = big
    return canvas


def image_grid_figure(rows: list[list[np.ndarray]], row_titles: list[str], column_titles: list[str] | None,
                      class_names: list[str], title: str = "", colours: list[str] = LAB_CLASS_COLOURS,
                      zoom: int = 1, gap: int = 4) -> go.Figure:
    """RGB tiles in a grid (one picture, sent as a PNG), row titles on the left, column titles on top,
    and a legend of class colours."""
    picture = mosaic(rows, zoom, gap)
    height, width = rows[0][0].shape[:2]
    cell_h, cell_w = height * zoom + gap, width * zoom + gap
    fig = go.Figure(go.Image(source=png_data_uri(picture), hoverinfo="skip"))
    for k, name in enumerate(class_names):  # legend entries: an invisible marker per class
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, showlegend=True,
                                 marker={"symbol": "square", "size": 16, "color": colours[k],
                                         "line": {"color": "#333333", "width": 1}}))
    # room for titles inside the axes' range (annotations beyond it are not drawn), in picture pixels
    left = 16 if any(row_titles) else 0
    above = 12 if column_titles else 0
    for r, label in enumerate(row_titles):
        fig.add_annotation(x=-left / 2, y=r * cell_h + height * zoom / 2, text=label, showarrow=False,
                           textangle=-90, font={"size": 14, "color": "#555555"})
    for c, label in enumerate(column_titles or []):
        fig.add_annotation(x=c * cell_w + width * zoom / 2, y=-above / 2, text=label, showarrow=False,
                           font={"size": 13, "color": "#555555"})
    span_x, span_y = picture.shape[1] + left, picture.shape[0] + above
    scale = min(3.0, PLOT_WIDTH / span_x)  # screen pixels per picture pixel on a typical wide page
    top = 50 if title else 10
    fig.update_xaxes(visible=False, range=[-left - 0.5, picture.shape[1] - 0.5])
    fig.update_yaxes(visible=False, range=[picture.shape[0] - 0.5, -above - 0.5], scaleanchor="x")
    fig.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"} if title else None,
        height=int(span_y * scale) + top + 60,
        margin={"l": 10, "r": 10, "t": top, "b": 50},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                "xanchor": "center", "x": 0.5, "font": {"size": 15}},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def gallery_figure(images, masks, class_names: list[str], row_titles: list[str], title: str = "") -> go.Figure:
    """Training samples (top row) above their per-pixel labels (bottom row)."""
    return image_grid_figure([[chw_to_rgb(i) for i in images], [labels_to_rgb(m) for m in masks]],
                             row_titles, None, class_names, title)


def prediction_strip_figure(images, truths, predictions: list[np.ndarray], prediction_titles: list[str],
                            class_names: list[str], image_title: str, truth_title: str,
                            title: str = "") -> go.Figure:
    """Validation images, their true labels, then one row of predictions per chosen epoch."""
    rows = [[chw_to_rgb(i) for i in images], [labels_to_rgb(t) for t in truths]]
    rows += [[labels_to_rgb(p) for p in epoch] for epoch in predictions]
    return image_grid_figure(rows, [image_title, truth_title] + prediction_titles, None, class_names, title)


def comparison_grid_figure(images, truths, predictions: dict[str, np.ndarray], class_names: list[str],
                           image_title: str, truth_title: str, title: str = "") -> go.Figure:
    """One validation image per row: the image, the truth, then each decoder's prediction."""
    columns = [image_title, truth_title] + list(predictions)
    rows = [[chw_to_rgb(image), labels_to_rgb(truth)] + [labels_to_rgb(p[i]) for p in predictions.values()]
            for i, (image, truth) in enumerate(zip(images, truths))]
    return image_grid_figure(rows, [], columns, class_names, title)
