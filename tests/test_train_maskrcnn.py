"""The training script is deterministic: the same seed gives bit-identical weights, another seed does not."""

import pytest
import torch

from ops.instances.inference import detect
from ops.instances.model import build_maskrcnn
from ops.instances.train_maskrcnn import TrainSettings, batch_at, init_weights, train
from ops.lab.instance_scenes import make_instance_scene


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


@pytest.mark.slow
def test_a_stopped_run_resumes_bit_identically(tmp_path):
    settings = TrainSettings(seed=0, iterations=4, batch=2, log_every=2, hard=0.5)
    whole, whole_history = train(settings, log=lambda _: None, resume=tmp_path / "whole.resume", save_every=2)
    resume = tmp_path / "run.resume"
    train(settings, log=lambda _: None, resume=resume, save_every=2)  # leaves the state after step 2
    assert torch.load(resume, weights_only=False)["step"] == 2
    lines = []
    again, again_history = train(settings, log=lines.append, resume=resume, save_every=2)
    assert lines[0] == '{"resumed_at": 2}' and len(lines) == 2  # only steps 3 and 4 ran
    first, second = whole.state_dict(), again.state_dict()
    assert all(torch.equal(first[k], second[k]) for k in first)
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in again_history] == \
        [{k: v for k, v in r.items() if k != "seconds"} for r in whole_history]
    changed = TrainSettings(seed=0, iterations=4, batch=2, log_every=2, hard=0.0)
    with pytest.raises(ValueError):
        train(changed, log=lambda _: None, resume=resume)


def test_hard_batches_are_crowds_of_one_class():
    _, plain = batch_at(0, 0, 4)
    _, hard = batch_at(0, 0, 4, hard=0.5)
    assert all(torch.equal(a["masks"], b["masks"]) for a, b in zip(plain[:2], hard[:2]))  # the first half as before
    assert any(not torch.equal(a["masks"], b["masks"]) for a, b in zip(plain[2:], hard[2:]))


def test_triangle_crowds_are_the_same_crowds_redrawn_as_triangles():
    from ops.instances.train_maskrcnn import as_triangles
    from ops.lab.scenes import TRIANGLE

    _, crowds = batch_at(0, 1, 8, hard=0.375)
    _, weighted = batch_at(0, 1, 8, hard=0.375, triangles=0.67)
    same = [0, 1, 2, 3, 4, 7]  # the plain scenes and the last crowd are untouched
    assert all(torch.equal(crowds[i]["masks"], weighted[i]["masks"]) for i in same)
    assert all(set(t["labels"].tolist()) == {3} for t in weighted[5:7])  # two of the three crowds: triangles only
    scene = make_instance_scene(0, 3, "train", touching=1.0, same_class=1.0)
    redrawn = as_triangles(scene)
    assert set(redrawn.labels.tolist()) == {TRIANGLE} and len(redrawn.labels) <= len(scene.labels)
    assert {s.centre for s in redrawn.shapes} <= {s.centre for s in scene.shapes}  # same places (a hidden one may go)


def test_two_level_network_starts_from_a_one_level_checkpoint_trains_and_detects(tmp_path):
    torch.manual_seed(0)
    one = tmp_path / "one.pt"
    torch.save(build_maskrcnn().state_dict(), one)
    fresh = init_weights(build_maskrcnn(levels=2), str(one), log=lambda _: None)
    assert fresh and all(name.startswith("backbone.lateral.") for name in fresh)  # only the new layers
    model, history = train(TrainSettings(seed=0, iterations=2, batch=2, log_every=1, levels=2, init=str(one)),
                           log=lambda _: None)
    assert len(history) == 2 and all(v > 0 for k, v in history[0].items() if k.startswith("loss"))
    start = torch.load(one, weights_only=True)
    trained = model.state_dict()
    assert trained["backbone.lateral.2.weight"].abs().sum() > 0  # the stride-2 correction starts at zero, then learns
    assert not all(torch.equal(trained[k], v) for k, v in start.items())  # the step changed the shared weights
    result = detect(make_instance_scene(0, 0, "test").image, model)
    assert result.masks.shape == (len(result.scores), 64, 64)


def test_the_command_line_trains_the_pyramid_and_its_log_names_the_architecture(tmp_path):
    import json

    from ops.instances.inference import load_instance_model
    from ops.instances.train_maskrcnn import main

    out = tmp_path / "pyramid.pt"
    main(["--seed", "0", "--backbone", "pyramid", "--iterations", "2", "--batch", "2", "--log-every", "1",
          "--out", str(out)])
    log = json.loads(out.with_suffix(".json").read_text())
    assert log["architecture"] == {"levels": 2, "backbone": "pyramid"} and len(log["history"]) == 2
    assert not out.with_suffix(".resume").exists()  # a finished run leaves no resume file
    model = load_instance_model(out)  # the JSON picks the pyramid builder
    assert model.backbone.__class__.__name__ == "PyramidBackbone"
    result = detect(make_instance_scene(0, 0, "test").image, model)
    assert result.masks.shape == (len(result.scores), 64, 64)
