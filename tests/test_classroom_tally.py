"""The projector's tally views, rate limits and join codes, as pure functions (histogram against torch.histc)."""

import random

import pytest
import torch

from ops.classroom import RateLimited
from ops.classroom.answer_space import AnswerSpace
from ops.classroom.export import safe_cell
from ops.classroom.limits import SlidingWindow
from ops.classroom.tally_views import (
    MAX_BINS,
    common_wrong,
    distribution,
    histogram,
    parse_number,
    right_bins,
    right_choices,
)
from ops.classroom.tokens import CODE_ALPHABET, new_join_code, normalise_code


@pytest.mark.parametrize("seed", range(6))
def test_histogram_counts_match_torch_histc(seed):
    rng = random.Random(seed)
    values = [rng.uniform(-5, 5) for _ in range(rng.randint(2, 300))] + [rng.randint(-3, 3) for _ in range(20)]
    bins = histogram(values)
    reference = torch.histc(torch.tensor(values, dtype=torch.float64), bins=len(bins), min=min(values),
                            max=max(values))
    assert [n for _, _, n in bins] == reference.long().tolist()
    assert bins[0][0] == min(values) and bins[-1][1] == pytest.approx(max(values))
    assert len(bins) <= MAX_BINS


def test_histogram_of_few_distinct_values_and_of_one_value():
    assert histogram([]) == []
    assert histogram([2.0, 2.0, 2.0]) == [(2.0, 2.0, 3)]
    assert [n for *_, n in histogram([1, 2, 2, 3])] == [1, 2, 1]


NUMBERS = AnswerSpace("numeric", "number", low=-15.0, high=15.0)
COUNTS = AnswerSpace("numeric", "integer", low=0.0, high=70.0)  # as space_of builds them
CELLS = AnswerSpace("cells", "cell", rows=4, cols=4)
CHOICES = AnswerSpace("choice", "choice", choices=("nearest", "bilinear", "bicubic"))


def test_the_distribution_reads_each_answer_against_its_question():
    numeric = distribution(NUMBERS, ["1.5", "2,5", "abc", " 3 ", "inf", "5/4", "1e9", "-16"])
    assert numeric.kind == "numeric" and sum(n for *_, n in numeric.bins) == 4 and numeric.other == 4
    counts = distribution(COUNTS, ["7", "7.0", "14/2", "7.5", "-1", "71"])
    assert sum(n for *_, n in counts.bins) == 3 and counts.other == 3
    cells = distribution(CELLS, ["1,2", "(1, 2)", "[0 3]", "nope", "4, 0", "-1, 2", "123456, 654321"])
    assert cells.kind == "cells" and cells.cells == {(1, 2): 2, (0, 3): 1} and cells.other == 4
    assert cells.grid == (4, 4)
    choice = distribution(CHOICES, ["Bilinear", "bilinear ", "nearest", "<b>lol</b>", "x" * 200])
    assert choice.kind == "choice" and choice.choices == {"bilinear": 2, "nearest": 1} and choice.other == 2


def test_parsers():
    assert parse_number("-0,5") == -0.5 and parse_number("nan") is None and parse_number("x") is None


def test_two_extreme_numbers_never_break_a_histogram():
    """Issue 19: binning -1.7e308 and 1.7e308 gave NaN bins (their span overflows)."""
    import math

    for values in ([-1.7e308, 1.7e308], [-1.7e308, 0.0, 1.0, 1.7e308], [5e-324, 1.7e308, -5e-324]):
        bins = histogram(values)
        assert all(math.isfinite(lo) and math.isfinite(hi) for lo, hi, _ in bins), bins
        assert sum(n for *_, n in bins) == len(values) and bins[0][0] == min(values) and bins[-1][1] == max(values)
    assert [n for *_, n in histogram([-1.7e308, 1.7e308])] == [1, 1]


def test_the_most_common_wrong_answers_come_with_their_hint():
    rows = [("4", False, "hint.off_by_one"), ("4,0 ", False, "hint.off_by_one"), ("3", True, None),
            ("9", False, "hint.recount"), ("7", False, None), ("14/2", False, None), ("8", False, None),
            ("rude words", False, None), ("rude words", False, None), ("rude words", False, None)]
    top = common_wrong(COUNTS, rows)
    assert [(w.text, w.count, w.hint) for w in top] == [("4", 2, "hint.off_by_one"), ("7", 2, None),
                                                        ("8", 1, None)]


def test_sliding_window_limits_and_forgets():
    now = [0.0]
    window = SlidingWindow(3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        window.take("a")
    with pytest.raises(RateLimited) as error:
        window.take("a")
    assert error.value.params == {"seconds": 60}
    window.take("b")
    now[0] = 30.0
    with pytest.raises(RateLimited) as error:
        window.check("a")
    assert error.value.params == {"seconds": 30}
    now[0] = 60.0
    window.take("a")  # the first three left the window


def test_join_codes_normalise_and_reject_look_alikes():
    code = new_join_code()
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert normalise_code(f" {code[:4].lower()}-{code[4:]} ") == code
    for bad in ("ABCD0FGH", "ABCDOFGH", "ABCD1FGH", "ABC", None, 5, "ABCDEFGHJ"):
        assert normalise_code(bad) == ""


def test_spreadsheet_formulas_are_defused_in_the_csv():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)" and safe_cell("@x") == "'@x" and safe_cell("+1") == "+1"
    assert safe_cell("-2.5") == "-2.5" and safe_cell("-x") == "'-x" and safe_cell(None) == ""


def test_the_bins_and_choices_that_hold_the_revealed_answer():
    bins = histogram([1.0, 2.0, 3.0, 4.0])  # four bins of width 0.75 from 1 to 4
    assert right_bins(bins, 4.0) == [False, False, False, True]  # the last bin's upper edge counts
    assert right_bins(bins, 1.5) == [True, False, False, False]
    assert right_bins(bins, "4") is None
    pairs = AnswerSpace("choice", "choices", choices=("bilinear", "nearest"), count=2)
    counted = distribution(pairs, ["  Bilinear,  nearest ", "bilinear nearest", "nearest, nearest", "no"]).choices
    assert right_choices(list(counted), ["Bilinear", "Nearest"]) == [True, False]
    assert right_choices(["no", "yes"], "YES") == [False, True]
