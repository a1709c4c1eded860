"""The watchers' shared view of a class: one database read per class per interval, however many students
poll; errors are not kept; concurrent askers share the read in flight. Counts, never timings."""

import threading

import pytest

from ops.classroom import ClassStore, UnknownClass
from ops.classroom.recent_states import KEEP_AT_MOST, RecentStates


class CountingStore:
    """A real ClassStore whose `state` reads are counted."""

    def __init__(self, store: ClassStore, gate: threading.Event | None = None):
        self.store, self.reads, self.gate = store, 0, gate

    def state(self, code):
        self.reads += 1
        if self.gate is not None:
            self.gate.wait(5)
        return self.store.state(code)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def room(tmp_path):
    store = ClassStore(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    code, key = store.create_class()
    return store, code, key


def test_many_watchers_in_one_interval_read_the_database_once(room):
    store, code, key = room
    counting, clock = CountingStore(store), Clock()
    recent = RecentStates(counting, max_age_s=0.5, clock=clock)
    states = [recent.state(code) for _ in range(300)]
    assert counting.reads == 1 and all(s == states[0] for s in states)
    store.push(code, key, "upsampling", seed=3)
    assert recent.state(code).question is None  # within the interval: the state read before the push
    clock.now += 0.5
    assert recent.state(code).question is not None and counting.reads == 2  # the push is seen one interval late


def test_each_class_is_read_for_itself(room):
    store, code, _ = room
    other, _ = store.create_class()
    counting = CountingStore(store)
    recent = RecentStates(counting, clock=Clock())
    assert recent.state(code).code == code and recent.state(other).code == other
    assert counting.reads == 2


def test_an_error_is_not_kept_the_next_asker_reads_again(room):
    store, _, _ = room
    counting = CountingStore(store)
    recent = RecentStates(counting, clock=Clock())
    for _ in range(3):
        with pytest.raises(UnknownClass):
            recent.state("NOSUCH00")
    assert counting.reads == 3


def test_watchers_asking_at_once_share_the_read_in_flight(room):
    store, code, _ = room
    gate = threading.Event()
    counting, clock = CountingStore(store, gate), Clock()
    recent = RecentStates(counting, clock=clock)
    results = []
    threads = [threading.Thread(target=lambda: results.append(recent.state(code))) for _ in range(20)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(10)
    assert len(results) == 20 and counting.reads == 1


def test_forgotten_classes_do_not_pile_up(room):
    store, code, _ = room
    clock = Clock()
    recent = RecentStates(CountingStore(store), clock=clock)
    for n in range(KEEP_AT_MOST + 10):
        with pytest.raises(UnknownClass):
            recent.state(f"GONE{n:04d}")
    recent.state(code)
    assert len(recent._locks) <= KEEP_AT_MOST + 1
