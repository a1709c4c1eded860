"""Thin Streamlit pages: each lesson module defines `render()`, which app.py hands to st.Page.

Every page module ends with a guard that hands over to app.py's navigation when Streamlit runs the file
as a page of its own. That happens on a fresh server: until st.navigation has been called once,
Streamlit treats a top-level pages/ folder as the old multipage layout, and the first request for a
deep link (a teacher's shared URL) runs that file directly. The guard uses only public API.
"""

# Imported here, before any page code runs: plotly looks pandas up in sys.modules without the import
# lock, so while one session's thread is still importing pandas another session's figure would get a
# half-initialised module ("partially initialized module 'pandas' has no attribute 'Series'").
import pandas  # noqa: F401
