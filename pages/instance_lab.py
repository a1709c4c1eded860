"""Things & stuff page, section "Which pixels belong to which thing — a real Mask R-CNN".

A generated scene of touching things the student can rearrange; the small torchvision Mask R-CNN of
ops.instances runs on it live: the RPN's proposals, the scored boxes, one box's 28×28 mask logits, the final
masks, the count per class next to the connected blobs of the semantic map and the truth, and the panoptic
map (stuff from the semantic map, things from Mask R-CNN) with PQ = SQ × RQ. All numbers come from
ops.instances and ops.lab.instance_scenes; the section runs as an st.fragment.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from lessons.figures.instance_views import (
    boxes_figure,
    mask_logits_figure,
    masks_figure,
    mistakes_figure,
    proposals_figure,
)
from ops.instances import (
    InstanceError,
    blob_counts,
    detect,
    load_instance_model,
    panoptic_from_instances,
    panoptic_merge,
    panoptic_quality,
)
from ops.instances.inference import CLASS_KEYS
from ops.instances.mistakes import find_mistakes
from ops.lab.instance_scenes import make_instance_scene, render
from ops.lab.scenes import SIZE, STUFF
from ops.memo import shared
from pages import figcache, ui

SLUG = "things-and-stuff"
SCENE, THRESHOLD = "things-and-stuff.scene", "things-and-stuff.threshold"  # declared in pages/state.py
PICK = "things-and-stuff.lab.box"


def position_key(scene_number: int, index: int, axis: str) -> str:
    """The slider of thing `index`'s centre row or column in scene `scene_number` (a new scene: new sliders)."""
    return f"things-and-stuff.lab.{scene_number}.{index}.{axis}"


@st.cache_resource(show_spinner=False)
def _model():
    return load_instance_model()


def render_instance_lab() -> None:
    st.header(ui.t("instances.section"))
    ui.text(SLUG, "instance-lab")
    _lab()


def _new_scene() -> None:
    st.session_state[SCENE] = (int(st.session_state[SCENE]) + 1) % 10000


# Every session that shows the same scene with the same things in the same places gets the same answer:
# the scene, the network's output and the panoptic merge are computed once per server (ops.memo), and the
# figures are cached by those inputs (pages/figcache.py). A rerun elsewhere on the page redoes none of it.


@shared(maxsize=64)
def original_scene(number: int):
    return make_instance_scene(0, number, "test")


def chosen_positions(number: int) -> tuple:
    """Each thing's centre (row, column) where the student's sliders put it."""
    return tuple(
        tuple(int(st.session_state.get(position_key(number, i, axis), round(c))) for axis, c in zip("rc", shape.centre))
        for i, shape in enumerate(original_scene(number).shapes)
    )


@shared(maxsize=64)
def edited_scene(number: int, positions: tuple):
    """The generated scene with each thing's centre moved to `positions`."""
    original = original_scene(number)
    shapes = [shape if at == tuple(int(round(c)) for c in shape.centre)
              else replace(shape, centre=tuple(float(c) for c in at))
              for shape, at in zip(original.shapes, positions)]
    return render(shapes, original.background_seed)


@shared(maxsize=64)
def _detected(number: int, positions: tuple):
    return detect(edited_scene(number, positions).image, _model())


@shared(maxsize=256)
def _panoptic(number: int, positions: tuple, threshold: float):
    """(kept boxes, panoptic map, its quality against the scene's truth) at a score threshold."""
    scene, result = edited_scene(number, positions), _detected(number, positions)
    keep = result.kept(threshold)
    merged = panoptic_merge(scene.mask, result.masks[keep], result.labels[keep], result.scores[keep], STUFF)
    quality = panoptic_quality(merged, panoptic_from_instances(scene.mask, scene.instances, scene.labels, STUFF))
    return keep, merged, quality


@st.fragment
def _lab() -> None:
    try:
        _model()  # loaded once per server; missing weights are said here, in the page
    except InstanceError as error:
        ui.bad_input(ui.t(error.key, **error.params))
        return
    number = int(st.session_state[SCENE])
    original = original_scene(number)
    positions = chosen_positions(number)
    scene = edited_scene(number, positions)

    picture, editor = st.columns([3, 2], gap="large")
    with editor:
        st.markdown(f"**{ui.t('instances.scene.editor')}**")
        pick, new = st.columns([1, 1], vertical_alignment="bottom")
        pick.number_input(ui.t("instances.scene.number"), 0, 9999, step=1, key=SCENE)
        new.button(ui.t("instances.scene.new"), on_click=_new_scene, icon=":material/casino:", width="stretch")
        for i, shape in enumerate(original.shapes):
            label = ui.t(CLASS_KEYS[shape.kind])
            row, col = st.columns(2)
            for column, axis, value in ((row, "r", shape.centre[0]), (col, "c", shape.centre[1])):
                key = position_key(number, i, axis)
                st.session_state.setdefault(key, int(round(value)))
                column.slider(ui.t(f"instances.scene.{'row' if axis == 'r' else 'col'}", index=i + 1, label=label),
                              0, SIZE - 1, key=key)
        left_out = len(original.shapes) - len(scene.shapes)
        if left_out:
            st.info(ui.t("instances.scene.left_out", count=left_out), icon=":material/visibility_off:")
    with picture:
        ui.chart(figcache.figure("instances.truth", (number, positions), lambda: masks_figure(
            scene.image, scene.ids, ui.t("instances.scene.truth", count=len(scene.labels)))), key="instances.truth")

    result = _detected(number, positions)
    st.slider(ui.t("instances.threshold"), 0.05, 0.95, step=0.05, key=THRESHOLD,
              help=ui.t("instances.threshold_help"))
    threshold = float(st.session_state[THRESHOLD])
    keep, merged, quality = _panoptic(number, positions, threshold)
    inputs = (number, positions, threshold)
    names = [ui.t(CLASS_KEYS[int(c)]) for c in result.labels]

    first, second = st.columns(2)
    with first:
        ui.chart(figcache.figure("instances.proposals", (number, positions), lambda: proposals_figure(
            scene.image, result.proposals, ui.t("instances.proposals", count=len(result.proposals)))),
            key="instances.proposals")
    with second:
        ui.chart(figcache.figure("instances.boxes", inputs, lambda: boxes_figure(
            scene.image, result.boxes[keep], result.scores[keep], [names[i] for i in keep],
            ui.t("instances.boxes_kept", kept=len(keep), total=len(result.boxes), threshold=f"{threshold:.2f}"),
            dropped=result.boxes[result.dropped(threshold)])),
            key="instances.boxes")
        st.caption(ui.t("instances.boxes_rule"))

    third, fourth = st.columns(2)
    with third:
        if len(keep):
            options = list(range(len(keep)))
            if st.session_state.get(PICK) not in options:
                st.session_state[PICK] = 0
            shown = {j: ui.t("instances.mask_logits.option", index=j + 1, label=names[keep[j]],
                             score=f"{result.scores[keep[j]]:.2f}") for j in options}
            chosen = st.selectbox(ui.t("instances.mask_logits.pick"), options, key=PICK, format_func=shown.get)
            ui.chart(figcache.figure("instances.mask_logits", (*inputs, chosen), lambda: mask_logits_figure(
                result.mask_logits[keep[chosen]], ui.t("instances.mask_logits", index=chosen + 1),
                ui.t("instances.logit"))), key="instances.mask_logits")
            st.caption(ui.t("instances.mask_logits.legend"))
        else:
            st.info(ui.t("instances.none_kept", threshold=f"{threshold:.2f}"), icon=":material/filter_alt_off:")
    with fourth:
        ui.chart(figcache.figure("instances.masks", inputs, lambda: masks_figure(
            scene.image, _things_only(merged), ui.t("instances.masks"))), key="instances.masks")

    st.subheader(ui.t("instances.counts.title"))
    found, blobs, truth = result.counts(threshold), blob_counts(scene.mask), scene.counts()
    table = pd.DataFrame(
        {ui.t("instances.counts.maskrcnn"): [found[c] for c in CLASS_KEYS],
         ui.t("instances.counts.blobs"): [blobs[c] for c in CLASS_KEYS],
         ui.t("instances.counts.truth"): [truth[c] for c in CLASS_KEYS]},
        index=pd.Index([ui.t(key) for key in CLASS_KEYS.values()], name=ui.t("instances.counts.class")),
    )
    st.table(table)
    if blobs != truth:
        st.info(ui.t("instances.counts.blobs_merge"), icon=":material/join:")
    if found != truth:
        st.info(ui.t("instances.counts.maskrcnn_wrong"), icon=":material/tune:")
        _mistakes(scene, result, threshold, inputs, names)

    st.subheader(ui.t("instances.panoptic.section"))
    ui.text(SLUG, "instance-lab-panoptic")
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.chart(figcache.figure("instances.panoptic", inputs, lambda: masks_figure(
            scene.image, merged.ids, ui.t("instances.panoptic.title"))), key="instances.panoptic")
    with right:
        st.markdown(f"**{ui.t('instances.panoptic.metric')}**")
        st.markdown("### " + ui.t("instances.panoptic.pq", pq=f"{quality.pq:.2f}", sq=f"{quality.sq:.2f}",
                                  rq=f"{quality.rq:.2f}"))
        st.caption(ui.t("instances.panoptic.legend", segments=len(merged.classes)))


def _mistakes(scene, result, threshold: float, inputs: tuple, names: list[str]) -> None:
    """The picture of the wrong count: the missed true things and the extra kept boxes."""
    wrong = find_mistakes(scene, result, threshold)
    missed = [ui.t(CLASS_KEYS[int(scene.labels[j])]) for j in wrong.missed]
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.chart(figcache.figure("instances.mistakes", inputs, lambda: mistakes_figure(
            scene.image, scene.instances[list(wrong.missed)], missed, result.boxes[list(wrong.extra)],
            [names[k] for k in wrong.extra], ui.t("instances.mistakes.title"))), key="instances.mistakes")
    with right:
        st.caption(ui.t("instances.mistakes.caption", missed=len(wrong.missed), extra=len(wrong.extra)))


def _things_only(merged) -> np.ndarray:
    """The panoptic map's segment ids with the stuff segments drawn as background (0)."""
    lookup, things = np.zeros(len(merged.classes) + 1, np.int32), _thing_ids(merged)
    lookup[things] = things
    return lookup[merged.ids]


def _thing_ids(merged) -> list[int]:
    """Segment ids (1-based) of the things in a panoptic map."""
    return [k for k, c in enumerate(merged.classes, start=1) if c not in STUFF]
