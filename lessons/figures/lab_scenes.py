"""The FCN lab's pictures: scenes, their label maps and the network's predictions, side by side.

Label maps use one fixed colour per class (Okabe & Ito's colour-blind-safe set, chosen to hint at the
class: sky blue, bluish-green grass) and every figure carries a legend naming them.
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures.palette import OKABE_ITO, hex_to_rgb

# sky, grass, disc, square, triangle
LAB_CLASS_COLOURS = [OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[6], OKABE_ITO[7], OKABE_ITO[4]]


def labels_to_rgb(labels: np.ndarray, colours: list[str] = LAB_CLASS_COLOURS) -> np.ndarray:
    """H×W class indices → H×W×3 uint8 in the class colours."""
    table = np.array([hex_to_rgb(c) for c in colours], dtype=np.uint8)
    return table[np.asarray(labels, dtype=np.int64)]


def chw_to_rgb(image) -> np.ndarray:
    """A 3×H×W uint8 tensor or array → H×W×3 for display."""
    return np.asarray(image).transpose(1, 2, 0)


def image_grid_figure(rows: list[list[np.ndarray]], row_titles: list[str], column_titles: list[str] | None,
                      class_names: list[str], title: str = "", cell_height: int = 120,
                      colours: list[str] = LAB_CLASS_COLOURS) -> go.Figure:
    """RGB tiles in a grid, a title per row (left) and column (top), and a legend of class colours."""
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    fig = make_subplots(rows=n_rows, cols=n_cols, horizontal_spacing=0.008, vertical_spacing=0.02,
                        column_titles=column_titles, row_titles=None)
    for r, row in enumerate(rows, start=1):
        for c, tile in enumerate(row, start=1):
            fig.add_trace(go.Image(z=tile, hovertemplate="row %{y}, column %{x}<extra></extra>"), r, c)
    for k, name in enumerate(class_names):  # legend entries: an invisible marker per class
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, showlegend=True,
                                 marker={"symbol": "square", "size": 16, "color": colours[k],
                                         "line": {"color": "#333333", "width": 1}}), 1, 1)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="", showline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="", showline=False)
    for r, label in enumerate(row_titles, start=1):
        fig.update_yaxes(title={"text": label, "font": {"size": 14}}, row=r, col=1)
    fig.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"} if title else None,
        height=int(cell_height * n_rows + (120 if title else 90) + (30 if column_titles else 0)),
        margin={"l": 90, "r": 10, "t": (60 if title else 20) + (30 if column_titles else 0), "b": 50},
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
    return image_grid_figure(rows, [image_title, truth_title] + prediction_titles, None, class_names, title,
                             cell_height=105)


def comparison_grid_figure(images, truths, predictions: dict[str, np.ndarray], class_names: list[str],
                           image_title: str, truth_title: str, title: str = "") -> go.Figure:
    """One validation image per row: the image, the truth, then each decoder's prediction."""
    columns = [image_title, truth_title] + list(predictions)
    rows = [[chw_to_rgb(image), labels_to_rgb(truth)] + [labels_to_rgb(p[i]) for p in predictions.values()]
            for i, (image, truth) in enumerate(zip(images, truths))]
    fig = image_grid_figure(rows, [""] * len(rows), columns, class_names, title, cell_height=118)
    fig.update_annotations(font_size=13)
    return fig
