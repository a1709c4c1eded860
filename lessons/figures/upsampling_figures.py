"""Figures of the upsampling lesson: input and output grids side by side, labelled as such, with numbers.

The step animation walks the output cell by cell (transposed convolution: input cell by input cell,
its stamps adding up), outlining the cells that contribute, writing their weights in them and the
current cell's sum with the actual numbers in the title. Plotly frames, with play/pause and a step
slider so a teacher can scrub back and forth.

Layouts are built with explicit axis domains rather than make_subplots: it is several times faster,
and the page re-renders after every edit.
"""

import numpy as np
import plotly.graph_objects as go

from lessons.figures.palette import CONTRIBUTOR, HEATMAP, HIGHLIGHT

GAP = 0.06  # horizontal space between panels, as a fraction of the figure width
MAX_TEXT_SIDE = 16  # larger grids are too small to carry numbers in their cells
FRAME_MS = 900


def _fmt(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}"


def _panel_domains(widths: list[float]) -> list[list[float]]:
    """Horizontal domains for panels whose widths are proportional to `widths` (grid columns)."""
    usable = 1.0 - GAP * (len(widths) - 1)
    total = float(sum(widths))
    domains, left = [], 0.0
    for w in widths:
        right = left + usable * w / total
        domains.append([left, min(right, 1.0)])
        left = right + GAP
    return domains


def _axis_names(k: int) -> tuple[str, str]:
    """Plotly's names for panel k: ('x', 'y'), ('x2', 'y2'), ..."""
    suffix = "" if k == 0 else str(k + 1)
    return "x" + suffix, "y" + suffix


def _heatmap(z, k: int, zmin: float, zmax: float, decimals: int = 2, text=None, name: str = "") -> dict:
    """A heatmap trace (as a plain dict: figures here skip plotly's slow validation) with numbers in cells."""
    z = np.asarray(z, dtype=float)
    if text is None and max(z.shape) <= MAX_TEXT_SIDE:
        text = [["" if v != v else _fmt(v, decimals) for v in row] for row in z.tolist()]
    if np.isnan(z).any():  # empty cells as None: a NaN makes plotly re-encode the whole figure's JSON
        z = [[None if v != v else v for v in row] for row in z.tolist()]
    xaxis, yaxis = _axis_names(k)
    trace = {"type": "heatmap", "z": z, "colorscale": HEATMAP, "zmin": zmin, "zmax": zmax, "showscale": False,
             "xgap": 2, "ygap": 2, "xaxis": xaxis, "yaxis": yaxis, "name": name,
             "hovertemplate": f"{name}<br>row %{{y}}, column %{{x}}: %{{z:.4g}}<extra></extra>"}
    if text is not None:
        trace.update(text=text, texttemplate="%{text}")
    return trace


class FastFramesFigure(go.Figure):
    """A go.Figure whose animation frames stay plain dicts until someone iterates over `fig.frames`.

    Why: plotly turns every frame's traces into objects (about 1 ms each), which made the page take
    a third of a second per edit. Streamlit only needs `to_dict()`, so the frames are handed over as
    they are; the slide export, which iterates over `fig.frames`, still gets real go.Frame objects.
    """

    def __init__(self, data: list, frames: list, layout: dict | None = None):
        super().__init__(data=data, layout=layout, _validate=False)
        self._raw_frames = list(frames)

    def _materialise(self) -> tuple:
        if self._raw_frames:
            raw, self._raw_frames = self._raw_frames, []
            go.Figure.frames.fset(self, raw)
        return go.Figure.frames.fget(self)

    @property
    def frames(self):
        return _LazyFrames(self) if self._raw_frames else go.Figure.frames.fget(self)

    @frames.setter
    def frames(self, value):
        self._raw_frames = []
        go.Figure.frames.fset(self, value)

    def to_dict(self) -> dict:
        result = super().to_dict()
        if self._raw_frames:
            result["frames"] = list(self._raw_frames)
        return result


class _LazyFrames:
    """`fig.frames` of a FastFramesFigure: its length is free, its go.Frame objects are made on first use."""

    def __init__(self, figure: FastFramesFigure):
        self._figure = figure

    def __len__(self) -> int:
        return len(self._figure._raw_frames) or len(self._figure._materialise())

    def __iter__(self):
        return iter(self._figure._materialise())

    def __getitem__(self, index):
        return self._figure._materialise()[index]


def _figure(data: list, layout: dict, frames: list | None = None) -> go.Figure:
    """A figure built without plotly's per-element validation: the traces here are made by this module."""
    return FastFramesFigure(data, frames, layout) if frames else go.Figure(data=data, layout=layout, _validate=False)


def _grid_layout(shapes: list[tuple[int, int]], titles: list[str], title: str, height: int,
                 top: int = 90) -> dict:
    """Axes for panels showing grids of the given (rows, cols) shapes, square cells, row 0 on top."""
    domains = _panel_domains([c for _, c in shapes])
    layout = {"title": {"text": title, "x": 0.5, "xanchor": "center", "font": {"size": 15}}, "height": height,
              "margin": {"l": 30, "r": 10, "t": top, "b": 20}, "plot_bgcolor": "rgba(0,0,0,0)", "annotations": []}
    for k, ((rows, cols), domain) in enumerate(zip(shapes, domains)):
        xname, yname = _axis_names(k)
        layout["xaxis" + xname[1:]] = {"domain": domain, "dtick": 1 if cols <= MAX_TEXT_SIDE else 4, "side": "top",
                                       "range": [-0.5, cols - 0.5], "constrain": "domain", "showgrid": False,
                                       "zeroline": False, "anchor": yname}
        layout["yaxis" + yname[1:]] = {"dtick": 1 if rows <= MAX_TEXT_SIDE else 4, "range": [rows - 0.5, -0.5],
                                       "scaleanchor": xname, "constrain": "domain", "showgrid": False,
                                       "zeroline": False, "anchor": xname}
        layout["annotations"].append({"text": f"<b>{titles[k]}</b>", "x": (domain[0] + domain[1]) / 2, "y": 1.0,
                                      "xref": "paper", "yref": "paper", "yanchor": "bottom", "yshift": 22,
                                      "showarrow": False, "font": {"size": 14}})
    return layout


def _box(k: int, row: int, col: int, colour: str, width: float = 3, dash: str = "solid") -> dict:
    xname, yname = _axis_names(k)
    return {"type": "rect", "xref": xname, "yref": yname, "x0": col - 0.5, "x1": col + 0.5, "y0": row - 0.5,
            "y1": row + 0.5, "line": {"color": colour, "width": width, "dash": dash}}


def _weight_labels(k: int, cells: list[tuple[int, int]], labels: list[str]) -> dict:
    """Small weight labels in the lower part of each highlighted cell (the value stays in the middle)."""
    xaxis, yaxis = _axis_names(k)
    return {"type": "scatter", "x": [c for _, c in cells], "y": [r + 0.32 for r, _ in cells], "text": labels,
            "mode": "text", "textfont": {"size": 12, "color": HIGHLIGHT}, "xaxis": xaxis, "yaxis": yaxis,
            "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}


def _controls(names: list[str], labels: list[str], active: int, play: str, pause: str, step: str) -> dict:
    """Play/pause buttons and a step slider that scrubs the frames both ways."""
    animate = {"frame": {"duration": FRAME_MS, "redraw": True}, "transition": {"duration": 0},
               "fromcurrent": True, "mode": "immediate"}
    jump = {"frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}, "mode": "immediate"}
    return {
        "updatemenus": [{"type": "buttons", "direction": "left", "x": 0.0, "y": 0, "xanchor": "left",
                         "yanchor": "top", "pad": {"t": 10, "r": 10}, "showactive": False,
                         "buttons": [{"label": "▶ " + play, "method": "animate", "args": [None, animate]},
                                     {"label": "❚❚ " + pause, "method": "animate", "args": [[None], jump]}]}],
        "sliders": [{"active": active, "x": 0.2, "len": 0.8, "y": 0, "yanchor": "top", "pad": {"t": 10},
                     "currentvalue": {"prefix": step + " ", "font": {"size": 13}},
                     "steps": [{"label": label, "method": "animate", "args": [[name], jump]}
                               for name, label in zip(names, labels)]}],
    }


def _wrapped(terms: list[str], per_line: int = 4) -> str:
    lines = [" + ".join(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]
    return "<br>+ ".join(lines)


def _outline(k: int, cells: list[tuple[int, int]], colour: str, width: float = 4) -> dict:
    """Square outlines around cells, as ONE line trace (None breaks the line between squares).

    A trace per frame is far cheaper for plotly than a layout shape per cell, and the page
    rebuilds these figures after every edit.
    """
    xs, ys = [], []
    for r, c in cells:
        xs += [c - 0.5, c + 0.5, c + 0.5, c - 0.5, c - 0.5, None]
        ys += [r - 0.5, r - 0.5, r + 0.5, r + 0.5, r - 0.5, None]
    xaxis, yaxis = _axis_names(k)
    return {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": colour, "width": width},
            "xaxis": xaxis, "yaxis": yaxis, "hoverinfo": "skip", "showlegend": False}


def _not_yet(k: int, rows: int, cols: int, r: int, c: int) -> dict:
    """A pale cover over the output cells after (r, c) in row-major order: "not computed yet"."""
    xs, ys = [], []
    if c + 1 < cols:  # the rest of this row
        xs += [c + 0.5, cols - 0.5, cols - 0.5, c + 0.5, c + 0.5, None]
        ys += [r - 0.5, r - 0.5, r + 0.5, r + 0.5, r - 0.5, None]
    if r + 1 < rows:  # every row below
        xs += [-0.5, cols - 0.5, cols - 0.5, -0.5, -0.5, None]
        ys += [r + 0.5, r + 0.5, rows - 0.5, rows - 0.5, r + 0.5, None]
    xaxis, yaxis = _axis_names(k)
    return {"type": "scatter", "x": xs or [None], "y": ys or [None], "mode": "lines", "fill": "toself",
            "fillcolor": "rgba(255,255,255,0.88)", "line": {"width": 0}, "xaxis": xaxis, "yaxis": yaxis,
            "hoverinfo": "skip", "showlegend": False}


def cell_walk_animation(x: np.ndarray, out: np.ndarray, trace, cells: list[tuple[int, int]], labels: dict,
                        active: int = 0) -> go.Figure:
    """Input (left) and output (right) of one channel; one frame per output cell in `cells`.

    Each frame shows the output up to that cell (row-major; later cells are covered), outlines the
    cell (vermillion) and its contributing input cells (sky blue) with their weights, and writes the
    sum with the actual numbers in the title.
    labels: input, output, formula_cell (format with {row}, {col}), nothing_lands, play, pause, step.
    """
    x2, out2 = np.asarray(x, float), np.asarray(out, float)
    lo, hi = float(min(x2.min(), out2.min())), float(max(x2.max(), out2.max()))
    hi = hi if hi > lo else lo + 1.0
    rows, cols = out2.shape
    frames, names = [], []
    for r, c in cells:
        pairs = trace.contributions((0, r, c))
        terms, total = trace.formula_terms(x2[None], (0, r, c))
        sources = [(cell[1], cell[2]) for cell, _ in pairs]
        head = labels["formula_cell"].format(row=r, col=c)
        body = f"{_wrapped(terms)} = <b>{_fmt(total)}</b>" if terms else labels["nothing_lands"]
        names.append(f"{r},{c}")
        frames.append({"name": names[-1], "traces": [2, 3, 4, 5], "data": [
            _not_yet(1, rows, cols, r, c), _outline(0, sources, CONTRIBUTOR), _outline(1, [(r, c)], HIGHLIGHT),
            _weight_labels(0, sources, [f"×{w:.4g}" for _, w in pairs])],
            "layout": {"title": {"text": f"{head} {body}"}}})
    first = frames[active]
    longest = max(len(trace.contributions((0, r, c))) for r, c in cells)
    top = 130 + 20 * min(3, max(longest - 1, 0) // 4)  # room for a sum wrapped over up to four lines
    layout = _grid_layout([x2.shape, out2.shape],
                          [f"{labels['input']} ({x2.shape[0]}×{x2.shape[1]})",
                           f"{labels['output']} ({out2.shape[0]}×{out2.shape[1]})"],
                          first["layout"]["title"]["text"], height=_height(out2.shape, top=top), top=top)
    layout.update(_controls(names, [f"({n})" for n in names], active, labels["play"], labels["pause"], labels["step"]))
    return _figure([_heatmap(x2, 0, lo, hi, name=labels["input"]), _heatmap(out2, 1, lo, hi, name=labels["output"]),
                    *first["data"]], layout, frames)


def stamp_animation(x: np.ndarray, kernel: np.ndarray, out: np.ndarray, trace, labels: dict,
                    stamps_shown: list[tuple[int, int]] | None = None, active: int = 0) -> go.Figure:
    """Transposed convolution input cell by input cell: input | kernel | output so far.

    Frame k adds input cell k's stamp (value × kernel) into the output; the stamp's cells are
    outlined with the amount each one receives, and the running sums show how overlaps add up.
    `stamps_shown` limits the frames to some input cells (large inputs); earlier stamps are already in.
    labels: input, kernel, output_so_far, stamp (format with {row}, {col}, {value}), play, pause, step.
    """
    x2, k2, out2 = np.asarray(x, float), np.asarray(kernel, float), np.asarray(out, float)
    stamps = trace.stamps()
    lo = float(min(x2.min(), k2.min(), out2.min(), 0.0))
    hi = float(max(x2.max(), k2.max(), out2.max()))
    hi = hi if hi > lo else lo + 1.0
    shown = set(stamps_shown) if stamps_shown is not None else None
    running = np.full(out2.shape, np.nan)
    frames, names = [], []
    for _, i, j in trace.stamp_order:
        value = float(x2[i, j])
        received = stamps.get((0, i, j), [])
        for (_, r, c), weight in received:
            running[r, c] = (0.0 if np.isnan(running[r, c]) else running[r, c]) + weight * value
        if shown is not None and (i, j) not in shown:
            continue
        targets = [(r, c) for (_, r, c), _ in received]
        names.append(f"{i},{j}")
        frames.append({"name": names[-1], "traces": [2, 3, 4, 5], "data": [
            _heatmap(running.copy(), 2, lo, hi, name=labels["output_so_far"]),
            _outline(0, [(i, j)], HIGHLIGHT), _outline(2, targets, CONTRIBUTOR),
            _weight_labels(2, targets, [f"+{value:.4g}×{w:.4g}" for _, w in received]),
        ], "layout": {"title": {"text": labels["stamp"].format(row=i, col=j, value=f"{value:.4g}")}}})
    first = frames[active]
    layout = _grid_layout([x2.shape, k2.shape, out2.shape],
                          [f"{labels['input']} ({x2.shape[0]}×{x2.shape[1]})",
                           f"{labels['kernel']} ({k2.shape[0]}×{k2.shape[1]})",
                           f"{labels['output_so_far']} ({out2.shape[0]}×{out2.shape[1]})"],
                          first["layout"]["title"]["text"], height=_height(out2.shape, top=110), top=110)
    layout.update(_controls(names, [f"({n})" for n in names], active, labels["play"], labels["pause"], labels["step"]))
    return _figure([_heatmap(x2, 0, lo, hi, name=labels["input"]), _heatmap(k2, 1, lo, hi, name=labels["kernel"]),
                    *first["data"]], layout, frames)


def _height(shape, top: int = 90) -> int:
    return int(min(620, max(330, top + 80 + 34 * max(shape))))


def input_output_figure(x: np.ndarray, out: np.ndarray, labels: dict, title: str = "") -> go.Figure:
    """The input and the operator's output side by side, each cell with its value (2 decimals)."""
    x2, out2 = np.asarray(x, float), np.asarray(out, float)
    lo, hi = float(min(x2.min(), out2.min())), float(max(x2.max(), out2.max()))
    layout = _grid_layout([x2.shape, out2.shape], [f"{labels['input']} ({x2.shape[0]}×{x2.shape[1]})",
                                                   f"{labels['output']} ({out2.shape[0]}×{out2.shape[1]})"],
                          title, height=_height(out2.shape))
    return _figure([_heatmap(x2, 0, lo, hi, name=labels["input"]), _heatmap(out2, 1, lo, hi, name=labels["output"])],
                   layout)


def panels_figure(grids: list[np.ndarray], titles: list[str], title: str, shared_scale: bool = True,
                  decimals: int = 2, boxes: list[list[tuple[int, int, str]]] | None = None) -> go.Figure:
    """Several grids side by side (e.g. "Compare all", the notes' tables), each titled, numbers in cells.

    `boxes` optionally outlines cells per panel: [(row, col, colour), ...].
    """
    grids = [np.asarray(g, float) for g in grids]
    lo = min(float(g.min()) for g in grids)
    hi = max(float(g.max()) for g in grids)
    data = []
    for k, g in enumerate(grids):
        g_lo, g_hi = (lo, hi) if shared_scale else (float(g.min()), float(g.max()))
        data.append(_heatmap(g, k, g_lo, g_hi if g_hi > g_lo else g_lo + 1, decimals=decimals, name=titles[k]))
    layout = _grid_layout([g.shape for g in grids], titles, title,
                          height=_height(max((g.shape for g in grids), key=max), top=95) - 40)
    layout["shapes"] = [_box(k, r, c, colour, 3) for k, panel in enumerate(boxes or []) for r, c, colour in panel]
    return _figure(data, layout)


def switches_figure(encoder_map: np.ndarray, pooled: np.ndarray, switches: np.ndarray, tied: list,
                    labels: dict) -> go.Figure:
    """Max pooling's memory: the encoder grid with each window's remembered maximum outlined, and the pooled grid.

    Tied windows (several equal maxima) get a dotted border: the first maximum in row-major order wins.
    labels: encoder, pooled, title.
    """
    enc, pooled2 = np.asarray(encoder_map, float), np.asarray(pooled, float)
    size = enc.shape[0] // pooled2.shape[0]
    tied_cells = {(i, j) for _, i, j in tied}
    remembered = [[(int(switches[i, j][0]), int(switches[i, j][1]), HIGHLIGHT)
                   for i in range(pooled2.shape[0]) for j in range(pooled2.shape[1])], []]
    fig = panels_figure([enc, pooled2], [f"{labels['encoder']} ({enc.shape[0]}×{enc.shape[1]})",
                                         f"{labels['pooled']} ({pooled2.shape[0]}×{pooled2.shape[1]})"],
                        labels["title"], boxes=remembered)
    shapes = list(fig.layout.shapes)
    for i in range(pooled2.shape[0]):
        for j in range(pooled2.shape[1]):
            shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": j * size - 0.5,  # window border
                           "x1": (j + 1) * size - 0.5, "y0": i * size - 0.5, "y1": (i + 1) * size - 0.5,
                           "line": {"color": "#444444", "width": 1.5, "dash": "dot" if (i, j) in tied_cells
                                    else "solid"}})
    fig.layout.shapes = shapes
    return fig
