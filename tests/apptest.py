"""Open a page of the app headless with Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lessons.catalog import BY_SLUG

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(slug: str, timeout: float = 30, query: dict | None = None) -> AppTest:
    """Run app.py, switch to the lesson `slug`, and return the AppTest after the run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(BY_SLUG[slug].page)
    at.run()
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
