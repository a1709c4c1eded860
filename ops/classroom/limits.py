"""Sliding-window rate limits kept in memory, per store (one per server process).

Failed join attempts are counted per caller id (the page passes its session id), answers per student.
A limit that is hit raises RateLimited with the seconds to wait.
"""

import math
import threading
import time
from collections import deque

from ops.classroom.errors import RateLimited

JOIN_FAILURES_PER_MINUTE = 10
ANSWERS_PER_MINUTE = 30


class SlidingWindow:
    """At most `limit` events per `window_s` seconds for each key."""

    def __init__(self, limit: int, window_s: float = 60.0, clock=time.monotonic):
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._events: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key, now) -> deque:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        if not events:
            del self._events[key]  # forget quiet keys: memory stays bounded by the active ones
            return self._events.setdefault(key, deque())
        return events

    def check(self, key) -> None:
        """Raise RateLimited when `key` has used up its window (records nothing)."""
        with self._lock:
            now = self._clock()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                wait = events[0] + self.window_s - now
                raise RateLimited(seconds=max(1, math.ceil(wait)))

    def record(self, key) -> None:
        with self._lock:
            self._recent(key, self._clock()).append(self._clock())

    def take(self, key) -> None:
        """check + record in one step."""
        with self._lock:
            now = self._clock()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                raise RateLimited(seconds=max(1, math.ceil(events[0] + self.window_s - now)))
            events.append(now)
