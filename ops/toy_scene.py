"""A tiny pixel-art field with two cows, for the first lesson: what a label map is.

Small enough that every pixel's label can be written in its cell, and the cows can be moved
until they touch — at which point the semantic map alone can no longer say how many there are.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

CLASSES = ["sky", "grass", "cow"]
SKY, GRASS, COW = range(3)
COLOURS = {SKY: (150, 200, 240), GRASS: (90, 160, 70)}
COW_COLOURS = [(70, 50, 40), (200, 170, 140)]  # a dark cow and a light cow: the eye separates them
HEIGHT, WIDTH = 12, 22
COW_WIDTH, COW_LEFT = 7, 2


@dataclass(frozen=True)
class ToyScene:
    image: np.ndarray  # H×W×3 uint8
    labels: np.ndarray  # H×W class ids (semantic segmentation: what it can know)
    instances: np.ndarray  # H×W instance ids, 0 = not a thing (what instance segmentation adds)

    @property
    def cow_blobs(self) -> int:
        """Connected groups of 'cow' pixels: what you would count from the semantic map alone."""
        return int(ndimage.label(self.labels == COW)[1])


def _draw_cow(labels, instances, image, left: int, instance: int) -> None:
    body_top, body_bottom = 5, 8
    colour = COW_COLOURS[(instance - 1) % len(COW_COLOURS)]
    cells = [(r, c) for r in range(body_top, body_bottom + 1) for c in range(left, left + COW_WIDTH)]
    cells += [(r, left + COW_WIDTH) for r in (4, 5)]  # head
    cells += [(r, c) for r in (9, 10) for c in (left, left + COW_WIDTH - 1)]  # legs
    for r, c in cells:
        if 0 <= r < HEIGHT and 0 <= c < WIDTH:
            labels[r, c], instances[r, c], image[r, c] = COW, instance, colour


def cow_field(gap: int = 3) -> ToyScene:
    """Two cows side by side, `gap` empty columns between the first cow's head and the second cow.

    gap <= 0 makes them touch (or overlap: the second cow is drawn in front).
    """
    labels = np.full((HEIGHT, WIDTH), GRASS, dtype=np.int64)
    labels[:4] = SKY
    image = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    for cls, colour in COLOURS.items():
        image[labels == cls] = colour
    instances = np.zeros((HEIGHT, WIDTH), dtype=np.int64)
    _draw_cow(labels, instances, image, COW_LEFT, 1)
    _draw_cow(labels, instances, image, COW_LEFT + COW_WIDTH + 1 + gap, 2)
    return ToyScene(image, labels, instances)
