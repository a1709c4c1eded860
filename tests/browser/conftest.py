"""A real browser against a real server: `streamlit run app.py` on 127.0.0.1 and Debian's Chromium.

The server and the browser helpers live in harness/ (the benches use them too); this file holds the
fixtures. Tests here skip with a reason where /usr/bin/chromium is absent (`.ci/run` installs it).
"""

import contextlib
from pathlib import Path

import pytest

from harness.chromium import (  # noqa: F401  (re-exported for the tests of this folder)
    CHROMIUM,
    CHROMIUM_FLAGS,
    INDEX_WIDTH,
    LESSON_CHARTS,
    LESSON_TABLES,
    QUIET,
    ROOT,
    ROW_HEIGHT,
    SCREENSHOTS,
    assert_no_exception,
    edit_cell,
    launch,
    open_lesson,
    screenshot,
    settle,
    tall_screenshot,
)
from harness.local_server import serve


@contextlib.contextmanager
def running_app(extra_env: dict | None = None):
    """`streamlit run app.py` with the shipped config on a free loopback port (harness/local_server.py);
    yields its URL and stops it afterwards."""
    with contextlib.ExitStack() as stack:
        try:
            url, _ = stack.enter_context(serve(start_timeout=60, extra_env=extra_env))
        except RuntimeError as error:
            pytest.fail(f"streamlit did not start: {error}")
        yield url


@pytest.fixture(scope="session")
def server_url():
    """One app server for the whole browser session (one per pytest-xdist worker)."""
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    yield p
    context.close()


@contextlib.contextmanager
def script_page(browser, script: Path):
    """A blank page holding only one browser script (a component's *_math.js): the math tests evaluate its
    functions there, with nothing else of the app around them."""
    page = browser.new_page()
    page.set_content(f"<!doctype html><title>{script.name}</title>")
    page.add_script_tag(content=script.read_text(encoding="utf-8"))
    try:
        yield page
    finally:
        page.close()
