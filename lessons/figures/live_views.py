"""Pictures for the live demo: class colours over a photo, object colours, score and confidence maps.

Colours are the app's colour-blind-safe palette (Okabe & Ito, then Tol's muted); background is never
painted over the photo. Every colour-coded picture is shown with a legend or a colour bar with numbers.
"""

import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from lessons.figures.hover import cell as cell_hover
from lessons.figures.palette import HEATMAP, class_colour, hex_to_rgb

BACKGROUND_RGB = (221, 221, 221)  # light grey: "no class / no object"
MAX_HEATMAP_SIDE = 160  # heatmaps are thinned to this many cells per side (hover still shows values)


def colour_table(n_classes: int) -> np.ndarray:
    """RGB per class id: grey for class 0 (background), then the palette (cycling for COCO's 91)."""
    table = [BACKGROUND_RGB] + [hex_to_rgb(class_colour(k)) for k in range(1, n_classes)]
    return np.array(table, dtype=np.uint8)


def colour_hex(class_id: int) -> str:
    return "#%02X%02X%02X" % tuple(colour_table(class_id + 1)[class_id])


def colourise(labels: np.ndarray, n_classes: int, shown=None) -> np.ndarray:
    """A class map as an RGB picture; classes not in `shown` (when given) are drawn as background."""
    table = colour_table(max(n_classes, int(labels.max(initial=0)) + 1)).copy()
    if shown is not None:
        for k in range(1, len(table)):
            if k not in shown:
                table[k] = BACKGROUND_RGB
    return table[labels]


def overlay(image: np.ndarray, labels: np.ndarray, n_classes: int, opacity: float, shown=None) -> np.ndarray:
    """The photo with each shown non-background class painted at `opacity` (0 = photo, 1 = colours)."""
    table = colour_table(max(n_classes, int(labels.max(initial=0)) + 1)).astype(np.float32)
    painted = labels > 0
    if shown is not None:
        painted &= np.isin(labels, list(shown))
    out = image.astype(np.float32)
    out[painted] = (1 - opacity) * out[painted] + opacity * table[labels[painted]]
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def object_overlay(image: np.ndarray, ids: np.ndarray, opacity: float) -> np.ndarray:
    """One colour per object (instance id), cycling through the palette; the rest of the photo greyed."""
    grey = image.astype(np.float32).mean(-1, keepdims=True).repeat(3, -1) * 0.6 + 90
    table = np.array([(0, 0, 0)] + [hex_to_rgb(class_colour(k)) for k in range(1, 23)], dtype=np.float32)
    colours = table[np.where(ids > 0, (ids - 1) % 22 + 1, 0)]
    out = np.where(ids[..., None] > 0, (1 - opacity) * image + opacity * colours, grey)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def png(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    return buffer.getvalue()


def crisp(rgb: np.ndarray, min_side: int = 384) -> np.ndarray:
    """Enlarge a small map by whole pixels (nearest) so the browser does not blur its blocks."""
    factor = max(1, int(np.ceil(min_side / max(1, min(rgb.shape[:2])))))
    return rgb.repeat(factor, 0).repeat(factor, 1) if factor > 1 else rgb


def _thin(values: np.ndarray) -> tuple[np.ndarray, int]:
    step = max(1, int(np.ceil(max(values.shape) / MAX_HEATMAP_SIDE)))
    return values[::step, ::step], step


def heatmap_figure(values: np.ndarray, title: str, colourbar: str, zmin=None, zmax=None, height: int = 420,
                   hover: str = "", lang: str | None = None) -> go.Figure:
    """A 2-D map of numbers (confidence, one class's scores) with a colour bar; every cell hoverable, its
    row and column in `lang`, then `hover` (translated words, e.g. the class) and the value."""
    thinned, step = _thin(np.asarray(values, dtype=np.float32))
    fig = go.Figure(go.Heatmap(
        z=thinned, colorscale=HEATMAP, zmin=zmin, zmax=zmax,
        x=np.arange(thinned.shape[1]) * step, y=np.arange(thinned.shape[0]) * step,
        colorbar={"title": {"text": colourbar, "side": "right"}, "thickness": 14},
        hovertemplate=cell_hover(lang, f"{hover} %{{z:.3f}}".strip())))
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=height,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      yaxis={"autorange": "reversed", "scaleanchor": "x", "showticklabels": False},
                      xaxis={"showticklabels": False, "constrain": "domain"}, plot_bgcolor="rgba(0,0,0,0)")
    return fig


def latency_figure(stages: dict[str, float], names: dict[str, str], title: str, unit: str) -> go.Figure:
    """Where the time went: one horizontal stacked bar, each stage labelled with its milliseconds."""
    colours = ["#56B4E9", "#E69F00", "#009E73", "#CC79A7"]
    total = max(sum(stages.values()), 1e-9)
    fig = go.Figure()
    for (stage, ms), colour in zip(stages.items(), colours):
        label = f"{names.get(stage, stage)} {ms:.0f} {unit}" if ms >= 1 else \
            f"{names.get(stage, stage)} {ms:.1f} {unit}"
        fig.add_trace(go.Bar(x=[ms], y=[""], orientation="h", name=label, marker_color=colour,
                             text=[label if ms > 0.12 * total else ""], textposition="inside", textangle=0,
                             insidetextanchor="middle", hovertemplate=f"{label}<extra></extra>"))
    fig.update_layout(barmode="stack", title={"text": title, "x": 0.5, "xanchor": "center"}, height=200,
                      margin={"l": 10, "r": 10, "t": 45, "b": 30}, xaxis={"ticksuffix": f" {unit}"},
                      legend={"orientation": "h", "y": -0.35, "x": 0.5, "xanchor": "center", "traceorder": "normal"})
    return fig


def resize_map(values: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """A float map at the model's resolution stretched to the photo's (width, height), bilinear."""
    if (values.shape[1], values.shape[0]) == tuple(size):
        return values
    return np.asarray(Image.fromarray(values.astype(np.float32), mode="F").resize(tuple(size), Image.BILINEAR))


def share_figure(rows: list[tuple[str, float, str]], title: str, axis: str) -> go.Figure:
    """The legend: one bar per class present, in its overlay colour, labelled with its share of pixels."""
    names = [name for name, _, _ in rows][::-1]
    values = [100 * share for _, share, _ in rows][::-1]
    colours = [colour for _, _, colour in rows][::-1]
    fig = go.Figure(go.Bar(x=values, y=names, orientation="h", marker={"color": colours, "line": {"color": "#444",
                                                                                                  "width": 1}},
                           text=[f"{v:.1f} %" for v in values], textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{x:.2f} %<extra></extra>"))
    fig.update_layout(title={"text": title, "x": 0.5, "xanchor": "center"}, height=120 + 34 * len(rows),
                      margin={"l": 10, "r": 40, "t": 45, "b": 40}, xaxis={"title": axis, "range": [0, 115]},
                      showlegend=False)
    return fig


def legend_html(rows: list[tuple[str, str]]) -> str:
    """A one-line colour key (swatch + name) for the class-map pictures shown with st.image."""
    items = [f'<span style="display:inline-block;margin-right:1.2em"><span style="display:inline-block;width:1em;'
             f'height:1em;background:{colour};border:1px solid #444;vertical-align:middle"></span> {name}</span>'
             for name, colour in rows]
    return "<div>" + "".join(items) + "</div>"


def _cividis_table() -> np.ndarray:
    """256 RGB steps of the heat maps' colour scale (plotly's cividis), for painting video frames fast."""
    from plotly.colors import get_colorscale, sample_colorscale

    colours = sample_colorscale(get_colorscale(HEATMAP), list(np.linspace(0, 1, 256)), colortype="rgb")
    return np.array([[round(float(v)) for v in c[4:-1].split(",")] for c in colours], dtype=np.uint8)


_CIVIDIS: list[np.ndarray] = []


def confidence_overlay(image: np.ndarray, confidence: np.ndarray, opacity: float) -> np.ndarray:
    """The photo under the confidence map (0–1, cividis: dark blue unsure, yellow sure) at `opacity`."""
    if not _CIVIDIS:
        _CIVIDIS.append(_cividis_table())
    height, width = image.shape[:2]
    full = resize_map(confidence, (width, height))
    colours = _CIVIDIS[0][np.clip(full * 255 + 0.5, 0, 255).astype(np.uint8)].astype(np.float32)
    out = (1 - opacity) * image.astype(np.float32) + opacity * colours
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def video_picture(image: np.ndarray, segmentation, labels: np.ndarray, settings) -> np.ndarray:
    """A live frame as shown: class colours (the view's labels) or the confidence map over the frame.

    The per-frame `draw` of ops.segmentation.video_frame.frame_work (the page and the bench pass it)."""
    if settings.view == "confidence":
        return confidence_overlay(image, segmentation.confidence, settings.opacity)
    return fast_overlay(image, labels, len(segmentation.classes), settings.opacity, settings.shown)


def fast_overlay(image: np.ndarray, labels: np.ndarray, n_classes: int, opacity: float, shown=None) -> np.ndarray:
    """overlay() in 8-bit fixed point, one pass over the frame (a video frame has ~30 ms in all): the same
    picture to within one level per channel."""
    table = colour_table(max(n_classes, int(labels.max(initial=0)) + 1))
    alpha = np.full(len(table), round(opacity * 256), dtype=np.uint16)
    alpha[0] = 0  # background is never painted
    if shown is not None:
        alpha[[k for k in range(1, len(table)) if k not in shown]] = 0
    ids = labels.astype(np.uint8) if len(table) <= 256 else labels
    a = alpha[ids][..., None]
    out = image.astype(np.uint16) * (256 - a) + table[ids].astype(np.uint16) * a + 128
    return (out >> 8).astype(np.uint8)


def confidence_bar_html(title: str) -> str:
    """The colour bar of the video's confidence view: cividis from 0 (unsure) to 1 (sure), with numbers."""
    if not _CIVIDIS:
        _CIVIDIS.append(_cividis_table())
    stops = ", ".join("rgb(%d,%d,%d)" % tuple(_CIVIDIS[0][k]) for k in range(0, 256, 51))
    return (f'<div style="font-size:0.85em">{title}<div style="display:flex;align-items:center;gap:0.5em">'
            f'<span>0</span><span style="flex:1;height:0.9em;border:1px solid #444;'
            f'background:linear-gradient(to right, {stops})"></span><span>1</span></div></div>')


def swatch_html(class_id: int) -> str:
    """A small square in a class's overlay colour, for tables of classes."""
    return (f'<span style="display:inline-block;width:0.9em;height:0.9em;background:{colour_hex(class_id)};'
            f'border:1px solid #444;vertical-align:middle"></span>')
