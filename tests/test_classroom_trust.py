"""Issue 19's findings on the class store, on SQLite and PostgreSQL: each test failed before its fix.

A cell outside the exercise's grid, a number outside what the question can have and text where a number
is asked are counted as "other", never drawn at their size; a seed above 2**31 - 1 fits its column.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.classroom_fixtures are parameters here)

from ops.classroom.answer_space import space_of
from ops.exercises import generate
from tests.classroom_fixtures import backend, db_url, engine_and_lesson, store  # noqa: F401


def _answered(store, lesson, kind, texts, seed=3, level="easy"):
    code, key = store.create_class()
    question = store.push(code, key, lesson, seed=seed, level=level, kind=kind)
    for text in texts:
        store.submit(code, store.join(code), question, text)
    return store.tally(code, key, question)


def test_a_cell_outside_the_exercise_grid_is_other_and_never_sizes_the_heat_map(store):
    exercise = generate("upsampling", 3, kind="unpool-cell")  # a 4×4 output grid
    right = f"{exercise.answer[0]}, {exercise.answer[1]}"
    dist = _answered(store, "upsampling", "unpool-cell", [right, "123456, 654321", "4, 0", "0 4", "cow"]).distribution
    assert dist.cells == {tuple(exercise.answer): 1} and dist.other == 4
    assert dist.grid == (4, 4) == (space_of(exercise).rows, space_of(exercise).cols)


def test_numbers_outside_what_the_question_can_have_and_text_are_other(store):
    exercise = generate("upsampling", 3, kind="tconv-size")  # a size: a whole number, never negative
    dist = _answered(store, "upsampling", "tconv-size",
                     [str(exercise.answer), "-3", "7.5", "1e15", "-1e308", "1e308", "lots", "=1+1"]).distribution
    assert sum(n for *_, n in dist.bins) == 1 and dist.other == 7
    assert all(lo >= 0 and hi <= max(10 * exercise.answer, 100) for lo, hi, _ in dist.bins)


def test_a_choice_question_counts_only_its_choices(store):
    exercise = generate("segmentation", 3, kind="pixel-label")
    tally = _answered(store, "segmentation", "pixel-label", [exercise.answer, "<b>x</b>", "rude", "rude", "rude"])
    assert tally.distribution.choices == {exercise.answer: 1} and tally.distribution.other == 4
    assert tally.common_wrong == []  # what is no answer is never listed on the projector
