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


class LessonView:
    """A page's own elements, without its "Try it yourself" section (pages/practice.py), so a lesson's
    tests can find its tables, metrics and charts by position whatever the exercise shows."""

    def __init__(self, at: AppTest):
        self._elements = list(_outside_practice(at.main))

    def get(self, element_type: str) -> list:
        return [e for e in self._elements if getattr(e, "type", None) == element_type]

    def __getattr__(self, name: str) -> list:
        return self.get(name)


def lesson(at: AppTest) -> LessonView:
    return LessonView(at)


def _outside_practice(block):
    for child in getattr(block, "children", {}).values():
        if "-practice" in str(getattr(getattr(child, "proto", None), "id", "")) and hasattr(child, "children"):
            continue  # the exercise's container
        if hasattr(child, "children") and getattr(child, "type", None) not in ("dataframe", "plotly_chart"):
            yield from _outside_practice(child)
        else:
            yield child
