"""The per-pixel loss page in AppTest: what the server hands the browser component (the grids from the URL,
words in the chosen language, the loss prose, class colours, the example preset, presenter mode), what it
keeps of the state the browser sends back, and the live PyTorch check it prints for that state. The drawing
itself is tested in Chromium (tests/browser/test_pixel_loss_browser.py)."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from lessons.figures.sliding_window_sweep import PASTURE_COLOURS
from pages.per_pixel_loss import accepted, default_logits

COMPONENT = "pixelwise.pixel_loss"
LABELS = "per-pixel-loss.labels"
SKY, GRASS, COW = (f"per-pixel-loss.logits.{name}" for name in ("sky", "grass", "cow"))


def _data(at) -> dict:
    """The JSON the page sent to the component."""
    [element] = [e for e in at.get("bidi_component") if e.proto.component_name == COMPONENT]
    return json.loads(element.proto.json)


def _torch_mean(logits, labels) -> float:
    scores = torch.tensor(np.asarray(logits, dtype=float))[None]
    return F.cross_entropy(scores, torch.tensor(np.asarray(labels), dtype=torch.long)[None]).item()


def _metrics(at) -> dict:
    return {m.label: m.value for m in lesson(at).metric}


def test_the_page_sends_the_example_and_checks_it_with_pytorch():
    at = open_page("per-pixel-loss")
    assert_no_exception(at)
    data = _data(at)
    initial = data["initial"]
    assert initial["labels"] == [[0, 0, 0, 0], [0, 2, 2, 0], [1, 2, 2, 1], [1, 1, 1, 1]]
    np.testing.assert_array_equal(initial["logits"], default_logits())
    assert (initial["row"], initial["col"]) == (1, 1)
    assert data["presets"]["example"] == initial and data["stamp"] == 0
    assert [c["name"] for c in data["classes"]] == ["sky", "grass", "cow"]
    assert [c["colour"] for c in data["classes"]] == PASTURE_COLOURS
    assert data["words"]["per_pixel_loss.js.loss_grid"] == "Output grid: loss per pixel"
    assert data["words"]["per_pixel_loss.softmax_pixel_row_col_loss"].startswith("Softmax at pixel (row {row}")
    assert "$" not in data["texts"]["loss"] and "−log p(true class)" in data["texts"]["loss"]
    assert not data["presenting"]
    mean = _torch_mean(initial["logits"], initial["labels"])
    assert _metrics(at)["PyTorch's mean loss"] == f"{mean:.4f}"
    assert any("PyTorch computes exactly" in s.value for s in lesson(at).success)
    assert not lesson(at).get("plotly_chart")  # the server draws no figure of the lesson any more


def test_the_state_the_browser_sent_drives_the_torch_check_and_the_link():
    at = open_page("per-pixel-loss")
    labels = [[0, 0, 0, 0], [0, 0, 2, 0], [1, 2, 2, 1], [1, 1, 1, 1]]
    at.session_state[LABELS] = labels  # what absorb() keeps from the browser's debounced state
    at.session_state[SKY] = (np.asarray(default_logits()[0]) * 0 - 4).tolist()
    at.run()
    assert_no_exception(at)
    logits = default_logits()
    logits[0] = -4
    assert _metrics(at)["PyTorch's mean loss"] == f"{_torch_mean(logits, labels):.4f}"
    assert _data(at)["initial"]["labels"] == labels  # a reload starts from the kept state
    assert at.query_params[LABELS] == "0,0,0,0;0,0,2,0;1,2,2,1;1,1,1,1"
    assert at.query_params[SKY] == "-4,-4,-4,-4;-4,-4,-4,-4;-4,-4,-4,-4;-4,-4,-4,-4"


def test_what_the_browser_sends_is_kept_only_where_a_link_could_carry_it():
    good = {"labels": [[0, 1], [2, 0]], "logits": [[[1, 2], [3, 4]], [[0, 0], [0, 0]], [[-1, 5.5], [0, 1e6]]],
            "row": 1, "col": 0}
    values, refused = accepted(good)
    assert refused == []
    assert values == {LABELS: [[0, 1], [2, 0]], SKY: [[1, 2], [3, 4]], GRASS: [[0, 0], [0, 0]],
                      COW: [[-1, 5.5], [0, 1e6]], "per-pixel-loss.row": 1, "per-pixel-loss.col": 0}
    values, refused = accepted(dict(good, labels=[[0, 7], [2, 0]]))  # a label the loss cannot use
    assert sorted(refused) == sorted([LABELS, SKY, GRASS, COW]) and LABELS not in values
    values, refused = accepted(dict(good, logits=[[[1]], [[2]], [[3]]]))  # 1×1 scores against 2×2 labels
    assert LABELS in refused and SKY in refused
    values, refused = accepted({"row": 9, "col": "x", "labels": [[0, float("nan")]], "logits": "no"})
    assert values == {} and {"per-pixel-loss.row", "per-pixel-loss.col", LABELS, SKY} <= set(refused)


def test_a_link_with_grids_opens_them():
    at = open_page("per-pixel-loss", query={LABELS: "2,1;0,0", SKY: "0,0;5,5", GRASS: "0,5;0,0",
                                            COW: "5,0;0,0", "per-pixel-loss.row": "1"})
    assert_no_exception(at)
    initial = _data(at)["initial"]
    assert initial["labels"] == [[2, 1], [0, 0]] and initial["logits"][0] == [[0, 0], [5, 5]]
    assert initial["row"] == 1
    mean = _torch_mean(initial["logits"], initial["labels"])
    assert _metrics(at)["PyTorch's mean loss"] == f"{mean:.4f}"


@pytest.mark.parametrize("query, message", [
    ({LABELS: "0,1;2"}, "could not be used"),  # ragged: back to the default grid
    ({LABELS: "0,1;nan,2"}, "could not be used"),
    ({LABELS: "0,1;1,0"}, "labels are 2×2 but the scores are 4×4"),
    ({LABELS: "0,1,9,0;0,0,0,0;0,0,0,0;0,0,0,0"}, "from 0 to 2"),
    ({LABELS: "0,0.5,0,0;0,0,0,0;0,0,0,0;0,0,0,0"}, "whole numbers"),
    ({"per-pixel-loss.row": "12"}, "could not be used"),
])
def test_bad_links_get_a_message_and_the_example(query, message):
    at = open_page("per-pixel-loss", query=query)
    assert_no_exception(at)
    assert any(message in m.value for m in list(lesson(at).info) + list(lesson(at).warning))
    initial = _data(at)["initial"]
    assert initial["labels"] == [[0, 0, 0, 0], [0, 2, 2, 0], [1, 2, 2, 1], [1, 1, 1, 1]]
    assert any("PyTorch computes exactly" in s.value for s in lesson(at).success)


def test_the_page_reads_in_chinese_and_in_presenter_mode():
    at = open_page("per-pixel-loss", query={"lang": "zh", "present": "1"})
    assert_no_exception(at)
    data = _data(at)
    assert data["words"]["per_pixel_loss.reset_example"] == "恢复示例"
    assert data["words"]["per_pixel_loss.js.loss_grid"] == i18n.t("per_pixel_loss.js.loss_grid", "zh")
    assert [c["name"] for c in data["classes"]] == [i18n.t(f"class.{c}", "zh") for c in ("sky", "grass", "cow")]
    assert "真实类别" in data["texts"]["loss"] and data["presenting"]
    assert any("每个像素" in m.value for m in at.markdown)
