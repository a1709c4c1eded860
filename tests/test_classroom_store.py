"""The class store's whole API on SQLite and PostgreSQL: a class end to end, permissions, limits, retention."""
# ruff: noqa: F811  (pytest fixtures imported from tests.classroom_fixtures are parameters here)

import csv
import io
import os
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from ops.classroom import (
    AnswersClosed,
    AnswerTooLong,
    BadExercise,
    ClassEnded,
    ClassStore,
    EmptyAnswer,
    NameTooLong,
    NotRevealed,
    RateLimited,
    UnknownClass,
    UnknownQuestion,
    UnknownStudent,
    WrongTeacherKey,
)
from ops.classroom.limits import ANSWERS_PER_MINUTE, JOIN_FAILURES_PER_MINUTE
from ops.classroom.store import utc_now
from ops.classroom.tokens import CODE_ALPHABET, CODE_LENGTH
from tests.classroom_fixtures import (  # noqa: F401
    backend,
    db_url,
    engine_and_lesson,
    exercise_for,
    lesson,
    right_text,
    store,
    wrong_text,
)


def _exercise(engine_and_lesson, seed):
    generator, lesson_name = engine_and_lesson
    return exercise_for(lesson_name, seed, generator=generator)


def test_a_class_end_to_end(store, lesson, engine_and_lesson):
    code, key = store.create_class()
    ada, bo, cy = store.join(code, "Ada"), store.join(code, "Bo"), store.join(code)
    question = store.push(code, key, lesson, seed=4)
    exercise = _exercise(engine_and_lesson, 4)
    assert store.state(code).question.id == question and not store.state(code).question.revealed

    right, wrong = right_text(exercise), wrong_text(exercise)
    assert store.submit(code, ada, question, right).correct
    assert not store.submit(code, bo, question, wrong).correct
    store.submit(code, cy, question, wrong)

    tally = store.tally(code, key, question)
    assert (tally.joined, tally.answered, tally.correct) == (3, 3, 1)
    assert tally.common_wrong[0].count == 2 and tally.solution is None
    assert sum(_distribution_total(tally.distribution)) == 3

    with pytest.raises(NotRevealed):
        store.verdict_for(code, ada, question)
    store.reveal(code, key, question)
    assert store.verdict_for(code, ada, question).correct
    assert not store.verdict_for(code, bo, question).correct
    state = store.state(code)
    assert state.question.revealed and (state.answered, state.correct) == (3, 1)
    assert store.tally(code, key, question).solution == exercise.answer

    rows = list(csv.DictReader(io.StringIO(store.export_csv(code, key))))
    assert [r["answer"] for r in rows] == [right, wrong, wrong]
    assert [r["correct"] for r in rows] == ["yes", "no", "no"]
    assert [r["name"] for r in rows] == ["Ada", "Bo", ""]
    store.end(code, key)
    assert store.state(code).ended


def _distribution_total(d):
    if d.kind == "numeric":
        return [n for _, _, n in d.bins] + [d.other]
    if d.kind == "cells":
        return [*d.cells.values(), d.other]
    return list(d.choices.values())


def test_export_has_no_name_column_when_nobody_gave_a_name(store, lesson, engine_and_lesson):
    code, key = store.create_class()
    student = store.join(code, "   ")
    question = store.push(code, key, lesson, seed=2)
    store.submit(code, student, question, right_text(_exercise(engine_and_lesson, 2)))
    header = store.export_csv(code, key).splitlines()[0]
    assert header == "question,lesson,kind,answer,correct,time"


def test_a_later_answer_replaces_the_earlier_one(store, lesson, engine_and_lesson):
    code, key = store.create_class()
    student = store.join(code)
    question = store.push(code, key, lesson, seed=7)
    exercise = _exercise(engine_and_lesson, 7)
    first = store.submit(code, student, question, wrong_text(exercise))
    second = store.submit(code, student, question, right_text(exercise))
    assert first.answer_id == second.answer_id
    tally = store.tally(code, key, question)
    assert (tally.answered, tally.correct) == (1, 1)
    store.reveal(code, key, question)
    assert store.verdict_for(code, student, question).text == right_text(exercise)
    with create_engine(store.url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM answers")).scalar_one() == 1


def test_only_the_teacher_key_can_push_reveal_tally_export_follow_end(store, lesson):
    code, key = store.create_class()
    other_code, other_key = store.create_class()
    student = store.join(code)
    question = store.push(code, key, lesson, seed=1)
    for bad in (student, other_key, "", None, key[:-1] + ("A" if key[-1] != "A" else "B")):
        with pytest.raises(WrongTeacherKey):
            store.push(code, bad, lesson, seed=1)
        with pytest.raises(WrongTeacherKey):
            store.reveal(code, bad, question)
        with pytest.raises(WrongTeacherKey):
            store.tally(code, bad, question)
        with pytest.raises(WrongTeacherKey):
            store.export_csv(code, bad)
        with pytest.raises(WrongTeacherKey):
            store.follow(code, bad, lesson, {})
        with pytest.raises(WrongTeacherKey):
            store.end(code, bad)
        with pytest.raises(WrongTeacherKey):
            store.reopen(code, bad)
    with pytest.raises(UnknownQuestion):  # another class's teacher cannot read this class's question
        store.tally(other_code, other_key, question)
    assert not store.state(code).ended


def test_a_student_sees_no_names_and_no_answers(store, lesson, engine_and_lesson):
    code, key = store.create_class()
    secret_name = "Zed Secretname"
    other = store.join(code, secret_name)
    me = store.join(code)
    question = store.push(code, key, lesson, seed=5)
    store.submit(code, other, question, wrong_text(_exercise(engine_and_lesson, 5)))
    state = store.state(code)
    assert secret_name not in repr(state) and other not in repr(state)
    assert state.answered is None  # no aggregate before the reveal
    store.reveal(code, key, question)
    assert store.verdict_for(code, me, question) is None  # my own verdict: I did not answer
    assert secret_name not in repr(store.state(code))


def test_unknown_class_student_question_and_exercise(store, lesson):
    code, key = store.create_class()
    other_code, other_key = store.create_class()
    student = store.join(code)
    stranger = store.join(other_code)
    question = store.push(code, key, lesson, seed=1)
    foreign_question = store.push(other_code, other_key, lesson, seed=1)
    free_code = next(c * CODE_LENGTH for c in CODE_ALPHABET if c * CODE_LENGTH not in (code, other_code))
    for bad_code in (free_code, "", "short", None, 12345678, "<script>"):
        with pytest.raises(UnknownClass):
            store.state(bad_code)
    with pytest.raises(UnknownStudent):
        store.submit(code, stranger, question, "1")
    with pytest.raises(UnknownStudent):
        store.submit(code, "no-such-student", question, "1")
    for bad_question in (foreign_question, 10**9, "1", None, True):
        with pytest.raises(UnknownQuestion):
            store.submit(code, student, bad_question, "1")
    with pytest.raises(BadExercise) as error:
        store.push(code, key, "no-such-lesson", seed=1)
    assert error.value.key == "classroom.error.bad_exercise" and error.value.params["lesson"] == "no-such-lesson"


def test_an_ended_class_takes_nothing_until_reopened(store, lesson, engine_and_lesson):
    code, key = store.create_class()
    student = store.join(code)
    question = store.push(code, key, lesson, seed=3)
    store.end(code, key)
    with pytest.raises(ClassEnded):
        store.join(code, caller="late")
    with pytest.raises(ClassEnded):
        store.submit(code, student, question, "1")
    with pytest.raises(ClassEnded):
        store.push(code, key, lesson, seed=4)
    assert store.tally(code, key, question).answered == 0  # the teacher still reads and exports
    store.export_csv(code, key)
    store.reopen(code, key)
    store.submit(code, student, question, right_text(_exercise(engine_and_lesson, 3)))
    assert store.tally(code, key, question).correct == 1


def test_answers_close_at_the_reveal(store, lesson, engine_and_lesson):
    code, key = store.create_class()
    student = store.join(code)
    question = store.push(code, key, lesson, seed=6)
    store.reveal(code, key, question)
    with pytest.raises(AnswersClosed):
        store.submit(code, student, question, right_text(_exercise(engine_and_lesson, 6)))


def test_failed_joins_are_limited_per_caller(store):
    code, _ = store.create_class()
    free = next(c * CODE_LENGTH for c in CODE_ALPHABET if c * CODE_LENGTH != code)
    for _ in range(JOIN_FAILURES_PER_MINUTE):
        with pytest.raises(UnknownClass):
            store.join(free, caller="guesser")
    with pytest.raises(RateLimited) as error:
        store.join(code, caller="guesser")  # even the right code, once the caller used up its attempts
    assert 1 <= error.value.params["seconds"] <= 60
    assert store.join(code, caller="someone else")  # other callers are not affected
    for _ in range(3 * JOIN_FAILURES_PER_MINUTE):  # successful joins are not limited
        store.join(code, caller="a whole class behind one caller id")


def test_answers_per_student_per_minute_are_limited(store, lesson):
    code, key = store.create_class()
    student, other = store.join(code), store.join(code)
    question = store.push(code, key, lesson, seed=1)
    for i in range(ANSWERS_PER_MINUTE):
        store.submit(code, student, question, str(i))
    with pytest.raises(RateLimited):
        store.submit(code, student, question, "1")
    store.submit(code, other, question, "1")


def test_names_and_answers_are_length_limited_and_kept_as_plain_text(store, lesson):
    code, key = store.create_class()
    with pytest.raises(NameTooLong) as error:
        store.join(code, "x" * 41)
    assert error.value.params == {"limit": 40}
    student = store.join(code, "<b>Ada</b>\n\x00")
    question = store.push(code, key, lesson, seed=1)
    with pytest.raises(AnswerTooLong):
        store.submit(code, student, question, "1" * 201)
    for empty in ("", "   ", None):
        with pytest.raises(EmptyAnswer):
            store.submit(code, student, question, empty)
    store.submit(code, student, question, "<img src=x onerror=alert(1)>")
    rows = list(csv.DictReader(io.StringIO(store.export_csv(code, key))))
    assert rows[0]["answer"] == "<img src=x onerror=alert(1)>" and rows[0]["name"] == "<b>Ada</b>"


def test_export_defuses_spreadsheet_formulas_but_keeps_negative_numbers(store, lesson):
    code, key = store.create_class()
    a, b = store.join(code, "=cmd()"), store.join(code)
    question = store.push(code, key, lesson, seed=1)
    store.submit(code, a, question, "=HYPERLINK(1)")
    store.submit(code, b, question, "-1.5")
    rows = list(csv.DictReader(io.StringIO(store.export_csv(code, key))))
    assert [r["answer"] for r in rows] == ["'=HYPERLINK(1)", "-1.5"] and rows[0]["name"] == "'=cmd()"


def test_students_follow_the_teachers_page(store, lesson):
    code, key = store.create_class()
    assert store.state(code).follow_lesson is None
    store.follow(code, key, "upsampling", {"upsampling.scale": 3, "lang": "zh"})
    state = store.state(code)
    assert state.follow_lesson == "upsampling" and state.follow_query == {"lang": "zh", "upsampling.scale": "3"}
    store.follow(code, key, None)
    assert store.state(code).follow_lesson is None and store.state(code).follow_query is None


def test_join_codes_are_short_unambiguous_and_the_teacher_key_is_stored_hashed(store):
    classes = [store.create_class() for _ in range(20)]
    codes = {code for code, _ in classes}
    assert len(codes) == 20
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 2**40 and not set("01IO") & set(CODE_ALPHABET)
    code, key = classes[0]
    assert len(key) >= 22  # 128 bits, url-safe base64
    assert store.join(code.lower()[:4] + "-" + code.lower()[4:])  # typed in lower case, with a dash
    with create_engine(store.url).connect() as conn:
        stored = conn.execute(text("SELECT teacher_key_hash FROM classes")).scalars().all()
    assert key not in stored and all(len(h) == 64 for h in stored)


def test_old_classes_are_purged_after_the_retention_period(db_url, engine_and_lesson, monkeypatch):
    generator, lesson_name = engine_and_lesson
    now = [utc_now() - timedelta(days=8)]
    with ClassStore(db_url, generator=generator, clock=lambda: now[0]) as store:
        old_code, old_key = store.create_class()
        student = store.join(old_code, "Old")
        question = store.push(old_code, old_key, lesson_name, seed=1)
        store.submit(old_code, student, question, "1")
        now[0] = utc_now() - timedelta(days=2)
        recent_code, _ = store.create_class()
        now[0] = utc_now()
        assert store.purge_older_than() == 1  # default: 7 days
        with pytest.raises(UnknownClass):
            store.state(old_code)
        store.state(recent_code)
        monkeypatch.setenv("PIXELWISE_RETENTION_DAYS", "1")
        assert store.purge_older_than() == 1
        with pytest.raises(UnknownClass):
            store.state(recent_code)
        with create_engine(store.url).connect() as conn:
            for table in ("answers", "questions", "students", "classes"):
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0


def test_the_default_store_is_a_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("PIXELWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("PIXELWISE_DATA_DIR", str(tmp_path / "data"))
    with ClassStore() as store:
        store.create_class()
    assert (tmp_path / "data" / "classroom.sqlite3").is_file()
    monkeypatch.setenv("PIXELWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    with ClassStore() as store:
        store.create_class()
    assert (tmp_path / "elsewhere.sqlite3").is_file()


def test_sqlite_runs_in_wal_mode(tmp_path):
    with ClassStore(f"sqlite:///{tmp_path / 'c.sqlite3'}") as store:
        store.create_class()
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert os.path.exists(tmp_path / "c.sqlite3")
