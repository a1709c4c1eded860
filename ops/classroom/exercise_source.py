"""The questions a class answers come from the Practice exercise engine, re-generated from what was stored.

A question row keeps only (lesson, kind, seed, level); `generate` rebuilds the same exercise every time,
so the store never keeps answers or solutions of its own. The default engine is `ops.exercises`, imported
on first use; tests and tools may inject any object with the same `generate` function.
"""

import threading
from dataclasses import dataclass
from functools import lru_cache

from ops.classroom.answer_space import space_of
from ops.classroom.errors import BadExercise


@dataclass(frozen=True)
class Unreadable:
    """The verdict for an answer the exercise could not even read (its check raised)."""

    correct: bool = False
    message: str = "classroom.verdict.unreadable"
    hint: str | None = None


class ExerciseSource:
    def __init__(self, generator=None):
        self._generator = generator
        self._lock = threading.Lock()
        self._cached = lru_cache(maxsize=256)(self._generate)
        self._spaces = lru_cache(maxsize=256)(lambda *key: space_of(self._cached(*key)))

    def _engine(self):
        with self._lock:
            if self._generator is None:
                from ops import (
                    exercises,  # lazy: the exercise engine is only needed once a class runs
                )

                self._generator = exercises
            return self._generator

    def _generate(self, lesson, seed, level, kind):
        try:
            return self._engine().generate(lesson, seed, level=level, kind=kind)
        except Exception as error:  # an unknown lesson or level: a clear error, never a traceback
            raise BadExercise(lesson=lesson, level=level) from error

    def exercise(self, lesson: str, seed: int, level: str = "easy", kind=None):
        return self._cached(lesson, int(seed), level, kind)

    def space(self, lesson: str, seed: int, level: str = "easy", kind=None):
        """What the question can be answered with (the tally counts the rest as "other")."""
        return self._spaces(lesson, int(seed), level, kind)

    def verdict(self, lesson: str, seed: int, level: str, kind, text: str):
        exercise = self.exercise(lesson, seed, level, kind)
        try:
            return exercise.check(text)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # "abc" typed where a cell was asked
            return Unreadable()
