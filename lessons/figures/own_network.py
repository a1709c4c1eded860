"""Figures of the "Your own network" lab: resolution against depth, the effective field over the photo, and the
predicted label map on the photo. Words come in `labels` (the page translates them)."""

import numpy as np
import plotly.graph_objects as go

from lessons.figures import hover
from lessons.figures.palette import CONTRIBUTOR, HEATMAP, HIGHLIGHT, OKABE_ITO, class_colour, hex_to_rgb

KIND_COLOURS = {"conv": OKABE_ITO[5], "pool": OKABE_ITO[6], "up": OKABE_ITO[3], "other": "#9A9A9A"}


def _kind(op: str) -> str:
    if op in ("Resize", "Upsample", "ConvTranspose", "MaxUnpool"):
        return "up"
    if op.endswith("Pool"):
        return "pool"
    if op == "Conv":
        return "conv"
    return "other"


def resolution_figure(points: list, stages: list, size: int, labels: dict) -> go.Figure:
    """Feature-map side (log scale) against depth: every main-path feature map as a dot, coloured by what made
    it, and the deepest path's resolution as a step line with each change written on it.

    `points`: (depth, side, op type, node name); `stages`: (node name, stride). `labels`: title, depth, side,
    path, and the kinds conv, pool, up, other."""
    fig = go.Figure()
    depth_of = {name: depth for depth, _, _, name in points}
    for kind, colour in KIND_COLOURS.items():
        chosen = [p for p in points if _kind(p[2]) == kind]
        if not chosen:
            continue
        fig.add_trace(go.Scatter(
            x=[p[0] for p in chosen], y=[p[1] for p in chosen], mode="markers", name=labels[kind],
            marker={"color": colour, "size": 6 if kind == "other" else 9, "opacity": 0.55 if kind == "other" else 0.9},
            customdata=[[p[3], p[2]] for p in chosen],
            hovertemplate="%{customdata[1]} · %{customdata[0]}<br>" + labels["side"] + ": %{y}<extra></extra>"))
    xs, ys, texts = [0], [size], [""]
    for name, stride in stages:
        depth = depth_of.get(name)
        if depth is None:
            continue
        xs.append(depth)
        ys.append(size / stride)
        texts.append(f"÷{stride}" if stride > 1 else "×1")
    xs.append(max([p[0] for p in points], default=0))
    ys.append(ys[-1])
    texts.append("")
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+text", line={"shape": "hv", "color": HIGHLIGHT, "width": 3},
                             text=texts, textposition="top right", textfont={"size": 14, "color": HIGHLIGHT},
                             name=labels["path"], hoverinfo="skip"))
    fig.update_layout(
        title={"text": labels["title"], "x": 0.5, "xanchor": "center"}, height=420,
        margin={"l": 60, "r": 20, "t": 60, "b": 50}, legend={"orientation": "h", "y": -0.2},
        xaxis={"title": labels["depth"], "rangemode": "tozero"},
        yaxis={"title": labels["side"], "type": "log", "dtick": np.log10(2), "tickformat": "d"})
    return fig


def _square(centre: tuple[int, int], side: int, shape: tuple[int, int]) -> tuple[float, float, float, float]:
    half = side / 2
    return (max(centre[1] - half, -0.5), max(centre[0] - half, -0.5), min(centre[1] + half, shape[1] - 0.5),
            min(centre[0] + half, shape[0] - 0.5))


def _fading(name: str, steps: int = 11) -> list:
    """A colorscale whose low end is transparent, so the photo shows where the gradient is ~0."""
    from plotly.colors import sample_colorscale, unlabel_rgb

    colours = sample_colorscale(name, [k / (steps - 1) for k in range(steps)])
    scale = []
    for k, colour in enumerate(colours):
        r, g, b = unlabel_rgb(colour)
        alpha = 0.0 if k == 0 else min(0.85, 0.25 + 0.6 * k / (steps - 1))
        scale.append([k / (steps - 1), f"rgba({r:.0f},{g:.0f},{b:.0f},{alpha})"])
    return scale


def effective_field_figure(image: np.ndarray | None, field: np.ndarray, theory: int, effective: int,
                           labels: dict, lang: str | None = None) -> go.Figure:
    """The gradient magnitude of the centre output pixel over the photo (or alone), the theoretical field and the
    square holding 95 % of the gradient outlined. `labels`: title, colorbar, theory, effective."""
    height, width = field.shape
    top = float(np.percentile(field, 99.5)) or float(field.max())
    shown = np.sqrt(np.clip(field / top, 0, 1)) if top > 0 else field  # √ and the 99.5th percentile as 1: one
    # sharp pixel does not hide the rest, and the faint tails stay visible
    fig = go.Figure()
    if image is not None:
        fig.add_trace(go.Image(z=image, hoverinfo="skip"))
    fig.add_trace(go.Heatmap(
        z=shown, colorscale=_fading(HEATMAP) if image is not None else HEATMAP, zmin=0, zmax=1,
        colorbar={"title": {"text": labels["colorbar"], "side": "right"}, "thickness": 14},
        hovertemplate=hover.cell(lang, "%{z:.3f}")))
    centre = (height // 2, width // 2)
    for side, colour, dash, name in ((theory, CONTRIBUTOR, "dash", labels["theory"]),
                                     (effective, HIGHLIGHT, "solid", labels["effective"])):
        if side <= 0:
            continue
        x0, y0, x1, y1 = _square(centre, side, (height, width))
        fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, line={"color": colour, "width": 3, "dash": dash})
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name,
                                 line={"color": colour, "width": 3, "dash": dash}))
    fig.update_layout(title={"text": labels["title"], "x": 0.5, "xanchor": "center"}, height=480,
                      margin={"l": 20, "r": 20, "t": 60, "b": 20}, legend={"orientation": "h", "y": -0.05},
                      xaxis={"showticklabels": False, "range": [-0.5, width - 0.5], "constrain": "domain"},
                      yaxis={"showticklabels": False, "autorange": "reversed", "scaleanchor": "x",
                             "range": [height - 0.5, -0.5]})
    return fig


def label_overlay_figure(image: np.ndarray, labels_map: np.ndarray, names: list[str], title: str,
                         opacity: float = 0.55, most: int = 12) -> go.Figure:
    """The photo with each pixel tinted by its predicted class; a legend names the largest classes."""
    colours = np.array([hex_to_rgb(class_colour(k + 1)) for k in range(len(names))], np.float64)
    tinted = (1 - opacity) * image.astype(np.float64) + opacity * colours[labels_map]
    fig = go.Figure(go.Image(z=tinted.clip(0, 255).astype(np.uint8), customdata=np.asarray(names, object)[labels_map],
                             hovertemplate="%{customdata}<extra></extra>"))
    ids, counts = np.unique(labels_map, return_counts=True)
    for k in ids[np.argsort(-counts)][:most]:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=names[k],
                                 marker={"color": class_colour(int(k) + 1), "size": 14, "symbol": "square"}))
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=480, showlegend=True,
                      margin={"l": 20, "r": 20, "t": 60, "b": 20}, legend={"orientation": "h", "y": -0.05},
                      xaxis={"showticklabels": False, "showgrid": False, "zeroline": False},
                      yaxis={"showticklabels": False, "showgrid": False, "zeroline": False})
    return fig
