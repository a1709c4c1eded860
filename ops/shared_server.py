"""Shared-server mode: what changes when the app is open to a network instead of running on a laptop.

One setting turns it on: $PIXELWISE_SHARED_ADMIN_TOKEN (README, "A server open to a network"). Its value
is the admin token. Then
  - downloading model weights needs that token (an admin's session types it), and
  - starting a class and starting a remote (Ray) training are rate-limited per client: LIMITS below,
    counted in the class database (ops.classroom.rate_counts), so replicas sharing one database give a
    client the documented rate, not once per replica. If that database cannot be reached, each process
    counts for itself meanwhile (a limit still holds, per replica).
Unset (the default for `streamlit run app.py`), nothing is limited and anyone may download weights.

A client is the socket's address as the server resolved it (the ASGI server already reads X-Forwarded-For
from a proxy on the same host, 127.0.0.1). A client's own X-Forwarded-For is never believed: only with
$PIXELWISE_TRUSTED_PROXY_HOPS = N (N proxies of yours in front, each appending to the header, e.g. 1 for a
Kubernetes ingress) is the N-th entry from the right taken, the address your outermost proxy saw.
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
TRUSTED_PROXY_HOPS_ENV = "PIXELWISE_TRUSTED_PROXY_HOPS"


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


def trusted_proxy_hops() -> int:
    """How many proxies of the operator's append to X-Forwarded-For in front of the app (0: believe none)."""
    value = os.environ.get(TRUSTED_PROXY_HOPS_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) <= 10 else 0


def _forwarded_lines(headers) -> list[str]:
    """Every X-Forwarded-For line in order: a proxy may add its own line after the one the client sent."""
    if headers is None:
        return []
    if hasattr(headers, "get_all"):  # Streamlit's headers: a plain dict would keep only the first line
        return [str(value) for value in headers.get_all("X-Forwarded-For")]
    return [str(value) for name, value in headers.items() if str(name).lower() == "x-forwarded-for"]


def client_of(headers: dict | None, address: str | None) -> str:
    """Who a request comes from: the socket's address, or with N trusted proxy hops the N-th X-Forwarded-For
    entry from the right (what the outermost trusted proxy saw; anything left of it the client wrote)."""
    hops_trusted = trusted_proxy_hops()
    hops = [hop.strip() for line in _forwarded_lines(headers) for hop in line.split(",") if hop.strip()]
    if hops_trusted and len(hops) >= hops_trusted:
        return hops[-hops_trusted][:64]
    if isinstance(address, str) and address:
        return address[:64]
    return "unknown"


class RateLimits:
    """Sliding windows per (action, client) in this process's memory; `take` records one use or raises TooOften."""

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


class SharedRateLimits:
    """The same windows counted in the class database (every replica sharing it sees every use).

    `url`: the database (None: the class store's, $PIXELWISE_DATABASE_URL or the SQLite default); opened and
    migrated on first use in shared mode. While it cannot be reached, `fallback` (this process) counts.
    `clock` None: the database's clock on PostgreSQL (replicas' clocks may differ), else this machine's."""

    def __init__(self, url: str | None = None, clock=None):
        self._url, self._clock = url, clock
        self._engines = {}
        self._lock = threading.Lock()
        self.fallback = RateLimits(clock=clock or time.monotonic)

    def _engine(self):
        from ops.classroom.engine import make_engine
        from ops.classroom.location import default_url, with_driver
        from ops.classroom.migrate import upgrade_to_head

        url = with_driver(self._url) if self._url else default_url()
        with self._lock:
            if url not in self._engines:
                engine = make_engine(url)
                upgrade_to_head(engine)
                self._engines[url] = engine
            return self._engines[url]

    def take(self, action: str, client: str) -> None:
        if not enabled():
            return
        from ops.classroom import rate_counts
        from ops.classroom.errors import StoreUnavailable

        limit, now = LIMITS[action], (self._clock() if self._clock else None)
        client = "".join(ch for ch in str(client) if ch.isprintable())[:64] or "unknown"  # PostgreSQL text: no NUL
        try:
            engine = self._engine()
        except Exception:  # noqa: BLE001 (unreachable server, malformed URL, missing driver): count here
            self.fallback.take(action, client)
            return
        try:
            wait = rate_counts.take(engine, action, client, limit.count, limit.window_s, now,
                                    forget_after_s=max(one.window_s for one in LIMITS.values()))
        except StoreUnavailable:
            self.fallback.take(action, client)
            return
        if wait is not None:
            raise _too_often(action, max(1, math.ceil(wait)))

    def close(self) -> None:
        with self._lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()


RATES = SharedRateLimits()  # counted in the class database, shared by every replica
