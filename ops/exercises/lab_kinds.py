"""The labs' predictions, checked by running: which decoder leaves a checkerboard on a flat input (the
ops.lab decoders themselves), which class covers most of a scene (ops.lab.scenes) or of a photo (the live
demo's segmentation, when weights are present)."""

from functools import cache, lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from ops.exercises.errors import ExerciseUnavailable
from ops.exercises.model import CHOICE, Exercise, Mistake, Solution
from ops.lab.decoders import DECODERS, TransposedConv
from ops.lab.scenes import CLASSES, THINGS, make_scene

FLAT_SIDE = 8  # the flat feature map a decoder doubles
EDGE = 2  # output pixels trimmed from each border (padding effects)


@cache
def flat_unevenness(name: str) -> float:
    """Variance of a decoder's output over the interior, for a flat 1×1×8×8 input of ones.

    Transposed convolutions get an all-ones kernel (no bias): the stamps' overlap alone shows; max
    unpooling gets the switches of max pooling a flat encoder map (all ties: top-left).
    """
    with torch.random.fork_rng(), torch.no_grad():
        module = DECODERS[name].build(1)
        if isinstance(module, TransposedConv):
            module.conv.weight.fill_(1.0)
            module.conv.bias.zero_()
        flat = torch.ones(1, 1, FLAT_SIDE, FLAT_SIDE)
        _, switches = F.max_pool2d(torch.ones(1, 1, 2 * FLAT_SIDE, 2 * FLAT_SIDE), 2, return_indices=True)
        out = module(flat, switches)[0, 0, EDGE:-EDGE, EDGE:-EDGE]
    return float(out.double().var())


def checkerboard_decoders() -> tuple[list[str], list[str]]:
    """(decoders that leave a pattern on a flat input, decoders that stay flat), by running each one."""
    uneven = [name for name in DECODERS if flat_unevenness(name) > 1e-9]
    return uneven, [name for name in DECODERS if name not in uneven]


def checkerboard_decoder(rng, level):
    uneven, flat = checkerboard_decoders()
    options = [str(rng.choice(uneven))] + [str(n) for n in rng.choice(flat, size=2 if level == "easy" else len(flat),
                                                                          replace=False)]
    rng.shuffle(options)
    answer = next(o for o in options if o in uneven)
    hints = {"transposed_k4s2": "exercise.hint.even_overlap", "nearest": "exercise.hint.interpolation_flat",
             "bilinear": "exercise.hint.interpolation_flat"}
    mistakes = [Mistake(hints.get(o, "exercise.hint.flat_input"), o) for o in options if o != answer]
    steps = [{"decoder": o, "unevenness": flat_unevenness(o)} for o in options]
    return Exercise(params={"options": options}, answer=answer, answer_type=CHOICE, choices=tuple(options),
                    question="exercise.question.checkerboard_decoder", question_params={},
                    hint="exercise.hint.flat_input", mistakes=mistakes,
                    solution_data=Solution("exercise.formula.flat_variance", {}, steps, answer,
                                           [("exercise.solution.checkerboard", {"decoder": answer})]))


def _largest(labels: np.ndarray, names) -> tuple[str, list, dict]:
    counts = np.bincount(labels.ravel(), minlength=len(names))
    present = [str(names[k]) for k in np.flatnonzero(counts)]
    return str(names[int(counts.argmax())]), present, {str(names[k]): int(counts[k]) for k in np.flatnonzero(counts)}


def _largest_result(answer, present, shares, params, names, things):
    biggest_thing = max((c for c in present if names.index(c) in things), key=lambda c: shares[c], default=None)
    mistakes = [Mistake("exercise.hint.stuff_counts", biggest_thing)] if biggest_thing != answer else []
    return Exercise(params=params, answer=answer, answer_type=CHOICE, choices=tuple(present),
                    question="exercise.question.largest_class", question_params={}, hint="exercise.hint.largest_class",
                    mistakes=mistakes,
                    solution_data=Solution("exercise.formula.pixel_shares", {}, [shares], answer,
                                           [("exercise.solution.largest", {"class": answer,
                                                                           "count": shares[answer]})]))


def scene_largest_class(rng, level):
    while True:  # a clear winner: the two biggest classes differ by at least 2 % of the picture
        scene_seed = int(rng.integers(0, 2 ** 31))
        mask = make_scene(scene_seed).mask
        answer, present, shares = _largest(mask, CLASSES)
        top = sorted(shares.values())[-2:]
        if len(top) < 2 or top[1] - top[0] >= 0.02 * mask.size:
            break
    return _largest_result(answer, present, shares, {"scene_seed": scene_seed}, list(CLASSES), THINGS)


@lru_cache(maxsize=16)
def photo_labels(photo: str, model: str) -> tuple[np.ndarray, tuple]:
    """The live demo's label map of a bundled sample photo (CPU, cached per photo and model)."""
    from ops.segmentation import segment
    from ops.segmentation.samples import sample_image

    result = segment(sample_image(photo), model=model, device="cpu")
    return np.asarray(result.labels), tuple(result.classes)


PHOTOS = ("astronaut", "chelsea", "motorcycle")


def photo_model() -> str:
    """The smallest semantic model whose weights are present; ExerciseUnavailable when there is none."""
    from ops.segmentation.registry import available_models

    found = sorted(available_models("semantic"), key=lambda spec: spec.size_mb)
    if not found:
        raise ExerciseUnavailable("exercise.unavailable.weights")
    return found[0].name


def photo_largest_class(rng, level):
    photo, model = str(rng.choice(PHOTOS)), photo_model()
    labels, names = photo_labels(photo, model)
    answer, present, shares = _largest(labels, names)
    return _largest_result(answer, present, shares, {"photo": photo, "model": model}, list(names),
                           tuple(range(1, len(names))))


FCN_LAB = {"checkerboard-decoder": checkerboard_decoder, "largest-class": scene_largest_class}
LIVE_DEMO = {"largest-class": photo_largest_class}
