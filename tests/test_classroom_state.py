"""Classroom features that every page shares: state in the URL, presenter mode, language."""

from harness.apptest import assert_no_exception, open_page


def test_non_default_state_goes_into_the_url_and_defaults_stay_out():
    at = open_page("segmentation")
    assert "segmentation.gap" not in at.query_params
    at.slider(key="segmentation.gap").set_value(-1).run()
    assert at.query_params["segmentation.gap"] == "-1"
    at.slider(key="segmentation.gap").set_value(3).run()
    assert "segmentation.gap" not in at.query_params


def test_out_of_range_url_value_falls_back_with_a_note():
    at = open_page("segmentation", query={"segmentation.gap": "99"})
    assert_no_exception(at)
    assert at.slider(key="segmentation.gap").value == 3
    assert any("segmentation.gap" in i.value for i in at.info)


def test_presenter_mode_from_the_url_shows_lesson_controls():
    at = open_page("segmentation", query={"present": "1"})
    assert_no_exception(at)
    labels = [b.label for b in at.button]
    assert "Previous lesson" in labels and "Next lesson" in labels and "Leave presenter mode" in labels
    assert any("font-size: 21px" in m.value for m in at.markdown)


def test_presenter_next_goes_to_the_next_lesson():
    at = open_page("home", query={"present": "1"})
    at.button(key="present.next").click().run()
    assert_no_exception(at)
    assert at.title[0].value == "What segmentation is"


def test_leaving_presenter_mode():
    at = open_page("segmentation", query={"present": "true"})
    at.button(key="present.leave").click().run()
    assert not any(b.label == "Next lesson" for b in at.button)
    assert "present" not in at.query_params


def test_language_from_the_url_translates_the_page():
    at = open_page("segmentation", query={"lang": "zh"})
    assert_no_exception(at)
    assert at.title[0].value == "什么是分割"


def test_bad_language_falls_back_to_english():
    at = open_page("segmentation", query={"lang": "xx"})
    assert at.title[0].value == "What segmentation is"
