"""Issue 19: whatever a class types, the projector counts it and draws a figure the size of the exercise.

At least 10,000 random and adversarial answers (tests/classroom_answers.py) of every answer type go through
the real path: ClassStore.submit -> ClassStore.tally -> class_tally.figure (what pages/class_teacher.py
draws). No exception; every answer is counted (drawn or "other"); the figure never has more bars than
MAX_BINS or the offered choices, and a cell question's heat map is the exercise's grid. (How long a tally
takes is measured by bench/bench_tally_fuzz.py, never asserted here.)
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.figures import class_tally
from ops.classroom import ClassroomError, ClassStore
from ops.classroom.answer_space import space_of
from ops.classroom.tally_views import MAX_BINS
from ops.exercises import generate
from tests.classroom_answers import QUESTIONS, answers

LABELS = {"title": "t", "count": "n", "row": "r", "col": "c"}
ANSWERS_AT_LEAST = 10_000


def figure_is_bounded(fig, dist, space) -> None:
    if fig is None:
        assert not (dist.bins or dist.cells or dist.choices)
        return
    trace = fig.data[0]
    if dist.kind == "cells":
        assert len(trace.z) == space.rows and all(len(row) == space.cols for row in trace.z)
        assert sum(map(sum, trace.z)) == sum(dist.cells.values())
    elif dist.kind == "numeric":
        assert len(trace.x) <= MAX_BINS
        assert all(space.low <= lo <= hi <= space.high for lo, hi, _ in dist.bins)
    else:
        assert len(trace.x) <= space.size


def run_class(store, question, texts, revealed: bool) -> tuple[int, object]:
    """One question answered by one student per text; returns (answers accepted, tally)."""
    lesson, kind, level = question
    code, key = store.create_class()
    qid = store.push(code, key, lesson, seed=11, level=level, kind=kind)
    accepted = 0
    for text in texts:
        student = store.join(code)
        try:
            store.submit(code, student, qid, text)
            accepted += 1
        except ClassroomError as error:  # empty or over-long: refused with a message key, never stored
            assert error.key in ("classroom.error.empty_answer", "classroom.error.answer_too_long"), error.key
    if revealed:
        store.reveal(code, key, qid)
    return accepted, store.tally(code, key, qid)


@pytest.mark.slow
def test_ten_thousand_adversarial_answers_never_break_the_projector(tmp_path):
    sent = []
    # a real SQLite file, in memory-backed /dev/shm where there is one: 20,000 commits without a disk's fsync
    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else tmp_path
    database = folder / f"pixelwise-fuzz-{os.getpid()}.sqlite3"
    database.unlink(missing_ok=True)
    try:
        run_fuzz(database, sent)
    finally:
        database.unlink(missing_ok=True)
    assert sum(sent) >= ANSWERS_AT_LEAST, sum(sent)


def run_fuzz(database: Path, sent: list) -> None:
    with ClassStore(f"sqlite:///{database}") as store:

        @settings(max_examples=130, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(question=st.sampled_from(QUESTIONS), texts=st.lists(answers, min_size=70, max_size=100),
               revealed=st.booleans())
        def one_question(question, texts, revealed):
            accepted, tally = run_class(store, question, texts, revealed)
            sent.append(len(texts))
            exercise = generate(question[0], 11, level=question[2], kind=question[1])
            space = space_of(exercise)
            dist = tally.distribution
            assert tally.answered == accepted
            drawn = sum(n for *_, n in dist.bins) + sum(dist.cells.values()) + sum(dist.choices.values())
            assert drawn + dist.other == accepted
            assert all(0 <= r < space.rows and 0 <= c < space.cols for r, c in dist.cells)
            assert len(tally.common_wrong) <= 3 and all(space.read(w.text) is not None for w in tally.common_wrong)
            fig = class_tally.figure(dist, LABELS, tally.solution if revealed else None)
            figure_is_bounded(fig, dist, space)

        one_question()
