"""What every student's watcher asks once a second, asked of the database at most once per interval per class.

Why: a class of 300 students polls `ClassStore.state(code)` 300 times a second on each replica, each time two
queries, and every one of them asks the same thing about the same class. The watcher already sees the class
up to a second late (it polls); answering it from a state at most `max_age_s` old adds at most that, and the
database and the replica see one query per class per interval instead of one per student. Concurrent askers of
one class wait for the one query in flight instead of sending their own. Errors are never kept: the next asker
tries the database again.
"""

import threading
import time

KEEP_AT_MOST = 1024  # classes remembered per process before the stale ones are forgotten


class RecentStates:
    """`state(code)`: the class's state as `store.state` gave it at most `max_age_s` ago."""

    def __init__(self, store, max_age_s: float = 0.5, clock=time.monotonic):
        self._store = store
        self._max_age_s = max_age_s
        self._clock = clock
        self._seen: dict[str, tuple[float, object]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def state(self, code: str):
        with self._lock_for(code):
            seen = self._seen.get(code)
            if seen is not None and self._clock() - seen[0] < self._max_age_s:
                return seen[1]
            state = self._store.state(code)  # raises as the store does; nothing is kept then
            self._seen[code] = (self._clock(), state)
            return state

    def _lock_for(self, code: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > KEEP_AT_MOST:
                self._forget_stale()
            return self._locks.setdefault(code, threading.Lock())

    def _forget_stale(self) -> None:
        """Drop classes not asked about for a while, and codes that only ever failed (called under the guard);
        a lock in use is kept."""
        now = self._clock()
        for code, lock in list(self._locks.items()):
            seen = self._seen.get(code)
            if not lock.locked() and (seen is None or now - seen[0] >= self._max_age_s):
                del self._locks[code]
                self._seen.pop(code, None)
