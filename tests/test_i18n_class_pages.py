"""A class in a language with no English in it: every word on the teacher's and the students' pages, and in
their figures (titles, hover texts, labels), comes from the catalogs (issue 20, item 3).

The stub language (tests/stub_language.py) says every message as "ẋ" and its values: any English word
still on the page was written into the code, or is a catalog key the page asked for and no catalog has."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from harness.apptest import APP, assert_no_exception
from pages import ui
from pages.classroom_ui import exercise_lessons
from tests import stub_language
from tests.english_leaks import english_words

STYLE = re.compile(r"<style[^>]*>.*?</style>|<script[^>]*>.*?</script>|/\*.*?\*/", re.S)  # styling is not read
URL = re.compile(r"\S+://\S+|/class_student\?\S+|\?[\w=&.%-]+")  # links are not words
SHOWN_IN_FIGURES = {"text", "title", "hovertemplate", "texttemplate", "name", "ticktext", "customdata"}
DISPLAYS = {"title", "header", "subheader", "markdown", "caption", "text", "code", "latex", "html", "info", "success",
            "warning", "error", "exception", "metric", "toast", "badge"}
NOT_SHOWN = {"language_picker"}  # the picker names every language in its own words: "English" is right there


@pytest.fixture
def stub(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXELWISE_LESSON_DIR", str(stub_language.make(tmp_path)))
    monkeypatch.setenv("PIXELWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'class.sqlite3'}")


def _session(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = stub_language.CODE
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert_no_exception(at)
    return at


def _figure_words(spec, path="") -> list[tuple[str, str]]:
    """(where, text) of every shown string of a plotly figure's JSON (its template is styling, not words)."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "template":
                continue
            if key in SHOWN_IN_FIGURES and isinstance(value, str):
                found.append((f"{path}.{key}", value))
            else:
                found += _figure_words(value, f"{path}.{key}")
    elif isinstance(spec, list):
        for item in spec:
            if isinstance(item, str) and path.rsplit(".", 1)[-1] in SHOWN_IN_FIGURES:
                found.append((path, item))
            else:
                found += _figure_words(item, path)
    return found


def _shown(node) -> list[tuple[str, str]]:
    """(element, text) of everything a person reads in an element tree: texts, labels, help, placeholders,
    options, metric values, expander and tab labels, and the figures' words."""
    found = []
    kind = getattr(node, "type", type(node).__name__)
    if getattr(node, "key", None) in NOT_SHOWN:
        return found
    if kind == "plotly_chart":
        return [(f"figure{where}", text) for where, text in _figure_words(json.loads(node.proto.spec))]
    for attr in ("value", "label", "help", "placeholder", "body", "caption"):
        if attr == "value" and kind not in DISPLAYS:  # a widget's value is the person's own (options are shown)
            continue
        try:
            value = getattr(node, attr, None)
        except Exception:  # a widget whose value needs state the tree lacks
            continue
        if isinstance(value, str) and value:
            found.append((f"{kind}.{attr}", value))
    try:
        options = getattr(node, "options", None)
    except Exception:
        options = None
    found += [(f"{kind}.option", option) for option in options or () if isinstance(option, str)]
    proto = getattr(node, "proto", None)
    for field in ("label", "help"):  # blocks: expanders, tabs, popovers
        for holder in ("expandable", "tab", "popover"):
            text = getattr(getattr(proto, holder, None), field, None) if proto is not None else None
            if isinstance(text, str) and text:
                found.append((f"{holder}.{field}", text))
    for child in getattr(node, "children", {}).values():
        found += _shown(child)
    return found


def english_on(at: AppTest) -> list[str]:
    leaks = []
    for where, text in _shown(at._tree):
        words = english_words(URL.sub(" ", STYLE.sub(" ", text)))
        if words:
            leaks.append(f"{where}: {words} in {text[:120]!r}")
    return leaks


def _submit(at: AppTest, form: str) -> AppTest:
    """Press a form's submit button, found by its form (its label is in the stub language)."""
    [button] = [b for b in at.button if str(b.key).startswith(f"FormSubmitter:{form}")]
    button.click().run()
    assert_no_exception(at)
    return at


@pytest.mark.slow
def test_a_class_in_a_stub_language_shows_no_english(stub):
    with ui.as_viewer(stub_language.CODE):  # the widgets' format_func runs here too, when a test sets a value
        _a_class()


def _a_class():
    teacher = _session("pages/class_teacher.py")
    assert english_on(teacher) == []
    teacher.button(key="classui.start_here").click().run()
    assert_no_exception(teacher)
    code = teacher.session_state["classui.teacher"]["code"]
    students = [_session("pages/class_student.py", {"code": code}) for _ in range(2)]
    for student in students:
        assert english_on(student) == []
        student.text_input(key="classui.join_name").set_value("ẋ")
        _submit(student, "classui.join_form")
    checked = answered = 0
    for lesson, seed in (("upsampling", 2), ("segmentation", 1)):  # a cell on a grid; a class name on a map
        choice = teacher.selectbox(key="classui.push_lesson")  # its options are in the stub: chosen by place
        choice.select_index(exercise_lessons().index(lesson))
        teacher.number_input[0].set_value(seed)
        _submit(teacher, "classui.push_form")
        question = teacher.session_state["classui.teacher"]["question"]
        for student, given in zip(students, ("1, 1", "0")):
            student.run()
            assert english_on(student) == [], lesson
            box = [t for t in student.text_input if str(t.key).startswith(f"classui.answer.{question}")]
            choices = [b for b in student.button if str(b.key).startswith(f"classui.choice.{question}.")]
            if box:  # the typed form (kept for keyboards and screen readers)
                box[0].set_value(given)
                _submit(student, f"classui.answer_form.{question}")
            elif choices:  # a choice is a button
                choices[0].click().run()
                assert_no_exception(student)
            answered += bool(box or choices)
            assert english_on(student) == [], lesson
        teacher.run()
        assert english_on(teacher) == [], lesson
        teacher.button(key="classui.reveal").click().run()
        assert_no_exception(teacher)
        assert english_on(teacher) == [], lesson
        for student in students:
            student.run()
            assert english_on(student) == [], lesson
        checked += len(_shown(teacher._tree)) + sum(len(_shown(s._tree)) for s in students)
    assert checked > 100 and answered == 4, "the check read the pages, every student answered every question"


def _planted_page():
    import numpy as np
    import streamlit as st

    from lessons.figures.grids import grid_heatmap

    st.caption("ẋ1 (3)")
    with st.expander("ẋ2"):
        st.button("ẋ3", help="Press to send")  # planted: a help text
    st.plotly_chart(grid_heatmap(np.eye(2), "ẋ4", lang="en"))  # planted: the English hover "row …, col …"


def test_the_collector_reads_help_texts_and_figure_hovers():
    """The check can fail: English planted in a help text and in a figure's hover is found; stub words are not."""
    at = AppTest.from_function(_planted_page, default_timeout=30)
    at.run()
    assert_no_exception(at)
    leaks = english_on(at)
    assert any("'Press'" in leak and "button.help" in leak for leak in leaks), leaks
    assert any("'row'" in leak and "hovertemplate" in leak for leak in leaks), leaks
    assert len(leaks) == 2, leaks
