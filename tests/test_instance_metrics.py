"""PQ, mask AP50 and the panoptic merge, against hand-computed values and an independent brute-force numpy
implementation (pixel loops and explicit pairings, no joint histogram, no precision envelope array)."""

import numpy as np
import pytest

from ops.instances.metrics import (
    PanopticMap,
    mask_ap50,
    own_pixels,
    panoptic_from_instances,
    panoptic_merge,
    panoptic_quality,
)

SKY, DISC, SQUARE = 0, 2, 3


def brute_pq(pred: PanopticMap, truth: PanopticMap) -> dict:
    """PQ per class by looping over every pair of segments and every pixel."""
    out = {}
    for c in set(pred.classes) | set(truth.classes):
        tps, fp, fn, used = [], 0, 0, set()
        for i, tc in enumerate(truth.classes, start=1):
            if tc != c:
                continue
            hit = None
            for j, pc in enumerate(pred.classes, start=1):
                inter = sum(1 for a, b in zip(truth.ids.ravel(), pred.ids.ravel()) if a == i and b == j)
                union = sum(1 for a, b in zip(truth.ids.ravel(), pred.ids.ravel()) if a == i or b == j)
                if pc == c and inter / union > 0.5:
                    hit = (j, inter / union)
            if hit:
                tps.append(hit[1])
                used.add(hit[0])
            else:
                fn += 1
        fp = sum(1 for j, pc in enumerate(pred.classes, start=1) if pc == c and j not in used)
        tp = len(tps)
        out[c] = (sum(tps) / (tp + fp / 2 + fn / 2) if tp + fp + fn else 0.0)
    return out


def brute_ap(scored_hits: list[tuple[float, bool]], n_true: int) -> float:
    """Sum over true positives of the best precision at that rank or later, divided by the number of truths."""
    ranked = sorted(scored_hits, key=lambda s: -s[0])
    precisions = [sum(h for _, h in ranked[:k + 1]) / (k + 1) for k in range(len(ranked))]
    return sum(max(precisions[k:]) for k, (_, h) in enumerate(ranked) if h) / n_true


def hand_case():
    truth = np.zeros((10, 10), np.int32)
    truth[0:5, 0:5] = 1  # disc A, 25 px
    truth[6:10, 6:10] = 2  # disc B, 16 px, missed
    truth[truth == 0] = 3  # sky
    pred = np.zeros((10, 10), np.int32)
    pred[0:5, 0:4] = 1  # disc A', IoU 20/25
    pred[6:10, 0:3] = 2  # a disc where there is sky: a false positive
    pred[pred == 0] = 3
    return PanopticMap(pred, (DISC, DISC, SKY), (0.9, 0.8, 1.0)), PanopticMap(truth, (DISC, DISC, SKY), (1, 1, 1))


def test_pq_hand_made_case():
    pred, truth = hand_case()
    quality = panoptic_quality(pred, truth)
    disc, sky = quality.per_class[DISC], quality.per_class[SKY]
    assert (disc.tp, disc.fp, disc.fn) == (1, 1, 1)
    assert disc.sq == pytest.approx(0.8) and disc.rq == pytest.approx(0.5) and disc.pq == pytest.approx(0.4)
    assert sky.sq == pytest.approx(47 / 80) and sky.rq == 1
    assert quality.pq == pytest.approx((0.4 + 47 / 80) / 2)
    assert {c: q.pq for c, q in quality.per_class.items()} == pytest.approx(brute_pq(pred, truth))


@pytest.mark.parametrize("seed", range(6))
def test_pq_agrees_with_brute_force_on_random_maps(seed):
    rng = np.random.default_rng(seed)
    truth_ids = np.repeat(np.repeat(rng.integers(1, 6, (3, 3)), 4, 0), 4, 1)  # 12×12, blocky segments
    pred_ids = truth_ids.copy()
    flip = rng.random(truth_ids.shape) < 0.25
    pred_ids[flip] = rng.integers(0, 6, flip.sum())  # noise, including void (0)
    classes = tuple(int(c) for c in rng.choice([SKY, DISC, SQUARE], 5))
    pred, truth = PanopticMap(pred_ids, classes, (1,) * 5), PanopticMap(truth_ids, classes, (1,) * 5)
    quality = panoptic_quality(pred, truth)
    assert {c: q.pq for c, q in quality.per_class.items()} == pytest.approx(brute_pq(pred, truth))
    for q in quality.per_class.values():
        assert q.pq == pytest.approx(q.sq * q.rq)


def test_ap50_hand_made_case():
    masks = np.zeros((2, 6, 6), bool)
    masks[0, :3, :3] = masks[1, 3:, 3:] = True
    detections = np.stack([masks[0], masks[0] & False | np.eye(6, dtype=bool), masks[1]])  # hit, miss, hit
    result = mask_ap50([(detections, [0.9, 0.8, 0.7], [DISC, DISC, DISC])], [(masks, [DISC, DISC])])
    assert result["per_class"][DISC] == pytest.approx(0.5 + 0.5 * 2 / 3)
    duplicate = mask_ap50([(np.stack([masks[0], masks[0]]), [0.9, 0.8], [DISC, DISC])], [(masks[:1], [DISC])])
    assert duplicate["per_class"][DISC] == pytest.approx(1.0)  # the duplicate is a false positive after the hit
    wrong_class = mask_ap50([(masks, [0.9, 0.8], [SQUARE, SQUARE])], [(masks, [DISC, DISC])])
    assert wrong_class["map50"] == 0


@pytest.mark.parametrize("seed", range(6))
def test_ap50_agrees_with_brute_force(seed):
    rng = np.random.default_rng(seed)
    images, truths, pooled, n_true = [], [], [], 0
    for _ in range(3):
        t_masks = np.zeros((3, 8, 8), bool)
        for k in range(3):
            t_masks[k, 2 * k:2 * k + 3, rng.integers(0, 5):][:, :3] = True
        n_true += 3
        # each detection is a copy of one truth with some pixels flipped: IoU above or below 0.5
        picks = rng.integers(0, 3, 4)
        p_masks = t_masks[picks] ^ (rng.random((4, 8, 8)) < rng.uniform(0, 0.15, (4, 1, 1)))
        scores = rng.random(4)
        images.append((p_masks, scores, [DISC] * 4))
        truths.append((t_masks, [DISC] * 3))
        used = set()
        for j in np.argsort(-scores):  # independent greedy matching with explicit pixel counting
            best, best_iou = None, 0.5
            for k in range(3):
                inter = int(np.logical_and(p_masks[j], t_masks[k]).sum())
                iou = inter / int(np.logical_or(p_masks[j], t_masks[k]).sum())
                if k not in used and iou >= best_iou:
                    best, best_iou = k, iou
            if best is not None:
                used.add(best)
            pooled.append((scores[j], best is not None))
    assert mask_ap50(images, truths)["per_class"][DISC] == pytest.approx(brute_ap(pooled, n_true))


def test_merge_things_over_stuff_by_score():
    semantic = np.full((8, 8), SKY)
    semantic[4:, :] = 1  # grass
    masks = np.zeros((3, 8, 8), np.float32)
    masks[0, 2:6, 0:4] = 0.9  # weaker disc
    masks[1, 3:7, 3:7] = 0.8  # stronger square: takes the overlap
    masks[2, 3:6, 1:4] = 0.9  # a weak duplicate almost fully inside the others: dropped
    merged = panoptic_merge(semantic, masks, [DISC, SQUARE, DISC], [0.6, 0.9, 0.3], stuff=(SKY, 1))
    assert merged.classes == (SQUARE, DISC, SKY, 1)
    assert merged.ids[4, 4] == 1 and merged.ids[2, 2] == 2 and merged.ids[0, 0] == 3 and merged.ids[7, 0] == 4
    assert (merged.ids > 0).all()
    truth = panoptic_from_instances(semantic, masks[:2] > 0.5, [DISC, SQUARE], stuff=(SKY, 1))
    assert truth.ids[3, 3] == 1 and truth.classes[0] == DISC  # equal scores: the first instance wins


def test_a_thing_stays_when_a_quarter_of_its_mask_is_its_own():
    masks = np.zeros((3, 10, 10), np.float32)
    masks[0, 0:4, 0:4] = 0.9  # 16 px, strongest
    masks[1, 0:4, 3:7] = 0.9  # 16 px, 4 under the first: 12 its own, a neighbour half behind it
    masks[2, 0:4, 4:8] = 0.8  # 16 px, 12 under the second: 4 its own, a quarter exactly
    kept = own_pixels(masks, [0.9, 0.7, 0.5], min_kept=0.25)
    assert [k for k, _ in kept] == [0, 1, 2] and [int(free.sum()) for _, free in kept] == [16, 12, 4]
    assert [k for k, _ in own_pixels(masks, [0.9, 0.7, 0.5], min_kept=0.3)] == [0, 1]
    # scores reversed: the third goes first, the second keeps only its first column (a quarter) and goes
    assert [k for k, _ in own_pixels(masks, [0.5, 0.7, 0.9], min_kept=0.3)] == [2, 0]


def test_a_second_box_on_one_thing_is_dropped_and_an_empty_mask_is_no_thing():
    masks = np.zeros((3, 10, 10), np.float32)
    masks[0, 2:8, 2:8] = 0.9  # 36 px
    masks[1, 2:8, 3:8] = 0.9  # a stronger box on the same thing: leaves the first 6 px of its own, a sixth
    masks[2, 0:2, 0:2] = 0.4  # under the mask threshold everywhere
    assert [k for k, _ in own_pixels(masks, [0.6, 0.8, 0.9])] == [1]
    assert [k for k, _ in own_pixels(masks, [0.6, 0.8, 0.9], min_kept=0)] == [1, 0]
