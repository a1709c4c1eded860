"""Lesson 1 page: moving the cows together makes the semantic map lose count."""

from harness.apptest import assert_no_exception, open_page


def _metrics(at):
    return [int(m.value) for m in at.metric]


def test_apart_cows_count_two():
    at = open_page("segmentation")
    assert_no_exception(at)
    assert _metrics(at) == [2, 2]
    assert not at.warning


def test_touching_cows_merge_and_warn():
    at = open_page("segmentation")
    at.slider(key="segmentation.gap").set_value(0).run()
    assert_no_exception(at)
    assert _metrics(at) == [1, 2]
    assert "one blob" in at.warning[0].value


def test_gap_comes_from_the_url_and_bad_values_fall_back():
    at = open_page("segmentation", query={"segmentation.gap": "-1"})
    assert _metrics(at) == [1, 2]
    at = open_page("segmentation", query={"segmentation.gap": "banana"})
    assert _metrics(at) == [2, 2]
    assert any("could not be used" in i.value for i in at.info)
