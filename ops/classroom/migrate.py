"""Bring a database to the newest schema on start: Alembic's upgrade, run from code, one process at a time.

Several app processes may start at once against a fresh database; each takes a lock first (PostgreSQL:
an advisory transaction lock; SQLite: the write lock of BEGIN IMMEDIATE), so exactly one creates the
tables and the others find them already at head. The migrations ship inside the package.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

from ops.classroom.engine import writing

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_ID = 7_013_013  # any constant shared by every Pixelwise process


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_to_head(engine: Engine) -> None:
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK_ID})
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
