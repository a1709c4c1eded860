"""Figures for the instance lesson: proposals, scored boxes, one box's 28×28 mask logits, masks, panoptic map.

Each builder takes data from ops.instances and a `labels` dict of already translated words.
"""

import numpy as np
import plotly.graph_objects as go

from lessons.figures.label_maps import image_figure
from lessons.figures.live_views import object_overlay
from lessons.figures.palette import class_colour


def _rect(fig: go.Figure, box, colour: str, width: float, dash: str | None = None) -> None:
    x1, y1, x2, y2 = (float(v) for v in box)
    fig.add_shape(type="rect", x0=x1 - 0.5, y0=y1 - 0.5, x1=x2 - 0.5, y1=y2 - 0.5,
                  line={"color": colour, "width": width, "dash": dash or "solid"})


def proposals_figure(image: np.ndarray, proposals: np.ndarray, title: str, height: int = 420) -> go.Figure:
    """The RPN's proposals as thin dotted rectangles over the scene."""
    fig = image_figure(_uint8(image), title, height=height)
    for box in proposals:
        _rect(fig, box, "rgba(255,255,255,0.7)", 1, "dot")
    return fig


def boxes_figure(image: np.ndarray, boxes: np.ndarray, scores: np.ndarray, names: list[str], title: str,
                 height: int = 420, dropped: np.ndarray | None = None) -> go.Figure:
    """Final boxes with 'name score' tags; `names` are translated class names, one per box. `dropped` boxes
    (above the threshold, but with too little of their mask their own) are drawn first, thin, dashed, untagged."""
    fig = image_figure(_uint8(image), title, height=height)
    for box in () if dropped is None else dropped:
        _rect(fig, box, "rgba(255,255,255,0.9)", 2, "dash")
    for k, (box, score, name) in enumerate(zip(boxes, scores, names), start=1):
        colour = class_colour(k + 5)
        _rect(fig, box, colour, 3)
        fig.add_annotation(x=float(box[0]) - 0.5, y=float(box[1]) - 0.5, text=f"{name} {score:.2f}", showarrow=False,
                           xanchor="left", yanchor="bottom", font={"color": "white", "size": 12}, bgcolor=colour)
    return fig


def mask_logits_figure(logits: np.ndarray, title: str, colourbar: str, height: int = 360) -> go.Figure:
    """One box's 28×28 mask logits (diverging around 0: sigmoid 0.5 is the mask's edge)."""
    bound = float(np.max(np.abs(logits))) if logits.size else 1.0
    fig = go.Figure(go.Heatmap(z=logits, colorscale="RdBu_r", zmin=-bound, zmax=bound,
                               colorbar={"title": colourbar}, hovertemplate="%{y}, %{x}: %{z:.2f}<extra></extra>"))
    fig.update_layout(title={"text": title, "x": 0.5, "xref": "paper"}, height=height, yaxis={"autorange": "reversed",
                      "scaleanchor": "x"}, margin={"l": 20, "r": 20, "t": 50, "b": 20})
    return fig


def masks_figure(image: np.ndarray, ids: np.ndarray, title: str, opacity: float = 0.6,
                 height: int = 420) -> go.Figure:
    """An object map (0 = none, k = object k), e.g. Instances.ids or PanopticMap.ids, over the scene."""
    return image_figure(object_overlay(_uint8(image), ids, opacity), title, height=height)


def _uint8(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    return image if image.dtype == np.uint8 else np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


def mistakes_figure(image: np.ndarray, missed_masks: np.ndarray, missed_names: list[str], extra_boxes: np.ndarray,
                    extra_names: list[str], title: str, height: int = 420) -> go.Figure:
    """Where the count is wrong: the true things no detection found, coloured and boxed in red with their
    translated names; kept detections that match no true thing as dashed orange boxes."""
    ids = np.zeros(np.asarray(image).shape[:2], np.int32)
    for k, mask in enumerate(missed_masks, start=1):
        ids[np.asarray(mask, bool)] = k
    fig = image_figure(object_overlay(_uint8(image), ids, 0.6), title, height=height)
    for mask, name in zip(missed_masks, missed_names):
        rows, cols = np.nonzero(mask)
        box = (cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)
        _rect(fig, box, MISSED, 3)
        fig.add_annotation(x=float(box[0]) - 0.5, y=float(box[3]) - 0.5, text=name, showarrow=False, xanchor="left",
                           yanchor="top", font={"color": "white", "size": 12}, bgcolor=MISSED)
    for box, name in zip(extra_boxes, extra_names):
        _rect(fig, box, EXTRA, 3, "dash")
        fig.add_annotation(x=float(box[0]) - 0.5, y=float(box[1]) - 0.5, text=name, showarrow=False, xanchor="left",
                           yanchor="bottom", font={"color": "black", "size": 12}, bgcolor=EXTRA)
    return fig


MISSED, EXTRA = "#d62728", "#ffa500"  # the mistakes figure's outline colours (named in its caption)
