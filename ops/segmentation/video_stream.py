"""A live stream's place in the work queue, its newest-frame processor and its current settings.

A stream holds one slot of the process-wide work queue (lane "video" per device) from its first frame
to Stop: a fixed number of streams run at once (PIXELWISE_VIDEO_SLOTS, default 2) and the next one is
told its place while its frames are dropped. Stop, leaving the page or the camera ending frees the slot
at once (`stop()`); a stream whose frames stop coming (a closed tab) gives its slot back after FRAME_GAP_S.
Frames are held in memory only: nothing is recorded or written.
"""

import threading
import time
from collections.abc import Callable

import numpy as np

from ops import work_queue
from ops.segmentation.video import LatestFrameProcessor, VideoStats
from ops.segmentation.video_frame import FrameResult, FrameSettings, frame_work
from ops.segmentation.video_threads import stream_threads, use_threads

KIND = "video"
FRAME_GAP_S = 2.0  # no frame for this long (a closed tab, a lost network): the slot goes back
IDLE_STOP_S = 60.0  # no frame for this long: the stream ends (its worker thread too)


class VideoStream:
    """One browser's camera stream: offer() frames from the WebRTC thread, read latest/stats from the page."""

    def __init__(self, device: str, draw: Callable, queue: work_queue.WorkQueue = work_queue.QUEUE,
                 clock: Callable[[], float] = time.perf_counter, threads: int | None | str = "env"):
        """threads: the CPU threads this stream's worker labels with, its own and not the process's (see
        video_threads); "env": PIXELWISE_VIDEO_THREADS (default 1); None: torch's process-wide count."""
        self.device = device
        self.threads = stream_threads() if threads == "env" else threads
        self._queue = queue
        self._lock = threading.Lock()
        self._settings = FrameSettings()
        self.ticket: work_queue.Ticket | None = None
        self.processor = LatestFrameProcessor(frame_work(self.settings, draw), clock=clock, gate=self._turn,
                                              idle_after=FRAME_GAP_S, on_idle=self._idle,
                                              on_start=lambda: use_threads(self.threads))

    # ------------------------------------------------------------------------------------ page side
    def settings(self) -> FrameSettings:
        return self._settings

    def configure(self, settings: FrameSettings) -> None:
        """Swap in the page's current controls; the next frame uses them."""
        self._settings = settings

    @property
    def ahead(self) -> int | None:
        """Streams ahead of this one while it waits for a slot; None when it runs or has not started."""
        ticket = self.ticket
        if ticket is not None and ticket.waiting:
            return ticket.position()
        return None

    @property
    def running(self) -> bool:
        return self.ticket is not None and self.ticket.running and not self.processor.stopped

    @property
    def latest(self) -> FrameResult | None:
        return self.processor.latest

    def stats(self) -> VideoStats:
        return self.processor.stats()

    def stop(self) -> None:
        """Stop pressed, page left or camera ended: the slot goes to the next stream at once."""
        with self._lock:
            ticket, self.ticket = self.ticket, None
        if ticket is not None:
            ticket.cancel()
        self.processor.stop()

    # ---------------------------------------------------------------------------------- camera side
    def offer(self, rgb: np.ndarray, captured_at: float | None = None) -> FrameResult | None:
        """A frame arrived: take a ticket on the first one, hand the frame over, return the newest result."""
        with self._lock:
            if self.processor.stopped:
                return None
            if self.ticket is None or self.ticket.over:  # first frame, or dropped while frames stopped
                self.ticket = self._queue.submit(KIND, self.device)
        self.processor.start()
        self.processor.offer(rgb, captured_at)
        return self.processor.latest

    def _idle(self, seconds: float) -> None:
        """No frame for `seconds`: give the slot back now (a returning frame queues again); end after long."""
        with self._lock:
            ticket, self.ticket = self.ticket, None
        if ticket is not None:
            ticket.cancel()
        if seconds >= IDLE_STOP_S:
            self.processor.stop()

    def _turn(self) -> bool:
        """The processor's gate: poll the ticket (so it is not abandoned) and say whether it holds a slot."""
        ticket = self.ticket
        return ticket is not None and ticket.poll()
