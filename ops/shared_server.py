"""Shared-server mode: what changes when the app is open to a network instead of running on a laptop.

One setting turns it on: $PIXELWISE_SHARED_ADMIN_TOKEN (README, "A server open to a network"). Its value
is the admin token. Then
  - downloading model weights needs that token (an admin's session types it), and
  - starting a class and starting a remote (Ray) training are rate-limited per client: LIMITS below,
    counted in this process (each replica keeps its own count).
Unset (the default for `streamlit run app.py`), nothing is limited and anyone may download weights.
A client is the address the last proxy saw (the right-most X-Forwarded-For entry), else the socket's.
"""

import hmac
import math
import os
import threading
import time
from collections import deque
from dataclasses import dataclass

from ops.errors import UserFacingError

ADMIN_TOKEN_ENV = "PIXELWISE_SHARED_ADMIN_TOKEN"


@dataclass(frozen=True)
class Limit:
    count: int
    window_s: float


LIMITS = {"class": Limit(3, 600.0), "training": Limit(5, 600.0)}  # per client: 3 classes, 5 trainings / 10 min


class AdminOnly(UserFacingError):
    key = "shared.download_admin_only"

    def __init__(self):
        super().__init__(self.key)


class TooOften(UserFacingError):
    """A rate limit was hit: `action` says which; params count, minutes (the limit) and seconds (the wait)."""

    def __init__(self, key: str, action: str, **params):
        super().__init__(key, **params)
        self.action = action


def _too_often(action: str, seconds: int) -> TooOften:
    limit = LIMITS[action]
    minutes = round(limit.window_s / 60)
    if action == "class":
        return TooOften("shared.too_often.class", action, count=limit.count, minutes=minutes, seconds=seconds)
    return TooOften("shared.too_often.training", action, count=limit.count, minutes=minutes, seconds=seconds)


def enabled() -> bool:
    return bool(os.environ.get(ADMIN_TOKEN_ENV, "").strip())


def check_admin(token) -> None:
    """Raise AdminOnly in shared mode unless `token` is the operator's admin token."""
    expected = os.environ.get(ADMIN_TOKEN_ENV, "").strip()
    if not expected:
        return
    if not isinstance(token, str) or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise AdminOnly()


def client_of(headers: dict | None, address: str | None) -> str:
    """Who a request comes from: the right-most X-Forwarded-For hop (what our proxy saw), else the socket."""
    forwarded = ""
    for name, value in (headers or {}).items():
        if str(name).lower() == "x-forwarded-for":
            forwarded = str(value)
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops and not (isinstance(address, str) and address):
        return "unknown"
    return (hops[-1] if hops else address)[:64]


class RateLimits:
    """Sliding windows per (action, client); `take` records one use or raises TooOften."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._uses: dict[tuple[str, str], deque] = {}
        self._lock = threading.Lock()

    def take(self, action: str, client: str) -> None:
        if not enabled():
            return
        limit = LIMITS[action]
        with self._lock:
            now = self._clock()
            uses = self._uses.setdefault((action, client), deque())
            while uses and uses[0] <= now - limit.window_s:
                uses.popleft()
            if len(uses) >= limit.count:
                raise _too_often(action, max(1, math.ceil(uses[0] + limit.window_s - now)))
            uses.append(now)
            if len(self._uses) > 10_000:  # forget clients whose windows are empty: memory stays bounded
                for key in [k for k, v in self._uses.items() if not v or v[-1] <= now - LIMITS[k[0]].window_s]:
                    del self._uses[key]


RATES = RateLimits()  # this process's counts
