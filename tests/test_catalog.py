"""The lesson catalog's rules that keep navigation working from the very first request."""

from lessons import i18n
from lessons.catalog import LESSONS


def test_slugs_are_unique():
    assert len({lesson.slug for lesson in LESSONS}) == len(LESSONS)


def test_every_lesson_has_english_and_chinese_titles():
    for lesson in LESSONS:
        assert i18n.messages("en").get(lesson.title_key) and i18n.messages("zh").get(lesson.title_key), lesson
