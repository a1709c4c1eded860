"""The training script is deterministic: the same seed gives bit-identical weights, another seed does not."""

import torch

from ops.instances.train_maskrcnn import TrainSettings, batch_at, train


def state(seed: int) -> dict:
    model, history = train(TrainSettings(seed=seed, iterations=4, batch=2, log_every=2), log=lambda _: None)
    assert len(history) == 2 and all(v > 0 for k, v in history[0].items() if k.startswith("loss"))
    return model.state_dict()


def test_same_seed_same_weights():
    first, again, other = state(0), state(0), state(1)
    assert all(torch.equal(first[k], again[k]) for k in first)
    assert not all(torch.equal(first[k], other[k]) for k in first)
    assert not torch.are_deterministic_algorithms_enabled()  # the caller's settings are restored


def test_batches_are_torchvision_targets():
    images, targets = batch_at(0, 0, 3)
    assert len(images) == 3 and images[0].shape == (3, 64, 64) and images[0].dtype == torch.float32
    for t in targets:
        n = len(t["labels"])
        assert t["boxes"].shape == (n, 4) and t["masks"].shape == (n, 64, 64) and t["masks"].dtype == torch.uint8
        assert set(t["labels"].tolist()) <= {1, 2, 3}
