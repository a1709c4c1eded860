"""FCN lab (AppTest) when the server's training slots are all taken: the job waits in the open with its
place and a Cancel button, and trains when a slot frees; with $PIXELWISE_RAY_ADDRESS the training runs
as Ray tasks (a real local Ray, marker `ray`) whose epochs stream into the page, Stop cancelling them."""

import threading
import time

import pytest

from harness.apptest import assert_no_exception, lesson, open_page
from ops import work_queue

TINY = {"fcn-lab.train_images": "8", "fcn-lab.val_images": "8", "fcn-lab.batch": "8", "fcn-lab.epochs": "2"}


@pytest.fixture
def slots_taken():
    """Other students' trainings hold every training slot of this server, each in its own thread."""
    release, holding = threading.Event(), []

    def other_student():
        with work_queue.submit("train") as ticket:
            holding.append(ticket)
            release.wait(120)

    threads = [threading.Thread(target=other_student, daemon=True) for _ in range(work_queue.QUEUE.slots("train"))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while len(holding) < len(threads) and time.monotonic() < deadline:
        time.sleep(0.01)
    yield release
    release.set()
    for thread in threads:
        thread.join(10)


def _metrics(at) -> dict:
    return {m.label: m.value for m in lesson(at).metric}


def test_a_training_waits_for_a_slot_with_its_place_and_can_be_cancelled(slots_taken):
    slots = work_queue.QUEUE.slots("train")
    at = open_page("fcn-lab", query=TINY)
    at.button(key="fcn-lab.train").click().run()
    assert_no_exception(at)
    infos = [i.value for i in lesson(at).info]
    expected = "1 training ahead of yours" if slots == 1 else f"{slots} trainings ahead of yours"
    assert any(expected in text for text in infos), infos
    assert not lesson(at).metric  # nothing trained meanwhile
    assert work_queue.QUEUE.stats("train")["waiting"] == 1
    at.button(key="fcn-lab.cancel.single").click().run()
    assert_no_exception(at)
    assert any("taken out of the line" in c.value for c in at.caption)
    assert not any("ahead of yours" in i.value for i in lesson(at).info)
    assert work_queue.QUEUE.stats("train")["waiting"] == 0


def test_the_comparison_waits_too_then_trains_when_a_slot_frees(slots_taken):
    at = open_page("fcn-lab", query={**TINY, "fcn-lab.compare_epochs": "1"})
    at.button(key="fcn-lab.compare").click().run()
    assert any("ahead of yours" in i.value for i in lesson(at).info)
    slots_taken.set()
    time.sleep(0.3)
    for _ in range(7):
        at.run()
    assert_no_exception(at)
    assert len(lesson(at).dataframe[0].value) == 6
    assert work_queue.QUEUE.stats("train") == {"running": 0, "waiting": 0, "slots": work_queue.QUEUE.slots("train")}


def test_a_single_training_takes_a_slot_and_gives_it_back():
    at = open_page("fcn-lab", query=TINY)
    at.button(key="fcn-lab.train").click().run()
    assert work_queue.QUEUE.stats("train")["running"] == 1
    at.run()
    assert _metrics(at)["Epochs"] == "2 / 2"
    assert work_queue.QUEUE.stats("train")["running"] == 0


# --------------------------------------------------------------------------------------------------- Ray
def _until(at, done, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()  # what the ticking fragment does in a browser
        assert_no_exception(at)
        if done(at):
            return True
    return False


@pytest.mark.ray
def test_with_a_ray_address_the_training_streams_from_the_cluster(ray_cluster, monkeypatch):
    monkeypatch.setenv("PIXELWISE_RAY_ADDRESS", "local")  # Ray is initialised: the page joins that cluster
    at = open_page("fcn-lab", query=TINY)
    at.button(key="fcn-lab.train").click().run()
    assert_no_exception(at)
    assert work_queue.QUEUE.stats("train")["running"] == 0  # the cluster schedules it, not this server
    assert _until(at, lambda at: _metrics(at).get("Epochs") == "2 / 2" and len(lesson(at).get("plotly_chart")) == 3)
    assert any(c.value.startswith("done") for c in at.caption)
    assert 0 <= float(_metrics(at)["Validation mIoU"]) <= 1


@pytest.mark.ray
def test_stop_cancels_the_ray_task(ray_cluster, monkeypatch):
    monkeypatch.setenv("PIXELWISE_RAY_ADDRESS", "local")
    at = open_page("fcn-lab", query={**TINY, "fcn-lab.epochs": "30", "fcn-lab.train_images": "256"})
    at.button(key="fcn-lab.train").click().run()
    assert _until(at, lambda at: bool(lesson(at).metric))  # the first epoch arrived
    at.button(key="fcn-lab.stop.single").click().run()
    assert _until(at, lambda at: not [b for b in at.button if b.key == "fcn-lab.stop.single"], 60)
    assert any(c.value.startswith("stopped early") for c in at.caption)
    assert int(_metrics(at)["Epochs"].split(" / ")[0]) < 30
