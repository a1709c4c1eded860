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
from plotly.colors import get_colorscale

from lessons.figures.palette import CONTRIBUTOR, HEATMAP, HIGHLIGHT

GAP = 0.09  # horizontal space between panels (room for row numbers), as a fraction of the figure width
MAX_TEXT_SIDE = 16  # larger grids are too small to carry numbers in their cells
MAX_TAG_SIDE = 8  # larger grids are too small to carry weight tags under their numbers
FRAME_MS = 900
ANIMATION_BOTTOM = 110  # pixels below the grids for the play/pause buttons and the step slider
COLORSCALE = get_colorscale(HEATMAP)  # resolved once: unvalidated figures must carry the colours themselves


def _fmt(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}"


def _panel_domains(widths: list[float]) -> list[list[float]]:
    """Horizontal domains for panels whose widths are proportional to `widths` (grid columns)."""
    usable = 1.0 - GAP * (len(widths) - 1)
    total = float(sum(widths))
    domains, left = [], 0.0
    for w in widths:
        right = left + usable * w / total
        domains.append([max(0.0, left), min(right, 1.0)])
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
    trace = {"type": "heatmap", "z": z, "colorscale": COLORSCALE, "zmin": zmin, "zmax": zmax, "showscale": False,
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


def _grid_layout(shapes: list[tuple[int, int]], titles: list[str], title: str, height: int, top: int = 90,
                 per_row: int | None = None, bottom: int = 20) -> dict:
    """Axes for panels showing grids of the given (rows, cols) shapes: equal panels, each grid as large as its
    panel allows with square cells (a small input stays readable beside a 4× larger output), row 0 on top,
    each panel titled above its column numbers; `per_row` panels per line."""
    per_row = per_row or len(shapes)
    lines = [list(range(i, min(i + per_row, len(shapes)))) for i in range(0, len(shapes), per_row)]
    tallest = [max(shapes[k][0] for k in line) for line in lines]
    gap = 0.14 if len(lines) > 1 else 0.0  # room for the next line's panel titles and column numbers
    usable = 1.0 - gap * (len(lines) - 1)
    layout = {"title": {"text": title, "x": 0.5, "xanchor": "center", "y": 1, "yref": "container",
                        "yanchor": "top", "pad": {"t": 12}, "font": {"size": 15}},
              "height": height, "margin": {"l": 30, "r": 10, "t": top, "b": bottom},
              "plot_bgcolor": "rgba(0,0,0,0)", "annotations": []}
    band_top = 1.0
    for line, line_rows in zip(lines, tallest):
        band = usable * line_rows / sum(tallest)
        for k, domain in zip(line, _panel_domains([1] * len(line))):
            rows, cols = shapes[k]
            xname, yname = _axis_names(k)
            y_domain = [max(0.0, band_top - band), min(1.0, band_top)]  # each grid fills its panel: readable
            layout["xaxis" + xname[1:]] = {"domain": domain, "dtick": 1 if cols <= MAX_TEXT_SIDE else 4,
                                           "side": "top", "range": [-0.5, cols - 0.5], "constrain": "domain",
                                           "showgrid": False, "zeroline": False, "anchor": yname}
            layout["yaxis" + yname[1:]] = {"domain": y_domain, "dtick": 1 if rows <= MAX_TEXT_SIDE else 4,
                                           "range": [rows - 0.5, -0.5], "scaleanchor": xname, "constrain": "domain",
                                           "constraintoward": "top",
                                           "showgrid": False, "zeroline": False, "anchor": xname}
            layout["annotations"].append({"text": f"<b>{titles[k]}</b>", "x": (domain[0] + domain[1]) / 2,
                                          "y": band_top, "xref": "paper", "yref": "paper", "yanchor": "bottom",
                                          "yshift": 24, "showarrow": False, "font": {"size": 14}})
        band_top -= band + gap
    return layout


def _box(k: int, row: int, col: int, colour: str, width: float = 3, dash: str = "solid") -> dict:
    xname, yname = _axis_names(k)
    return {"type": "rect", "xref": xname, "yref": yname, "x0": col - 0.5, "x1": col + 0.5, "y0": row - 0.5,
            "y1": row + 0.5, "line": {"color": colour, "width": width, "dash": dash}}


def _weight_labels(k: int, cells: list[tuple[int, int]], labels: list[str], side: int) -> list[dict]:
    """Weight tags in the lower part of highlighted cells (the value stays readable in the middle).

    Grids wider than MAX_TAG_SIDE have cells too small for a tag; the title's sum still lists the weights.
    """
    if side > MAX_TAG_SIDE:
        return []
    xaxis, yaxis = _axis_names(k)
    return [{"text": label, "x": c, "y": r + 0.3, "xref": xaxis, "yref": yaxis, "showarrow": False,
             "font": {"size": 11, "color": "#222222"}, "bgcolor": "rgba(255,255,255,0.9)",
             "bordercolor": CONTRIBUTOR, "borderpad": 1}
            for (r, c), label in zip(cells, labels)]


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
        frames.append({"name": names[-1], "traces": [2, 3, 4], "data": [
            _not_yet(1, rows, cols, r, c), _outline(0, sources, CONTRIBUTOR), _outline(1, [(r, c)], HIGHLIGHT)],
            "layout": {"title": {"text": f"{head} {body}"},
                       "annotations": _weight_labels(0, sources, [f"×{w:.3g}" for _, w in pairs], max(x2.shape))}})
    first = frames[active]
    longest = max(len(trace.contributions((0, r, c))) for r, c in cells)
    top = 130 + 20 * min(3, max(longest - 1, 0) // 4)  # room for a sum wrapped over up to four lines
    layout = _grid_layout([x2.shape, out2.shape],
                          [f"{labels['input']} ({x2.shape[0]}×{x2.shape[1]})",
                           f"{labels['output']} ({out2.shape[0]}×{out2.shape[1]})"],
                          first["layout"]["title"]["text"], height=_height(out2.shape, top, ANIMATION_BOTTOM),
                          top=top, bottom=ANIMATION_BOTTOM)
    layout.update(_controls(names, [f"({n})" for n in names], active, labels["play"], labels["pause"], labels["step"]))
    _keep_panel_titles(layout, frames, active)
    return _figure([_heatmap(x2, 0, lo, hi, name=labels["input"]), _heatmap(out2, 1, lo, hi, name=labels["output"]),
                    *first["data"]], layout, frames)


def stamp_animation(x: np.ndarray, kernel: np.ndarray, out: np.ndarray, trace, labels: dict,
                    stamps_shown: list[tuple[int, int]] | None = None, active: int = 0) -> go.Figure:
    """Transposed convolution input cell by input cell: input | kernel | output so far.

    Frame k adds input cell k's stamp (value × kernel) into the output; the stamp's cells are
    outlined with the amount each one receives, and the running sums show how overlaps add up.
    `stamps_shown` limits the frames to some input cells (large inputs); earlier stamps are already in.
    labels: input, kernel, output_so_far, stamp (format with {row}, {col}, {value}), play, pause, input_step.
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
        frames.append({"name": names[-1], "traces": [2, 3, 4], "data": [
            _heatmap(running.copy(), 2, lo, hi, name=labels["output_so_far"]),
            _outline(0, [(i, j)], HIGHLIGHT), _outline(2, targets, CONTRIBUTOR),
        ], "layout": {"title": {"text": labels["stamp"].format(row=i, col=j, value=f"{value:.4g}")},
                      "annotations": _weight_labels(2, targets, [f"+{value:.3g}×{w:.3g}" for _, w in received],
                                                    max(out2.shape))}})
    first = frames[active]
    layout = _grid_layout([x2.shape, k2.shape, out2.shape],
                          [f"{labels['input']} ({x2.shape[0]}×{x2.shape[1]})",
                           f"{labels['kernel']} ({k2.shape[0]}×{k2.shape[1]})",
                           f"{labels['output_so_far']} ({out2.shape[0]}×{out2.shape[1]})"],
                          first["layout"]["title"]["text"], height=_height(out2.shape, 110, ANIMATION_BOTTOM, panels=3),
                          top=110, bottom=ANIMATION_BOTTOM)
    layout.update(_controls(names, [f"({n})" for n in names], active, labels["play"], labels["pause"],
                            labels["input_step"]))
    _keep_panel_titles(layout, frames, active)
    return _figure([_heatmap(x2, 0, lo, hi, name=labels["input"]), _heatmap(k2, 1, lo, hi, name=labels["kernel"]),
                    *first["data"]], layout, frames)


def _keep_panel_titles(layout: dict, frames: list[dict], active: int) -> None:
    """A frame's annotations replace the figure's, so each frame repeats the panel titles before its weight tags."""
    titles = layout["annotations"]
    for frame in frames:
        frame["layout"]["annotations"] = titles + frame["layout"]["annotations"]
    layout["annotations"] = frames[active]["layout"]["annotations"]


def _height(shape, top: int = 90, bottom: int = 20, panels: int = 2) -> int:
    """Figure height in pixels: cells about 60 px for small grids, the grid no taller than 520 px nor than a
    panel is wide on a typical 1000-px-wide page (square cells: extra height would only be blank)."""
    return top + bottom + int(min(520, 900 // panels, max(200, 60 * shape[0])))


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
                  decimals: int = 2, boxes: list[list[tuple[int, int, str]]] | None = None,
                  per_row: int | None = None, shapes: list[dict] | None = None) -> go.Figure:
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
    lines = -(-len(grids) // (per_row or len(grids)))
    side = max(max(g.shape) for g in grids)
    height = (95 + lines * (60 + int(min(300, max(160, 30 * side)))) if lines > 1
              else _height((side, side), top=95, panels=len(grids)))
    layout = _grid_layout([g.shape for g in grids], titles, title, height=height, top=95, per_row=per_row)
    layout["shapes"] = [_box(k, r, c, colour, 3) for k, panel in enumerate(boxes or []) for r, c, colour in panel]
    layout["shapes"] += shapes or []
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
    borders = [{"type": "rect", "xref": "x", "yref": "y", "x0": j * size - 0.5, "x1": (j + 1) * size - 0.5,
                "y0": i * size - 0.5, "y1": (i + 1) * size - 0.5,
                "line": {"color": "#444444", "width": 1.5, "dash": "dot" if (i, j) in tied_cells else "solid"}}
               for i in range(pooled2.shape[0]) for j in range(pooled2.shape[1])]  # pooling windows
    fig = panels_figure([enc, pooled2], [f"{labels['encoder']} ({enc.shape[0]}×{enc.shape[1]})",
                                         f"{labels['pooled']} ({pooled2.shape[0]}×{pooled2.shape[1]})"],
                        labels["title"], boxes=remembered, shapes=borders)
    return fig
