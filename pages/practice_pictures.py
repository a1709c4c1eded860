"""What each lesson's exercise shows before it is answered: a picture of `ex.params` (issue 12).

Each function takes the exercise and draws with the lesson's own figure builders; nothing here gives the
answer away (the label map, the scene's mask, the photo's segmentation stay for the solution or the page).
"""

import numpy as np
import pandas as pd
import streamlit as st

from lessons.class_names import display_name
from lessons.figures.grids import grid_heatmap
from lessons.figures.label_maps import image_figure, label_map_figure
from pages import figcache, ui

GRID_HEIGHT = 260


def _grid(values, title: str, key: str, mark: tuple | None = None, decimals: int = 0) -> None:
    """A small grid of numbers; the figure is built once per server for each grid and title (figcache)."""
    array = np.asarray(values)
    inputs = (array.shape, str(array.dtype), array.tobytes(), title, mark, decimals)
    ui.chart(figcache.figure("practice.grid", inputs, lambda: _grid_figure(array, title, mark, decimals)),
             key=key, width="content")


def _grid_figure(values: np.ndarray, title: str, mark: tuple | None, decimals: int):
    fig = grid_heatmap(values, title, decimals=decimals, height=GRID_HEIGHT, lang=ui.lang())
    fig.update_layout(margin={"t": 80}, title={"y": 0.97, "yanchor": "top"})  # the column numbers sit on top
    if mark is not None:
        r, c = mark
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                      line={"color": "#D55E00", "width": 4})
    return fig


def _settings(rows: dict) -> None:
    """Small settings as a two-column table: name, value."""
    frame = pd.DataFrame({ui.t("practice.setting"): list(rows),
                          ui.t("practice.value"): [str(v) for v in rows.values()]})
    st.dataframe(frame, hide_index=True, width="content")


def _layers(layers: list) -> None:
    rows = []
    for i, layer in enumerate(layers):
        if isinstance(layer, dict):
            row = {ui.t("practice.col.layer"): i + 1}
            row.update({ui.t(f"practice.col.{name}"): (ui.t(f"practice.layer.{v}") if name == "kind" else v)
                        for name, v in layer.items()})
        else:  # sliding window: [kernel, channels]
            row = {ui.t("practice.col.layer"): i + 1, ui.t("practice.col.kernel"): layer[0],
                   ui.t("practice.col.channels"): layer[1]}
        rows.append(row)
    st.dataframe(pd.DataFrame(rows).astype(str), hide_index=True, width="content")


def segmentation(ex) -> None:
    from ops.toy_scene import CLASSES, cow_field

    p = ex.params
    scene = cow_field(p["gap"])
    names = [display_name(c, ui.lang()) for c in CLASSES]
    fig = label_map_figure(scene.labels, names, ui.t("practice.label_map"), height=340,
                           colours=["#56B4E9", "#009E73", "#E69F00"], lang=ui.lang())
    if "row" in p:
        fig = image_figure(scene.image, ui.t("practice.image"), height=340, lang=ui.lang())
        r, c = p["row"], p["col"]
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                      line={"color": "#D55E00", "width": 3})
    ui.chart(fig, key="practice.picture.segmentation")


def sliding_window(ex) -> None:
    p = ex.params
    _settings({ui.t("practice.image_size"): f"{p['height']}×{p['width']}",
               ui.t("practice.patch"): f"{p['patch_size']}×{p['patch_size']}"})
    _layers(p["layers"])


def per_pixel_loss(ex) -> None:
    p = ex.params
    if ex.kind == "pixel-loss":
        frame = pd.DataFrame({ui.t("practice.col.class"): list(range(len(p["scores"]))),
                              ui.t("practice.col.score"): p["scores"]})
        st.dataframe(frame.astype(str), hide_index=True, width="content")
        return
    scores = np.asarray(p["scores"], dtype=float)  # C×H×W
    cols = st.columns(scores.shape[0] + 1)
    with cols[0]:
        _grid(p["labels"], ui.t("practice.labels"), "practice.picture.labels")
    for c in range(scores.shape[0]):
        with cols[c + 1]:
            _grid(scores[c], ui.t("practice.scores_of", cls=c), f"practice.picture.scores.{c}", decimals=1)


def full_resolution_cost(ex) -> None:
    p = ex.params
    rows = {ui.t("practice.input_size"): f"3×{p['size']}×{p['size']}"}
    if "factor" in p:
        rows[ui.t("practice.factor")] = p["factor"]
    _settings(rows)
    _layers(p["layers"])


def upsampling(ex) -> None:
    p = ex.params
    if ex.kind == "tconv-size":
        return  # the six numbers are in the question
    if ex.kind == "stamp-count":
        _settings({ui.t("practice.input_size"): f"{p['size']}×{p['size']}",
                   ui.t("practice.col.kernel"): f"{p['kernel']}×{p['kernel']}",
                   ui.t("practice.col.stride"): p["stride"], ui.t("practice.padding"): p["padding"]})
        return
    left, middle, right = st.columns(3)
    with left:
        mark = (p["row"], p["col"]) if ex.kind == "unpool-cell" else None
        _grid(p["grid"], ui.t("practice.input"), "practice.picture.grid", mark=mark)
    if ex.kind == "unpool-cell" or p.get("op") == "max_unpool":
        with middle:
            _grid(p["pooled_from"], ui.t("practice.pooled_from"), "practice.picture.pooled")
    if ex.kind == "upsample-cell":
        settings = {ui.t("practice.operator"): ui.t(f"operator.{p['op']}"), ui.t("practice.scale"): p["scale"],
                    "align_corners": p["align_corners"]}
        for name in ("stride", "padding", "output_padding"):
            if name in p:
                settings[name] = p[name]
        with right:
            _settings(settings)
        if "kernel" in p:
            with middle:
                _grid(p["kernel"], ui.t("practice.kernel"), "practice.picture.kernel")


def receptive_field(ex) -> None:
    _layers(ex.params["layers"])


def things_and_stuff(ex) -> None:
    if "scene_seed" in ex.params:
        _scene(ex.params["scene_seed"])


def _scene(seed: int) -> None:
    from ops.lab.scenes import make_scene

    image = (np.clip(make_scene(int(seed)).image, 0, 1) * 255).astype(np.uint8)
    ui.chart(image_figure(image, ui.t("practice.scene"), height=320, lang=ui.lang()), key="practice.picture.scene",
             width="content")


def fcn_lab(ex) -> None:
    if "scene_seed" in ex.params:
        _scene(ex.params["scene_seed"])


def live_demo(ex) -> None:
    from ops.segmentation.samples import sample_image

    st.image(sample_image(ex.params["photo"]), width=360)
