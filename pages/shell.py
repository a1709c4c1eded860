"""The app around every lesson: page config, sidebar (language, presenter mode, share), navigation.

app.py calls `run_app()`; so does a page module that Streamlit ran on its own (see pages/__init__.py).
The navigation is rebuilt on every run from lessons/catalog.py: pages are immutable st.Page objects made
from the catalog, so nothing here is shared between sessions.
"""

import importlib

import streamlit as st

from lessons import i18n
from lessons.catalog import BY_SLUG, GROUPS, LESSONS
from pages import classroom_ui, state, ui, warmup


def _lesson_body(slug: str):
    """The callable st.Page runs for a lesson: its module's render(), imported on first use."""
    lesson = BY_SLUG[slug]

    def body() -> None:
        if lesson.built:
            importlib.import_module(lesson.module).render()
        else:
            ui.not_built(slug)

    body.__name__ = lesson.url_path
    return body


def lesson_page(slug: str) -> st.Page:
    """The st.Page of a lesson (links and page switches match it by its URL path)."""
    lesson = BY_SLUG[slug]
    return st.Page(
        _lesson_body(slug),
        title=ui.lesson_title(slug),
        icon=lesson.icon,
        url_path=lesson.url_path,
        default=(slug == "home"),
    )


def _sidebar(current: str) -> None:
    known = i18n.languages()
    with st.sidebar:
        choice = st.selectbox(
            " / ".join(dict.fromkeys(i18n.t("app.language", code) for code in known)),  # readable in any language
            list(known),
            index=list(known).index(current),
            format_func=known.get,
            key="language_picker",
        )
        if choice != current:
            st.session_state["lang"] = choice
            st.query_params["lang"] = choice
            st.rerun()
        st.toggle(ui.t("app.presenter_mode"), key="present", help=ui.t("app.large_text_figures_projector_pageup"))
        with st.expander(ui.t("app.share_example"), icon=":material/link:"):
            ui.share_link()
        # the class pages open once st.navigation knows them (classroom_ui.open_requested)
        st.button(ui.t("classui.start_sidebar"), icon=":material/groups:", key="classui.sidebar_start",
                  on_click=classroom_ui.request, args=("teacher",), width="stretch")
        st.button(ui.t("classui.join_sidebar"), icon=":material/how_to_reg:", key="classui.sidebar_join",
                  on_click=classroom_ui.request, args=("student",), width="stretch")


def _navigation_sections() -> dict[str, list]:
    sections: dict[str, list] = {}
    for lesson in LESSONS:
        sections.setdefault(ui.t(GROUPS[lesson.group]), []).append(lesson_page(lesson.slug))
    next(iter(sections.values())).extend([classroom_ui.teacher_page(), classroom_ui.student_page()])  # hidden
    return sections


def run_app() -> None:
    st.set_page_config(page_title="Pixelwise", page_icon=":material/grid_on:", layout="wide")
    warmup.start()  # once per process: train, measure and draw in the background (pages/warmup.py)
    current = ui.lang()
    ui.init_state("present", state.PRESENT.default)
    _sidebar(current)

    selected = st.navigation(_navigation_sections())
    classroom_ui.open_requested()
    lesson = next((lesson.slug for lesson in LESSONS if lesson.url_path == selected.url_path), None)
    slug = lesson or st.session_state.get(classroom_ui.LAST_LESSON, "home")  # a class page: the lesson shown last
    st.session_state["_page_slug"] = slug
    if ui.presenting():
        ui.presenter_bar(slug)
    if current != i18n.DEFAULT_LANGUAGE and st.query_params.get("lang") != current:
        st.query_params["lang"] = current
    selected.run()
    if lesson is not None:
        classroom_ui.remember_lesson(lesson)  # "students follow me" sends the lesson and its settings
