"""Browser components: the small-grid lessons compute and draw in the browser, with no round trip per edit.

Each component is a Streamlit Components v2 component (`st.components.v2.component`: inline HTML, CSS
and JavaScript, no iframe). Its JavaScript is made of plain files in this folder, one idea per file:
computation files (`*_math.js`) define one global namespace object each and touch no DOM, so the
tests load them alone into Chromium and compare every function with PyTorch; the file that draws ends
with the component's `export default function (component) { ... }`. Everything is served from here:
nothing is loaded from a CDN, so a lesson works offline.
"""

from functools import cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def source(*names: str) -> str:
    """The named files of this folder, joined in order (computation first, the drawing module last)."""
    return "\n\n".join((HERE / name).read_text(encoding="utf-8") for name in names)


@cache
def register(name: str, js: tuple[str, ...], css: tuple[str, ...] = (), html: str | None = None):
    """The mount command of component `name`, registered once per process from its files."""
    return st.components.v2.component(
        f"pixelwise.{name}", js=source(*js), css=source(*css) if css else None, html=html
    )
