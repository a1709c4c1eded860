"""Which exercise kinds each lesson has, and how one is built from (lesson, kind, seed, level) alone.

The builders draw everything from a numpy Generator seeded by (seed, kind), so the same four values
always give the same exercise (a teacher's link) and every kind gets its own stream of numbers.
"""

import zlib
from dataclasses import replace

import numpy as np

from ops.exercises import (
    lab_kinds,
    layer_stack_kinds,
    patches_kinds,
    scene_kinds,
    upsampling_kinds,
)
from ops.exercises.errors import ExerciseError
from ops.exercises.model import Exercise

LEVELS = ("easy", "harder")
MAX_SEED = 2 ** 32 - 1

LESSON_KINDS = {
    "segmentation": scene_kinds.SEGMENTATION,
    "sliding-window": patches_kinds.SLIDING_WINDOW,
    "per-pixel-loss": patches_kinds.PER_PIXEL_LOSS,
    "full-resolution-cost": layer_stack_kinds.FULL_RESOLUTION_COST,
    "upsampling": upsampling_kinds.KINDS,
    "receptive-field": layer_stack_kinds.RECEPTIVE_FIELD,
    "things-and-stuff": scene_kinds.THINGS_AND_STUFF,
    "live-demo": lab_kinds.LIVE_DEMO,
    "fcn-lab": lab_kinds.FCN_LAB,
    "own-network": layer_stack_kinds.RECEPTIVE_FIELD,  # the field and jump of a stack, as the page measures them
}


def kinds(lesson: str) -> list[str]:
    """The exercise kinds of a lesson (slugs as in lessons/catalog.py); [] for a lesson without any (home)."""
    return list(LESSON_KINDS.get(lesson, {}))


def _seed(seed) -> int:
    try:
        value = int(str(seed).strip()) if not isinstance(seed, int) else seed
    except (TypeError, ValueError):
        raise ExerciseError("exercise.error.bad_seed", seed=str(seed)[:20]) from None
    if isinstance(seed, bool) or not 0 <= value <= MAX_SEED:
        raise ExerciseError("exercise.error.bad_seed", seed=str(seed)[:20])
    return value


def generate(lesson: str, seed, level: str = "easy", kind: str | None = None) -> Exercise:
    """A new exercise for `lesson`: `kind` (default: one chosen by the seed), numbers drawn from `seed`."""
    if lesson not in LESSON_KINDS:
        raise ExerciseError("exercise.error.unknown_lesson", lesson=str(lesson)[:40])
    if level not in LEVELS:
        raise ExerciseError("exercise.error.unknown_level", level=str(level)[:20])
    seed = _seed(seed)
    table = LESSON_KINDS[lesson]
    if kind is None:
        kind = list(table)[seed % len(table)]
    if kind not in table:
        raise ExerciseError("exercise.error.unknown_kind", kind=str(kind)[:40], lesson=lesson)
    rng = np.random.default_rng([seed, zlib.crc32(kind.encode()), LEVELS.index(level)])
    return replace(table[kind](rng, level), lesson=lesson, kind=kind, seed=seed, level=level)


def rebuild(state: dict) -> Exercise:
    """The exercise an Exercise.to_dict() (or a URL's query) describes."""
    return generate(state["lesson"], state["seed"], state.get("level", "easy"), state.get("kind"))
