"""Per-pixel cross-entropy: a segmentation network's loss is a classifier's loss at every pixel.

Written out in numpy (log-softmax by the log-sum-exp trick) rather than by calling torch, so that the
page's live check against F.cross_entropy(reduction='none') compares two independent computations.
"""

from dataclasses import dataclass

import numpy as np

from ops.errors import UserFacingError


class LossInputError(UserFacingError, ValueError):
    """Label or score grids the loss cannot use; the page says why (message key loss.error.*)."""


@dataclass(frozen=True)
class PixelLoss:
    loss_map: np.ndarray  # H×W: −log p(true class) at each pixel, in nats
    probabilities: np.ndarray  # C×H×W softmax over classes at each pixel
    labels: np.ndarray  # H×W int64 true class per pixel

    @property
    def mean(self) -> float:
        """The training loss: the average over pixels (F.cross_entropy's default reduction='mean')."""
        return float(self.loss_map.mean())

    def softmax_at(self, row: int, col: int) -> np.ndarray:
        """C class probabilities of one pixel."""
        if not (0 <= row < self.loss_map.shape[0] and 0 <= col < self.loss_map.shape[1]):
            raise LossInputError("loss.error.pixel_outside", row=row, col=col, height=self.loss_map.shape[0],
                                 width=self.loss_map.shape[1])
        return self.probabilities[:, row, col]


def validate_labels(labels, num_classes: int) -> np.ndarray:
    """A label grid as H×W int64, or LossInputError (a ValueError) saying what is wrong with it."""
    try:
        grid = np.asarray(labels, dtype=float)
    except (TypeError, ValueError):
        raise LossInputError("loss.error.labels_not_numbers") from None
    if grid.ndim != 2 or grid.size == 0:
        raise LossInputError("loss.error.labels_shape")
    if not np.all(np.isfinite(grid)):
        raise LossInputError("loss.error.labels_not_finite")
    if np.any(grid != np.round(grid)):
        raise LossInputError("loss.error.labels_not_whole")
    if grid.min() < 0 or grid.max() >= num_classes:
        raise LossInputError("loss.error.labels_range", top=num_classes - 1)
    return grid.astype(np.int64)


def validate_logits(logits) -> np.ndarray:
    """Class scores as C×H×W float64, or LossInputError (a ValueError) saying what is wrong with them."""
    try:
        scores = np.asarray(logits, dtype=float)
    except (TypeError, ValueError):
        raise LossInputError("loss.error.scores_not_numbers") from None
    if scores.ndim != 3 or scores.size == 0:
        raise LossInputError("loss.error.scores_shape")
    if scores.shape[0] < 2:
        raise LossInputError("loss.error.scores_too_few_classes")
    if not np.all(np.isfinite(scores)):
        raise LossInputError("loss.error.scores_not_finite")
    return scores


def per_pixel_cross_entropy(logits, labels) -> PixelLoss:
    """Cross-entropy of C×H×W class scores against an H×W grid of class indices, pixel by pixel."""
    scores = validate_logits(logits)
    grid = validate_labels(labels, scores.shape[0])
    if grid.shape != scores.shape[1:]:
        raise LossInputError("loss.error.size_mismatch", label_h=grid.shape[0], label_w=grid.shape[1],
                             score_h=scores.shape[1], score_w=scores.shape[2])
    top = scores.max(axis=0, keepdims=True)
    log_sum = top[0] + np.log(np.exp(scores - top).sum(axis=0))
    log_probabilities = scores - log_sum
    rows, cols = np.indices(grid.shape)
    loss_map = -log_probabilities[grid, rows, cols]
    return PixelLoss(loss_map, np.exp(log_probabilities), grid)


def torch_cross_entropy(logits, labels) -> np.ndarray:
    """The reference: F.cross_entropy(logits[None], labels[None], reduction='none')[0], as H×W numpy."""
    import torch
    import torch.nn.functional as F

    scores = torch.as_tensor(validate_logits(logits))
    grid = torch.as_tensor(validate_labels(labels, scores.shape[0]))
    return F.cross_entropy(scores[None], grid[None], reduction="none")[0].numpy()
