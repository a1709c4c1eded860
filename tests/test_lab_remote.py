"""Lab training as a Ray task on a real local Ray: the same epochs as in-process, streamed; cancellable.

Marked `ray`; skipped with the reason when Ray is not installed (requirements-ray.txt).
"""

import pytest

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install -r requirements-ray.txt")

pytestmark = pytest.mark.ray
SMALL = {"n_train": 64, "n_val": 32, "data_seed": 3}


def test_remote_epochs_match_in_process_training(ray_cluster):
    import torch

    from ops.lab import make_dataset, train_fcn
    from ops.lab.train import TrainSettings
    from ops.serving.lab_remote import submit_training

    settings = TrainSettings(decoder="nearest", epochs=2, batch_size=32, width=8, seed=1, device="cpu")
    remote = submit_training(settings, **SMALL)
    torch.set_num_threads(1)
    local = train_fcn(make_dataset(n_train=64, n_val=32, seed=3), settings=settings, decoder="nearest")
    assert remote.wait(120) and remote.error is None
    assert [r.epoch for r in remote.records] == [1, 2]
    for mine, theirs in zip(remote.records, local.history):
        assert mine.batch_losses == pytest.approx(theirs.batch_losses, abs=1e-5)
        assert mine.val_miou == pytest.approx(theirs.val_miou, abs=1e-6)
    assert set(remote.result["state_dict"]) == set(local.model.state_dict())


def test_a_cancelled_training_stops_and_says_so(ray_cluster):
    import time

    from ops.lab.train import TrainSettings
    from ops.serving.errors import RemoteTrainingCancelled
    from ops.serving.lab_remote import submit_training

    remote = submit_training(TrainSettings(epochs=200, batch_size=32, width=8, device="cpu"), **SMALL)
    deadline = time.monotonic() + 120
    while not remote.records:  # progress arrives while the task is still running
        assert time.monotonic() < deadline and not remote.finished
        time.sleep(0.1)
    remote.cancel()
    assert remote.wait(60)
    assert isinstance(remote.error, RemoteTrainingCancelled) and remote.error.key == "serving.lab_cancelled"
    assert len(remote.records) < 200 and remote.result is None
