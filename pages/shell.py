"""The app around every lesson: page config, sidebar (language, presenter mode, share link), the
presenter bar, and the navigation.

app.py calls `run_app()`; so does a page module that Streamlit ran on its own (see pages/__init__.py).
The navigation is rebuilt on every run from lessons/catalog.py: pages are immutable st.Page objects made
from the catalog, so nothing here is shared between sessions.
"""

import streamlit as st

from lessons import i18n
from lessons.catalog import GROUPS, LESSONS
from lessons.figures.favicon import data_url as favicon_url
from pages import classroom_ui, navigation, state, ui, warmup


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
        presenting = ui.presenting()
        # keyless, its value given: bound to the "present" key, the switch came back with its own default (off)
        # on the first click in a fresh server's first session, which left presenter mode (seen in Chromium,
        # tests/browser/test_every_page.py; the browser's widget state is reset there, cause not found)
        st.toggle(ui.t("app.presenter_mode"), value=presenting, on_change=_set_presenting, args=(not presenting,),
                  help=ui.t("app.large_text_figures_projector_pageup"))
        with st.expander(ui.t("app.share_example"), icon=":material/link:"):
            share_link()
        # the class pages open once st.navigation knows them (classroom_ui.open_requested)
        st.button(ui.t("classui.start_sidebar"), icon=":material/groups:", key="classui.sidebar_start",
                  on_click=classroom_ui.request, args=("teacher",), width="stretch")
        st.button(ui.t("classui.join_sidebar"), icon=":material/how_to_reg:", key="classui.sidebar_join",
                  on_click=classroom_ui.request, args=("student",), width="stretch")


def _navigation_sections() -> dict[str, list]:
    sections: dict[str, list] = {}
    for lesson in LESSONS:
        sections.setdefault(ui.t(GROUPS[lesson.group]), []).append(navigation.lesson_page(lesson.slug))
    next(iter(sections.values())).extend([classroom_ui.teacher_page(), classroom_ui.student_page()])  # hidden
    return sections


def run_app() -> None:
    st.set_page_config(page_title="Pixelwise", page_icon=favicon_url(), layout="wide")  # drawn by the app: no CDN
    warmup.start()  # once per process: train, measure and draw in the background (pages/warmup.py)
    current = ui.lang()
    state.init_state("present", state.PRESENT.default)
    _sidebar(current)

    selected = st.navigation(_navigation_sections())
    classroom_ui.open_requested()
    lesson = next((lesson.slug for lesson in LESSONS if lesson.url_path == selected.url_path), None)
    slug = lesson or st.session_state.get(classroom_ui.LAST_LESSON, "home")  # a class page: the lesson shown last
    st.session_state["_page_slug"] = slug
    if ui.presenting():
        presenter_bar(slug)
    if current != i18n.DEFAULT_LANGUAGE and st.query_params.get("lang") != current:
        st.query_params["lang"] = current
    selected.run()
    if lesson is not None:
        classroom_ui.remember_lesson(lesson)  # "students follow me" sends the lesson and its settings


# ---------------------------------------------------------------------------
# Presenter mode: readable from the back of a classroom.

PRESENTER_CSS = """
<style>
html { font-size: 21px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
    display: none;
}
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.2rem 2rem 3rem 2rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
[data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3rem; }
[data-testid="stDataFrame"] { zoom: 1.5; }  /* the editable grids are drawn on a canvas: fonts cannot reach it */
</style>
"""


def share_link() -> None:
    """The current page's URL, lesson state included, with a copy button (st.code has one)."""
    from urllib.parse import urlencode

    url = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    if query:
        url = f"{url}?{query}"
    st.caption(ui.t("ui.share_example_link_opens_exactly"))
    st.code(url, language=None, wrap_lines=True)


def presenter_bar(slug: str) -> None:
    """Previous / next lesson and exit, at the top of the page while presenting.

    PageUp / PageDown trigger them, which is what a presentation clicker sends.
    """
    order = [lesson.slug for lesson in LESSONS]
    here = order.index(slug) if slug in order else 0
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    back, forward, leave, live = st.columns([1, 1, 1, 1])
    if here > 0 and back.button(
        ui.t("ui.previous_lesson"), icon=":material/arrow_back:", shortcut="pageup", key="present.previous"
    ):
        st.switch_page(navigation.lesson_page(order[here - 1]), query_params=navigation.carried())
    if here < len(order) - 1 and forward.button(
        ui.t("ui.next_lesson"), icon=":material/arrow_forward:", shortcut="pagedown", key="present.next"
    ):
        st.switch_page(navigation.lesson_page(order[here + 1]), query_params=navigation.carried())
    leave.button(
        ui.t("ui.leave_presenter_mode"),
        icon=":material/close_fullscreen:",
        key="present.leave",
        on_click=_leave_presenter_mode,
    )
    if live.button(ui.t("classui.start_sidebar"), icon=":material/groups:", key="present.class"):
        classroom_ui.start_class()


def _set_presenting(on: bool) -> None:
    """The sidebar toggle's callback (before the script runs): presenter mode on or off, the link follows."""
    st.session_state["present"] = on
    if not on:
        st.query_params.pop("present", None)


def _leave_presenter_mode() -> None:
    # A callback runs before the script, the only moment a widget's key may be set.
    st.session_state["present"] = False
    st.query_params.pop("present", None)
