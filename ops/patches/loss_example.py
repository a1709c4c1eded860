"""Real class scores for the per-pixel loss lesson: a small crop of the patch classifier's output.

The crop is chosen where the loss is interesting, with all three classes present and the highest
total loss (the classifier's least sure region, usually a cow's edge against sky or grass).
"""

import numpy as np

from ops.patches.images import lesson_image
from ops.patches.patch_network import trained_patch_classifier
from ops.patches.pixel_loss import per_pixel_cross_entropy
from ops.patches.sliding_window import fully_conv_predict


def classifier_example(rows: int = 4, cols: int = 4, size: int = 64, seed: int = 3,
                       decimals: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(C×rows×cols logits rounded to `decimals`, rows×cols true labels) from a generated pasture."""
    for scene_seed in range(seed, seed + 50):  # the first pasture where a cow stands against the sky
        found = _loudest_crop(lesson_image("pasture", size, seed=scene_seed), rows, cols, decimals)
        if found is not None:
            return found
    raise ValueError("no crop of these pastures holds all three classes")


def _loudest_crop(image, rows: int, cols: int, decimals: int):
    scores = fully_conv_predict(trained_patch_classifier(), image.tensor, device="cpu").scores.numpy()
    scores = np.round(scores.astype(np.float64), decimals)
    height, width = image.labels.shape
    best, best_loss = None, -1.0
    for top in range(height - rows + 1):
        for left in range(width - cols + 1):
            labels = image.labels[top:top + rows, left:left + cols]
            if len(np.unique(labels)) < 3:
                continue
            loss = per_pixel_cross_entropy(scores[:, top:top + rows, left:left + cols], labels).mean
            if loss > best_loss:
                best, best_loss = (top, left), loss
    if best is None:
        return None
    top, left = best
    return scores[:, top:top + rows, left:left + cols], image.labels[top:top + rows, left:left + cols].copy()
