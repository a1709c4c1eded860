"""Pixelwise: an interactive explainer of semantic segmentation. Run: streamlit run app.py"""

import streamlit as st

from lessons.catalog import GROUPS, LESSONS
from lessons.text import LANGUAGES
from pages import ui

st.set_page_config(page_title="Pixelwise", page_icon=":material/grid_on:", layout="wide")

current = ui.lang()
with st.sidebar:
    choice = st.selectbox(
        "Language / 语言", list(LANGUAGES), index=list(LANGUAGES).index(current),
        format_func=LANGUAGES.get, key="language_picker",
    )
    if choice != current:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()

navigation = {}
for lesson in LESSONS:
    page_title = lesson.title.get(current, lesson.title["en"])
    source = lesson.page if lesson.built else ui.not_built_page(lesson.slug)
    page = st.Page(source, title=page_title, icon=lesson.icon, url_path=lesson.url_path,
                   default=(lesson.slug == "home"))
    navigation.setdefault(GROUPS[lesson.group][current], []).append(page)
    ui.PAGES[lesson.slug] = page

st.navigation(navigation).run()
