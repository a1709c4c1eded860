"""Things & stuff: what semantic segmentation, object detection and instance segmentation each answer,
and how Mask R-CNN keeps touching cows apart (detect a box per object, then segment inside each box)."""

import streamlit as st

from lessons.figures.label_maps import image_figure, label_map_figure
from lessons.figures.things_stuff import boxes_figure
from ops.segmentation.instances import box_mask, from_semantic, object_boxes
from ops.toy_scene import CLASSES, GRASS, SKY, cow_field
from pages import figcache, navigation, practice_pictures, state, ui
from pages.instance_lab import render_instance_lab
from pages.lesson_start import lesson_start

SLUG = "things-and-stuff"


def render() -> None:
    lesson_start(SLUG, practice_pictures.things_and_stuff)

    st.slider(
        ui.t("things_and_stuff.space_between_two_cows_pixels"),
        -2,
        6,
        key="things-and-stuff.gap",
        help=ui.t("things_and_stuff.0_or_less_cows_touch"),
    )
    gap = st.session_state["things-and-stuff.gap"]
    scene = cow_field(gap)
    names = [ui.t(f"things_and_stuff.class.{c}") for c in CLASSES]
    SEMANTIC_COLOURS = ["#56B4E9", "#009E73", "#E69F00"]
    INSTANCE_COLOURS = ["#BBBBBB", "#E69F00", "#CC79A7"]
    cow = ui.t("things_and_stuff.cow")
    boxes = object_boxes(scene.instances)
    blobs = from_semantic(scene.labels, CLASSES, stuff=(SKY, GRASS), min_fraction=0).counts().get("cow", 0)

    st.header(ui.t("things_and_stuff.three_tasks_three_answers"))
    top_left, top_right = st.columns(2)
    with top_left:
        ui.chart(
            figcache.figure(
                "things-and-stuff.image",
                (gap,),
                lambda: image_figure(scene.image, ui.t("things_and_stuff.input_image_12_22_pixels"), lang=ui.lang()),
            ),
            key="things-and-stuff.image",
            export="things-stuff-image",
        )
    with top_right:
        ui.chart(
            figcache.figure("things-and-stuff.semantic", (gap,), lambda: label_map_figure(
                scene.labels,
                names,
                ui.t("things_and_stuff.semantic_segmentation_things_stuff_no"),
                colours=SEMANTIC_COLOURS, lang=ui.lang(),
            )),
            key="things-and-stuff.semantic",
            export="things-stuff-semantic",
        )
    bottom_left, bottom_right = st.columns(2)
    with bottom_left:
        ui.chart(
            figcache.figure("things-and-stuff.detection", (gap,), lambda: boxes_figure(
                scene.image,
                boxes,
                [f"{cow} {k}" for k in range(1, len(boxes) + 1)],
                ui.t("things_and_stuff.object_detection_box_per_thing"), lang=ui.lang(),
            )),
            key="things-and-stuff.detection",
            export="things-stuff-detection",
        )
    with bottom_right:
        instance_names = [ui.t("things_and_stuff.not_object"), f"{cow} 1", f"{cow} 2"]
        ui.chart(
            figcache.figure("things-and-stuff.instances", (gap,), lambda: label_map_figure(
                scene.instances,
                instance_names,
                ui.t("things_and_stuff.instance_segmentation_mask_per_thing"),
                cell_text=[[str(v) if v else "" for v in row] for row in scene.instances],
                colours=INSTANCE_COLOURS, lang=ui.lang(),
            )),
            key="things-and-stuff.instances",
            export="things-stuff-instances",
        )

    counts = st.columns(3)
    counts[0].metric(ui.t("things_and_stuff.cows_from_semantic_map_connected"), blobs)
    counts[1].metric(ui.t("things_and_stuff.cows_found_detection_boxes"), len(boxes))
    counts[2].metric(ui.t("things_and_stuff.cows_from_instance_segmentation_masks"), int(scene.instances.max()))
    if blobs != len(boxes):
        st.warning(ui.t("things_and_stuff.cows_touch_semantic_map_has"), icon=":material/pets:")
    ui.text(SLUG, "tasks")

    st.header(ui.t("things_and_stuff.mask_r_cnn_detect_then"))
    ui.text(SLUG, "mask-rcnn")
    columns = st.columns(max(1, len(boxes)))
    for k, (column, box) in enumerate(zip(columns, boxes), start=1):
        inside = box_mask(scene.instances, k, box)
        x1, y1, x2, y2 = box
        with column:
            ui.chart(
                figcache.figure(f"things-and-stuff.box{k}", (gap,), lambda: label_map_figure(
                    inside,
                    [ui.t("things_and_stuff.not_cow"), f"{cow} {k}"],
                    ui.t("things_and_stuff.box_pixels_mask_only", k=k, x2_x1=x2 - x1 + 1, y2_y1=y2 - y1 + 1, cow=cow),
                    cell_text=[[str(v) for v in row] for row in inside],
                    colours=["#BBBBBB", INSTANCE_COLOURS[min(k, 2)]],
                    height=320, lang=ui.lang(),
                )),
                key=f"things-and-stuff.box{k}",
            )
    ui.text(SLUG, "real-photos")
    navigation.link("live-demo", ui.t("things_and_stuff.try_real_photo_live_demo"))
    render_instance_lab()
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
