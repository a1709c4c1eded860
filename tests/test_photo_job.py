"""PhotoJob on its own: a place in a work queue, retries with a doubling pause on a busy model server, giving
up after RETRIES sends, retry and cancel. A fake clock and a stand-in segmenter: no model, no network."""

import pytest

from ops.segmentation import photo_job
from ops.segmentation.photo_job import BACKOFF_MAX_S, BACKOFF_S, RETRIES, PhotoJob
from ops.serving.errors import ModelServerBusy
from ops.work_queue import QueueLeft, WorkQueue


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def segmenter(monkeypatch):
    """segment_photo's stand-in: answers from a list (an exception is raised), records the models it got."""
    calls, answers = [], []

    def fake(data, model, key, label):
        calls.append(model)
        answer = answers.pop(0) if answers else f"segmented {key}"
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(photo_job, "segment_photo", fake)
    return calls, answers


def job(queue=None, clock=None, **kw) -> PhotoJob:
    return PhotoJob("k", b"bytes", "label", "espnet", "cpu", False, queue=queue or WorkQueue(), clock=clock or Clock(),
                    **kw)


def test_in_process_the_photo_waits_its_turn_and_frees_the_slot(monkeypatch, segmenter):
    monkeypatch.delenv("PIXELWISE_SERVE_URL", raising=False)
    queue = WorkQueue({"segment": 1})
    other = queue.submit("segment", photo_job.lane("espnet", "cpu", False))  # someone else's photo is running
    mine = job(queue)
    assert not mine.remote and mine.ahead == 1 and not mine.turn_has_come()
    other.release()
    assert mine.turn_has_come() and mine.ahead is None
    loaded = []
    assert mine.run(lambda *settings: loaded.append(settings) or "model") == "segmented k"
    assert loaded == [("espnet", "cpu", False)] and segmenter[0] == ["model"]
    assert queue.stats("segment", "espnet:cpu:0") == {"running": 0, "waiting": 0, "slots": 1}


def test_a_cancelled_job_leaves_the_line(monkeypatch, segmenter):
    monkeypatch.delenv("PIXELWISE_SERVE_URL", raising=False)
    queue = WorkQueue({"segment": 1})
    queue.submit("segment", "espnet:cpu:0")
    mine = job(queue)
    mine.cancel()
    assert queue.stats("segment", "espnet:cpu:0")["waiting"] == 0
    with pytest.raises(QueueLeft):
        mine.run(lambda *settings: "model")


def test_a_busy_model_server_is_retried_with_a_doubling_pause_then_given_up(monkeypatch, segmenter):
    monkeypatch.setenv("PIXELWISE_SERVE_URL", "http://127.0.0.1:1")
    calls, answers = segmenter
    clock = Clock()
    mine = job(clock=clock)
    assert mine.remote and mine.ticket is None and mine.ahead is None
    answers.extend(ModelServerBusy("503", model="espnet") for _ in range(RETRIES))
    pauses = []
    while not mine.gave_up:
        assert mine.turn_has_come()
        assert mine.run(lambda *settings: pytest.fail("a served model is not loaded here")) is None
        assert isinstance(mine.error, ModelServerBusy)
        started = clock.now
        while not mine.turn_has_come() and not mine.gave_up:
            clock.now += 0.125
        pauses.append(clock.now - started)
    assert calls == ["espnet"] * RETRIES  # the model's name goes to the server
    assert pauses[:4] == [BACKOFF_S, 2 * BACKOFF_S, 4 * BACKOFF_S, min(BACKOFF_MAX_S, 8 * BACKOFF_S)]
    assert max(pauses[:-1]) == BACKOFF_MAX_S
    assert not mine.turn_has_come()  # gave up: nothing is sent until the student asks
    mine.retry()
    assert mine.turn_has_come() and mine.run(lambda *settings: None) == "segmented k"
