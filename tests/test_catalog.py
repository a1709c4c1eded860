"""The lesson catalog's rules that keep navigation working from the very first request."""

from lessons.catalog import LESSONS


def test_slugs_are_unique():
    assert len({lesson.slug for lesson in LESSONS}) == len(LESSONS)


def test_every_lesson_has_english_and_chinese_titles():
    for lesson in LESSONS:
        assert lesson.title.get("en") and lesson.title.get("zh"), lesson
