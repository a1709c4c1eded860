"""Thin Streamlit pages. Every page imports this package first (``from pages import ui``).

On a fresh server Streamlit starts in its legacy "pages/ folder" mode until app.py has called
st.navigation once, so the very first request for a deep link (a teacher's shared URL) would run the
page file on its own, without app.py's navigation and settings. `leave_legacy_pages_mode` switches
that mode off and reruns the request, which then goes through app.py and lands on the same page (each
page's URL path is its file's stem, so the page hashes agree). `ui.title` calls it first thing.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def leave_legacy_pages_mode() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


leave_legacy_pages_mode()
