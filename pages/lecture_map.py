"""Home: the lecture as a path, each step a card with a link."""

import streamlit as st

from lessons.catalog import BY_SLUG
from pages import navigation, ui

PATH = [
    "segmentation",
    "sliding-window",
    "per-pixel-loss",
    "full-resolution-cost",
    "upsampling",
    "receptive-field",
    "things-and-stuff",
    "live-demo",
    "fcn-lab",
]
PER_ROW = 3


def render() -> None:
    st.title("Pixelwise")
    ui.text("home", "intro")

    st.subheader(ui.t("home.path_through_lecture"))
    for start in range(0, len(PATH), PER_ROW):
        for column, slug in zip(st.columns(PER_ROW), PATH[start : start + PER_ROW]):
            number = PATH.index(slug) + 1
            with column.container(border=True, height="stretch"):
                st.markdown(f"**{number}.**")
                navigation.link(slug)
                ui.text("home", slug)
                if not BY_SLUG[slug].built:
                    st.caption(ui.t("home.not_built_yet"))

    ui.text("home", "footer")


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
