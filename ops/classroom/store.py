"""ClassStore: a live class kept in a database: who joined, which questions were pushed, every answer.

All checks live here, not in the pages: only the teacher key can push, reveal, tally, export, follow, end
and reopen; a student sees the current question and, after the reveal, their own verdict and the class's
aggregate, never another student's answer or name. Every write is one transaction, committed before the
call returns, so an acknowledged answer survives a `kill -9` of the server.
"""

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from ops import shared_server
from ops.classroom import tally_views
from ops.classroom.engine import make_engine, reading, writing
from ops.classroom.errors import (
    AnswersClosed,
    AnswerTooLong,
    ClassEnded,
    EmptyAnswer,
    FollowTooLong,
    NameTooLong,
    NotRevealed,
    UnknownClass,
    UnknownQuestion,
    UnknownStudent,
    WrongTeacherKey,
)
from ops.classroom.exercise_source import ExerciseSource
from ops.classroom.export import results_csv
from ops.classroom.limits import (
    ANSWERS_PER_MINUTE,
    JOIN_FAILURES_PER_MINUTE,
    SlidingWindow,
)
from ops.classroom.location import default_url, retention_days, with_driver
from ops.classroom.migrate import upgrade_to_head
from ops.classroom.models import (
    ANSWER_LIMIT,
    NAME_LIMIT,
    Answer,
    Classroom,
    Question,
    Student,
)
from ops.classroom.tokens import (
    hash_key,
    key_matches,
    new_join_code,
    new_student_id,
    new_teacher_key,
    normalise_code,
)

FOLLOW_LIMIT = 2000  # characters of the teacher's URL state a class follows
INT32_MAX = 2 ** 31 - 1  # question ids are INTEGER columns: a larger id is no question, not a database error


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Verdict:
    """A stored answer's result: message and hint are message keys of the exercise engine."""

    answer_id: int
    question_id: int
    correct: bool
    message: str
    hint: str | None
    text: str


@dataclass(frozen=True)
class QuestionInfo:
    """What a student's page needs to re-generate the exercise it shows."""

    id: int
    lesson: str
    kind: str
    seed: int
    level: str
    revealed: bool


@dataclass(frozen=True)
class ClassState:
    """A student's view: the current question, whether it was revealed, what the teacher shows."""

    code: str
    ended: bool
    question: QuestionInfo | None
    answered: int | None  # the aggregate, only once the current question is revealed
    correct: int | None
    follow_lesson: str | None
    follow_query: dict | None


class ClassStore:
    """`ClassStore(url=None)`: None opens $PIXELWISE_DATABASE_URL, else a SQLite file in the data directory.

    generator: the exercise engine (default: ops.exercises, imported on first use).
    clock: a function giving naive-UTC now (tests move time; default the real clock)."""

    def __init__(self, url: str | None = None, *, generator=None, clock=None):
        self.url = with_driver(url) if url else default_url()
        self._engine = make_engine(self.url)
        self._exercises = ExerciseSource(generator)
        self._clock = clock or utc_now
        self._ready = False
        self._ready_lock = threading.Lock()
        self._join_failures = SlidingWindow(JOIN_FAILURES_PER_MINUTE)
        self._answer_rate = SlidingWindow(ANSWERS_PER_MINUTE)
        self._insert = postgresql_insert if self._engine.dialect.name == "postgresql" else sqlite_insert

    # -- lifecycle ------------------------------------------------------------------------------------
    def _db(self):
        """The engine, after the schema is at head (done once; retried while the database is down)."""
        if not self._ready:
            with self._ready_lock:
                if not self._ready:
                    upgrade_to_head(self._engine)
                    self._ready = True
                    self.purge_older_than()
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    # -- lookups ------------------------------------------------------------------------------------
    @staticmethod
    def _class(conn, code) -> Classroom:
        cleaned = normalise_code(code)
        row = conn.execute(select(Classroom.__table__).where(Classroom.code == cleaned)).first() if cleaned else None
        if row is None:
            raise UnknownClass(code=str(code)[:16])
        return row

    def _teacher_class(self, conn, code, teacher_key):
        row = self._class(conn, code)
        if not key_matches(teacher_key, row.teacher_key_hash):
            raise WrongTeacherKey()
        return row

    @staticmethod
    def _open(row):
        if row.ended_at is not None:
            raise ClassEnded(code=row.code)
        return row

    @staticmethod
    def _question(conn, class_row, question_id):
        row = None
        if isinstance(question_id, int) and not isinstance(question_id, bool) and 0 < question_id <= INT32_MAX:
            row = conn.execute(select(Question.__table__).where(
                Question.id == question_id, Question.class_id == class_row.id)).first()
        if row is None:
            raise UnknownQuestion(question=str(question_id)[:20])
        return row

    @staticmethod
    def _student(conn, class_row, student_id):
        row = None
        if isinstance(student_id, str) and 0 < len(student_id) <= 32:
            row = conn.execute(select(Student.__table__).where(
                Student.id == student_id, Student.class_id == class_row.id)).first()
        if row is None:
            raise UnknownStudent()
        return row

    # -- teacher ------------------------------------------------------------------------------------
    def create_class(self, client: str | None = None) -> tuple[str, str]:
        """A new class: (join code for the projector, teacher key for the teacher's session only).

        On a shared server (ops.shared_server) classes per `client` (its address) are rate-limited:
        TooOften, a message with the limit and the wait."""
        shared_server.RATES.take("class", client or "unknown")
        key = new_teacher_key()
        for _ in range(5):  # a clash of two 40-bit codes is all but impossible; retry anyway
            code = new_join_code()
            try:
                with writing(self._db()) as conn:
                    conn.execute(insert(Classroom.__table__).values(
                        code=code, teacher_key_hash=hash_key(key), created_at=self._clock()))
                return code, key
            except IntegrityError:
                continue
        raise RuntimeError("could not draw a free join code")

    def push(self, code, teacher_key, lesson: str, seed: int, level: str = "easy", kind=None) -> int:
        """Ask the class an exercise; it becomes every student's current question."""
        exercise = self._exercises.exercise(lesson, seed, level, kind)
        with writing(self._db()) as conn:
            room = self._open(self._teacher_class(conn, code, teacher_key))
            return conn.execute(insert(Question.__table__).values(
                class_id=room.id, lesson=lesson, kind=str(exercise.kind), seed=int(seed), level=level,
                pushed_at=self._clock()).returning(Question.id)).scalar_one()

    def reveal(self, code, teacher_key, question_id: int) -> None:
        """Show the solution: answers to this question close, students may read their verdicts."""
        with writing(self._db()) as conn:
            room = self._teacher_class(conn, code, teacher_key)
            self._question(conn, room, question_id)
            conn.execute(update(Question.__table__).where(
                Question.id == question_id, Question.revealed_at.is_(None)).values(revealed_at=self._clock()))

    def follow(self, code, teacher_key, lesson: str | None, query: dict | None = None) -> None:
        """Students' pages open `lesson` with the teacher's URL settings `query`; lesson None stops following."""
        encoded = json.dumps({str(k): str(v) for k, v in (query or {}).items()}, sort_keys=True)
        if len(encoded) > FOLLOW_LIMIT or (lesson is not None and len(str(lesson)) > 100):
            raise FollowTooLong(limit=FOLLOW_LIMIT)
        with writing(self._db()) as conn:
            room = self._open(self._teacher_class(conn, code, teacher_key))
            conn.execute(update(Classroom.__table__).where(Classroom.id == room.id).values(
                follow_lesson=lesson, follow_query=encoded if lesson is not None else None))

    def end(self, code, teacher_key) -> None:
        with writing(self._db()) as conn:
            room = self._teacher_class(conn, code, teacher_key)
            conn.execute(update(Classroom.__table__).where(Classroom.id == room.id).values(ended_at=self._clock()))

    def reopen(self, code, teacher_key) -> None:
        """An ended class takes answers again (until the retention period deletes it)."""
        with writing(self._db()) as conn:
            room = self._teacher_class(conn, code, teacher_key)
            conn.execute(update(Classroom.__table__).where(Classroom.id == room.id).values(ended_at=None))

    def tally(self, code, teacher_key, question_id: int) -> tally_views.Tally:
        """The projector's numbers: joined, answered, correct, the spread, the most common wrong answers."""
        with reading(self._db()) as conn:
            room = self._teacher_class(conn, code, teacher_key)
            question = self._question(conn, room, question_id)
            joined = conn.execute(select(func.count()).select_from(Student.__table__).where(
                Student.class_id == room.id)).scalar_one()
            rows = conn.execute(select(Answer.text, Answer.correct, Answer.hint).where(
                Answer.question_id == question.id)).all()
        exercise = self._exercises.exercise(question.lesson, question.seed, question.level, question.kind)
        space = self._exercises.space(question.lesson, question.seed, question.level, question.kind)
        revealed = question.revealed_at is not None
        return tally_views.Tally(
            question_id=question.id, joined=joined, answered=len(rows), correct=sum(1 for r in rows if r.correct),
            distribution=tally_views.distribution(space, [r.text for r in rows]),
            common_wrong=tally_views.common_wrong(space, rows), revealed=revealed,
            solution=exercise.answer if revealed else None)

    def export_csv(self, code, teacher_key) -> str:
        with reading(self._db()) as conn:
            room = self._teacher_class(conn, code, teacher_key)
            rows = conn.execute(
                select(Question.id, Question.lesson, Question.kind, Answer.text, Answer.correct,
                       Answer.submitted_at, Student.name)
                .join(Answer, Answer.question_id == Question.id)
                .join(Student, Student.id == Answer.student_id)
                .where(Question.class_id == room.id)
                .order_by(Question.id, Answer.submitted_at, Answer.id)).all()
        return results_csv([{"question": r[0], "lesson": r[1], "kind": r[2], "answer": r[3], "correct": r[4],
                             "time": r[5], "name": r[6]} for r in rows])

    def purge_older_than(self, days: float | None = None) -> int:
        """Delete classes created more than `days` ago (default $PIXELWISE_RETENTION_DAYS, else 7)."""
        cutoff = self._clock() - timedelta(days=retention_days() if days is None else days)
        with writing(self._db()) as conn:
            old = select(Classroom.id).where(Classroom.created_at < cutoff).scalar_subquery()
            old_questions = select(Question.id).where(Question.class_id.in_(old)).scalar_subquery()
            conn.execute(delete(Answer.__table__).where(Answer.question_id.in_(old_questions)))
            conn.execute(delete(Question.__table__).where(Question.class_id.in_(old)))
            conn.execute(delete(Student.__table__).where(Student.class_id.in_(old)))
            return conn.execute(delete(Classroom.__table__).where(Classroom.created_at < cutoff)).rowcount

    # -- student ------------------------------------------------------------------------------------
    def join(self, code, name: str | None = None, caller: str | None = None) -> str:
        """A student's id in the class. Failed attempts are limited per `caller` (the page's session id)."""
        name = _clean_name(name)
        bucket = str(caller) if caller is not None else "anonymous"
        self._join_failures.check(bucket)
        try:
            with writing(self._db()) as conn:
                room = self._open(self._class(conn, code))
                student_id = new_student_id()
                conn.execute(insert(Student.__table__).values(
                    id=student_id, class_id=room.id, name=name, joined_at=self._clock()))
                return student_id
        except (UnknownClass, ClassEnded):
            self._join_failures.record(bucket)
            raise

    def rejoin(self, code, student_id) -> str | None:
        """A student coming back (a reload, a phone that slept): the same id in the same class, their name.

        The id is the token in the student's own link; an unknown one raises UnknownStudent (the page then
        offers the join form). Ended classes can be rejoined, to read the end. Nothing is written: joined
        counts people, not visits."""
        with reading(self._db()) as conn:
            room = self._class(conn, code)
            return self._student(conn, room, student_id).name

    def state(self, code) -> ClassState:
        """What every student's page polls: no names, no answers, the aggregate only after the reveal."""
        with reading(self._db()) as conn:
            room = self._class(conn, code)
            question = conn.execute(select(Question.__table__).where(Question.class_id == room.id)
                                    .order_by(Question.id.desc()).limit(1)).first()
            info, answered, correct = None, None, None
            if question is not None:
                revealed = question.revealed_at is not None
                info = QuestionInfo(question.id, question.lesson, question.kind, question.seed, question.level,
                                    revealed)
                if revealed:
                    answered, correct = conn.execute(
                        select(func.count(), func.coalesce(func.sum(case((Answer.correct, 1), else_=0)), 0))
                        .where(Answer.question_id == question.id)).one()
        query = json.loads(room.follow_query) if room.follow_query else None
        return ClassState(room.code, room.ended_at is not None, info, answered, correct, room.follow_lesson, query)

    def submit(self, code, student_id: str, question_id: int, text: str) -> Verdict:
        """Store a student's answer (a later one replaces the earlier); returns once it is committed."""
        text = _clean_answer(text)
        self._answer_rate.take(str(student_id))
        with writing(self._db()) as conn:
            room = self._open(self._class(conn, code))
            self._student(conn, room, student_id)
            question = self._question(conn, room, question_id)
            if question.revealed_at is not None:
                raise AnswersClosed(question=question.id)
            verdict = self._exercises.verdict(question.lesson, question.seed, question.level, question.kind, text)
            values = {"text": text, "correct": bool(verdict.correct), "message": str(verdict.message),
                          "hint": None if verdict.hint is None else str(verdict.hint), "submitted_at": self._clock()}
            statement = self._insert(Answer.__table__).values(question_id=question.id, student_id=student_id,
                                                              **values)
            statement = statement.on_conflict_do_update(index_elements=["question_id", "student_id"], set_=values)
            answer_id = conn.execute(statement.returning(Answer.id)).scalar_one()
        return Verdict(answer_id, question.id, values["correct"], values["message"], values["hint"], text)

    def own_answer(self, code, student_id: str, question_id: int) -> str | None:
        """What this student sent for the question (before the reveal too), so a reload shows it again."""
        with reading(self._db()) as conn:
            room = self._class(conn, code)
            self._student(conn, room, student_id)
            question = self._question(conn, room, question_id)
            return conn.execute(select(Answer.text).where(
                Answer.question_id == question.id, Answer.student_id == student_id)).scalar_one_or_none()

    def verdict_for(self, code, student_id: str, question_id: int) -> Verdict | None:
        """A student's own verdict, once the teacher revealed the question (None: they did not answer)."""
        with reading(self._db()) as conn:
            room = self._class(conn, code)
            self._student(conn, room, student_id)
            question = self._question(conn, room, question_id)
            if question.revealed_at is None:
                raise NotRevealed(question=question.id)
            row = conn.execute(select(Answer.__table__).where(
                Answer.question_id == question.id, Answer.student_id == student_id)).first()
        if row is None:
            return None
        return Verdict(row.id, question.id, row.correct, row.message, row.hint, row.text)


def _clean_name(name) -> str | None:
    if name is None:
        return None
    cleaned = " ".join("".join(ch for ch in str(name) if ch.isprintable()).split())
    if len(cleaned) > NAME_LIMIT:
        raise NameTooLong(limit=NAME_LIMIT)
    return cleaned or None


def _clean_answer(text) -> str:
    cleaned = "" if text is None else str(text).strip()
    if not cleaned:
        raise EmptyAnswer()
    if len(cleaned) > ANSWER_LIMIT:
        raise AnswerTooLong(limit=ANSWER_LIMIT)
    return cleaned
