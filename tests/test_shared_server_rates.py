# ruff: noqa: F811  (pytest fixtures imported from tests.classroom_fixtures are parameters here)
"""Issue 19: a shared server's rate limits hold across replicas, and a client is who the server can tell.

The limits were counted in each process's memory: two replicas behind HAProxy gave one client twice the
documented rate. Now the counts live in the class database (ops.classroom.rate_counts, migration 0003);
two SharedRateLimits on one database stand for two replicas. On SQLite always, on PostgreSQL when
$PIXELWISE_TEST_POSTGRES_URL is set (`eval "$(.ci/postgres.sh start)"`).
"""

import threading

import pytest

from harness.stored import scalar
from ops import shared_server
from ops.shared_server import ADMIN_TOKEN_ENV, LIMITS, TRUSTED_PROXY_HOPS_ENV, SharedRateLimits, TooOften
from tests.classroom_fixtures import backend, db_url  # noqa: F401
from tests.english import english


@pytest.fixture
def shared_mode(monkeypatch):
    monkeypatch.setenv(ADMIN_TOKEN_ENV, "operator-secret")


def _rows(url: str) -> int:
    return scalar(url, "SELECT count(*) FROM rate_uses")


def _replicas(url, clock, n=2):
    return [SharedRateLimits(url, clock=clock) for _ in range(n)]


def test_two_replicas_on_one_database_give_a_client_the_documented_rate(db_url, shared_mode):
    """100 class creations in a minute from one client, alternating between two replicas: LIMITS' count,
    not twice it; the refusal says the limit and the wait; another client is not affected; after the
    window the client may again."""
    now = [1_000_000.0]
    replicas = _replicas(db_url, lambda: now[0])
    made, refused = 0, []
    for attempt in range(100):
        now[0] = 1_000_000.0 + attempt * 0.6
        try:
            replicas[attempt % 2].take("class", "203.0.113.7")
            made += 1
        except TooOften as error:
            refused.append(error)
    assert made == LIMITS["class"].count and len(refused) == 100 - made
    assert "at most 3 classes per 10 minutes" in english(refused[-1])
    assert 0 < refused[-1].params["seconds"] <= LIMITS["class"].window_s
    replicas[1].take("class", "198.51.100.2")  # another device still can
    now[0] = 1_000_000.0 + LIMITS["class"].window_s + 1
    replicas[0].take("class", "203.0.113.7")  # the first one again, once its window has passed
    for replica in replicas:
        replica.close()


def test_replicas_taking_at_the_same_moment_still_count_once_each(db_url, shared_mode):
    """Eight threads on two replicas ask at once: exactly LIMITS' count get through (the take is serialised
    per client: PostgreSQL's advisory lock, SQLite's write lock)."""
    replicas = _replicas(db_url, lambda: 2_000_000.0)
    replicas[0].take("training", "warm-up")  # the schema is made once, before the race
    replicas[1].take("training", "warm-up")
    made, start = [], threading.Barrier(8)

    def worker(index):
        start.wait()
        for _ in range(3):
            try:
                replicas[index % 2].take("training", "203.0.113.9")
                made.append(index)
            except TooOften:
                pass

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(made) == LIMITS["training"].count
    for replica in replicas:
        replica.close()


def test_old_uses_are_forgotten_so_the_table_stays_small(db_url, shared_mode):
    now = [3_000_000.0]
    (rates,) = _replicas(db_url, lambda: now[0], n=1)
    for client in range(50):
        rates.take("class", f"10.0.0.{client}")
    assert _rows(db_url) == 50
    now[0] += max(limit.window_s for limit in LIMITS.values()) + 1
    rates.take("class", "10.0.1.1")
    assert _rows(db_url) == 1
    rates.close()


def test_the_laptop_default_neither_limits_nor_opens_a_database(tmp_path, monkeypatch):
    monkeypatch.delenv(ADMIN_TOKEN_ENV, raising=False)
    rates = SharedRateLimits(f"sqlite:///{tmp_path / 'never.sqlite3'}")
    for _ in range(50):
        rates.take("class", "203.0.113.7")
    assert not (tmp_path / "never.sqlite3").exists()


def test_a_database_out_of_reach_still_limits_in_this_process(shared_mode):
    rates = SharedRateLimits("postgresql://nobody@127.0.0.1:1/none", clock=lambda: 4_000_000.0)
    for _ in range(LIMITS["class"].count):
        rates.take("class", "203.0.113.7")
    with pytest.raises(TooOften):
        rates.take("class", "203.0.113.7")
    rates.close()


def test_the_server_counts_in_the_class_database_by_default():
    assert isinstance(shared_server.RATES, SharedRateLimits)


@pytest.mark.parametrize(("hops", "headers", "address", "client"), [
    # no proxy declared: a visitor's own X-Forwarded-For is never believed (it would be a fresh bucket per try)
    (None, {"X-Forwarded-For": "6.6.6.6"}, "203.0.113.7", "203.0.113.7"),
    (None, {}, "10.0.0.5", "10.0.0.5"),
    (None, None, None, "unknown"),
    # one trusted proxy (an ingress): the right-most entry is what it saw; the rest the client wrote
    ("1", {"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}, "10.0.0.5", "203.0.113.7"),
    ("2", {"x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.1.1.1"}, "10.0.0.5", "203.0.113.7"),
    # fewer entries than declared proxies: the header did not come from them, the socket decides
    ("2", {"X-Forwarded-For": "6.6.6.6"}, "10.0.0.5", "10.0.0.5"),
    ("many", {"X-Forwarded-For": "6.6.6.6"}, "10.0.0.5", "10.0.0.5"),  # not a count: believe none
])
def test_a_client_is_what_a_trusted_proxy_or_the_socket_says(monkeypatch, hops, headers, address, client):
    if hops is None:
        monkeypatch.delenv(TRUSTED_PROXY_HOPS_ENV, raising=False)
    else:
        monkeypatch.setenv(TRUSTED_PROXY_HOPS_ENV, hops)
    assert shared_server.client_of(headers, address) == client


def test_a_client_name_with_control_characters_is_counted_not_refused_by_the_database(db_url, shared_mode):
    (rates,) = _replicas(db_url, lambda: 5_000_000.0, n=1)
    for _ in range(LIMITS["class"].count):
        rates.take("class", "evil\x00\x01" + "x" * 200)
    with pytest.raises(TooOften):
        rates.take("class", "evil\x00\x01" + "x" * 200)
    rates.close()


class _RepeatedHeaders:
    """What `st.context.headers` is to client_of: a mapping whose get_all keeps a repeated header's every
    line (built here because the project uses only Streamlit's public API, and its headers class is not)."""

    def __init__(self, pairs):
        self._pairs = pairs

    def get_all(self, name):
        return [value for key, value in self._pairs if key.lower() == name.lower()]

    def get(self, name, default=None):
        found = self.get_all(name)
        return found[0] if found else default


def test_a_proxy_line_after_the_clients_own_line_is_the_one_believed(monkeypatch):
    """HAProxy's `option forwardfor` adds its own X-Forwarded-For line after any the visitor sent: the
    visitor's line must not win because it comes first (Streamlit's headers keep both: get_all)."""
    monkeypatch.setenv(TRUSTED_PROXY_HOPS_ENV, "1")
    headers = _RepeatedHeaders([("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "203.0.113.7")])
    assert shared_server.client_of(headers, None) == "203.0.113.7"


def test_without_a_fake_clock_the_database_clock_counts(db_url, shared_mode):
    """The server's own setting (no clock given): PostgreSQL's clock, SQLite's host clock; the limit holds."""
    replicas = [SharedRateLimits(db_url) for _ in range(2)]
    made = 0
    for attempt in range(10):
        try:
            replicas[attempt % 2].take("class", "203.0.113.8")
            made += 1
        except TooOften as error:
            assert 0 < error.params["seconds"] <= LIMITS["class"].window_s
    assert made == LIMITS["class"].count
    for replica in replicas:
        replica.close()
