"""The sliding window as an animation: a P×P window sweeps the input image and each centre pixel gets
its label in the output map.

Every frame is cut from the ONE fully convolutional pass (the scores are the same, that is the
lesson), so drawing the animation never re-runs the network. Images travel as small PNGs.
"""

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures.lab_scenes import labels_to_rgb, png_data_uri
from lessons.figures.palette import HIGHLIGHT, OKABE_ITO

PASTURE_COLOURS = [OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[1]]  # sky blue, bluish green, orange (cow)
NOT_YET = (221, 221, 221)  # light grey: pixels whose forward pass has not happened yet
SHOWN_PIXELS = 512  # a picture is enlarged to about this many screen pixels, by pixel repetition


def frame_positions(height: int, width: int, frames: int = 40, first_steps: int = 6) -> list[int]:
    """Raster indices of the pixels shown: the first few one pass at a time, then evenly to the last."""
    total = height * width
    first = list(range(min(first_steps, total)))
    rest = np.linspace(first[-1], total - 1, max(frames - len(first), 2)).round().astype(int).tolist()
    return sorted(set(first + rest))


def _enlarge(picture: np.ndarray, zoom: int) -> np.ndarray:
    return np.repeat(np.repeat(picture, zoom, 0), zoom, 1)


def _window_path(row: int, col: int, half: int):
    """A closed square around the window (pixel centres are integers, edges at ±0.5)."""
    top, bottom, left, right = row - half - 0.5, row + half + 0.5, col - half - 0.5, col + half + 0.5
    return [left, right, right, left, left], [top, top, bottom, bottom, top]


def sweep_figure(pixels: np.ndarray, scores: np.ndarray, patch_size: int, class_names: list[str],
                 text: dict, frames: int = 40, font_size: int = 14) -> go.Figure:
    """Left: the H×W×3 input with the window; right: the label map filling in, pass by pass.

    `scores` are the C×H×W class scores of the fully convolutional pass. `text` holds translated
    strings: input, output, caption (with {done}, {total}, {row}, {col}, {label}, {p}), play, pause, step,
    not_yet, window, edge. `font_size` sets legend, subplot titles and controls (larger for a projector).
    """
    height, width = pixels.shape[:2]
    labels = scores.argmax(0)
    shifted = np.exp(scores - scores.max(0))
    confidence = (shifted / shifted.sum(0)).max(0)
    zoom = max(1, math.ceil(SHOWN_PIXELS / max(height, width)))
    full_map = labels_to_rgb(labels, PASTURE_COLOURS)
    half = patch_size // 2
    positions = frame_positions(height, width, frames)

    def label_picture(done: int) -> str:
        revealed = full_map.reshape(-1, 3).copy()
        revealed[done:] = NOT_YET
        return png_data_uri(_enlarge(revealed.reshape(height, width, 3), zoom))

    def caption(index: int) -> str:
        row, col = divmod(index, width)
        return text["caption"].format(done=f"{index + 1:,}", total=f"{height * width:,}", row=row, col=col,
                                      label=class_names[labels[row, col]], p=f"{confidence[row, col]:.0%}")

    image_kwargs = {"dx": 1 / zoom, "dy": 1 / zoom, "x0": -0.5 + 0.5 / zoom, "y0": -0.5 + 0.5 / zoom,
                    "hoverinfo": "skip"}
    # the input as the network sees it: edge pixels repeated (P−1)/2 times, drawn paler outside the image
    padded = np.pad(pixels, ((half, half), (half, half), (0, 0)), mode="edge").astype(float)
    outside = np.ones(padded.shape[:2], bool)
    outside[half:half + height, half:half + width] = False
    padded[outside] = 0.45 * padded[outside] + 0.55 * 255
    padded_kwargs = dict(image_kwargs, x0=-half - 0.5 + 0.5 / zoom, y0=-half - 0.5 + 0.5 / zoom)
    fig = make_subplots(rows=1, cols=2, subplot_titles=[text["input"], text["output"]], horizontal_spacing=0.06)
    fig.update_annotations(font_size=font_size + 2)
    fig.add_trace(go.Image(source=png_data_uri(_enlarge(padded.round().astype(np.uint8), zoom)), **padded_kwargs),
                  1, 1)
    fig.add_trace(go.Image(source=label_picture(1), **image_kwargs), 1, 2)
    wx, wy = _window_path(0, 0, half)
    line = {"color": HIGHLIGHT, "width": 3}
    fig.add_trace(go.Scatter(x=wx, y=wy, mode="lines", line=line, hoverinfo="skip", showlegend=False), 1, 1)
    cx, cy = _window_path(0, 0, 0)
    fig.add_trace(go.Scatter(x=cx, y=cy, mode="lines", line=line, hoverinfo="skip", showlegend=False), 1, 1)
    fig.add_trace(go.Scatter(x=cx, y=cy, mode="lines", line=line, hoverinfo="skip", showlegend=False), 1, 2)
    for k, name in enumerate(class_names):  # legend: one square per class colour
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                 marker={"symbol": "square", "size": 16, "color": PASTURE_COLOURS[k],
                                         "line": {"color": "#333333", "width": 1}}), 1, 2)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=text["not_yet"],
                             marker={"symbol": "square", "size": 16, "color": "rgb(221,221,221)",
                                     "line": {"color": "#333333", "width": 1}}), 1, 2)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=text["window"], line=line), 1, 1)
    ex, ey = [-0.5, width - 0.5, width - 0.5, -0.5, -0.5], [-0.5, -0.5, height - 0.5, height - 0.5, -0.5]
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", name=text["edge"], hoverinfo="skip",
                             line={"color": "#333333", "width": 1.5, "dash": "dot"}), 1, 1)

    def moved(index: int) -> list:
        """A frame's new traces: the label map so far, the window, and the centre pixel on both sides."""
        row, col = divmod(index, width)
        window, centre = _window_path(row, col, half), _window_path(row, col, 0)
        return [go.Image(source=label_picture(index + 1)), go.Scatter(x=window[0], y=window[1]),
                go.Scatter(x=centre[0], y=centre[1]), go.Scatter(x=centre[0], y=centre[1])]

    fig.frames = [go.Frame(name=str(index), traces=[1, 2, 3, 4], data=moved(index),
                           layout={"title": {"text": caption(index)}}) for index in positions]
    # the figure opens on the first frame
    first = fig.frames[0]
    for target, trace in zip(first.traces, first.data):
        fig.data[target].update(trace.to_plotly_json())

    play = {"frame": {"duration": 450, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}}
    stay = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}
    fig.update_layout(
        title={"text": caption(positions[0]), "x": 0.5, "xanchor": "center"},
        height=620, margin={"l": 20, "r": 20, "t": 90, "b": 130},
        plot_bgcolor="white",
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0.5,
                "xanchor": "center", "font": {"size": font_size}},
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.04, "xanchor": "left",
                      "yanchor": "top", "showactive": False, "font": {"size": font_size},
                      "buttons": [{"label": "▶ " + text["play"], "method": "animate", "args": [None, play]},
                                  {"label": "❚❚ " + text["pause"], "method": "animate",
                                   "args": [[None], stay]}]}],
        sliders=[{"active": 0, "x": 0.2, "len": 0.8, "y": -0.02, "yanchor": "top",
                  "currentvalue": {"prefix": text["step"] + " ", "font": {"size": font_size}},
                  "font": {"size": font_size - 2},
                  "steps": [{"label": f"{index + 1}", "method": "animate", "args": [[str(index)], stay]}
                            for index in positions]}],
    )
    for column in (1, 2):
        fig.update_xaxes(visible=False, range=[-half - 1, width + half], row=1, col=column)
        anchor = "x" if column == 1 else f"x{column}"
        fig.update_yaxes(visible=False, range=[height + half, -half - 1], scaleanchor=anchor, row=1, col=column)
    return fig
