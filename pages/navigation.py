"""Links between lessons: each lesson's st.Page, built from lessons/catalog.py, and what a link carries.

Pages are immutable st.Page objects made anew on every run, so nothing here is shared between sessions.
A link or a page switch matches its page by the URL path.
"""

import importlib

import streamlit as st

from lessons.catalog import BY_SLUG
from pages import ui


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


def link(slug: str, label: str | None = None) -> None:
    """A link to another lesson by its slug (works for lessons not built yet too)."""
    lesson = BY_SLUG[slug]
    target = lesson_page(slug)
    st.page_link(target, label=label or ui.lesson_title(slug), icon=lesson.icon, query_params=carried())


def carried() -> dict | None:
    """What travels to another lesson: the settings that belong to no lesson (language, presenter mode, the
    layer stack two lessons share)."""
    return {k: v for k, v in st.query_params.to_dict().items() if "." not in k} or None
