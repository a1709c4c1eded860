"""LatestFrameProcessor: a camera sends frames faster than a network labels them; only the newest waits.

A queue of frames would grow by (camera rate − model rate) frames a second and the overlay would lag
further behind the room with every second. Here there is one slot: a new frame replaces the one still
waiting (counted as dropped), and one worker thread labels whatever is in the slot when it is free.

    processor = LatestFrameProcessor(work)     # work(frame) -> whatever the page shows
    processor.offer(frame)                     # from the camera's thread: never blocks, never queues
    processor.latest                           # the newest result (None before the first)
    processor.stats()                          # frames/s and capture → result latency p50/p95
    processor.stop()

`step()` does one round synchronously (tests, the bench's single-thread mode). Thread-safe; no streamlit.
"""

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

WINDOW_S = 3.0  # frames/s is counted over the last few seconds (a moving window, not since Start)
LATENCIES_KEPT = 120  # latencies kept for p50/p95
_IDLE = object()  # _take's answer when no frame came for idle_after seconds


@dataclass(frozen=True)
class VideoStats:
    """What the page shows while a stream runs."""

    fps: float  # results per second over the last WINDOW_S seconds
    latency_p50_ms: float | None  # capture (offer) → result ready
    latency_p95_ms: float | None
    offered: int  # frames the camera sent
    processed: int  # frames labelled
    dropped: int  # frames replaced by a newer one before their turn (or skipped while the stream waited)


class LatestFrameProcessor:
    """One slot, one worker: the newest frame is processed, older ones are dropped."""

    def __init__(self, work: Callable[[Any], Any], clock: Callable[[], float] = time.perf_counter,
                 gate: Callable[[], bool] | None = None, idle_after: float | None = None,
                 on_idle: Callable[[float], None] | None = None, on_start: Callable[[], None] | None = None):
        """work(frame) -> result. gate() -> False skips (drops) the frame: the stream waits for its turn.

        on_idle(seconds without a frame) is called by the worker every `idle_after` seconds while no frame
        comes (a closed tab sends none): the stream can give its slot back without waiting for Stop.
        on_start() runs first in the worker thread (its per-thread settings, e.g. its CPU threads)."""
        self._work, self._clock, self._gate, self._on_start = work, clock, gate, on_start
        self._idle_after, self._on_idle = idle_after, on_idle
        self._last_offer = clock()
        self._cv = threading.Condition()
        self._slot: tuple[Any, float] | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.latest: Any = None
        self.error: BaseException | None = None  # the last exception work() raised (the stream goes on)
        self.offered = self.processed = self.dropped = 0
        self._done: deque[float] = deque()
        self._latencies: deque[float] = deque(maxlen=LATENCIES_KEPT)

    # ------------------------------------------------------------------------------------- camera side
    def offer(self, frame, captured_at: float | None = None) -> None:
        """Put the newest frame in the slot (replacing a waiting one) and wake the worker; never blocks."""
        with self._cv:
            if self._stopped:
                return
            self.offered += 1
            self._last_offer = self._clock()
            if self._slot is not None:
                self.dropped += 1
            self._slot = (frame, self._clock() if captured_at is None else captured_at)
            self._cv.notify()

    def start(self) -> "LatestFrameProcessor":
        """Run the worker thread (daemon) that processes the slot whenever it is filled."""
        with self._cv:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._loop, name="latest-frame", daemon=True)
                self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """No more frames: the waiting one is dropped, the worker ends after the frame it is on."""
        with self._cv:
            self._stopped = True
            self._slot = None
            self._cv.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stopped

    # ------------------------------------------------------------------------------------- worker side
    def _take(self, wait: bool):
        with self._cv:
            while wait and self._slot is None and not self._stopped:
                if not self._cv.wait(self._idle_after if self._on_idle else None) and self._slot is None:
                    return _IDLE
            if self._stopped or self._slot is None:
                return None
            item, self._slot = self._slot, None
            return item

    def step(self, wait: bool = False) -> bool:
        """Process the frame in the slot, if any (waiting for one when `wait`); True when one was processed."""
        item = self._take(wait)
        if item is _IDLE:
            if not self._stopped:
                self._on_idle(self._clock() - self._last_offer)
            return False
        if item is None:
            return False
        frame, captured_at = item
        if self._gate is not None and not self._gate():
            with self._cv:
                self.dropped += 1
            return False
        try:
            result = self._work(frame)
        except Exception as error:  # a bad frame must not end the stream; the page shows the error
            self.error = error
            return False
        done = self._clock()
        with self._cv:
            self.latest, self.error = result, None
            self.processed += 1
            self._done.append(done)
            self._latencies.append((done - captured_at) * 1000)
        return True

    def _loop(self) -> None:
        if self._on_start is not None:
            try:
                self._on_start()
            except Exception as error:  # the stream still runs, with the thread's settings as they were
                self.error = error
        while not self._stopped:
            self.step(wait=True)

    # ------------------------------------------------------------------------------------------ figures
    def stats(self) -> VideoStats:
        now = self._clock()
        with self._cv:
            while self._done and now - self._done[0] > WINDOW_S:
                self._done.popleft()
            done = list(self._done)
            latencies = np.array(self._latencies, dtype=np.float64)
            offered, processed, dropped = self.offered, self.processed, self.dropped
        if len(done) >= 2:
            fps = (len(done) - 1) / max(done[-1] - done[0], 1e-9)
        else:
            fps = 0.0
        p50, p95 = (np.percentile(latencies, [50, 95]).tolist() if len(latencies) else (None, None))
        return VideoStats(fps, p50, p95, offered, processed, dropped)
