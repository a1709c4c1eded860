"""Every lesson in every language, tall screenshots in screenshots/ for a person to compare by eye.

docs/update_readme_images.py copies the README's pictures from here, so they stay current.
"""

import pytest

from lessons.catalog import LESSONS
from lessons.i18n import languages
from tests.browser.conftest import assert_no_exception, settle, tall_screenshot


@pytest.mark.parametrize("lang", list(languages()))
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_page_in_every_language(page, server_url, lesson, lang):
    path = "/" if lesson.slug == "home" else f"/{lesson.url_path}"
    page.goto(f"{server_url}{path}?lang={lang}")
    settle(page, timeout=120_000)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().strip()
    tall_screenshot(page, f"{lang}-{lesson.slug}", height=3000)
