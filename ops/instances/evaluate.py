"""Mask R-CNN against connected blobs on held-out touching-things scenes: counts, mask AP50, PQ, speed.

Stuff for the panoptic map comes from the scene's semantic truth (an ideal semantic network), so PQ here
measures what the instance network adds: whether the things are split and outlined correctly.
"""

import time
from dataclasses import dataclass

from ops.instances.inference import SCORE_THRESHOLD, blob_counts, detect, load_instance_model
from ops.instances.metrics import mask_ap50, panoptic_from_instances, panoptic_merge, panoptic_quality
from ops.lab.instance_scenes import make_instance_scene
from ops.lab.scenes import CLASSES, STUFF, THINGS


@dataclass(frozen=True)
class Evaluation:
    scenes: int
    count_accuracy: dict  # class name -> fraction of scenes with exactly the true number (Mask R-CNN)
    blob_accuracy: dict  # the same for connected blobs of the true semantic map
    map50: float
    ap50: dict  # class name -> mask AP at IoU 0.5
    pq: float
    sq: float
    rq: float
    seconds_per_scene: float  # detect() alone, one thread
    threshold: float = SCORE_THRESHOLD  # the score threshold the counts, AP and PQ used


def evaluate(scenes: int = 100, seed: int = 0, threshold: float = SCORE_THRESHOLD, model=None) -> Evaluation:
    model = load_instance_model() if model is None else model
    hits = {c: 0 for c in THINGS}
    blob_hits = {c: 0 for c in THINGS}
    detections, truths, predicted_maps, true_maps, seconds = [], [], [], [], 0.0
    for index in range(scenes):
        scene = make_instance_scene(seed, index, "test")
        start = time.perf_counter()
        result = detect(scene.image, model)
        seconds += time.perf_counter() - start
        counts, blobs, truth = result.counts(threshold), blob_counts(scene.mask), scene.counts()
        for c in THINGS:
            hits[c] += counts[c] == truth[c]
            blob_hits[c] += blobs[c] == truth[c]
        detections.append(result.instance_masks(threshold))
        truths.append((scene.instances, scene.labels))
        keep = result.kept(threshold)
        predicted_maps.append(panoptic_merge(scene.mask, result.masks[keep], result.labels[keep],
                                             result.scores[keep], STUFF))
        true_maps.append(panoptic_from_instances(scene.mask, scene.instances, scene.labels, STUFF))
    ap = mask_ap50(detections, truths)
    quality = panoptic_quality(predicted_maps, true_maps)
    return Evaluation(scenes, {CLASSES[c]: hits[c] / scenes for c in THINGS},
                      {CLASSES[c]: blob_hits[c] / scenes for c in THINGS}, ap["map50"],
                      {CLASSES[c]: v for c, v in ap["per_class"].items()}, quality.pq, quality.sq, quality.rq,
                      seconds / max(scenes, 1), threshold)


def summary_lines(e: Evaluation) -> list[str]:
    lines = [f"{e.scenes} held-out scenes (touching things), score threshold {e.threshold}"]
    lines.append(f"{'class':<10}{'Mask R-CNN count acc':>22}{'blob count acc':>16}{'mask AP50':>11}")
    for name in e.count_accuracy:
        lines.append(f"{name:<10}{e.count_accuracy[name]:>22.3f}{e.blob_accuracy[name]:>16.3f}"
                     f"{e.ap50.get(name, float('nan')):>11.3f}")
    lines.append(f"mask mAP50 {e.map50:.3f}   PQ {e.pq:.3f} = SQ {e.sq:.3f} x RQ {e.rq:.3f} (class means)")
    lines.append(f"detect(): {e.seconds_per_scene * 1000:.1f} ms per scene on one CPU thread")
    return lines
