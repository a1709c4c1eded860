"""Classes, students, questions, answers (one answer per student and question).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("teacher_key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("follow_lesson", sa.String(100), nullable=True),
        sa.Column("follow_query", sa.Text, nullable=True),
        sa.UniqueConstraint("code", name="uq_classes_code"),
    )
    op.create_index("ix_classes_created_at", "classes", ["created_at"])
    op.create_table(
        "students",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(40), nullable=True),
        sa.Column("joined_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_students_class_id", "students", ["class_id"])
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lesson", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("pushed_at", sa.DateTime, nullable=False),
        sa.Column("revealed_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_questions_class_id", "questions", ["class_id"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("question_id", sa.Integer, sa.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("student_id", sa.String(32), sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("message", sa.String(100), nullable=False),
        sa.Column("hint", sa.String(100), nullable=True),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("question_id", "student_id", name="uq_answers_question_student"),
    )
    op.create_index("ix_answers_student_id", "answers", ["student_id"])


def downgrade():
    for table in ("answers", "questions", "students", "classes"):
        op.drop_table(table)
