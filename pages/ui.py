"""Small Streamlit helpers shared by every page: language, lesson text, messages.

Pages stay thin: widgets and layout. Anything computed lives in ops/, any figure in lessons/figures/.
"""

import streamlit as st

from lessons.catalog import BY_SLUG
from lessons.text import DEFAULT_LANGUAGE, LANGUAGES, section

# slug -> st.Page, filled by app.py on every run so pages can link to each other
PAGES: dict = {}


def lang() -> str:
    """The language the user chose ('en' or 'zh'); kept in the URL as ?lang=."""
    chosen = st.session_state.get("lang")
    if chosen not in LANGUAGES:
        chosen = st.query_params.get("lang", DEFAULT_LANGUAGE)
        if chosen not in LANGUAGES:
            chosen = DEFAULT_LANGUAGE
        st.session_state["lang"] = chosen
    return chosen


def t(en: str, zh: str | None = None) -> str:
    """Inline translation for short UI strings (labels, captions)."""
    return zh if (zh and lang() == "zh") else en


def text(slug: str, name: str = "intro") -> None:
    """Render one section of a lesson's Markdown in the chosen language."""
    body = section(slug, name, lang())
    if body:
        st.markdown(body)


def title(slug: str) -> None:
    """The page title from the lesson catalog, in the chosen language."""
    lesson = BY_SLUG[slug]
    st.title(lesson.title.get(lang(), lesson.title["en"]))


def lesson_title(slug: str) -> str:
    lesson = BY_SLUG[slug]
    return lesson.title.get(lang(), lesson.title["en"])


def bad_input(message: str) -> None:
    """A clear, non-technical message about input we could not use."""
    st.warning(message, icon=":material/warning:")


def not_built_page(slug: str):
    """A stand-in page for a lesson that is planned but not written yet."""

    def page():
        title(slug)
        st.info(t("This lesson is not built yet. It is on the lecture map so you can see where it fits.",
                  "这一课还没有完成。它出现在课程地图上，方便你看到它在整个课程中的位置。"),
                icon=":material/construction:")

    page.__name__ = "not_built_" + slug.replace("-", "_")
    return page


def link(slug: str, label: str | None = None) -> None:
    """A link to another lesson by its slug (works for lessons not built yet too)."""
    lesson = BY_SLUG[slug]
    target = PAGES.get(slug, lesson.page)
    st.page_link(target, label=label or lesson_title(slug), icon=lesson.icon)
