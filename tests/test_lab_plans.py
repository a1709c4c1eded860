"""One plan interface for lab trainings: the factory picks in-process or Ray from the environment, the
in-process plan waits for a training slot, holds it and gives it back, a failing epoch stops the plan with a
message key, and both plans answer the page's members. No Ray here: the cluster is a stand-in."""

import sys
import types

from ops.lab import TrainSettings, make_dataset
from ops.lab.plan import Plan, TrainingStopped
from ops.lab.plan_factory import make_plan
from ops.lab.remote_plan import RemotePlan
from ops.lab.train import TrainingPlan
from ops.work_queue import WorkQueue

DATA = make_dataset(n_train=16, n_val=8, seed=0)
TINY = TrainSettings(epochs=2, batch_size=16, width=8, device="cpu")


class StandIn:
    """A cluster training that has streamed `epochs` records and may be finished."""

    def __init__(self, records=(), finished=False):
        self.records, self.finished, self.error, self.result, self.cancelled = list(records), finished, None, None, 0

    def cancel(self):
        self.cancelled += 1


def test_without_a_ray_address_the_plan_trains_here_in_a_slot(monkeypatch):
    monkeypatch.delenv("PIXELWISE_RAY_ADDRESS", raising=False)
    queue = WorkQueue({"train": 1})
    other = queue.submit("train")  # another student's training holds the only slot
    plan = make_plan(DATA, TINY, ("bilinear",), queue=queue)
    assert isinstance(plan, TrainingPlan) and isinstance(plan, Plan)
    assert plan.ahead() == 1 and plan.slots == 1 and not plan.started
    assert plan.step() is None and plan.epochs_done == 0  # not its turn: nothing trained
    other.release()
    assert plan.ahead() is None and plan.started
    assert plan.step() is not None and queue.stats("train")["running"] == 1  # the slot is kept between epochs
    plan.step()
    assert plan.complete and plan.finished and plan.epochs_done == plan.epochs_total == 2
    assert queue.stats("train") == {"running": 0, "waiting": 0, "slots": 1}  # given back at the end


def test_stopping_a_waiting_plan_leaves_the_line(monkeypatch):
    monkeypatch.delenv("PIXELWISE_RAY_ADDRESS", raising=False)
    queue = WorkQueue({"train": 1})
    queue.submit("train")
    plan = make_plan(DATA, TINY, ("bilinear",), queue=queue)
    assert queue.stats("train")["waiting"] == 1
    plan.stop()
    assert plan.finished and plan.ahead() is None and queue.stats("train")["waiting"] == 0


def test_a_failing_epoch_stops_the_plan_with_a_message_key(monkeypatch):
    plan = TrainingPlan(DATA, TINY, ("bilinear",), queue=WorkQueue({"train": 1}))

    def out_of_memory(on_batch=None):
        raise RuntimeError("CUDA out of memory")

    monkeypatch.setattr(plan.current, "run_epoch", out_of_memory)
    assert plan.step() is None
    assert plan.finished and not plan.complete
    (error,) = plan.errors
    assert isinstance(error, TrainingStopped) and error.key == "fcn_lab.training_stopped"
    assert "out of memory" in error.params["error"]
    assert plan.ticket is None  # the slot went back


def test_with_a_ray_address_every_decoder_is_submitted_to_the_cluster(monkeypatch):
    submitted = []

    def submit_training(settings, n_train, n_val, data_seed):
        submitted.append((settings.decoder, n_train, n_val, data_seed))
        return StandIn()

    monkeypatch.setitem(sys.modules, "ops.serving.lab_remote", types.SimpleNamespace(submit_training=submit_training))
    monkeypatch.setenv("PIXELWISE_RAY_ADDRESS", "ray://cluster:10001")
    plan = make_plan(DATA, TINY, ("nearest", "bilinear"), data_seed=7)
    assert isinstance(plan, RemotePlan) and isinstance(plan, Plan)
    assert submitted == [("nearest", 16, 8, 7), ("bilinear", 16, 8, 7)]
    assert plan.ahead() is None and not plan.started and plan.step() is None  # the cluster trains, not step()
    assert not plan.stops_between_epochs and plan.slots == 0
    plan.runs["nearest"].remote.records.append("epoch 1")
    assert plan.started and plan.epochs_done == 1 and plan.epochs_total == 4
    plan.stop()
    assert plan.finished and all(run.remote.cancelled == 1 for run in plan.runs.values())


def test_both_plans_answer_what_the_page_reads():
    plans = [TrainingPlan(DATA, TINY, ("bilinear",)), RemotePlan(DATA, TINY, ("bilinear",), lambda *a, **k: StandIn())]
    members = ("runs", "decoders", "settings", "dataset", "complete", "finished", "stopped", "epochs_done",
               "epochs_total", "current", "errors", "slots", "ahead", "started", "step", "stop",
               "stops_between_epochs")
    for plan in plans:
        assert [m for m in members if not hasattr(plan, m)] == [], type(plan).__name__
