"""A photo waiting to be segmented: its place in the work queue, or its retries on a busy model server.

In-process, a photo takes a ticket in ops.work_queue and runs when its turn comes (one forward at a time
per model, device and precision). With a model server, Serve queues it; a busy or unreachable server is
retried with a doubling pause, RETRIES times, before the student is asked. The page keeps the job in its
session, calls `turn_has_come()` and `run()` from a ticking fragment and lays out what the job says.
"""

import time
from collections.abc import Callable

from ops import work_queue
from ops.segmentation.photos import SegmentedPhoto, segment_photo
from ops.serving.addresses import serve_url
from ops.serving.errors import ServingError

RETRIES = 30  # sends of one photo to a busy or unreachable model server before the page asks the student
BACKOFF_S, BACKOFF_MAX_S = 0.25, 2.0  # wait before the n-th retry: 0.25 s doubling, at most 2 s (~55 s in all)
PHOTO_DEADLINE_S = 90.0  # and at most this long from the first send (each send is bounded by ops.serving.client)


def lane(model: str, device: str, half: bool) -> str:
    """The work queue's lane for a photo: one forward at a time per model, device and precision."""
    return f"{model}:{device}:{int(half)}"


class PhotoJob:
    """One photo (its bytes, model settings and key) on its way to a segmentation."""

    def __init__(self, key: str, data: bytes, label: str, model: str, device: str, half: bool,
                 queue: work_queue.WorkQueue = work_queue.QUEUE, clock: Callable[[], float] = time.monotonic):
        self.key, self.data, self.label = key, data, label
        self.model, self.device, self.half = model, device, half
        self.remote = serve_url() is not None  # the model server queues it: no ticket here
        self._queue, self._clock = queue, clock
        self.ticket = None if self.remote else queue.submit("segment", lane(model, device, half))
        self.attempts = 0  # sends the model server refused or could not answer
        self._first_send: float | None = None  # when the model server was first asked (the photo's deadline)
        self.error: ServingError | None = None  # the last of those refusals
        self._next_at = 0.0

    @property
    def gave_up(self) -> bool:
        """The model server failed RETRIES times, or PHOTO_DEADLINE_S passed: nothing more until retry()."""
        late = self._first_send is not None and self._clock() - self._first_send >= PHOTO_DEADLINE_S
        return self.attempts >= RETRIES or (self.attempts > 0 and late)

    @property
    def ahead(self) -> int | None:
        """Photos ahead of this one in the work queue while it waits there; None otherwise."""
        if self.ticket is not None and self.ticket.waiting:
            return self.ticket.position()
        return None

    def turn_has_come(self) -> bool:
        """True when run() may segment now: it holds a slot, or the pause before the next send is over."""
        if self.gave_up:
            return False
        if self.ticket is None:
            return self._clock() >= self._next_at
        if self.ticket.over:  # dropped while nobody polled it (a tab in the background): back in line
            self.ticket = self._queue.submit("segment", lane(self.model, self.device, self.half))
        return self.ticket.poll()

    def run(self, load_model: Callable[[str, str, bool], object]) -> SegmentedPhoto | None:
        """Segment the photo (call when turn_has_come()); None when the model server must be asked again.

        load_model(name, device, half) gives the in-process model (the page's server-wide cache); with a
        model server only the name is sent. BadImage, WeightsUnavailable, QueueLeft and the model's own
        errors are raised for the page to show.
        """
        try:
            if self.ticket is None:
                if self._first_send is None:
                    self._first_send = self._clock()
                return segment_photo(self.data, self.model, self.key, self.label)
            with self.ticket:  # frees the slot even when segmenting fails
                model = load_model(self.model, self.device, self.half)
                return segment_photo(self.data, model, self.key, self.label)
        except ServingError as error:  # busy or down: the photo stays and is sent again, with backoff
            self.attempts += 1
            self.error = error
            self._next_at = self._clock() + min(BACKOFF_MAX_S, BACKOFF_S * 2 ** (self.attempts - 1))
            return None

    def retry(self) -> None:
        """The student asks again after the job gave up: RETRIES more sends, the first at once."""
        self.attempts, self._next_at, self._first_send = 0, 0.0, None

    def cancel(self) -> None:
        """Out of the line (or the slot given back); nothing more is segmented for this job."""
        if self.ticket is not None:
            self.ticket.cancel()
