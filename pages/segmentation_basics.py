"""Lesson 1: segmentation gives every pixel a class — and cannot count the cows."""

import streamlit as st

from lessons.figures.label_maps import image_figure, label_map_figure
from ops.toy_scene import CLASSES, cow_field
from pages import figcache, navigation, practice_pictures, state, ui
from pages.lesson_start import lesson_start

SLUG = "segmentation"


def render() -> None:
    lesson_start(SLUG, practice_pictures.segmentation)

    st.slider(
        ui.t("segmentation.space_between_two_cows_pixels"),
        -2,
        6,
        key="segmentation.gap",
        help=ui.t("segmentation.0_or_less_cows_touch"),
    )
    gap = st.session_state["segmentation.gap"]
    scene = cow_field(gap)
    names = [ui.t(f"class.{c}") for c in CLASSES]

    SEMANTIC_COLOURS = ["#56B4E9", "#009E73", "#E69F00"]  # sky blue, bluish green, orange (Okabe-Ito)
    INSTANCE_COLOURS = ["#BBBBBB", "#E69F00", "#CC79A7"]  # grey = not a thing; one colour per cow

    top_left, top_right = st.columns(2)
    with top_left:
        ui.chart(
            figcache.figure(
                "segmentation.image",
                (gap,),
                lambda: image_figure(scene.image, ui.t("segmentation.input_image_12_22_pixels"), lang=ui.lang()),
            ),
            export="cows-image",
        )
    with top_right:
        ui.chart(
            figcache.figure("segmentation.semantic", (gap,), lambda: label_map_figure(
                scene.labels,
                names,
                ui.t("segmentation.semantic_segmentation_class_per_pixel"),
                colours=SEMANTIC_COLOURS, lang=ui.lang(),
            )),
            export="cows-semantic",
        )
    instance_names = [ui.t("segmentation.not_cow"), ui.t("segmentation.cow_1"), ui.t("segmentation.cow_2")]
    bottom_left, bottom_right = st.columns(2)
    with bottom_left:
        ui.chart(
            figcache.figure("segmentation.instances", (gap,), lambda: label_map_figure(
                scene.instances,
                instance_names,
                ui.t("segmentation.instance_segmentation_which_cow"),
                cell_text=[[str(v) if v else "" for v in row] for row in scene.instances],
                colours=INSTANCE_COLOURS, lang=ui.lang(),
            )),
            export="cows-instances",
        )
    cows_in_picture = int(scene.instances.max())
    with bottom_right:
        st.write("")
        st.metric(ui.t("segmentation.cows_counted_from_semantic_map"), scene.cow_blobs)
        st.metric(ui.t("segmentation.cows_picture"), cows_in_picture)
        if scene.cow_blobs != cows_in_picture:
            st.warning(ui.t("segmentation.cows_touch_every_cow_pixel"), icon=":material/pets:")
    ui.text(SLUG, "after")
    navigation.link("sliding-window")
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
