"""questions.seed as a 64-bit integer: exercise seeds go up to 2**32 - 1, above PostgreSQL's INTEGER (issue 19).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("questions") as batch:
        batch.alter_column("seed", existing_type=sa.Integer, type_=sa.BigInteger, existing_nullable=False)


def downgrade():
    with op.batch_alter_table("questions") as batch:
        batch.alter_column("seed", existing_type=sa.BigInteger, type_=sa.Integer, existing_nullable=False)
