"""The sliding-window page: opens with the animation and the cost, the real run compares the two methods
on the same scores, the controls change what is shown, and the settings live in the URL."""

import base64
import json

import numpy as np
import pytest

from harness.apptest import assert_no_exception, open_page
from ops.patches import sliding_window_cost, trained_patch_classifier


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _sweep(at) -> dict:
    """The data the browser animates: sent once, the picture and the one fully convolutional pass."""
    (component,) = at.get("bidi_component")
    assert component.proto.component_name == "pixelwise.sliding_window"
    return json.loads(component.proto.json)


def _scores(data) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(data["scores"]), dtype="<f4")
    return raw.reshape(data["classes"], data["height"], data["width"])


def test_the_page_opens_with_the_sweep_and_the_cost():
    at = open_page("sliding-window")
    assert_no_exception(at)
    metrics = _metrics(at)
    cost = sliding_window_cost(trained_patch_classifier(), 64, 64)
    assert metrics["Forward passes (sliding window)"] == "4,096"
    assert metrics["FLOP ratio (theory)"] == f"{cost.flop_ratio:.2f}×"
    assert metrics["Repeated work"] == f"{cost.repeated_share:.1%}"
    data = _sweep(at)
    assert (data["height"], data["width"], data["patch"]) == (64, 64, trained_patch_classifier().patch_size)
    assert data["picture"].startswith("data:image/png;base64,")
    assert data["class_names"] == ["sky", "grass", "cow"]
    assert data["words"]["sliding_window.forward_pass_pixel_row_col"].startswith("Forward pass {done} of {total}")
    assert not at.get("plotly_chart"), "the animation is drawn in the browser, not sent as frames"
    from pages.sliding_window import picture_and_scores

    assert np.array_equal(_scores(data), picture_and_scores("pasture", 64)[1])  # the one pass, as computed
    assert any("labelled correctly" in c.value for c in at.caption)


def test_the_size_changes_the_counts_and_goes_into_the_url():
    at = open_page("sliding-window")
    at.select_slider(key="sliding-window.size").set_value(32).run()
    assert_no_exception(at)
    assert _metrics(at)["Forward passes (sliding window)"] == "1,024"
    assert _scores(_sweep(at)).shape[1:] == (32, 32)
    assert at.query_params["sliding-window.size"] == "32"


def test_a_link_opens_a_photo_at_its_size():
    at = open_page("sliding-window", query={"sliding-window.image": "chelsea", "sliding-window.size": "48"})
    assert_no_exception(at)
    assert at.selectbox(key="sliding-window.image").value == "chelsea"
    assert _metrics(at)["Forward passes (sliding window)"] == "2,304"
    assert any("knows three classes" in c.value for c in at.caption)


def test_the_real_run_shows_times_speedup_and_a_tiny_difference():
    at = open_page("sliding-window", query={"sliding-window.size": "32", "sliding-window.per_call": "16"})
    at.button(key="sliding-window.run").click().run()
    assert_no_exception(at)
    metrics = _metrics(at)
    assert float(metrics["Largest |score difference|"]) < 1e-4
    expected = sliding_window_cost(trained_patch_classifier(), 32, 32).flop_ratio
    assert metrics["Theoretical FLOP ratio"] == f"{expected:.2f}×"
    assert metrics["Sliding window time"].endswith(" s") and metrics["Measured speed-up"].endswith("×")
    at.select_slider(key="sliding-window.size").set_value(48).run()
    assert "Largest |score difference|" not in _metrics(at), "a result for other settings is not shown"


@pytest.mark.parametrize("query", [{"sliding-window.size": "1000"}, {"sliding-window.image": "moon"},
                                   {"sliding-window.device": "tpu"}, {"sliding-window.per_call": "abc"}])
def test_bad_link_values_fall_back_with_a_note(query):
    at = open_page("sliding-window", query=query)
    assert_no_exception(at)
    assert any("could not be used" in i.value for i in at.info)
    assert _metrics(at)["Forward passes (sliding window)"] == "4,096"


def test_the_page_reads_in_chinese():
    at = open_page("sliding-window", query={"lang": "zh"})
    assert_no_exception(at)
    assert at.button(key="sliding-window.run").label == "运行真正的滑动窗口"
    assert _sweep(at)["words"]["sliding_window.forward_pass_pixel_row_col"].startswith("第 {done}/{total} 次前向计算")
