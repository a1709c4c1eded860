"""Every page of the lecture map opens without an exception."""

import pytest

from lessons.catalog import BY_SLUG, LESSONS
from tests.apptest import assert_no_exception, open_page


@pytest.mark.parametrize("slug", [lesson.slug for lesson in LESSONS])
def test_every_page_opens(slug):
    if not BY_SLUG[slug].built:
        pytest.skip(f"lesson {slug!r} is not built yet (the app shows a 'not built yet' page)")
    at = open_page(slug)
    assert_no_exception(at)
    assert at.title, "every page has a title"


def test_home_links_every_lesson():
    at = open_page("home")
    assert_no_exception(at)
    text = " ".join(m.value for m in at.markdown)
    assert "every pixel" in text


def test_home_in_chinese():
    at = open_page("home", query={"lang": "zh"})
    assert_no_exception(at)
    assert any("课程路线" in s.value for s in at.subheader)
