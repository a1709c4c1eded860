"""One number read straight from a database by URL, for tests and benches that check what was stored."""

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def scalar(url: str, sql: str):
    """The single value `sql` selects, on a connection of its own that is closed afterwards."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()
