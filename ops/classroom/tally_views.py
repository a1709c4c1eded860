"""What the projector shows for a question: how many answered, how many right, and how answers spread.

The spread follows the exercise's answer: a number gives a histogram, a grid cell (row, col) gives
counts per cell, anything else counts each distinct answer (a choice). The most common wrong answers
come with the hint key of the mistake each corresponds to.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field

MAX_BINS = 10
TOP_WRONG = 3
_CELL = re.compile(r"^\s*[\(\[]?\s*(-?\d+)\s*[,; ]\s*(-?\d+)\s*[\)\]]?\s*$")


@dataclass(frozen=True)
class Distribution:
    """kind "numeric": bins [(low, high, count)]; "cells": {(row, col): count}; "choice": {text: count}.

    `other` counts answers that do not read as that kind (a word typed where a number was asked)."""

    kind: str
    bins: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    other: int = 0


@dataclass(frozen=True)
class WrongAnswer:
    text: str
    count: int
    hint: str | None


@dataclass(frozen=True)
class Tally:
    question_id: int
    joined: int
    answered: int
    correct: int
    distribution: Distribution
    common_wrong: list
    revealed: bool
    solution: object = None  # the exercise's answer, only once revealed


def answer_kind(example) -> str:
    if isinstance(example, bool):
        return "choice"
    if isinstance(example, (int, float)):
        return "numeric"
    if isinstance(example, (tuple, list)) and len(example) == 2 and all(isinstance(v, int) for v in example):
        return "cells"
    return "choice"


def parse_number(text: str):
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_cell(text: str):
    match = _CELL.match(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def distribution(example, texts: list[str]) -> Distribution:
    kind = answer_kind(example)
    if kind == "numeric":
        values = [v for v in map(parse_number, texts) if v is not None]
        return Distribution("numeric", bins=histogram(values), other=len(texts) - len(values))
    if kind == "cells":
        cells = [c for c in map(parse_cell, texts) if c is not None]
        return Distribution("cells", cells=dict(Counter(cells)), other=len(texts) - len(cells))
    return Distribution("choice", choices=dict(Counter(normalise(t) for t in texts)))


def histogram(values: list[float]) -> list[tuple[float, float, int]]:
    """Equal-width bins over [min, max], at most MAX_BINS, one per distinct value when there are few."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [(low, high, len(values))]
    count = min(MAX_BINS, len(set(values)))
    width = (high - low) / count
    counts = [0] * count
    for v in values:
        counts[min(count - 1, int((v - low) / width))] += 1
    return [(low + i * width, low + (i + 1) * width, n) for i, n in enumerate(counts)]


def normalise(text: str) -> str:
    """One spelling per answer: spaces folded, lower case (how answers are counted and compared)."""
    return " ".join(text.split()).lower()


def right_bins(bins: list, solution) -> list[bool] | None:
    """Which histogram bins hold the revealed numeric solution (the last bin's upper edge included); None
    when the solution is no number."""
    if isinstance(solution, bool) or not isinstance(solution, (int, float)):
        return None
    last = len(bins) - 1
    return [low <= solution < high or (i == last and low <= solution <= high) or abs(low - solution) < 0.005
            for i, (low, high, _) in enumerate(bins)]


def right_choices(choices, solution) -> list[bool]:
    """Which counted choices (normalised texts) are the revealed solution (a text, or a list of values)."""
    answer = solution if isinstance(solution, str) else ", ".join(map(str, solution or []))
    return [choice == normalise(str(answer)) for choice in choices]


def common_wrong(rows) -> list[WrongAnswer]:
    """rows: (text, correct, hint). The TOP_WRONG most frequent wrong answers, ties by text."""
    counts, hints = Counter(), {}
    for text, correct, hint in rows:
        if not correct:
            key = normalise(text)
            counts[key] += 1
            hints.setdefault(key, hint)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_WRONG]
    return [WrongAnswer(text, n, hints[text]) for text, n in ranked]
