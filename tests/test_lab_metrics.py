"""mIoU and pixel accuracy against a plain numpy computation; the checkerboard score's definition."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.lab import build_fcn
from ops.lab.decoders import Bilinear, Nearest, TransposedConv
from ops.lab.metrics import FLAT_BORDER, checkerboard_score, confusion_matrix, mean_iou, pixel_accuracy


def numpy_scores(prediction: np.ndarray, target: np.ndarray, k: int):
    """Straight from the definitions, one class at a time."""
    confusion = np.zeros((k, k), int)
    for t, p in zip(target.ravel(), prediction.ravel()):
        confusion[t, p] += 1
    ious = []
    for c in range(k):
        union = np.sum((prediction == c) | (target == c))
        if union:
            ious.append(np.sum((prediction == c) & (target == c)) / union)
    return confusion, float(np.mean(ious)), float(np.mean(prediction == target))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 300), st.integers(0, 2 ** 32 - 1))
def test_scores_match_numpy(k, pixels, seed):
    rng = np.random.default_rng(seed)
    target = rng.integers(0, k, pixels)
    prediction = np.where(rng.random(pixels) < 0.6, target, rng.integers(0, k, pixels))
    confusion = confusion_matrix(torch.from_numpy(prediction), torch.from_numpy(target), k)
    expected_confusion, expected_miou, expected_accuracy = numpy_scores(prediction, target, k)
    assert np.array_equal(confusion.numpy(), expected_confusion)
    assert mean_iou(confusion) == pytest.approx(expected_miou)
    assert pixel_accuracy(confusion) == pytest.approx(expected_accuracy)


def test_a_class_absent_from_truth_and_prediction_does_not_count():
    target = torch.tensor([[0, 0], [1, 1]])
    confusion = confusion_matrix(target, target, 5)
    assert mean_iou(confusion) == 1.0 and pixel_accuracy(confusion) == 1.0


def test_mean_iou_punishes_ignoring_a_small_class_that_accuracy_forgives():
    target = torch.zeros(100, dtype=torch.long)
    target[:5] = 1
    confusion = confusion_matrix(torch.zeros(100, dtype=torch.long), target, 2)
    assert pixel_accuracy(confusion) == pytest.approx(0.95)
    assert mean_iou(confusion) == pytest.approx(0.95 / 2)


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError):
        confusion_matrix(torch.zeros(4, dtype=torch.long), torch.zeros(5, dtype=torch.long), 2)


def test_checkerboard_score_is_the_mean_variance_of_each_class_logit_on_a_flat_patch():
    model = build_fcn("transposed_k3s2", width=4, seed=2)
    score, unevenness = checkerboard_score(model, colour=(0.3, 0.5, 0.9), size=48)
    with torch.no_grad():
        logits = model.eval()(torch.tensor([0.3, 0.5, 0.9]).view(1, 3, 1, 1).expand(1, 3, 48, 48).contiguous())
    interior = logits[0, :, FLAT_BORDER:-FLAT_BORDER, FLAT_BORDER:-FLAT_BORDER].double()
    assert score == pytest.approx(float(interior.flatten(1).var(1, unbiased=False).mean()), rel=1e-5)
    assert unevenness.shape == (48 - 2 * FLAT_BORDER,) * 2
    assert float(unevenness.double().pow(2).mean()) == pytest.approx(score, rel=1e-5)


def _flat_to_upsampled(upsampler: torch.nn.Module) -> torch.nn.Sequential:
    """Real layers with every weight 1: sum the colour, pool to half size, upsample back."""
    network = torch.nn.Sequential(torch.nn.Conv2d(3, 3, 1, bias=False), torch.nn.AvgPool2d(2), upsampler)
    with torch.no_grad():
        for p in network.parameters():
            p.fill_(1.0) if p.dim() > 1 else p.zero_()
    return network


def test_uneven_overlap_scores_its_exact_checkerboard_and_interpolation_scores_zero():
    """k3 s2 with unit weights lands 1 or 2 taps per axis: values 3s·a·b with a, b ∈ {1, 2} alternating,
    whose variance over a whole number of periods is (E[a²]² − E[a]⁴)·(3s)² = (6.25 − 5.0625)·(3s)²."""
    colour = (0.3, 0.5, 0.9)
    s = sum(colour)
    score, unevenness = checkerboard_score(_flat_to_upsampled(TransposedConv(3, 3)), colour, size=48)
    assert score == pytest.approx((6.25 - 5.0625) * (3 * s) ** 2, rel=1e-6)
    assert len(unevenness.unique()) == 3  # the pattern: three distinct deviations (1, 2 or 4 taps)
    for flat in (Nearest(), Bilinear()):
        assert checkerboard_score(_flat_to_upsampled(flat), colour, size=48)[0] == pytest.approx(0, abs=1e-10)
