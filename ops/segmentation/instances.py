"""Instances: which pixels belong to which object, and how many objects of each class.

Mask R-CNN answers that directly (one mask per detected object). Without its weights, the connected
components of the semantic mask stand in: each separate blob of a class counts as one object, which
is right for objects that stand apart and wrong as soon as two of them touch (they merge into one blob;
the lesson's point).
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

MIN_FRACTION = 0.001  # blobs smaller than 0.1 % of the picture are specks, not objects


@dataclass
class Instances:
    """An object map and what each object is."""

    ids: np.ndarray  # H×W int32: 0 = no object, k = the k-th object (1-based)
    labels: list[int]  # class id of object k at index k-1
    scores: list[float]  # detector confidence of object k (1.0 for connected components)
    classes: list[str]  # class names, index = class id
    source: str  # "mask-rcnn" or "connected-components"

    @property
    def count(self) -> int:
        return len(self.labels)

    def counts(self) -> dict[str, int]:
        """Objects per class name, most frequent first (ties: the class covering more pixels first)."""
        tally = Counter(self.labels)
        sizes = np.bincount(self.ids.ravel(), minlength=self.count + 1)
        area = Counter()
        for k, class_id in enumerate(self.labels, start=1):
            area[class_id] += int(sizes[k])
        order = sorted(tally.items(), key=lambda item: (-item[1], -area[item[0]], item[0]))
        return {self.classes[c]: n for c, n in order}


def from_semantic(labels: np.ndarray, classes: list[str], stuff=(0,), min_fraction: float = MIN_FRACTION) -> Instances:
    """Connected components (4-neighbour, scipy.ndimage.label) of every class not in `stuff`.

    Blobs smaller than `min_fraction` of the image are dropped (noise at object borders).
    """
    labels = np.asarray(labels)
    ids = np.zeros(labels.shape, dtype=np.int32)
    found_labels, scores = [], []
    min_pixels = max(1, int(round(min_fraction * labels.size)))
    for class_id in np.unique(labels):
        if int(class_id) in stuff:
            continue
        blobs, n = ndimage.label(labels == class_id)
        if n == 0:
            continue
        sizes = np.bincount(blobs.ravel(), minlength=n + 1)
        for blob in range(1, n + 1):
            if sizes[blob] < min_pixels:
                continue
            found_labels.append(int(class_id))
            scores.append(1.0)
            ids[blobs == blob] = len(found_labels)
    return Instances(ids, found_labels, scores, list(classes), "connected-components")


def from_masks(masks: np.ndarray, labels, scores, classes: list[str], threshold: float = 0.5) -> Instances:
    """Per-object soft masks (N×H×W in [0, 1], e.g. Mask R-CNN's) as one object map.

    A pixel belongs to the most confident object whose mask exceeds `threshold` there.
    """
    masks = np.asarray(masks)
    order = np.argsort(np.asarray(scores, dtype=np.float64), kind="stable")  # weakest first, strongest last
    ids = np.zeros(masks.shape[1:], dtype=np.int32)
    for k in order:
        ids[masks[k] > threshold] = k + 1
    kept = [k for k in range(len(masks)) if (ids == k + 1).any()]
    remap = np.zeros(len(masks) + 1, dtype=np.int32)
    for new, k in enumerate(kept, start=1):
        remap[k + 1] = new
    return Instances(remap[ids], [int(labels[k]) for k in kept], [float(scores[k]) for k in kept], list(classes),
                     "mask-rcnn")


def semantic_from_instances(instances: Instances) -> np.ndarray:
    """The class map implied by an object map (0 = background where there is no object)."""
    lookup = np.array([0] + list(instances.labels), dtype=np.int64)
    return lookup[instances.ids]


def object_boxes(ids: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The tight box (x1, y1, x2, y2), inclusive pixel coordinates, of each object 1..max(ids): what an
    object detector outputs (same convention as torchvision.ops.masks_to_boxes)."""
    boxes = []
    for k in range(1, int(ids.max(initial=0)) + 1):
        rows, cols = np.nonzero(ids == k)
        if rows.size:
            boxes.append((int(cols.min()), int(rows.min()), int(cols.max()), int(rows.max())))
    return boxes


def box_mask(ids: np.ndarray, object_id: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """Inside one object's box, which pixels are that object (1) and which are not (0), including pixels
    of another object that overlaps the box: the question Mask R-CNN's mask head answers per box."""
    x1, y1, x2, y2 = box
    return (ids[y1:y2 + 1, x1:x2 + 1] == object_id).astype(np.int64)
