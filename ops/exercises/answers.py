"""Answers as people type them: "1,25", "1.25", "−1", " 5/4 ", "(2, 3)"; a clear message key otherwise.

A comma is a decimal separator inside a single number (1,25 = 1.25) and a separator between a cell's
row and column ("2,3" = row 2, column 3): the caller says which it expects.
"""

import math
import re
from fractions import Fraction

from ops.exercises.errors import AnswerError

MAX_CHARS = 64
MAX_MAGNITUDE = 1e15
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-", "\uff0c": ",", "\u3002": ".",
                        "\uff08": "(", "\uff09": ")", "\uff0f": "/"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _clean(text) -> str:
    if text is None:
        raise AnswerError("exercise.answer.empty")
    if not isinstance(text, str):
        text = str(text)
    if len(text) > MAX_CHARS:
        raise AnswerError("exercise.answer.too_long", limit=MAX_CHARS)
    text = text.translate(_MINUS).strip()
    if not text:
        raise AnswerError("exercise.answer.empty")
    return text


def _plain_number(text: str) -> float:
    compact = text.replace(" ", "").replace("_", "")
    lowered = compact.lower().lstrip("+-")
    if lowered in ("nan",):
        raise AnswerError("exercise.answer.nan")
    if lowered in ("inf", "infinity", "\u221e"):
        raise AnswerError("exercise.answer.infinite")
    if compact.count(",") == 1 and "." not in compact:
        compact = compact.replace(",", ".")  # a decimal comma
    if compact.count("/") == 1:
        top, bottom = compact.split("/")
        if not (_NUMBER.match(top) and _NUMBER.match(bottom)):
            raise AnswerError("exercise.answer.not_a_number", text=text)
        if float(bottom) == 0:
            raise AnswerError("exercise.answer.division_by_zero")
        value = float(Fraction(top) / Fraction(bottom))
    elif _NUMBER.match(compact):
        value = float(compact)
    else:
        raise AnswerError("exercise.answer.not_a_number", text=text)
    if math.isnan(value):
        raise AnswerError("exercise.answer.nan")
    if math.isinf(value) or abs(value) > MAX_MAGNITUDE:
        raise AnswerError("exercise.answer.too_large", limit=f"{MAX_MAGNITUDE:.0e}")
    return value


def parse_number(text) -> float:
    """One number: decimal point or comma, Unicode minus, spaces, a fraction a/b, an exponent."""
    return _plain_number(_clean(text))


def parse_integer(text) -> int:
    """A whole number (an integer answer typed as 12, 12.0 or 24/2)."""
    value = parse_number(text)
    if value != round(value):
        raise AnswerError("exercise.answer.not_whole", value=value)
    return round(value)


def parse_cell(text) -> tuple[int, int]:
    """A (row, column) cell: "2,3", "(2, 3)", "2 3", "2;3", "[2,3]"."""
    text = _clean(text).strip("()[] ")
    parts = [p for p in re.split(r"[,;\s]+", text) if p]
    if len(parts) != 2:
        raise AnswerError("exercise.answer.not_a_cell", text=text)
    try:
        row, col = (_plain_number(p) for p in parts)
    except AnswerError:
        raise AnswerError("exercise.answer.not_a_cell", text=text) from None
    if row != round(row) or col != round(col) or row < 0 or col < 0:
        raise AnswerError("exercise.answer.not_a_cell", text=text)
    return int(row), int(col)


def parse_choice(text, choices) -> str:
    """One of `choices` (keys), case and spaces ignored; "-" and " " count as "_"."""
    cleaned = _clean(text).lower().replace("-", "_").replace(" ", "_")
    for choice in choices:
        if cleaned == choice.lower().replace("-", "_").replace(" ", "_"):
            return choice
    raise AnswerError("exercise.answer.not_a_choice", text=text, choices=", ".join(choices))


def parse_choices(text, choices, count: int) -> list[str]:
    """`count` choices separated by commas, semicolons or spaces ("thing, stuff, thing")."""
    parts = [p for p in re.split(r"[,;\s]+", _clean(text)) if p]
    if len(parts) != count:
        raise AnswerError("exercise.answer.wrong_count", expected=count, got=len(parts))
    return [parse_choice(p, choices) for p in parts]
