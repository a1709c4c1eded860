"""Pixelwise: an interactive explainer of semantic segmentation. Run: streamlit run app.py"""

import streamlit as st

from lessons.catalog import GROUPS, LESSONS
from lessons.text import LANGUAGES
from pages import ui

st.set_page_config(page_title="Pixelwise", page_icon=":material/grid_on:", layout="wide")

current = ui.lang()
ui.init_state("present", False)
with st.sidebar:
    choice = st.selectbox(
        "Language / 语言", list(LANGUAGES), index=list(LANGUAGES).index(current),
        format_func=LANGUAGES.get, key="language_picker",
    )
    if choice != current:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()
    st.toggle(ui.t("Presenter mode", "演示模式"), key="present",
              help=ui.t("Large text and figures for a projector; PageUp/PageDown change lesson.",
                        "为投影仪放大文字和图表；PageUp/PageDown 切换课程。"))
    with st.expander(ui.t("Share this example", "分享这个例子"), icon=":material/link:"):
        ui.share_link()

navigation = {}
slug_of = {}
for lesson in LESSONS:
    page_title = lesson.title.get(current, lesson.title["en"])
    source = lesson.page if lesson.built else ui.not_built_page(lesson.slug)
    page = st.Page(source, title=page_title, icon=lesson.icon, url_path=lesson.url_path,
                   default=(lesson.slug == "home"))
    navigation.setdefault(GROUPS[lesson.group][current], []).append(page)
    ui.PAGES[lesson.slug] = page
    slug_of[page.url_path] = lesson.slug

selected = st.navigation(navigation)
st.session_state["_page_slug"] = slug_of.get(selected.url_path, "home")
if ui.presenting():
    ui.presenter_bar(st.session_state["_page_slug"])
if current != "en" and st.query_params.get("lang") != current:
    st.query_params["lang"] = current
selected.run()
