"""Thin Streamlit pages. Every page imports this package first (``from pages import ui``).

On a fresh server Streamlit starts in its legacy "pages/ folder" mode until app.py has called
st.navigation once, so the very first request for a deep link (a teacher's shared URL) would run the
page file on its own, without app.py's navigation and settings. `leave_legacy_pages_mode` switches
that mode off and reruns the request, which then goes through app.py and lands on the same page (each
page's URL path is its file's stem, so the page hashes agree). `ui.title` calls it first thing.

When a whole class opens links at once, one session may leave the legacy mode while another's request
was already sent to its page file on its own; that page sees the mode already off, so the check also
asks whether the script running is a page file rather than app.py.
"""

import sys
from pathlib import Path

# Imported here, before any page code runs: plotly looks pandas up in sys.modules without the import
# lock, so while one session's thread is still importing pandas another session's figure would get a
# half-initialised module ("partially initialized module 'pandas' has no attribute 'Series'").
import pandas  # noqa: F401
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

PAGES_DIR = Path(__file__).resolve().parent


def _page_runs_on_its_own() -> bool:
    """True when the script this thread executes is a file of pages/ rather than app.py.

    Streamlit executes the main script, and st.Page the page inside it, as modules named "__main__";
    the outermost such frame is the script the run started with.
    """
    script = None
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == "__main__":
            script = frame.f_globals.get("__file__")
        frame = frame.f_back
    return script is not None and Path(script).resolve().parent == PAGES_DIR


def leave_legacy_pages_mode() -> None:
    if PagesManager.uses_pages_directory or _page_runs_on_its_own():
        PagesManager.uses_pages_directory = False
        st.rerun()


leave_legacy_pages_mode()
