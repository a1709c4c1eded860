"""The per-pixel loss page's live check against PyTorch, built once per state and process.

Why a memo: each debounced push of a student's grids reruns the page's fragment, and a class pushes the same
states again and again (the teacher's example, a student typing 1, 2, 1). PyTorch's verdict for a state
never changes, so it is computed once and shared by every session (read only).
"""

from dataclasses import dataclass

import numpy as np

from ops.memo import SharedCache
from ops.patches.pixel_loss import per_pixel_cross_entropy, torch_cross_entropy


@dataclass(frozen=True)
class LossCheck:
    torch_mean: float  # F.cross_entropy's mean loss
    max_difference: float  # max |numpy loss map − PyTorch's|, pixel by pixel


_CHECKS = SharedCache(maxsize=1024)


def loss_check(logits, labels) -> LossCheck:
    """ops' numpy loss map (written out) against F.cross_entropy(reduction='none') for these grids."""
    scores, grid = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    key = (scores.shape, scores.tobytes(), grid.shape, grid.tobytes())

    def build() -> LossCheck:
        result = per_pixel_cross_entropy(scores, grid)  # numpy, written out: two independent computations
        reference = torch_cross_entropy(scores, grid)
        return LossCheck(float(reference.mean()), float(np.max(np.abs(reference - result.loss_map))))

    return _CHECKS.get(key, build)
