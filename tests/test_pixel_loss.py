"""Per-pixel cross-entropy (numpy) against F.cross_entropy(reduction='none') and torch.softmax."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import ops
from ops.patches import per_pixel_cross_entropy
from ops.patches.pixel_loss import LossInputError
from tests.english import english


def _torch_loss(logits, labels):
    return F.cross_entropy(torch.tensor(logits)[None], torch.tensor(labels)[None], reduction="none")[0].numpy()


def test_a_hand_checked_pixel():
    logits = np.zeros((3, 1, 2))
    logits[:, 0, 1] = [2.0, 0.0, 0.0]
    result = ops.per_pixel_cross_entropy(logits, [[1, 0]])
    assert result.loss_map[0, 0] == pytest.approx(np.log(3))  # all scores equal: p = 1/3
    assert result.loss_map[0, 1] == pytest.approx(-np.log(np.exp(2) / (np.exp(2) + 2)))
    assert result.softmax_at(0, 0) == pytest.approx([1 / 3] * 3)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), classes=st.integers(2, 6), height=st.integers(1, 6), width=st.integers(1, 6))
def test_matches_torch_cross_entropy_and_softmax(data, classes, height, width):
    logits = data.draw(arrays(np.float64, (classes, height, width),
                              elements=st.floats(-50, 50, allow_nan=False, allow_infinity=False)))
    labels = data.draw(arrays(np.int64, (height, width), elements=st.integers(0, classes - 1)))
    result = per_pixel_cross_entropy(logits, labels)
    np.testing.assert_allclose(result.loss_map, _torch_loss(logits, labels), rtol=1e-10, atol=1e-10)
    reference_mean = F.cross_entropy(torch.tensor(logits)[None], torch.tensor(labels)[None]).item()
    assert result.mean == pytest.approx(reference_mean, rel=1e-10, abs=1e-10)
    softmax = torch.softmax(torch.tensor(logits), dim=0).numpy()
    np.testing.assert_allclose(result.probabilities, softmax, rtol=1e-10, atol=1e-12)
    row, col = data.draw(st.integers(0, height - 1)), data.draw(st.integers(0, width - 1))
    np.testing.assert_allclose(result.softmax_at(row, col), softmax[:, row, col], rtol=1e-10, atol=1e-12)


def test_huge_scores_do_not_overflow():
    logits = np.array([[[1000.0]], [[-1000.0]]])
    result = per_pixel_cross_entropy(logits, [[1]])
    assert result.loss_map[0, 0] == pytest.approx(2000.0)
    np.testing.assert_allclose(result.loss_map, _torch_loss(logits, np.array([[1]])))


@pytest.mark.parametrize("logits, labels, message", [
    (np.zeros((3, 2, 2)), [[0, 1], [2, 3]], "from 0 to 2"),
    (np.zeros((3, 2, 2)), [[0, 1], [2, -1]], "from 0 to 2"),
    (np.zeros((3, 2, 2)), [[0, 1.5], [2, 0]], "whole numbers"),
    (np.zeros((3, 2, 2)), [[0, np.nan], [2, 0]], "finite"),
    (np.zeros((3, 2, 2)), [["sky", 1], [2, 0]], "numbers"),
    (np.zeros((3, 2, 2)), [[0, 1, 2]], "labels are 1×3 but the scores are 2×2"),
    (np.zeros((3, 2, 2)), [], "non-empty"),
    (np.full((3, 2, 2), np.inf), [[0, 1], [2, 0]], "finite"),
    (np.zeros((1, 2, 2)), [[0, 0], [0, 0]], "at least two classes"),
    (np.zeros((2, 2)), [[0, 0], [0, 0]], "C×H×W"),
])
def test_bad_grids_are_refused_with_a_reason(logits, labels, message):
    with pytest.raises(LossInputError) as error:  # a ValueError too, for callers that catch that
        per_pixel_cross_entropy(logits, labels)
    assert message in english(error.value)


def test_a_pixel_outside_the_grid_is_refused():
    result = per_pixel_cross_entropy(np.zeros((2, 2, 2)), [[0, 1], [1, 0]])
    with pytest.raises(LossInputError) as error:
        result.softmax_at(2, 0)
    assert english(error.value) == "pixel (2, 0) is outside the 2×2 grid"


def test_the_torch_reference_is_torch():
    from ops.patches import torch_cross_entropy

    logits, labels = np.random.default_rng(0).normal(size=(3, 4, 5)), np.random.default_rng(1).integers(0, 3, (4, 5))
    np.testing.assert_array_equal(torch_cross_entropy(logits, labels), _torch_loss(logits, labels))
    with pytest.raises(LossInputError) as error:
        torch_cross_entropy(logits, labels + 3)
    assert "from 0 to 2" in english(error.value)


def test_the_classifier_example_is_a_real_crop_with_every_class():
    from ops.patches import classifier_example, fully_conv_predict, lesson_image, trained_patch_classifier

    logits, labels = classifier_example(rows=4, cols=5)
    assert logits.shape == (3, 4, 5) and labels.shape == (4, 5)
    assert set(np.unique(labels)) == {0, 1, 2}
    np.testing.assert_array_equal(logits, np.round(logits, 1))
    # the crop is found in the classifier's real output on a pasture
    found = False
    for seed in range(3, 53):
        image = lesson_image("pasture", 64, seed=seed)
        scores = np.round(fully_conv_predict(trained_patch_classifier(), image.tensor, device="cpu")
                          .scores.numpy().astype(np.float64), 1)
        windows = np.lib.stride_tricks.sliding_window_view(scores, (3, 4, 5))[0]
        found = bool(np.any(np.all(windows == logits, axis=(2, 3, 4))))
        if found:
            break
    assert found
