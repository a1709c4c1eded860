"""rate_uses: the shared server's rate-limit counts in the class database, so replicas count together (issue 19).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_uses",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("used_at", sa.Float, nullable=False),
    )
    op.create_index("ix_rate_uses_action_client_used_at", "rate_uses", ["action", "client", "used_at"])
    op.create_index("ix_rate_uses_used_at", "rate_uses", ["used_at"])


def downgrade():
    op.drop_index("ix_rate_uses_used_at", table_name="rate_uses")
    op.drop_index("ix_rate_uses_action_client_used_at", table_name="rate_uses")
    op.drop_table("rate_uses")
