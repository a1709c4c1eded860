"""LatestFrameProcessor: the newest frame is processed and older ones dropped, never a queue; a stream's
slot in the work queue (VideoStream) is taken on its first frame and freed at once by stop()."""

import threading
import time

import numpy as np
import pytest

from ops import work_queue
from ops.segmentation.video import LatestFrameProcessor
from ops.segmentation.video_stream import VideoStream


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_only_the_newest_frame_is_processed_and_older_ones_counted_as_dropped():
    seen = []
    processor = LatestFrameProcessor(lambda frame: seen.append(frame) or frame * 10)
    for frame in range(1, 6):
        processor.offer(frame)
    assert processor.step() is True
    assert seen == [5] and processor.latest == 50
    assert processor.step() is False  # nothing left: the four older frames are gone, not queued
    stats = processor.stats()
    assert (stats.offered, stats.processed, stats.dropped) == (5, 1, 4)


def test_frames_per_second_and_latency_from_the_clock():
    clock = Clock()
    processor = LatestFrameProcessor(lambda frame: (setattr(clock, "now", clock.now + 0.05), frame)[1], clock=clock)
    for _ in range(11):
        processor.offer("frame")  # captured at clock.now, result 50 ms later
        processor.step()
        clock.now += 0.05  # the next frame comes 50 ms after the result
    stats = processor.stats()
    assert stats.fps == pytest.approx(10.0)  # one result every 100 ms
    assert stats.latency_p50_ms == pytest.approx(50.0) and stats.latency_p95_ms == pytest.approx(50.0)


def test_a_slow_worker_thread_never_builds_a_backlog():
    release = threading.Event()
    seen = []

    def work(frame):
        seen.append(frame)
        release.wait(5)
        return frame

    processor = LatestFrameProcessor(work).start()
    processor.offer(0)
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.01)
    for frame in range(1, 30):  # the camera keeps sending while frame 0 is being labelled
        processor.offer(frame)
    release.set()
    deadline = time.monotonic() + 5
    while processor.latest != 29 and time.monotonic() < deadline:
        time.sleep(0.01)
    processor.stop()
    assert seen == [0, 29]  # the frames in between were never processed
    assert processor.stats().dropped == 28


def test_a_failing_frame_is_reported_and_the_stream_goes_on():
    processor = LatestFrameProcessor(lambda frame: 1 / frame)
    processor.offer(0)
    processor.step()
    assert isinstance(processor.error, ZeroDivisionError) and processor.latest is None
    processor.offer(4)
    processor.step()
    assert processor.error is None and processor.latest == 0.25


def test_after_stop_frames_are_ignored_and_the_thread_ends():
    processor = LatestFrameProcessor(lambda frame: frame).start()
    processor.stop()
    processor.offer(1)
    assert processor.step() is False and processor.stats().offered == 0
    assert processor._thread is None or not processor._thread.is_alive()


def _draw(rgb, segmentation, labels, settings):
    return rgb


def test_streams_hold_slots_the_next_is_told_its_place_and_stop_frees_the_slot_at_once():
    queue = work_queue.WorkQueue(slots={"video": 2})
    streams = [VideoStream("cpu", _draw, queue=queue) for _ in range(4)]
    frame = np.zeros((4, 4, 3), np.uint8)
    for stream in streams:
        stream.offer(frame)
    try:
        assert [s.running for s in streams] == [True, True, False, False]
        assert [s.ahead for s in streams] == [None, None, 2, 3]
        streams[0].stop()
        assert streams[2].running and streams[3].ahead == 2  # freed at once, not after a timeout
        assert queue.stats("video", "cpu") == {"running": 2, "waiting": 1, "slots": 2}
        streams[1].stop()
        streams[3]._turn()
        assert streams[3].running
    finally:
        for stream in streams:
            stream.stop()
    assert queue.stats("video", "cpu")["running"] == 0


def test_a_waiting_stream_drops_its_frames_instead_of_labelling_them():
    queue = work_queue.WorkQueue(slots={"video": 1})
    first, second = VideoStream("cpu", _draw, queue=queue), VideoStream("cpu", _draw, queue=queue)
    calls = []
    for stream in (first, second):  # no worker threads: this test steps the processor itself
        stream.processor.start = lambda stream=stream: stream.processor
    second.processor._work = lambda frame: calls.append(frame)
    first.processor._work = lambda frame: frame
    try:
        first.offer("a")
        second.offer("b")
        second.processor.step(wait=False)
        assert calls == [] and second.stats().dropped >= 1 and second.ahead == 1
    finally:
        first.stop()
        second.stop()


def test_a_worker_with_no_frame_coming_says_so_every_idle_period():
    idle = []
    processor = LatestFrameProcessor(lambda frame: frame, idle_after=0.05, on_idle=idle.append).start()
    processor.offer(1)
    deadline = time.monotonic() + 5
    while len(idle) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    processor.stop()
    assert processor.latest == 1 and len(idle) >= 2 and idle[1] > idle[0] > 0


def test_a_stream_whose_frames_stop_coming_gives_its_slot_back_and_queues_again_when_they_return():
    queue = work_queue.WorkQueue(slots={"video": 1})
    first, second = VideoStream("cpu", _draw, queue=queue), VideoStream("cpu", _draw, queue=queue)
    frame = np.zeros((4, 4, 3), np.uint8)
    try:
        first.offer(frame)
        second.offer(frame)
        assert first.running and second.ahead == 1
        first._idle(2.5)  # what its worker calls when no frame came for FRAME_GAP_S (a closed tab)
        assert second._turn() and first.ticket is None and not first.processor.stopped
        first.offer(frame)  # the frames come back: in line again, behind the stream that took the slot
        assert first.ahead == 1
        first._idle(61.0)
        assert first.processor.stopped and first.ahead is None
    finally:
        first.stop()
        second.stop()
