"""One SQLAlchemy engine per store, set up so that an acknowledged answer is really committed.

SQLite: WAL journal, synchronous=FULL, a busy timeout, foreign keys on, and writes that take the write
lock when they begin (BEGIN IMMEDIATE), so concurrent writers queue instead of failing half-way.
PostgreSQL (psycopg 3): a short connect timeout and pre-ping, so a dead server is noticed in seconds and
a returning one is used again without restarting the app. Any driver-level failure becomes StoreUnavailable;
a value its column cannot hold becomes ValueTooLarge (a message, never a traceback).
"""

from contextlib import contextmanager

from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Engine

from ops.classroom.errors import StoreUnavailable, ValueTooLarge

CONNECT_TIMEOUT_S = 3
SQLITE_BUSY_TIMEOUT_S = 10
STATEMENT_TIMEOUT_S = 15


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=30,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            # a server that accepts but never answers must not hang a page either
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000} "
                       f"-c lock_timeout={STATEMENT_TIMEOUT_S * 1000}",
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3, "keepalives_count": 3,
        },
    )


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        pool_size=8,
        max_overflow=8,
        pool_timeout=60,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _setup(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # the driver's implicit BEGIN off: we emit our own below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def translated_errors():
    """Driver failures (server gone, file unreachable, lock timeout) as StoreUnavailable."""
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError) as error:
        raise StoreUnavailable() from error
    except exc.DataError as error:  # a value its column cannot hold (PostgreSQL: integer out of range)
        raise ValueTooLarge() from error
    except exc.DBAPIError as error:
        if error.connection_invalidated:
            raise StoreUnavailable() from error
        raise


@contextmanager
def writing(engine: Engine):
    """A write transaction: committed when the block ends, or rolled back on any error."""
    with translated_errors(), engine.begin() as conn:
        yield conn


@contextmanager
def reading(engine: Engine):
    """A read transaction that does not take SQLite's write lock."""
    with translated_errors(), engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="DEFERRED")
        with conn.begin():
            yield conn
