"""Rate-limit counts kept in the class database, so that every replica sharing it counts the same uses.

One row per use (action, client, time in epoch seconds). `take` looks at one client's window and records
a use in one write transaction, serialised per (action, client): PostgreSQL takes an advisory transaction
lock on the pair, SQLite's BEGIN IMMEDIATE holds the write lock. Two replicas taking at the same moment
therefore see each other's use: one client gets the documented rate, not once per replica.
Times: PostgreSQL's own clock, read once the lock is held, so replicas whose clocks differ still count one
window; SQLite (one machine) the caller's wall clock. A caller may pass `now` (tests drive a fake clock).
"""

import time

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Engine

from ops.classroom.engine import writing
from ops.classroom.models import RateUse

LOCK_SPACE = 7_013_014  # advisory lock namespace of rate limits (migrate.py uses 7_013_013)


def take(engine: Engine, action: str, client: str, count: int, window_s: float, now: float | None = None,
         forget_after_s: float | None = None) -> float | None:
    """Record one use of `action` by `client` unless `count` uses fall in the last `window_s` seconds.

    Returns None when the use was recorded, else the seconds until the oldest use leaves the window.
    `forget_after_s`: uses older than this, of any client, are deleted on the way (the table stays small)."""
    table = RateUse.__table__
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
                         {"space": LOCK_SPACE, "key": f"{action}|{client}"})
            if now is None:
                now = float(conn.execute(text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one())
        if now is None:
            now = time.time()
        if forget_after_s is not None:
            conn.execute(delete(table).where(table.c.used_at < now - forget_after_s))
        mine = (table.c.action == action) & (table.c.client == client)
        conn.execute(delete(table).where(mine, table.c.used_at <= now - window_s))
        used, oldest = conn.execute(select(func.count(), func.min(table.c.used_at)).where(mine)).one()
        if used >= count:
            return max(0.0, oldest + window_s - now)
        conn.execute(insert(table).values(action=action, client=client, used_at=now))
        return None
