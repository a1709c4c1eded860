"""The opening every lesson page shares, written once: title, lesson state from the URL, the lesson's
introduction, then its "Try it yourself" section (before the figures that would give the answer away).

    lesson_start(SLUG, practice_pictures.upsampling)
"""

from collections.abc import Callable

from pages import practice, state, ui


def lesson_start(slug: str, picture: Callable | None = None) -> None:
    ui.title(slug)
    state.init(slug)
    ui.text(slug, "intro")
    practice.practice_section(slug, picture)
