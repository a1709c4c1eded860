"""A tiny exercise generator with the interface of ops.exercises, for the class-store tests.

Used only while ops.exercises (built on another branch) is missing. Three kinds, one per answer shape the
projector draws: a number, a grid cell, a choice. The answer is derived from the seed, so it re-generates.
"""

from contextlib import suppress
from dataclasses import dataclass

LESSON = "standin"


@dataclass(frozen=True)
class StandinVerdict:
    correct: bool
    message: str
    hint: str | None


@dataclass(frozen=True)
class StandinExercise:
    kind: str
    params: dict
    answer: object

    def check(self, text: str) -> StandinVerdict:
        if self.kind == "number":
            try:
                value = float(text)
            except ValueError:
                return StandinVerdict(False, "exercise.verdict.not_a_number", None)
            if value == self.answer:
                return StandinVerdict(True, "exercise.verdict.correct", None)
            hint = "exercise.hint.off_by_one" if abs(value - self.answer) == 1 else "exercise.hint.recount"
            return StandinVerdict(False, "exercise.verdict.wrong", hint)
        if self.kind == "cell":
            cell = tuple(int(v) for v in text.strip("() ").split(","))
            ok = cell == self.answer
            return StandinVerdict(ok, f"exercise.verdict.{'correct' if ok else 'wrong'}",
                                  None if ok else "exercise.hint.transposed")
        ok = text.strip().lower() == self.answer
        return StandinVerdict(ok, f"exercise.verdict.{'correct' if ok else 'wrong'}",
                              None if ok else "exercise.hint.choice")


def generate(lesson, seed, level="easy", kind=None):
    if lesson != LESSON or level not in ("easy", "hard"):
        raise KeyError(lesson)
    kind = kind or ("number", "cell", "choice")[seed % 3]
    offset = 100 if level == "hard" else 0
    if kind == "number":
        return StandinExercise("number", {"seed": seed}, seed + offset)
    if kind == "cell":
        return StandinExercise("cell", {"seed": seed}, (seed % 4, (seed // 4) % 4))
    return StandinExercise("choice", {"seed": seed}, ("nearest", "bilinear", "bicubic")[seed % 3])


def wrong_text(exercise) -> str:
    """Some answer that `exercise` reads and marks wrong (an answer to the question, not "other")."""
    for candidate in ("0", "1", "2", "0, 0", "0, 1", "9,9", "none of these", "-12345"):
        with suppress(ValueError, TypeError):  # a candidate of the wrong shape for this exercise
            verdict = exercise.check(candidate)
            if not verdict.correct and getattr(verdict, "readable", True):
                return candidate
    raise AssertionError("no wrong answer found")
