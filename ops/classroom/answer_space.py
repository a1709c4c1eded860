"""What a question can be answered with, so that the projector counts every answer against its question.

A student types anything. The tally reads each text the way the exercise reads it (ops.exercises.answers)
and keeps it only when it lies inside the question's space: a cell inside the exercise's grid, a number
within a range of the answer's size (a count is never negative), one of the offered choices. Everything
else is "other": counted, never drawn at its own size. So the projector's work and figure are bounded by
the exercise, whatever is typed (issue 19: one answer "123456, 654321" asked for a 10^10-cell heat map).
"""

import math
from dataclasses import dataclass

NUMERIC, CELLS, CHOICE = "numeric", "cells", "choice"
RANGE_FACTOR = 10  # a number beyond 10× the largest expected value (answer, known mistakes) is "other"
MIN_RANGE = 100.0  # ...and a small count still takes any answer up to 100
MIN_GRID = 2
MAX_GRID = 64  # a side no exercise comes near; the heat map is never larger than 64×64


@dataclass(frozen=True)
class AnswerSpace:
    """kind: NUMERIC (low..high; integer: whole numbers only), CELLS (rows×cols) or CHOICE (choices)."""

    kind: str
    answer_type: str
    low: float = 0.0
    high: float = 0.0
    rows: int = 0
    cols: int = 0
    choices: tuple = ()
    count: int = 1  # how many choices one answer names ("thing, stuff, thing")

    def read(self, text):
        """The answer as a value of this space (float, (row, col), choice text), or None: "other"."""
        from ops.exercises import AnswerError, answers

        try:
            if self.kind == NUMERIC:
                value = answers.parse_integer(text) if self.answer_type == "integer" else answers.parse_number(text)
                return float(value) if math.isfinite(value) and self.low <= value <= self.high else None
            if self.kind == CELLS:
                row, col = answers.parse_cell(text)
                return (row, col) if 0 <= row < self.rows and 0 <= col < self.cols else None
            if self.count > 1:
                return ", ".join(answers.parse_choices(text, self.choices, self.count))
            return answers.parse_choice(text, self.choices)
        except (AnswerError, ValueError, TypeError, OverflowError):
            return None

    def label(self, value) -> str:
        """A read value as text the exercise reads back (the projector's "common wrong answers")."""
        if self.kind == NUMERIC:
            return f"{int(value)}" if float(value).is_integer() else f"{value:.6g}"
        if self.kind == CELLS:
            return f"{value[0]}, {value[1]}"
        return str(value)

    @property
    def size(self) -> int:
        """The most bars or cells its figure can have."""
        if self.kind == CELLS:
            return self.rows * self.cols
        if self.kind == CHOICE:
            return len(self.choices) ** self.count
        return 1


def space_of(exercise) -> AnswerSpace:
    """The answer space of an exercise from ops.exercises (or anything with answer, answer_type, params)."""
    answer = exercise.answer
    answer_type = getattr(exercise, "answer_type", None) or _type_of(answer)
    references = [answer] + [m.value for m in getattr(exercise, "mistakes", ()) if m.value is not None]
    if answer_type in ("number", "integer"):
        sizes = [abs(float(v)) for v in references if _is_number(v)]
        bound = max([MIN_RANGE] + [RANGE_FACTOR * s for s in sizes])
        nonnegative = answer_type == "integer" and all(float(v) >= 0 for v in references if _is_number(v))
        return AnswerSpace(NUMERIC, answer_type, low=0.0 if nonnegative else -bound, high=bound)
    if answer_type == "cell":
        rows, cols = _grid(getattr(exercise, "params", {}) or {}, [v for v in references if _is_cell(v)])
        return AnswerSpace(CELLS, answer_type, rows=rows, cols=cols)
    choices = tuple(str(c) for c in (getattr(exercise, "choices", ()) or ()))
    if not choices:  # no list of options: the answer (and the known mistakes) are all there is to count
        choices = tuple(dict.fromkeys(str(v) for v in references if isinstance(v, str)))
    count = len(answer) if answer_type == "choices" and isinstance(answer, (list, tuple)) else 1
    return AnswerSpace(CHOICE, answer_type, choices=choices, count=max(1, count))


def _type_of(answer) -> str:
    if _is_number(answer):
        return "number"
    if _is_cell(answer):
        return "cell"
    return "choices" if isinstance(answer, (list, tuple)) else "choice"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_cell(value) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value)


def _grid(params: dict, cells: list) -> tuple[int, int]:
    """The grid a cell question is about: the largest 2-D table among its data, covering the known cells."""
    rows = cols = MIN_GRID
    best = 0
    for value in params.values():
        shape = _shape2d(value)
        if shape and shape[0] * shape[1] > best:
            best, (rows, cols) = shape[0] * shape[1], shape
    for r, c in cells:
        rows, cols = max(rows, r + 1), max(cols, c + 1)
    return min(max(rows, MIN_GRID), MAX_GRID), min(max(cols, MIN_GRID), MAX_GRID)


def _shape2d(value):
    if isinstance(value, list) and value and all(isinstance(row, list) and row for row in value):
        if all(not isinstance(v, list) for row in value for v in row):
            return len(value), max(len(row) for row in value)
    return None
