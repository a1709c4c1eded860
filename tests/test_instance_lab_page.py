"""The things & stuff page's Mask R-CNN section in AppTest: its counts are detect()'s and blob_counts()'s for
the scene shown, moving the two touching discs apart changes the blob count but not Mask R-CNN's, and the
score threshold changes the kept boxes."""

import json

import pytest

from harness.apptest import assert_no_exception, open_page
from ops.instances.inference import WEIGHTS
from ops.lab.instance_scenes import make_instance_scene, render
from ops.lab.scenes import DISC
from pages.instance_lab import position_key

pytestmark = pytest.mark.skipif(not WEIGHTS.is_file(), reason=f"needs the committed checkpoint {WEIGHTS}")
SCENE = 5  # the default: two touching discs


def _counts(at) -> dict:
    """{column: [disc, square, triangle]} from the counts table."""
    table = at.table[0].value
    return {column: [int(v) for v in table[column]] for column in table.columns}


def _chart(at, key: str) -> dict:
    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith("-" + key):
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart with key {key}")


def test_counts_are_those_of_detect_and_blob_counts():
    from ops.instances import blob_counts, detect

    at = open_page("things-and-stuff")
    assert_no_exception(at)
    original = make_instance_scene(0, SCENE, "test")
    scene = render(original.shapes, original.background_seed)
    found, blobs = detect(scene.image).counts(), blob_counts(scene.mask)  # the page's default threshold
    counts = _counts(at)
    assert counts["Mask R-CNN"] == [found[c] for c in sorted(found)]
    assert counts["connected blobs of the semantic map"] == [blobs[c] for c in sorted(blobs)]
    assert counts["truth"] == [2, 0, 0] and counts["Mask R-CNN"][0] == 2 and counts["connected blobs of the "
                                                                                     "semantic map"][0] == 1
    assert any("PQ" in m.value and "SQ" in m.value for m in at.markdown)


def test_moving_the_discs_apart_changes_the_blobs_not_mask_rcnn():
    at = open_page("things-and-stuff")
    at.slider(key=position_key(SCENE, 1, "r")).set_value(54)
    at.slider(key=position_key(SCENE, 1, "c")).set_value(54).run()
    assert_no_exception(at)
    counts = _counts(at)
    assert counts["connected blobs of the semantic map"][0] == 2 and counts["Mask R-CNN"][0] == 2
    at.slider(key=position_key(SCENE, 1, "r")).set_value(32).run()  # back beside the other disc: one blob again
    counts = _counts(at)
    assert counts["connected blobs of the semantic map"][0] == 1 and counts["Mask R-CNN"][0] == 2
    assert DISC == 2


def test_the_threshold_changes_the_kept_boxes():
    from ops.instances import detect

    crowded = 12  # a crowded scene: the default's two discs score above 0.95 with the committed checkpoint
    original = make_instance_scene(0, crowded, "test")
    result = detect(render(original.shapes, original.background_seed).image)
    at = open_page("things-and-stuff", query={"things-and-stuff.threshold": "0.05", "things-and-stuff.scene": "12"})
    assert_no_exception(at)
    low, dashed = _solid_and_dashed(_chart(at, "instances.boxes"))
    assert low == len(result.kept(0.05)) and dashed == len(result.dropped(0.05)) > 0
    at.slider(key="things-and-stuff.threshold").set_value(0.95).run()
    high, _ = _solid_and_dashed(_chart(at, "instances.boxes"))
    assert high == len(result.kept(0.95)) and high < low


def _solid_and_dashed(spec: dict) -> tuple[int, int]:
    """Kept boxes are solid, boxes the quarter rule dropped dashed."""
    dashes = [shape["line"]["dash"] for shape in spec["layout"].get("shapes", [])]
    return dashes.count("solid"), dashes.count("dash")


def test_a_new_scene_gets_new_sliders():
    at = open_page("things-and-stuff")
    next(b for b in at.button if b.label == "New scene").click().run()
    assert_no_exception(at)
    assert at.number_input(key="things-and-stuff.scene").value == SCENE + 1
    assert at.slider(key=position_key(SCENE + 1, 0, "r")) is not None


def test_a_missing_checkpoint_gives_a_message_not_a_traceback(monkeypatch, tmp_path):
    from ops.instances import inference
    from pages import instance_lab

    missing = tmp_path / "absent.pt"
    monkeypatch.setattr(instance_lab, "load_instance_model", lambda: inference.load_instance_model(missing))
    instance_lab._model.clear()
    try:
        at = open_page("things-and-stuff")
        assert_no_exception(at)
        assert any("checkpoint is missing" in w.value and str(missing) in w.value for w in at.warning)
    finally:
        instance_lab._model.clear()


def test_a_disc_moved_over_the_other_is_left_out_with_the_reason():
    """Moved onto the first disc, the second would leave under a quarter of it in view: the scene leaves the
    moved disc out, says why, and the truth counts one disc."""
    first = make_instance_scene(0, SCENE, "test").shapes[0]
    at = open_page("things-and-stuff")
    at.slider(key=position_key(SCENE, 1, "r")).set_value(int(round(first.centre[0])))
    at.slider(key=position_key(SCENE, 1, "c")).set_value(int(round(first.centre[1]))).run()
    assert_no_exception(at)
    assert any("1 thing left out" in i.value and "three quarters" in i.value for i in at.info)
    assert _counts(at)["truth"] == [1, 0, 0]
