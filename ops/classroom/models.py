"""The class store's tables (SQLAlchemy 2). The schema itself is created by the Alembic migrations.

Times are naive UTC. Student ids are random tokens (a student cannot act as another by guessing);
`answers` holds one row per (question, student): a later answer replaces the earlier one.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAME_LIMIT = 40
ANSWER_LIMIT = 200


class Base(DeclarativeBase):
    pass


class Classroom(Base):
    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("code", name="uq_classes_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    teacher_key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    follow_lesson: Mapped[str | None] = mapped_column(String(100), nullable=True)
    follow_query: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON object of URL params


class Student(Base):
    __tablename__ = "students"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(NAME_LIMIT), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime)


class Question(Base):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    lesson: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(100))
    seed: Mapped[int] = mapped_column(BigInteger)  # exercise seeds reach 2**32 - 1 (migration 0002)
    level: Mapped[str] = mapped_column(String(20))
    pushed_at: Mapped[datetime] = mapped_column(DateTime)
    revealed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("question_id", "student_id", name="uq_answers_question_student"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(ANSWER_LIMIT))
    correct: Mapped[bool] = mapped_column(Boolean)
    message: Mapped[str] = mapped_column(String(100))
    hint: Mapped[str | None] = mapped_column(String(100), nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)


class RateUse(Base):
    """One use of a rate-limited action by a client (ops.shared_server), shared by every replica (migration 0003)."""

    __tablename__ = "rate_uses"
    __table_args__ = (Index("ix_rate_uses_action_client_used_at", "action", "client", "used_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    client: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[float] = mapped_column(Float, index=True)  # epoch seconds (wall clock)
