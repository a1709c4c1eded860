"""Which things a detection got wrong: the true things no kept detection found, and the kept detections
that found no true thing, so the lesson can outline the case where the count is wrong.

A detection finds a true thing of its class when their masks overlap with IoU ≥ 0.5; detections are
matched strongest first, each true thing at most once (the rule of mask AP50).
"""

from dataclasses import dataclass

import numpy as np

from ops.instances.metrics import MATCH_IOU, mask_iou


@dataclass(frozen=True)
class Mistakes:
    missed: tuple[int, ...]  # indices of true things that no kept detection found
    extra: tuple[int, ...]  # indices (into the detection's arrays) of kept detections that found nothing

    def __bool__(self) -> bool:
        return bool(self.missed or self.extra)


def find_mistakes(scene, result, threshold: float, mask_threshold: float = 0.5) -> Mistakes:
    """Match `result`'s kept detections (Detection.kept: score ≥ threshold, a quarter of the mask its own) to
    `scene`'s true things (InstanceScene, Detection)."""
    keep = result.kept(threshold)
    iou = mask_iou(result.masks[keep] > mask_threshold, scene.instances) if len(keep) and len(scene.labels) \
        else np.zeros((len(keep), len(scene.labels)))
    found, extra = set(), []
    for row, k in enumerate(keep):  # kept() is strongest first
        candidates = [j for j in np.argsort(-iou[row], kind="stable")
                      if j not in found and iou[row, j] >= MATCH_IOU and scene.labels[j] == result.labels[k]]
        if candidates:
            found.add(int(candidates[0]))
        else:
            extra.append(int(k))
    missed = tuple(j for j in range(len(scene.labels)) if j not in found)
    return Mistakes(missed, tuple(extra))
