"""What the projector shows for a question: how many answered, how many right, and how answers spread.

Every answer is read against its question's AnswerSpace (ops.classroom.answer_space): a number gives a
histogram over the numbers the question can have, a grid cell counts per cell of the exercise's grid, a
choice per offered choice; whatever lies outside is counted as "other" and never drawn at its own size.
The most common wrong answers (readable ones only) come with the hint key of the mistake each corresponds to.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

MAX_BINS = 10
TOP_WRONG = 3


@dataclass(frozen=True)
class Distribution:
    """kind "numeric": bins [(low, high, count)]; "cells": {(row, col): count}; "choice": {text: count}.

    `other` counts answers that do not read as that kind (a word typed where a number was asked)."""

    kind: str
    bins: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    other: int = 0
    grid: tuple = (0, 0)  # "cells": the exercise's rows and columns (the heat map's size)


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


def parse_number(text: str):
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def distribution(space, texts: list[str]) -> Distribution:
    """How `texts` spread over the AnswerSpace `space`; what it cannot read is counted in `other`."""
    values = [v for v in map(space.read, texts) if v is not None]
    other = len(texts) - len(values)
    if space.kind == "numeric":
        return Distribution("numeric", bins=histogram(values), other=other)
    if space.kind == "cells":
        return Distribution("cells", cells=dict(Counter(values)), other=other, grid=(space.rows, space.cols))
    return Distribution("choice", choices=dict(Counter(normalise(v) for v in values)), other=other)


def histogram(values: list[float]) -> list[tuple[float, float, int]]:
    """Equal-width bins over [min, max], at most MAX_BINS, one per distinct value when there are few."""
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [(low, high, len(values))]
    count = min(MAX_BINS, len(set(values)))
    if math.isfinite(high - low):
        width = (high - low) / count
        offsets = [(v - low) / width for v in values]
    else:  # the span of -1e308..1e308 overflows (and gave NaN bins): the same bins, measured in halves
        half = (high / 2 - low / 2) / count
        offsets = [(v / 2 - low / 2) / half for v in values]
    counts = [0] * count
    for offset in offsets:
        counts[max(0, min(count - 1, int(offset)))] += 1
    edges = [low * (1 - i / count) + high * (i / count) for i in range(count)] + [high]  # never overflows
    return [(edges[i], edges[i + 1], n) for i, n in enumerate(counts)]


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


def common_wrong(space, rows) -> list[WrongAnswer]:
    """rows: (text, correct, hint). The TOP_WRONG most frequent wrong answers that read as answers to the
    question (as the exercise reads them, so "1,5" and "1.5" are one), ties by text; "other" is never listed."""
    counts, hints = Counter(), {}
    for text, correct, hint in rows:
        if correct:
            continue
        value = space.read(text)
        if value is None:
            continue
        key = normalise(space.label(value))
        counts[key] += 1
        hints.setdefault(key, hint)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_WRONG]
    return [WrongAnswer(text, n, hints[text]) for text, n in ranked]
