"""A class question drawn as the lesson's "Try it yourself" draws it, sized for a phone (issue 20).

The question in words (names translated), the settings a student needs in words ("stride 2, kernel 3×3"),
and the picture: label maps, scenes and photos with the lessons' own figure builders; the exercise's number
grids as cells a phone can tap (pages/components/answer_tap), where a cell question is answered by a tap.
After the reveal the same picture comes back with the right cell outlined, above the worked solution that
"Try it yourself" shows.
"""

import numpy as np
import streamlit as st

from lessons.class_names import display_name
from lessons.figures.label_maps import image_figure, label_map_figure
from pages import figcache, practice, ui
from pages.components.answer_tap import tap_grids

PICTURE_HEIGHT = 270  # a phone keeps the answer box in view below it (390×844)
PHONE_CHART = {"displayModeBar": False, "staticPlot": True}  # a finger scrolls the page, never pans the picture
LAYERED = ("sliding-window", "full-resolution-cost", "receptive-field", "own-network")


choice_label = practice.choice_label  # how an option reads, as "Try it yourself" writes it


def question_text(ex) -> str:
    return ui.t(ex.question, **practice.shown(ex.question_params))


# -- the settings in words ------------------------------------------------------------------------------
def _join(parts) -> str:
    return ui.t("classq.sep").join(str(p) for p in parts if p)


def _layer(number: int, layer) -> str:
    if isinstance(layer, dict):
        parts = [ui.t(f"classq.{layer.get('kind', 'conv')}", kernel=layer["kernel"])]
        for name in ("stride", "dilation"):
            if name in layer:
                parts.append(ui.t(f"classq.{name}", value=layer[name]))
        if layer.get("channels") is not None:  # a pooling layer keeps its input's channels
            parts.append(ui.tn("classq.channels", int(layer["channels"])))
    else:  # sliding window: [kernel, channels]
        parts = [ui.t("classq.conv", kernel=layer[0]), ui.tn("classq.channels", int(layer[1]))]
    return ui.t("classq.layer", number=number, settings=_join(parts))


def settings_in_words(ex) -> list[str]:
    """The lines of settings the question refers to but does not say; never a raw parameter name."""
    p = ex.params
    lines = []
    if ex.lesson == "full-resolution-cost":
        lines.append(ui.t("classq.input", size=f"3×{p['size']}×{p['size']}"))
    if ex.lesson in LAYERED and "layers" in p:
        lines += [_layer(i + 1, layer) for i, layer in enumerate(p["layers"])]
    if ex.kind == "upsample-cell":
        parts = [ui.t(f"operator.{p['op']}"), ui.t("classq.scale", value=p["scale"]),
                 ui.t("classq.align_corners_on" if p.get("align_corners") else "classq.align_corners_off")]
        for name in ("stride", "padding", "output_padding"):
            if name in p:
                parts.append(ui.t(f"classq.{name}", value=p[name]))
        lines.append(_join(parts))
    if ex.kind == "stamp-count":
        lines.append(_join([ui.t("classq.input", size=f"{p['size']}×{p['size']}"),
                            ui.t("classq.kernel", value=p["kernel"]), ui.t("classq.stride", value=p["stride"]),
                            ui.t("classq.padding", value=p["padding"])]))
    return lines


# -- the number grids -----------------------------------------------------------------------------------
def _grid(title: str, values, decimals: int = 0, tap: bool = False, mark=None) -> dict:
    return {"title": title, "values": np.asarray(values, dtype=float).tolist(), "decimals": decimals, "tap": tap,
            "mark": list(mark) if mark is not None else None, "picked": None, "right": None}


def grids(ex) -> list[dict]:
    """The exercise's number grids; in a cell question the grid whose cell is the answer has "tap" set."""
    p = ex.params
    if ex.kind == "pixel-loss":
        return [dict(_grid(ui.t("classq.scores_by_class"), [p["scores"]], decimals=1), rowIndex=False)]
    if ex.kind == "worst-pixel":
        scores = np.asarray(p["scores"], dtype=float)
        return [_grid(ui.t("practice.labels"), p["labels"], tap=True)] + [
            _grid(ui.t("practice.scores_of", cls=c), scores[c], decimals=1) for c in range(scores.shape[0])]
    if ex.kind == "unpool-cell":
        return [_grid(ui.t("practice.input"), p["grid"], mark=(p["row"], p["col"])),
                _grid(ui.t("practice.pooled_from"), p["pooled_from"], tap=True)]
    if ex.kind == "upsample-cell":
        shown = [_grid(ui.t("practice.input"), p["grid"])]
        if "kernel" in p:
            shown.append(_grid(ui.t("practice.kernel"), p["kernel"], decimals=1 if _fractional(p["kernel"]) else 0))
        if p.get("op") == "max_unpool":
            shown.append(_grid(ui.t("practice.pooled_from"), p["pooled_from"]))
        return shown
    return []


def _fractional(values) -> bool:
    array = np.asarray(values, dtype=float)
    return bool(np.any(array != np.round(array)))


# -- the pictures: the lessons' figure builders ------------------------------------------------------------
def _scene_image(seed: int) -> np.ndarray:
    from ops.lab.scenes import make_scene

    return (np.clip(make_scene(int(seed)).image, 0, 1) * 255).astype(np.uint8)


def _segmentation_figure(gap: int, cell, height: int, large: bool):
    from ops.toy_scene import CLASSES, cow_field

    scene = cow_field(int(gap))
    if cell is not None:  # "which class has this pixel?": the image, the pixel outlined
        fig = image_figure(scene.image, ui.t("practice.image"), height=height, lang=ui.lang())
        r, c = cell
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                      line={"color": "#D55E00", "width": 3})
        return fig
    names = [display_name(c, ui.lang()) for c in CLASSES]
    letters = None if large else [[""] * scene.labels.shape[1]] * scene.labels.shape[0]  # too small on a phone
    return label_map_figure(scene.labels, names, ui.t("practice.label_map"), height=height, cell_text=letters,
                            colours=["#56B4E9", "#009E73", "#E69F00"], lang=ui.lang())


def _figure(ex, height: int, large: bool):
    """The plotly picture of the exercise (label map, scene), or None; built once per server (figcache)."""
    p = ex.params
    if ex.lesson == "segmentation":
        cell = (p["row"], p["col"]) if "row" in p else None
        return figcache.figure("classq.segmentation", (p["gap"], cell, height),
                               lambda: _segmentation_figure(p["gap"], cell, height, large))
    if "scene_seed" in p:
        return figcache.figure("classq.scene", (p["scene_seed"], height),
                               lambda: image_figure(_scene_image(p["scene_seed"]), ui.t("practice.scene"),
                                                    height=height, lang=ui.lang()))
    return None


def show_picture(ex, *, key: str, on_tap=None, picked=None, right=None, large: bool = False) -> None:
    """The exercise's picture; `on_tap` makes the answer grid's cells buttons, `picked` / `right` outline cells."""
    height = 420 if large else PICTURE_HEIGHT
    fig = _figure(ex, height, large)
    if fig is not None and large:
        ui.chart(fig, key=f"{key}.figure")
    elif fig is not None:
        st.plotly_chart(fig, key=f"{key}.figure", config=PHONE_CHART, width="stretch")
    elif ex.lesson == "live-demo":
        from ops.segmentation.samples import sample_image

        st.image(sample_image(ex.params["photo"]), width="stretch" if not large else 480)
    shown = grids(ex)
    if not shown:
        return
    for spec in shown:
        if spec["tap"]:
            spec["picked"] = list(picked) if picked is not None else None
            spec["right"] = list(right) if right is not None else None
    tappable = on_tap is not None and any(spec["tap"] for spec in shown)
    tap_grids(shown, key=f"{key}.grids", on_tap=on_tap if tappable else None,
              hint=ui.t("classq.tap_hint") if tappable else None, large=large)


def show_question(ex, *, key: str, on_tap=None, picked=None, large: bool = False, picture: bool = True) -> None:
    """The question in words, its settings in words, and (unless `picture` is False) its picture."""
    text = question_text(ex)
    st.markdown(f"### {text}" if large else f"**{text}**")
    lines = settings_in_words(ex)
    if lines:
        st.markdown("\n".join(f"- {line}" for line in lines))
    if picture:
        show_picture(ex, key=key, on_tap=on_tap, picked=picked, large=large)


def show_solution(ex, *, key: str, picked=None, large: bool = False) -> None:
    """After the reveal: the picture again with the right cell outlined (and the student's own), then the worked
    solution as "Try it yourself" writes it."""
    st.subheader(ui.t("classroom.tally.solution"))
    if ex.answer_type == "cell":
        show_picture(ex, key=f"{key}.solution", picked=picked, right=tuple(ex.answer), large=large)
    practice._solution_body(ex)  # noqa: SLF001  (the lesson's own worked solution, not a copy of it)


def verdict_words(ex, text: str) -> tuple[str, str | None]:
    """The verdict and the hint for the student's own mistake, in words (the store keeps only the keys)."""
    verdict = ex.check(text)
    params = dict(verdict.message_params)
    if "given" in params:
        params["given"] = answer_words(ex, text)
    hint = ui.t(verdict.hint, **practice.shown(verdict.hint_params)) if verdict.hint else None
    return ui.t(verdict.message, **practice.shown(params)), hint


def answer_words(ex, text: str) -> str:
    """How an answer reads: a choice's name in the chosen language, a cell as "row 2, column 3"."""
    from ops.exercises.errors import AnswerError

    if ex.answer_type in ("choice", "choices"):
        parts = [part.strip() for part in str(text).split(",")]
        if all(part in ex.choices for part in parts):
            return ui.t("classq.sep").join(practice.choice_label(ex, part) for part in parts)
    if ex.answer_type == "cell":
        from ops.exercises import answers

        try:
            row, col = answers.parse_cell(text)
        except AnswerError:
            return str(text)
        return ui.t("classroom.tally.cell", row=row, col=col)
    return str(text)
