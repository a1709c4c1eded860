"""Heavy work waits its turn in the open: a process-wide, bounded, first-come-first-served queue.

Segmenting a photo and training in the FCN lab take seconds of CPU (or GPU) each. Run by a whole class at
once, they would share the cores and every student would wait for all of them; lesson pages (grid edits,
sliders) would wait too. So heavy work takes a slot first: a fixed number per lane, a lane being a kind
of work and the resource it uses ("segment" per model and device, "train" for the whole process).

    ticket = QUEUE.submit("segment", "espnetv2:cpu")
    ticket.position()        # how many pieces of work are ahead of this one (running or waiting); 0: its turn
    ticket.poll()            # True once it holds a slot (a page calls this from a ticking fragment)
    with ticket:             # waits for a slot if need be; the slot is freed on exit, even on error
        segment(...)
    ticket.cancel()          # leaves the line, or gives the slot back

A ticket that nobody polls for `abandon_after` seconds (and that is not inside its `with` block) is
dropped: a student who closed the tab frees the slot for the next one. Thread-safe; no streamlit here.
"""

import itertools
import os
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field

SEGMENT_SLOTS_ENV = "PIXELWISE_SEGMENT_SLOTS"
TRAIN_SLOTS_ENV = "PIXELWISE_TRAIN_SLOTS"
VIDEO_SLOTS_ENV = "PIXELWISE_VIDEO_SLOTS"  # live camera streams running at once (ops/segmentation/video_stream.py)
ABANDON_AFTER_S = 20.0  # a page polls every ~0.5 s; 20 s without a poll means the student has left

WAITING, RUNNING, DONE, CANCELLED, DROPPED = "waiting", "running", "done", "cancelled", "dropped"


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, "")))
    except ValueError:
        return default


def default_slots(kind: str) -> int:
    """Slots per lane: one forward per model and device; trainings: half the cores, never more than all."""
    cores = os.cpu_count() or 1
    if kind == "train":
        return min(cores, _env_int(TRAIN_SLOTS_ENV, max(1, cores // 2)))
    if kind == "segment":
        return _env_int(SEGMENT_SLOTS_ENV, 1)
    if kind == "video":
        return _env_int(VIDEO_SLOTS_ENV, 2)
    return 1


@dataclass(eq=False)
class Ticket:
    """One piece of heavy work's place in its lane."""

    queue: "WorkQueue"
    lane: tuple[str, str]
    number: int
    state: str = WAITING
    seen: float = 0.0  # clock time of the last poll
    holding: int = 0  # inside `with ticket:` (never dropped while the work runs)
    granted: threading.Event = field(default_factory=threading.Event)

    @property
    def kind(self) -> str:
        return self.lane[0]

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    @property
    def waiting(self) -> bool:
        return self.state == WAITING

    @property
    def over(self) -> bool:
        """Done, cancelled or dropped: this ticket will never run (again)."""
        return self.state in (DONE, CANCELLED, DROPPED)

    def position(self) -> int:
        """Pieces of work ahead of this one: running in its lane plus waiting before it; 0 once it runs."""
        return self.queue._position(self)

    def poll(self) -> bool:
        """Say the student is still here; True when this ticket holds a slot."""
        return self.queue._poll(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until this ticket holds a slot (True), it is cancelled or dropped, or timeout passes."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self.poll():
                return True
            if self.over:
                return False
            left = 0.25 if deadline is None else min(0.25, deadline - time.monotonic())
            if left <= 0:
                return False
            self.granted.wait(left)

    def release(self) -> None:
        """The work is finished: give the slot back (or leave the line)."""
        self.queue._finish(self, DONE)

    def cancel(self) -> None:
        """The student changed their mind: leave the line, or give the slot back."""
        self.queue._finish(self, CANCELLED)

    @contextmanager
    def working(self):
        """Mark a stretch of work done while holding the slot (a training epoch): never dropped meanwhile.

        Unlike `with ticket:` the slot is kept afterwards, for work that spans several page runs.
        """
        with self.queue._lock:
            self.holding += 1
        try:
            yield self
        finally:
            with self.queue._lock:
                self.holding -= 1
                self.seen = self.queue._clock()

    def __enter__(self) -> "Ticket":
        with self.queue._lock:
            self.holding += 1
        if not self.wait():
            with self.queue._lock:
                self.holding -= 1
            raise QueueLeft(self.state)
        return self

    def __exit__(self, *exc) -> None:
        with self.queue._lock:
            self.holding -= 1
        self.release()


class QueueLeft(RuntimeError):
    """`with ticket:` could not start: the ticket was cancelled or dropped while it waited."""

    key = "queue.left"

    def __init__(self, state: str):
        self.params = {"state": state}
        super().__init__(f"ticket {state} before its turn")


class WorkQueue:
    """Lanes of heavy work, each with a fixed number of slots and a FIFO line of waiting tickets."""

    def __init__(self, slots: dict[str, int] | None = None, abandon_after: float = ABANDON_AFTER_S,
                 clock=time.monotonic):
        self._slots = dict(slots or {})
        self.abandon_after = abandon_after
        self._clock = clock
        self._lock = threading.RLock()
        self._lines: dict[tuple[str, str], deque[Ticket]] = {}
        self._running: dict[tuple[str, str], list[Ticket]] = {}
        self._numbers = itertools.count(1)
        self.peak: dict[tuple[str, str], int] = {}  # most tickets ever running at once, per lane

    def slots(self, kind: str) -> int:
        return self._slots.get(kind) or default_slots(kind)

    def submit(self, kind: str, resource: str = "") -> Ticket:
        """A ticket at the end of the line of lane (kind, resource); it may hold a slot at once."""
        lane = (kind, resource)
        with self._lock:
            ticket = Ticket(self, lane, next(self._numbers), seen=self._clock())
            self._lines.setdefault(lane, deque()).append(ticket)
            self._running.setdefault(lane, [])
            self._advance(lane)
            return ticket

    def stats(self, kind: str, resource: str = "") -> dict:
        """{"running": n, "waiting": m, "slots": k} for one lane (after dropping abandoned tickets)."""
        lane = (kind, resource)
        with self._lock:
            self._advance(lane)
            return {"running": len(self._running.get(lane, [])), "waiting": len(self._lines.get(lane, [])),
                    "slots": self.slots(kind)}

    # -------------------------------------------------------------------------------- ticket's side
    def _position(self, ticket: Ticket) -> int:
        with self._lock:
            self._advance(ticket.lane)
            if ticket.state != WAITING:
                return 0
            line = self._lines[ticket.lane]
            return len(self._running[ticket.lane]) + line.index(ticket)

    def _poll(self, ticket: Ticket) -> bool:
        with self._lock:
            if not ticket.over:
                ticket.seen = self._clock()
            self._advance(ticket.lane)
            return ticket.state == RUNNING

    def _finish(self, ticket: Ticket, state: str) -> None:
        with self._lock:
            if ticket.over:
                return
            self._remove(ticket)
            ticket.state = state
            ticket.granted.set()  # wakes a waiter so that it sees it will not run
            self._advance(ticket.lane)

    # ------------------------------------------------------------------------------------ internals
    def _remove(self, ticket: Ticket) -> None:
        line, running = self._lines[ticket.lane], self._running[ticket.lane]
        if ticket in running:
            running.remove(ticket)
        elif ticket in line:
            line.remove(ticket)

    def _advance(self, lane: tuple[str, str]) -> None:
        """Drop tickets nobody polls any more, then hand free slots to the head of the line (FIFO)."""
        line, running = self._lines.get(lane), self._running.get(lane)
        if line is None:
            return
        now = self._clock()
        for ticket in [*running, *line]:
            if not ticket.holding and now - ticket.seen > self.abandon_after:
                self._remove(ticket)
                ticket.state = DROPPED
                ticket.granted.set()
        slots = self.slots(lane[0])
        while line and len(running) < slots:
            ticket = line.popleft()
            ticket.state = RUNNING
            ticket.seen = now  # its turn starts now: the holder gets abandon_after to notice
            running.append(ticket)
            ticket.granted.set()
        self.peak[lane] = max(self.peak.get(lane, 0), len(running))


QUEUE = WorkQueue()  # the one queue of this server process


def submit(kind: str, resource: str = "") -> Ticket:
    return QUEUE.submit(kind, resource)
