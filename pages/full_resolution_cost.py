"""Lesson: keeping every conv at full resolution is expensive; downsample, then upsample. The stack, the cost
of every layer and the cost against image size are computed and drawn in the browser
(pages/components/layer_stack.py); the server keeps the link."""

import streamlit as st

from pages import practice_pictures, state, ui
from pages.components import layer_stack
from pages.lesson_start import lesson_start

SLUG = "full-resolution-cost"
SETTINGS = {"size": f"{SLUG}.size"}


@st.fragment
def explorer() -> None:
    """The component (above, outside this fragment) answers every edit in the browser; this fragment reruns
    only when its sync passes the stack on (debounced), to keep the link and the link to the receptive-field
    lesson up to date. It holds only what follows the stack: a push resends nothing else."""
    layer_stack.layer_stack_sync(SLUG, SETTINGS)
    layer_stack.link("receptive-field")
    state.share_state()  # a fragment rerun does not reach the end of the page: keep the link up to date


def render() -> None:
    lesson_start(SLUG, practice_pictures.full_resolution_cost)
    layer_stack.init()
    st.subheader(ui.t("full_resolution_cost.layer_stack"))
    ui.text(SLUG, "stack")
    layer_stack.layer_stack(SLUG, "cost", SETTINGS)
    ui.text(SLUG, "table")
    ui.text(SLUG, "growth")
    ui.text(SLUG, "after")
    explorer()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
