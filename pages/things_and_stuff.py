"""Things & stuff: what semantic segmentation, object detection and instance segmentation each answer,
and how Mask R-CNN keeps touching cows apart (detect a box per object, then segment inside each box)."""

import streamlit as st

from lessons.figures.label_maps import image_figure, label_map_figure
from lessons.figures.things_stuff import boxes_figure
from ops.segmentation.instances import box_mask, from_semantic, object_boxes
from ops.toy_scene import CLASSES, GRASS, SKY, cow_field
from pages import ui

SLUG = "things-and-stuff"
ui.title(SLUG)
ui.text(SLUG, "intro")

ui.init_state("things-and-stuff.gap", 0, lo=-2, hi=6)
st.slider(ui.t("Space between the two cows (pixels)", "两头牛之间的距离（像素）"), -2, 6, key="things-and-stuff.gap",
          help=ui.t("0 or less: the cows touch.", "0 或更小：两头牛挨在一起。"))
scene = cow_field(st.session_state["things-and-stuff.gap"])
NAMES_ZH = {"sky": "天空（背景）", "grass": "草地（背景）", "cow": "牛（物体）"}
names = [ui.t(f"{c} (stuff)" if c != "cow" else "cow (thing)", NAMES_ZH[c]) for c in CLASSES]
SEMANTIC_COLOURS = ["#56B4E9", "#009E73", "#E69F00"]
INSTANCE_COLOURS = ["#BBBBBB", "#E69F00", "#CC79A7"]
cow = ui.t("cow", "牛")
boxes = object_boxes(scene.instances)
blobs = from_semantic(scene.labels, CLASSES, stuff=(SKY, GRASS), min_fraction=0).counts().get("cow", 0)

st.header(ui.t("Three tasks, three answers", "三种任务，三种答案"))
top_left, top_right = st.columns(2)
with top_left:
    ui.chart(image_figure(scene.image, ui.t("Input image (12×22 pixels)", "输入图像（12×22 像素）")),
             key="things-and-stuff.image", export="things-stuff-image")
with top_right:
    ui.chart(label_map_figure(scene.labels, names, ui.t("Semantic segmentation: things AND stuff, no objects",
                                                        "语义分割：物体和背景都有类别，但没有个体"),
                              colours=SEMANTIC_COLOURS), key="things-and-stuff.semantic", export="things-stuff-semantic")
bottom_left, bottom_right = st.columns(2)
with bottom_left:
    ui.chart(boxes_figure(scene.image, boxes, [f"{cow} {k}" for k in range(1, len(boxes) + 1)],
                          ui.t("Object detection: a box per thing, stuff ignored", "目标检测：每个物体一个框，忽略背景")),
             key="things-and-stuff.detection", export="things-stuff-detection")
with bottom_right:
    instance_names = [ui.t("not an object", "不是物体"), f"{cow} 1", f"{cow} 2"]
    ui.chart(label_map_figure(scene.instances, instance_names,
                              ui.t("Instance segmentation: a mask per thing", "实例分割：每个物体一个掩码"),
                              cell_text=[[str(v) if v else "" for v in row] for row in scene.instances],
                              colours=INSTANCE_COLOURS), key="things-and-stuff.instances", export="things-stuff-instances")

counts = st.columns(3)
counts[0].metric(ui.t("Cows from the semantic map (connected blobs)", "从语义图数出的牛（连通区域）"), blobs)
counts[1].metric(ui.t("Cows found by detection (boxes)", "检测到的牛（框）"), len(boxes))
counts[2].metric(ui.t("Cows from instance segmentation (masks)", "实例分割得到的牛（掩码）"), int(scene.instances.max()))
if blobs != len(boxes):
    st.warning(ui.t("The cows touch: the semantic map has one cow blob, yet there are two cows. Detection and "
                    "instance segmentation still see two.",
                    "两头牛挨在一起：语义图里只有一块“牛”，但实际上有两头牛。检测和实例分割仍然能看到两头。"),
               icon=":material/pets:")
ui.text(SLUG, "tasks")

st.header(ui.t("Mask R-CNN: detect, then segment inside each box", "Mask R-CNN：先检测，再在每个框内分割"))
ui.text(SLUG, "mask-rcnn")
columns = st.columns(max(1, len(boxes)))
for k, (column, box) in enumerate(zip(columns, boxes), start=1):
    inside = box_mask(scene.instances, k, box)
    x1, y1, x2, y2 = box
    with column:
        ui.chart(label_map_figure(inside, [ui.t("not this cow", "不是这头牛"), f"{cow} {k}"],
                                  ui.t(f"Box {k} ({x2 - x1 + 1}×{y2 - y1 + 1} pixels): mask of {cow} {k} only",
                                       f"框 {k}（{x2 - x1 + 1}×{y2 - y1 + 1} 像素）：只有{cow} {k} 的掩码"),
                                  cell_text=[[str(v) for v in row] for row in inside],
                                  colours=["#BBBBBB", INSTANCE_COLOURS[min(k, 2)]], height=320),
                 key=f"things-and-stuff.box{k}")
ui.text(SLUG, "real-photos")
ui.link("live-demo", ui.t("Try it on a real photo: the live demo", "在真实照片上试试：实时分割演示"))
ui.share_state()
