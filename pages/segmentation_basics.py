"""Lesson 1: segmentation gives every pixel a class — and cannot count the cows."""

import streamlit as st

from lessons.figures.label_maps import image_figure, label_map_figure
from ops.toy_scene import CLASSES, cow_field
from pages import ui

SLUG = "segmentation"
ui.title(SLUG)
ui.text(SLUG, "intro")

ui.init_state("segmentation.gap", 3, lo=-2, hi=6)
st.slider(ui.t("Space between the two cows (pixels)", "两头牛之间的距离（像素）"), -2, 6,
          key="segmentation.gap", help=ui.t("0 or less: the cows touch.", "0 或更小：两头牛挨在一起。"))
scene = cow_field(st.session_state["segmentation.gap"])
names = [ui.t(c, {"sky": "天空", "grass": "草地", "cow": "牛"}[c]) for c in CLASSES]

SEMANTIC_COLOURS = ["#56B4E9", "#009E73", "#E69F00"]  # sky blue, bluish green, orange (Okabe-Ito)
INSTANCE_COLOURS = ["#BBBBBB", "#E69F00", "#CC79A7"]  # grey = not a thing; one colour per cow

top_left, top_right = st.columns(2)
with top_left:
    ui.chart(image_figure(scene.image, ui.t("Input image (12×22 pixels)", "输入图像（12×22 像素）")),
             export="cows-image")
with top_right:
    ui.chart(label_map_figure(scene.labels, names, ui.t("Semantic segmentation: a class per pixel",
                                                        "语义分割：每个像素一个类别"),
                              colours=SEMANTIC_COLOURS), export="cows-semantic")
instance_names = [ui.t("not a cow", "不是牛"), ui.t("cow 1", "牛 1"), ui.t("cow 2", "牛 2")]
bottom_left, bottom_right = st.columns(2)
with bottom_left:
    ui.chart(label_map_figure(scene.instances, instance_names,
                              ui.t("Instance segmentation: which cow", "实例分割：哪一头牛"),
                              cell_text=[[str(v) if v else "" for v in row] for row in scene.instances],
                              colours=INSTANCE_COLOURS), export="cows-instances")
cows_in_picture = int(scene.instances.max())
with bottom_right:
    st.write("")
    st.metric(ui.t("Cows counted from the semantic map (connected blobs)", "从语义图数出的牛（连通区域）"),
              scene.cow_blobs)
    st.metric(ui.t("Cows in the picture", "图中实际的牛"), cows_in_picture)
    if scene.cow_blobs != cows_in_picture:
        st.warning(ui.t("The cows touch: every 'cow' pixel is labelled correctly, yet the semantic map is one "
                        "blob. It cannot say which pixels belong to which cow, nor how many cows there are.",
                        "两头牛挨在一起：每个“牛”像素都标对了，但语义图只是一整块。它无法说出哪些像素属于哪一头牛，"
                        "也无法说出一共有几头牛。"), icon=":material/pets:")
ui.text(SLUG, "after")
ui.link("sliding-window")
ui.share_state()
