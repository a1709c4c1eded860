"""Panoptic merge, Panoptic Quality (PQ = SQ × RQ) and mask AP at IoU 0.5, in plain numpy.

A panoptic map gives every pixel one segment id; each segment has one class. Things come from an
instance segmenter (one segment per object), stuff from a semantic map (one segment per stuff class).
"""

from dataclasses import dataclass

import numpy as np

MATCH_IOU = 0.5  # PQ's matching rule: a predicted and a true segment of one class match when IoU > 0.5
MIN_OWN_SHARE = 0.25  # a thing needs a quarter of its mask not taken by stronger things (chosen on seed 1)


@dataclass(frozen=True)
class PanopticMap:
    ids: np.ndarray  # H×W int32: 0 = void (no segment), k = segment k
    classes: tuple[int, ...]  # class of segment k at index k-1
    scores: tuple[float, ...]  # confidence of segment k (1.0 for stuff and for the truth)

    def semantic(self, void: int = -1) -> np.ndarray:
        """The class per pixel (`void` where no segment)."""
        return np.array((void,) + self.classes, np.int64)[self.ids]


def own_pixels(masks: np.ndarray, scores, mask_threshold: float = 0.5,
               min_kept: float = MIN_OWN_SHARE) -> list[tuple[int, np.ndarray]]:
    """(index, the pixels it takes) of each thing that stays, strongest first: each takes its mask's pixels
    not yet taken, and is dropped when less than `min_kept` of its mask is left. A second box on a thing
    already taken (or a box over two things whose parts are both taken) adds almost nothing of its own, so
    this is how overlapping detections become things one can count: the scenes draw a thing only if a quarter
    of it shows, and a detection counts only if a quarter of its mask is its own."""
    masks = np.asarray(masks)
    taken = np.zeros(masks.shape[1:], bool)
    kept = []
    for k in np.argsort(-np.asarray(scores, np.float64), kind="stable"):
        region = masks[k] > mask_threshold
        free = region & ~taken
        if not region.any() or free.sum() < min_kept * region.sum():
            continue
        kept.append((int(k), free))
        taken |= free
    return kept


def panoptic_merge(semantic: np.ndarray, masks: np.ndarray, labels, scores, stuff, mask_threshold: float = 0.5,
                   min_kept: float = MIN_OWN_SHARE) -> PanopticMap:
    """Things over stuff: the things `own_pixels` keeps, each on the pixels it takes. The remaining pixels take
    the semantic map's stuff class; pixels the semantic map calls a thing but no detection covers stay void (0)."""
    semantic = np.asarray(semantic)
    masks = np.asarray(masks).reshape((-1,) + semantic.shape)
    ids = np.zeros(semantic.shape, np.int32)
    classes, kept_scores = [], []
    for k, free in own_pixels(masks, scores, mask_threshold, min_kept):
        classes.append(int(labels[k]))
        kept_scores.append(float(scores[k]))
        ids[free] = len(classes)
    for stuff_class in stuff:
        region = (semantic == stuff_class) & (ids == 0)
        if region.any():
            classes.append(int(stuff_class))
            kept_scores.append(1.0)
            ids[region] = len(classes)
    return PanopticMap(ids, tuple(classes), tuple(kept_scores))


def panoptic_from_instances(semantic: np.ndarray, instances: np.ndarray, labels, stuff) -> PanopticMap:
    """The truth as a panoptic map: each instance mask a thing segment, each stuff class one segment."""
    return panoptic_merge(semantic, np.asarray(instances, np.float32), labels, np.ones(len(labels)), stuff)


@dataclass(frozen=True)
class ClassQuality:
    pq: float
    sq: float  # mean IoU of the matched segments
    rq: float  # TP / (TP + FP/2 + FN/2), an F1 score of the segments
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class PanopticQuality:
    pq: float  # mean over classes
    sq: float
    rq: float
    per_class: dict  # class id -> ClassQuality


def _segment_ious(prediction: PanopticMap, truth: PanopticMap) -> np.ndarray:
    """IoU of every (true segment, predicted segment) pair, from one joint histogram of the two id maps."""
    n_true, n_pred = len(truth.classes) + 1, len(prediction.classes) + 1
    joint = np.bincount((truth.ids.astype(np.int64) * n_pred + prediction.ids).ravel(),
                        minlength=n_true * n_pred).reshape(n_true, n_pred)
    area_true, area_pred = joint.sum(1), joint.sum(0)
    union = area_true[:, None] + area_pred[None, :] - joint
    return np.where(union > 0, joint / np.maximum(union, 1), 0.0)[1:, 1:]


def panoptic_quality(predictions, truths) -> PanopticQuality:
    """PQ over one or more images (lists of PanopticMap, or one of each): per class PQ = SQ × RQ, then the
    mean over the classes that occur in the truth or the prediction."""
    if isinstance(predictions, PanopticMap):
        predictions, truths = [predictions], [truths]
    tally: dict[int, list] = {}  # class -> [sum of matched IoU, TP, FP, FN]
    for prediction, truth in zip(predictions, truths, strict=True):
        iou = _segment_ious(prediction, truth)
        same = np.array(truth.classes)[:, None] == np.array(prediction.classes)[None, :] \
            if truth.classes and prediction.classes else np.zeros((len(truth.classes), len(prediction.classes)), bool)
        matched = (iou > MATCH_IOU) & same  # IoU > 0.5 makes every match unique
        for c in set(truth.classes) | set(prediction.classes):
            row = tally.setdefault(c, [0.0, 0, 0, 0])
            t = np.array(truth.classes) == c
            p = np.array(prediction.classes) == c
            m = matched[np.ix_(t, p)] if t.any() and p.any() else np.zeros((0, 0), bool)
            row[0] += float(iou[np.ix_(t, p)][m].sum()) if m.size else 0.0
            row[1] += int(m.sum())
            row[2] += int(p.sum() - m.sum())
            row[3] += int(t.sum() - m.sum())
    per_class = {}
    for c, (iou_sum, tp, fp, fn) in sorted(tally.items()):
        sq = iou_sum / tp if tp else 0.0
        rq = tp / (tp + fp / 2 + fn / 2) if tp + fp + fn else 0.0
        per_class[c] = ClassQuality(sq * rq, sq, rq, tp, fp, fn)
    mean = (lambda name: float(np.mean([getattr(q, name) for q in per_class.values()])) if per_class else 0.0)
    return PanopticQuality(mean("pq"), mean("sq"), mean("rq"), per_class)


def mask_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every pair of boolean masks: a is N×H×W, b is M×H×W; returns N×M."""
    a = np.asarray(a, bool).reshape(len(a), -1).astype(np.float64)
    b = np.asarray(b, bool).reshape(len(b), -1).astype(np.float64)
    inter = a @ b.T
    union = a.sum(1)[:, None] + b.sum(1)[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def mask_ap50(detections, truths) -> dict:
    """Mask AP at IoU ≥ 0.5 per class and its mean (mAP50), over a list of images.

    detections: per image (masks N×H×W bool, scores N, labels N); truths: per image (masks M×H×W, labels M).
    Per class all detections are ranked by score; each takes the best-overlapping unmatched true mask of its
    image if IoU ≥ 0.5 (a true positive), else it is a false positive. AP is the area under the precision
    envelope over recall (all-point interpolation, as Pascal VOC since 2010)."""
    classes = sorted({int(c) for _, labels in truths for c in labels})
    per_class = {}
    for c in classes:
        ranked, n_true = [], 0
        for image, ((p_masks, p_scores, p_labels), (t_masks, t_labels)) in enumerate(zip(detections, truths,
                                                                                          strict=True)):
            t_sel, p_sel = np.asarray(t_labels) == c, np.asarray(p_labels) == c
            n_true += int(t_sel.sum())
            if p_sel.any():
                iou = mask_iou(np.asarray(p_masks)[p_sel], np.asarray(t_masks)[t_sel]) if t_sel.any() else \
                    np.zeros((int(p_sel.sum()), 0))
                for score, row in zip(np.asarray(p_scores)[p_sel], iou):
                    ranked.append((float(score), image, row))
        ranked.sort(key=lambda item: -item[0])
        taken: dict[int, set] = {}
        hits = []
        for _, image, row in ranked:
            used = taken.setdefault(image, set())
            candidates = [j for j in np.argsort(-row, kind="stable") if j not in used and row[j] >= MATCH_IOU]
            hits.append(bool(candidates))
            if candidates:
                used.add(int(candidates[0]))
        per_class[c] = _average_precision(np.array(hits, bool), n_true)
    return {"per_class": per_class, "map50": float(np.mean(list(per_class.values()))) if per_class else 0.0}


def _average_precision(hits: np.ndarray, n_true: int) -> float:
    if n_true == 0 or hits.size == 0:
        return 0.0
    tp = np.cumsum(hits)
    recall = np.concatenate([[0.0], tp / n_true])
    precision = np.concatenate([[1.0], tp / np.arange(1, hits.size + 1)])
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum((recall[1:] - recall[:-1]) * envelope[1:]))
