"""Rate-limit counts kept in the class database, so that every replica sharing it counts the same uses.

One row per use (action, client, time in epoch seconds). `take` looks at one client's window and records
a use in one write transaction, serialised per (action, client): PostgreSQL takes an advisory transaction
lock on the pair, SQLite's BEGIN IMMEDIATE holds the write lock. Two replicas taking at the same moment
therefore see each other's use: one client gets the documented rate, not once per replica.
Times come from the caller's clock (wall clock in production: replicas are assumed NTP-synchronised).
"""

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Engine

from ops.classroom.engine import writing
from ops.classroom.models import RateUse

LOCK_SPACE = 7_013_014  # advisory lock namespace of rate limits (migrate.py uses 7_013_013)


def take(engine: Engine, action: str, client: str, count: int, window_s: float, now: float,
         forget_before: float | None = None) -> float | None:
    """Record one use of `action` by `client` unless `count` uses fall in the last `window_s` seconds.

    Returns None when the use was recorded, else the seconds until the oldest use leaves the window.
    `forget_before`: uses older than this, of any client, are deleted on the way (the table stays small)."""
    table = RateUse.__table__
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
                         {"space": LOCK_SPACE, "key": f"{action}|{client}"})
        if forget_before is not None:
            conn.execute(delete(table).where(table.c.used_at < forget_before))
        mine = (table.c.action == action) & (table.c.client == client)
        conn.execute(delete(table).where(mine, table.c.used_at <= now - window_s))
        used, oldest = conn.execute(select(func.count(), func.min(table.c.used_at)).where(mine)).one()
        if used >= count:
            return max(0.0, oldest + window_s - now)
        conn.execute(insert(table).values(action=action, client=client, used_at=now))
        return None
