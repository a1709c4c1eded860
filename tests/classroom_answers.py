"""What a class of pranksters types: hypothesis strategies of random and adversarial answers of every kind.

Shared by the fuzz test (tests/test_classroom_fuzz.py) and its bench (bench/bench_tally_fuzz.py). QUESTIONS
names one exercise per answer type the exercise engine has (number, integer, cell, choice, choices).
"""

from hypothesis import strategies as st

# (lesson, kind, level): every answer type, and the largest grids and choice lists there are
QUESTIONS = [
    ("upsampling", "upsample-cell", "harder"),  # number
    ("full-resolution-cost", "layer-flops", "easy"),  # a large number
    ("upsampling", "tconv-size", "easy"),  # integer
    ("upsampling", "unpool-cell", "harder"),  # cell
    ("per-pixel-loss", "worst-pixel", "easy"),  # cell
    ("segmentation", "pixel-label", "easy"),  # choice
    ("things-and-stuff", "thing-or-stuff", "harder"),  # several choices in one answer
]

ADVERSARIAL = [
    "123456, 654321", "999999 999999", "-1, -1", "(2147483648, 3)", "1e308", "-1e308", "1.7976931348623157e308",
    "-1.7976931348623157e308", "5e-324", "nan", "NaN", "inf", "-inf", "∞", "1/0", "0/0", "1e999", "9" * 64,
    "9" * 200, "-" + "9" * 63, "1" * 199, "=SUM(A1:A9)", "+1", "@x", "<script>alert(1)</script>",
    "<b>bold</b>", "**bold**", "$x^2$", "\x00", "\u202e1,2", "１,２", "(1;2)", "[0 0]", "0,0,0", ",", ";", "()",
    "thing, stuff, thing, stuff, thing, stuff, thing, stuff, thing", "THING STUFF", "sky", "Cow ",
    " 1,5 ", "1,5", "3/4", "−1", "0x10", "1_000", "1e3", "12.0", "7.5", "-0", "\t1\n",
]


def _cell(pair) -> str:
    r, c = pair
    return f"{r}, {c}"


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda v: f"{v:.3f}".replace(".", ",")),
    st.integers(min_value=-10 ** 40, max_value=10 ** 40).map(str),
    st.integers(min_value=-5, max_value=80).map(str),
    st.fractions(max_denominator=50).map(str),
)
cells = st.tuples(st.integers(min_value=-10 ** 12, max_value=10 ** 12), st.integers(min_value=-10 ** 12,
                                                                                        max_value=10 ** 12)).map(_cell)
small_cells = st.tuples(st.integers(min_value=-1, max_value=8), st.integers(min_value=-1, max_value=8)).map(_cell)
words = st.lists(st.sampled_from(["thing", "stuff", "sky", "grass", "cow", "nearest", "x"]), min_size=1,
                 max_size=10).map(", ".join)
answers = st.one_of(st.sampled_from(ADVERSARIAL), numbers, cells, small_cells, words, st.text(max_size=220))
