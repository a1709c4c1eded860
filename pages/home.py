"""Home: the lecture as a path, each step a link."""

import streamlit as st

from lessons.catalog import BY_SLUG
from pages import ui

PATH = ["segmentation", "sliding-window", "per-pixel-loss", "full-resolution-cost", "upsampling",
        "receptive-field", "things-and-stuff", "live-demo", "fcn-lab"]

st.title("Pixelwise")
ui.text("home", "intro")

st.subheader(ui.t("The path through the lecture", "课程路线"))
for number, slug in enumerate(PATH, start=1):
    lesson = BY_SLUG[slug]
    left, right = st.columns([0.06, 0.94], vertical_alignment="center")
    left.markdown(f"### {number}")
    with right:
        ui.link(slug)
        ui.text("home", slug)
        if not lesson.built:
            st.caption(ui.t("Not built yet.", "尚未完成。"))

ui.text("home", "footer")
