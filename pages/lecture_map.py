"""Home: the lecture as a path, each step a card with a link."""

import streamlit as st

from lessons.catalog import BY_SLUG
from pages import ui

PATH = ["segmentation", "sliding-window", "per-pixel-loss", "full-resolution-cost", "upsampling",
        "receptive-field", "things-and-stuff", "live-demo", "fcn-lab"]
PER_ROW = 3

ui.leave_legacy_pages_mode()
st.title("Pixelwise")
ui.text("home", "intro")

st.subheader(ui.t("The path through the lecture", "课程路线"))
for start in range(0, len(PATH), PER_ROW):
    for column, slug in zip(st.columns(PER_ROW), PATH[start:start + PER_ROW]):
        number = PATH.index(slug) + 1
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{number}.**")
            ui.link(slug)
            ui.text("home", slug)
            if not BY_SLUG[slug].built:
                st.caption(ui.t(":material/construction: Not built yet.", ":material/construction: 尚未完成。"))

ui.text("home", "footer")
