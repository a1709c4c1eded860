"""The sliding-window page: opens with the animation and the cost, the real run compares the two methods
on the same scores, the controls change what is shown, and the settings live in the URL."""

import json

import pytest

from harness.apptest import assert_no_exception, open_page
from ops.patches import sliding_window_cost, trained_patch_classifier


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _sweep(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_the_page_opens_with_the_sweep_and_the_cost():
    at = open_page("sliding-window")
    assert_no_exception(at)
    metrics = _metrics(at)
    cost = sliding_window_cost(trained_patch_classifier(), 64, 64)
    assert metrics["Forward passes (sliding window)"] == "4,096"
    assert metrics["FLOP ratio (theory)"] == f"{cost.flop_ratio:.2f}×"
    assert metrics["Repeated work"] == f"{cost.repeated_share:.1%}"
    spec = _sweep(at)
    assert len(spec["frames"]) >= 30, "an animation with one frame per step"
    assert spec["layout"]["sliders"] and spec["layout"]["updatemenus"], "a step slider and play/pause"
    assert "Forward pass 1 of 4,096" in spec["layout"]["title"]["text"]
    assert "Forward pass 4,096 of 4,096" in spec["frames"][-1]["layout"]["title"]["text"]
    assert any("labelled correctly" in c.value for c in at.caption)


def test_the_size_changes_the_counts_and_goes_into_the_url():
    at = open_page("sliding-window")
    at.select_slider(key="sliding-window.size").set_value(32).run()
    assert_no_exception(at)
    assert _metrics(at)["Forward passes (sliding window)"] == "1,024"
    assert "of 1,024" in _sweep(at)["layout"]["title"]["text"]
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
    assert "第 1/4,096 次前向计算" in _sweep(at)["layout"]["title"]["text"]
