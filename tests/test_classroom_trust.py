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


def test_a_student_comes_back_with_their_token_and_is_counted_once(store):
    """Issue 19: a reload made a new student. rejoin() finds the same one and writes nothing."""
    import csv
    import io

    import pytest

    from ops.classroom import UnknownStudent

    code, key = store.create_class()
    other_code, _ = store.create_class()
    ada = store.join(code, "Ada")
    question = store.push(code, key, "upsampling", seed=3)
    store.submit(code, ada, question, "3")
    for _ in range(3):
        assert store.rejoin(code, ada) == "Ada"
        assert store.own_answer(code, ada, question) == "3"
    store.submit(code, ada, question, "4")
    assert (store.tally(code, key, question).joined, store.tally(code, key, question).answered) == (1, 1)
    rows = list(csv.DictReader(io.StringIO(store.export_csv(code, key))))
    assert [(r["question"], r["answer"], r["name"]) for r in rows] == [(str(question), "4", "Ada")]
    for bad in (key, "x" * 33, "", None, store.join(other_code)):  # the teacher key is no student token
        with pytest.raises(UnknownStudent):
            store.rejoin(code, bad)


def test_a_seed_above_two_to_the_31_fits_its_column(store):
    """Issue 19: seed 2**31 overflowed PostgreSQL's INTEGER column and the teacher saw a traceback."""
    from ops.exercises.registry import MAX_SEED

    code, key = store.create_class()
    for seed in (2 ** 31, MAX_SEED):
        question = store.push(code, key, "upsampling", seed=seed)
        assert store.state(code).question.seed == seed
        assert store.tally(code, key, question).question_id == question


def test_numbers_that_fit_no_column_are_refused_with_a_message(store):
    import pytest

    from ops.classroom import BadExercise, UnknownQuestion

    code, key = store.create_class()
    student = store.join(code)
    with pytest.raises(BadExercise):
        store.push(code, key, "upsampling", seed=2 ** 63)
    for question in (2 ** 31, 2 ** 63, -1):
        with pytest.raises(UnknownQuestion):
            store.submit(code, student, question, "1")
        with pytest.raises(UnknownQuestion):
            store.tally(code, key, question)


def test_a_shared_server_limits_class_creation_per_client(store, monkeypatch):
    """Issue 19: any visitor could create classes without limit. 100 tries in a minute from one client on a
    shared server: only LIMITS["class"].count succeed, each refusal a message with the wait; another client
    is not affected; the laptop default (no admin token set) has no limit."""

    from ops import shared_server
    from ops.shared_server import ADMIN_TOKEN_ENV, LIMITS, TooOften
    from tests.english import english

    now = [0.0]
    monkeypatch.setattr(shared_server, "RATES", shared_server.RateLimits(clock=lambda: now[0]))
    monkeypatch.setenv(ADMIN_TOKEN_ENV, "operator-secret")
    made, refused = 0, []
    for attempt in range(100):
        now[0] = attempt * 0.6  # 100 tries within one minute
        try:
            store.create_class(client="203.0.113.7")
            made += 1
        except TooOften as error:
            refused.append(error)
    assert made == LIMITS["class"].count and len(refused) == 100 - made
    assert "at most 3 classes per 10 minutes" in english(refused[-1]) and refused[-1].params["seconds"] > 0
    store.create_class(client="198.51.100.2")  # another device still can
    now[0] = LIMITS["class"].window_s + 1
    store.create_class(client="203.0.113.7")  # and the first one again, once its window has passed
    monkeypatch.delenv(ADMIN_TOKEN_ENV)
    for _ in range(20):
        store.create_class(client="203.0.113.7")


def test_the_client_is_the_address_the_last_proxy_saw(monkeypatch):
    from ops.shared_server import TRUSTED_PROXY_HOPS_ENV, client_of

    monkeypatch.setenv(TRUSTED_PROXY_HOPS_ENV, "1")  # one proxy of the operator's in front (ingress)
    assert client_of({"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}, "10.0.0.5") == "203.0.113.7"
    assert client_of({}, "10.0.0.5") == "10.0.0.5" and client_of(None, None) == "unknown"


def test_remote_trainings_are_limited_per_client_on_a_shared_server_only(monkeypatch):
    import pytest

    from ops.shared_server import ADMIN_TOKEN_ENV, LIMITS, RateLimits, TooOften
    from tests.english import english

    rates = RateLimits(clock=lambda: 0.0)
    for _ in range(50):
        rates.take("training", "203.0.113.7")  # the laptop default: no limit
    monkeypatch.setenv(ADMIN_TOKEN_ENV, "operator-secret")
    rates = RateLimits(clock=lambda: 0.0)
    for _ in range(LIMITS["training"].count):
        rates.take("training", "203.0.113.7")
    with pytest.raises(TooOften) as refused:
        rates.take("training", "203.0.113.7")
    assert "at most 5 trainings per 10 minutes" in english(refused.value)
