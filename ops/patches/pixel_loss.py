"""Per-pixel cross-entropy: a segmentation network's loss is a classifier's loss at every pixel.

Written out in numpy (log-softmax by the log-sum-exp trick) rather than by calling torch, so that the
page's live check against F.cross_entropy(reduction='none') compares two independent computations.
"""

from dataclasses import dataclass

import numpy as np


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
            raise ValueError(f"pixel ({row}, {col}) is outside the {self.loss_map.shape[0]}×"
                             f"{self.loss_map.shape[1]} grid")
        return self.probabilities[:, row, col]


def validate_labels(labels, num_classes: int) -> np.ndarray:
    """A label grid as H×W int64, or ValueError saying what is wrong with it."""
    try:
        grid = np.asarray(labels, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("labels must be numbers") from None
    if grid.ndim != 2 or grid.size == 0:
        raise ValueError("labels must be a non-empty 2-D grid")
    if not np.all(np.isfinite(grid)):
        raise ValueError("labels must be finite numbers")
    if np.any(grid != np.round(grid)):
        raise ValueError("labels must be whole numbers (class indices)")
    if grid.min() < 0 or grid.max() >= num_classes:
        raise ValueError(f"labels must be class indices from 0 to {num_classes - 1}")
    return grid.astype(np.int64)


def validate_logits(logits) -> np.ndarray:
    """Class scores as C×H×W float64, or ValueError saying what is wrong with them."""
    try:
        scores = np.asarray(logits, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("class scores must be numbers") from None
    if scores.ndim != 3 or scores.size == 0:
        raise ValueError("class scores must be a C×H×W array")
    if scores.shape[0] < 2:
        raise ValueError("need scores for at least two classes")
    if not np.all(np.isfinite(scores)):
        raise ValueError("class scores must be finite numbers")
    return scores


def per_pixel_cross_entropy(logits, labels) -> PixelLoss:
    """Cross-entropy of C×H×W class scores against an H×W grid of class indices, pixel by pixel."""
    scores = validate_logits(logits)
    grid = validate_labels(labels, scores.shape[0])
    if grid.shape != scores.shape[1:]:
        raise ValueError(f"labels are {grid.shape[0]}×{grid.shape[1]} but the scores are "
                         f"{scores.shape[1]}×{scores.shape[2]}")
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
