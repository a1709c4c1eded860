"""The per-pixel loss page: the loss map, mean and softmax equal PyTorch's for the grids shown; editing a
grid or choosing a pixel changes them; bad cells get a message; the grids live in the URL."""

import base64

import numpy as np
import plotly.io
import pytest
import torch
import torch.nn.functional as F

from harness.apptest import assert_no_exception, lesson, open_page
from ops.patches import classifier_example

LABELS = "per-pixel-loss.labels"
SKY, GRASS, COW = (f"per-pixel-loss.logits.{name}" for name in ("sky", "grass", "cow"))
MEAN = "Mean loss over all pixels"


def _grid(at, key) -> np.ndarray:
    return np.asarray(at.session_state[key], dtype=float)


def _torch_loss(at):
    logits = torch.tensor(np.stack([_grid(at, SKY), _grid(at, GRASS), _grid(at, COW)]))[None]
    labels = torch.tensor(_grid(at, LABELS), dtype=torch.long)[None]
    return F.cross_entropy(logits, labels, reduction="none")[0], logits[0]


def _array(value) -> np.ndarray:
    """A plotly array, also when it travels as {"dtype", "bdata", "shape"} (base64) in the JSON."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return np.asarray(value, dtype=float)


def _charts(at):
    """Each chart as a plotly Figure (its arrays may travel base64-encoded in the JSON)."""
    return [plotly.io.from_json(c.proto.spec) for c in lesson(at).get("plotly_chart")]


def _edit(at, key, row, col, value, version=0):
    """Edit a cell; `version` counts the presets that gave the editor a fresh key (`<key>.editor.<n>`)."""
    editor = f"{key}.editor" + (f".{version}" if version else "")
    at.session_state[editor] = {"edited_rows": {row: {str(col): value}}, "added_rows": [], "deleted_rows": []}
    at.run()


def _mean(at) -> float:
    return float({m.label: m.value for m in lesson(at).metric}[MEAN])


def test_the_page_shows_what_pytorch_computes():
    at = open_page("per-pixel-loss")
    assert_no_exception(at)
    loss_map, logits = _torch_loss(at)
    assert _mean(at) == pytest.approx(loss_map.mean().item(), abs=5e-5)
    heatmap, bars = _charts(at)
    np.testing.assert_allclose(_array(heatmap.data[0].z), loss_map.numpy(), rtol=1e-12)
    row, col = 1, 1
    np.testing.assert_allclose(_array(bars.data[0].y), torch.softmax(logits[:, row, col], 0).numpy(), rtol=1e-12)
    assert "pixel (row 1, col 1)" in bars.layout.title.text
    assert any("PyTorch computes exactly" in s.value for s in lesson(at).success)


def test_editing_a_label_changes_the_loss_and_the_url():
    at = open_page("per-pixel-loss")
    before = _mean(at)
    _edit(at, LABELS, 1, 1, 0)  # the cow pixel that looks like sky: call it sky
    assert_no_exception(at)
    assert _grid(at, LABELS)[1, 1] == 0
    loss_map, _ = _torch_loss(at)
    assert _mean(at) == pytest.approx(loss_map.mean().item(), abs=5e-5) and _mean(at) < before
    assert at.query_params[LABELS] == "0,0,0,0;0,0,2,0;1,2,2,1;1,1,1,1"
    _edit(at, SKY, 0, 0, -4.0)  # a second edit of another grid keeps the first
    assert _grid(at, LABELS)[1, 1] == 0 and _grid(at, SKY)[0, 0] == -4.0
    assert _mean(at) == pytest.approx(_torch_loss(at)[0].mean().item(), abs=5e-5)


@pytest.mark.parametrize("key, value, message", [(LABELS, 7, "from 0 to 2"), (LABELS, 1.5, "whole numbers"),
                                                 (LABELS, None, "every cell needs a number"),
                                                 (COW, None, "every cell needs a number")])
def test_a_bad_cell_gets_a_message_and_the_last_valid_grid_is_used(key, value, message):
    at = open_page("per-pixel-loss")
    before, grid = _mean(at), _grid(at, key).copy()
    _edit(at, key, 2, 2, value)
    assert_no_exception(at)
    assert any(message in w.value for w in lesson(at).warning)
    assert _mean(at) == before
    np.testing.assert_array_equal(_grid(at, key), grid)


def test_choosing_a_pixel_shows_its_softmax_and_goes_into_the_url():
    at = open_page("per-pixel-loss")
    at.number_input(key="per-pixel-loss.row").set_value(3).run()
    at.number_input(key="per-pixel-loss.col").set_value(0).run()
    assert_no_exception(at)
    loss_map, logits = _torch_loss(at)
    bars = _charts(at)[1]
    np.testing.assert_allclose(_array(bars.data[0].y), torch.softmax(logits[:, 3, 0], 0).numpy(), rtol=1e-12)
    assert f"= {loss_map[3, 0].item():.3f}" in bars.layout.title.text
    assert at.query_params["per-pixel-loss.row"] == "3" and at.query_params["per-pixel-loss.col"] == "0"


def test_the_classifier_button_loads_real_scores_and_reset_restores_the_example():
    at = open_page("per-pixel-loss")
    default = _grid(at, LABELS).copy()
    at.button(key="per-pixel-loss.classifier").click().run()
    assert_no_exception(at)
    logits, labels = classifier_example(rows=4, cols=4)
    np.testing.assert_array_equal(_grid(at, LABELS), labels)
    np.testing.assert_array_equal(_grid(at, GRASS), logits[1])
    assert _mean(at) == pytest.approx(_torch_loss(at)[0].mean().item(), abs=5e-5)
    _edit(at, LABELS, 0, 0, 1, version=1)  # the editor got a fresh key: edits apply to the new grid
    assert _grid(at, LABELS)[0, 0] == 1
    at.button(key="per-pixel-loss.reset").click().run()
    np.testing.assert_array_equal(_grid(at, LABELS), default)
    assert LABELS not in at.query_params


def test_a_link_with_grids_opens_them():
    at = open_page("per-pixel-loss", query={LABELS: "2,1;0,0", SKY: "0,0;5,5", GRASS: "0,5;0,0",
                                            COW: "5,0;0,0", "per-pixel-loss.row": "1"})
    assert_no_exception(at)
    assert _grid(at, LABELS).shape == (2, 2)
    loss_map, _ = _torch_loss(at)
    assert _mean(at) == pytest.approx(loss_map.mean().item(), abs=5e-5)


@pytest.mark.parametrize("query, message", [
    ({LABELS: "0,1;2"}, "could not be used"),  # ragged: back to the default grid
    ({LABELS: "0,1;nan,2"}, "could not be used"),
    ({LABELS: "0,1;1,0"}, "same size"),  # a 2×2 label grid against 4×4 scores
    ({LABELS: "0,1,9,0;0,0,0,0;0,0,0,0;0,0,0,0"}, "from 0 to 2"),
    ({"per-pixel-loss.row": "12"}, "could not be used"),
])
def test_bad_links_get_a_message_and_no_traceback(query, message):
    at = open_page("per-pixel-loss", query=query)
    assert_no_exception(at)
    assert any(message in m.value for m in list(lesson(at).info) + list(lesson(at).warning))


def test_the_page_reads_in_chinese():
    at = open_page("per-pixel-loss", query={"lang": "zh"})
    assert_no_exception(at)
    assert at.button(key="per-pixel-loss.reset").label == "恢复示例"
    assert any("每个像素" in m.value for m in at.markdown)
