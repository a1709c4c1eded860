"""What a database holds, read straight by URL, for tests and benches that check what was stored.

Each read opens a connection of its own (no pool) and closes it, so a test or bench never holds the database
it then stops, kills or drops.
"""

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def rows(url: str, sql: str) -> list[tuple]:
    """Every row `sql` selects, as plain tuples."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def scalar(url: str, sql: str):
    """The single value `sql` selects."""
    (row,) = rows(url, sql)
    (value,) = row
    return value
