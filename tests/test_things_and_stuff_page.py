"""Things & stuff page: touching cows are one blob for semantic segmentation, two for detection and instances."""

from harness.apptest import assert_no_exception, lesson, open_page

SLUG = "things-and-stuff"


def _metrics(at):
    return [int(m.value) for m in lesson(at).metric]


def test_touching_cows_by_default():
    at = open_page(SLUG)
    assert_no_exception(at)
    assert _metrics(at) == [1, 2, 2]
    assert "one cow blob" in lesson(at).warning[0].value
    # the Mask R-CNN lab's charts apart (the exercise's are outside lesson(at))
    charts = [c for c in lesson(at).get("plotly_chart") if "-instances." not in c.proto.id]
    assert len(charts) == 6  # image, semantic, boxes, instances, and a mask per box


def test_apart_cows_agree_and_the_gap_lives_in_the_url():
    at = open_page(SLUG)
    at.slider(key="things-and-stuff.gap").set_value(3).run()
    assert_no_exception(at)
    assert _metrics(at) == [2, 2, 2] and not lesson(at).warning
    assert at.query_params["things-and-stuff.gap"] == "3"
    at = open_page(SLUG, query={"things-and-stuff.gap": "many"})
    assert _metrics(at) == [1, 2, 2]
    assert any("could not be used" in i.value for i in lesson(at).info)


def test_boxes_are_drawn_for_things_only():
    at = open_page(SLUG, query={"things-and-stuff.gap": "2"})
    spec = lesson(at).get("plotly_chart")[2].proto.spec
    assert spec.count('"type":"rect"') == 2 and "cow 1" in spec and "cow 2" in spec


def test_chinese():
    at = open_page(SLUG, query={"lang": "zh"})
    assert_no_exception(at)
    assert "物体" in at.title[0].value
