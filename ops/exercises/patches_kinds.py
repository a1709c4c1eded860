"""Sliding-window and per-pixel-loss lessons: forward passes, the FLOP ratio to the fully convolutional
pass, the cross-entropy at a pixel and the pixel with the highest loss, all from ops.patches."""

import numpy as np
import torch

from ops.exercises.model import CELL, INTEGER, NUMBER, Exercise, Mistake, Solution
from ops.patches import PatchClassifier, per_pixel_cross_entropy, sliding_window_cost


def classifier(layers) -> PatchClassifier:
    """The lesson's patch classifier with these (kernel, channels) layers; its weights do not matter here."""
    with torch.random.fork_rng():  # building convs draws random weights: leave the caller's torch RNG alone
        return PatchClassifier(layers=tuple((int(k), int(c)) for k, c in layers))


def _network(rng, level, least: int = 1):
    depth = int(rng.integers(least, least + 2 if level == "easy" else least + 4))
    return [[int(rng.choice([3, 5] if level != "easy" else [3])), int(rng.choice([4, 8, 16]))] for _ in range(depth)]


def _image(rng, level):
    return int(rng.integers(4, 17 if level == "easy" else 65)), int(rng.integers(4, 17 if level == "easy" else 65))


def forward_passes(rng, level):
    layers, (h, w) = _network(rng, level), _image(rng, level)
    cost = sliding_window_cost(classifier(layers), h, w)
    patch = cost.patch_size
    p = {"height": h, "width": w, "layers": layers, "patch_size": patch}
    mistakes = [Mistake("exercise.hint.padding_keeps_every_pixel", max(h - patch + 1, 0) * max(w - patch + 1, 0)),
                Mistake("exercise.hint.windows_overlap", (h // patch) * (w // patch))]
    return Exercise(params=p, answer=cost.forward_passes, answer_type=INTEGER,
                    question="exercise.question.forward_passes",
                    question_params={"height": h, "width": w, "patch": patch}, hint="exercise.hint.forward_passes",
                    mistakes=mistakes,
                    solution_data=Solution("exercise.formula.one_pass_per_pixel", {"height": h, "width": w}, [],
                                           cost.forward_passes,
                                           [("exercise.solution.passes", {"count": cost.forward_passes})]))


def flop_ratio(rng, level):
    layers, (h, w) = _network(rng, level, least=2), _image(rng, level)  # one layer alone repeats no work
    cost = sliding_window_cost(classifier(layers), h, w)
    p = {"height": h, "width": w, "layers": layers, "patch_size": cost.patch_size}
    steps = [{"name": "sliding", "flops": cost.sliding_flops, "per_patch": cost.flops_per_patch,
              "passes": cost.forward_passes}, {"name": "fully_conv", "flops": cost.fully_conv_flops}]
    mistakes = [Mistake("exercise.hint.ratio_inverted", 1 / cost.flop_ratio),
                Mistake("exercise.hint.full_pass_not_free", float(cost.forward_passes))]
    return Exercise(params=p, answer=cost.flop_ratio, answer_type=NUMBER, question="exercise.question.flop_ratio",
                    question_params={"height": h, "width": w, "patch": cost.patch_size},
                    hint="exercise.hint.flop_ratio",
                    mistakes=mistakes, abs_tol=0.0, rel_tol=0.10,
                    solution_data=Solution("exercise.formula.flop_ratio", {}, steps, cost.flop_ratio,
                                           [("exercise.solution.ratio", {"value": cost.flop_ratio})]))


def _scores(rng, count, level):
    if level == "easy":
        return rng.integers(-2, 5, size=count).astype(float)
    return np.round(rng.uniform(-3, 4, size=count), 1)


def loss_at(scores, label) -> float:
    """The lesson's per-pixel cross-entropy for one pixel's class scores."""
    return float(per_pixel_cross_entropy(np.asarray(scores, float)[:, None, None], [[label]]).loss_map[0, 0])


def pixel_loss(rng, level):
    classes = 3 if level == "easy" else int(rng.integers(3, 6))
    scores, label = _scores(rng, classes, level), int(rng.integers(0, classes))
    answer = loss_at(scores, label)
    prob = float(np.exp(-answer))
    mistakes = [Mistake("exercise.hint.log_base", answer / np.log(2), {"base": 2}),
                Mistake("exercise.hint.log_base", answer / np.log(10), {"base": 10}),
                Mistake("exercise.hint.softmax_first", float(-scores[label])),
                Mistake("exercise.hint.negative_log", prob)]
    exps = np.exp(scores - scores.max())
    steps = [{"class": k, "score": float(s), "probability": float(e / exps.sum())} for k, (s, e) in
             enumerate(zip(scores, exps))]
    p = {"scores": scores.tolist(), "label": label}
    return Exercise(params=p, answer=answer, answer_type=NUMBER, question="exercise.question.pixel_loss",
                    question_params={"label": label}, hint="exercise.hint.pixel_loss", mistakes=mistakes,
                    solution_data=Solution("exercise.formula.cross_entropy", {"label": label}, steps, answer,
                                           [("exercise.solution.probability", {"label": label, "value": prob}),
                                            ("exercise.solution.loss", {"value": answer})]))


def worst_pixel(rng, level):
    h, w = (2, 3) if level == "easy" else (3, 4)
    while True:  # one clear worst pixel, so the question has one answer
        scores = np.stack([_scores(rng, h * w, level).reshape(h, w) for _ in range(3)])
        labels = rng.integers(0, 3, size=(h, w))
        loss = per_pixel_cross_entropy(scores, labels).loss_map
        ordered = np.sort(loss.ravel())
        if ordered[-1] - ordered[-2] > 0.05:
            break
    r, c = np.unravel_index(int(loss.argmax()), loss.shape)
    raw = np.take_along_axis(scores, labels[None], 0)[0]
    rr, rc = np.unravel_index(int(raw.argmin()), raw.shape)
    p = {"scores": scores.tolist(), "labels": labels.astype(int).tolist()}
    steps = [{"cell": [i, j], "loss": float(loss[i, j])} for i in range(h) for j in range(w)]
    return Exercise(params=p, answer=(int(r), int(c)), answer_type=CELL, question="exercise.question.worst_pixel",
                    question_params={}, hint="exercise.hint.worst_pixel",
                    mistakes=[Mistake("exercise.hint.raw_score", (int(rr), int(rc)))],
                    solution_data=Solution("exercise.formula.cross_entropy_map", {}, steps, [int(r), int(c)],
                                           [("exercise.solution.worst", {"row": int(r), "col": int(c),
                                                                         "value": float(loss[r, c])})]))


SLIDING_WINDOW = {"forward-passes": forward_passes, "flop-ratio": flop_ratio}
PER_PIXEL_LOSS = {"pixel-loss": pixel_loss, "worst-pixel": worst_pixel}
