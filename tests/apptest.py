"""Open a page of the app headless with Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lessons.catalog import BY_SLUG

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(slug: str, timeout: float = 120, query: dict | None = None) -> AppTest:
    """Open the lesson `slug` as a student's first request would, and return the AppTest after the run.

    Before its first run AppTest names a page by its file, whose stem is the lesson's URL path: the run
    goes through the page file's hand-over to app.py, like a fresh server's deep link.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(BY_SLUG[slug].page)
    at.run()
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
