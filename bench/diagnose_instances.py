"""Where the small Mask R-CNN's counts go wrong: accuracy by number of things and by overlap, the confusion of
predicted vs true counts, and pictures of wrong scenes; box NMS, score thresholds and the share of its mask a
box must own (Detection.kept) can be swept without retraining (on a tuning seed only, never on a test seed).

    python bench/diagnose_instances.py --scenes 1000 --seed 1 --thresholds 0.2 0.3 0.4 --min-own 0 0.25 0.5
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from ops.instances.inference import SCORE_THRESHOLD, detect, load_instance_model
from ops.instances.metrics import MIN_OWN_SHARE
from ops.lab.instance_scenes import make_instance_scene
from ops.lab.scenes import CLASSES, THINGS


def box_iou(boxes: np.ndarray) -> np.ndarray:
    lo = np.maximum(boxes[:, None, :2], boxes[None, :, :2])
    hi = np.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=2)
    area = np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    return inter / (area[:, None] + area[None, :] - inter)


def max_same_class_box_iou(scene) -> float:
    """The largest box IoU between two true things of one class: NMS at that IoU would suppress one of them."""
    boxes, best = scene.boxes(), 0.0
    if len(boxes) > 1:
        iou = box_iou(boxes)
        same = scene.labels[:, None] == scene.labels[None, :]
        np.fill_diagonal(same, False)
        best = float(iou[same].max()) if same.any() else 0.0
    return best


def save_picture(path: Path, scene, result, threshold: float, min_own: float) -> None:
    from PIL import Image, ImageDraw

    scale = 6
    image = Image.fromarray((scene.image * 255).astype(np.uint8)).resize((64 * scale, 64 * scale), Image.NEAREST)
    draw = ImageDraw.Draw(image)
    colours = {THINGS[0]: (255, 255, 255), THINGS[1]: (255, 255, 0), THINGS[2]: (0, 255, 255)}
    kept = set(result.kept(threshold, min_own).tolist())
    for k, (box, label, score) in enumerate(zip(result.boxes, result.labels, result.scores)):
        if k in kept:
            draw.rectangle(list(box * scale), outline=colours[int(label)], width=2)
            draw.text((box[0] * scale + 3, box[1] * scale + 2), f"{CLASSES[int(label)]} {score:.2f}",
                      fill=colours[int(label)])
    truth = scene.counts()
    counts = result.counts(threshold, min_own)
    draw.text((4, 4), "truth " + " ".join(f"{CLASSES[c]}={truth[c]}" for c in THINGS), fill=(0, 0, 0))
    draw.text((4, 16), "model " + " ".join(f"{CLASSES[c]}={counts[c]}" for c in THINGS), fill=(0, 0, 0))
    image.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nms", type=float, nargs="+", default=[0.5])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[SCORE_THRESHOLD])
    parser.add_argument("--min-own", type=float, nargs="+", default=[MIN_OWN_SHARE],
                        help="the share of its mask a kept box must own (0: box NMS alone)")
    parser.add_argument("--weights", type=Path, default=None)
    parser.add_argument("--pictures", type=int, default=0, help="save this many wrong scenes under screenshots/")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = load_instance_model() if args.weights is None else load_instance_model(args.weights)
    scenes = [make_instance_scene(args.seed, i, "test") for i in range(args.scenes)]
    for nms in args.nms:
        model.roi_heads.nms_thresh = nms
        results = [detect(s.image, model) for s in scenes]
        for threshold, min_own in [(t, m) for t in args.thresholds for m in args.min_own]:
            right = Counter()
            by_n, by_overlap, confusion, errors = Counter(), Counter(), Counter(), Counter()
            total_n, total_overlap = Counter(), Counter()
            for scene, result in zip(scenes, results):
                truth, counts = scene.counts(), result.counts(threshold, min_own)
                for c in THINGS:
                    right[c] += counts[c] == truth[c]
                    confusion[(truth[c], counts[c])] += 1
                    errors["over" if counts[c] > truth[c] else "under" if counts[c] < truth[c] else "ok"] += 1
                n, overlap = len(scene.labels), max_same_class_box_iou(scene)
                band = "box IoU<0.3" if overlap < 0.3 else "0.3-0.5" if overlap < 0.5 else ">=0.5"
                total_n[n] += 1
                total_overlap[band] += 1
                by_n[n] += counts == truth
                by_overlap[band] += counts == truth
            acc = " ".join(f"{CLASSES[c]} {right[c] / len(scenes):.3f}" for c in THINGS)
            print(f"nms {nms} threshold {threshold} min-own {min_own}: count acc {acc}; per-class errors "
                  f"{dict(errors)}")
            if (threshold, min_own) == (args.thresholds[0], args.min_own[0]) and nms == args.nms[0]:
                print("  all-classes-right by number of things:",
                      {n: f"{by_n[n]}/{total_n[n]}" for n in sorted(total_n)})
                print("  all-classes-right by largest same-class box IoU:",
                      {b: f"{by_overlap[b]}/{total_overlap[b]}" for b in total_overlap})
                print("  (true, predicted) count pairs that were wrong:",
                      {k: v for k, v in sorted(confusion.items()) if k[0] != k[1]})
        if args.pictures:
            out = Path(__file__).resolve().parents[1] / "screenshots"
            out.mkdir(exist_ok=True)
            saved = 0
            for index, (scene, result) in enumerate(zip(scenes, results)):
                if saved < args.pictures and result.counts(args.thresholds[0], args.min_own[0]) != scene.counts():
                    save_picture(out / f"instances_wrong_seed{args.seed}_{index}.png", scene, result,
                                 args.thresholds[0], args.min_own[0])
                    saved += 1


if __name__ == "__main__":
    main()
