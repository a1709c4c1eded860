"""The small Mask R-CNN: torchvision's architecture, its output shapes and classes, the committed checkpoint
(sha256, weights_only) and its counts on fixed held-out scenes against connected blobs."""

import hashlib

import numpy as np
import pytest
import torch
from torchvision.models.detection import MaskRCNN

from ops.instances.inference import WEIGHTS, InstanceError, blob_counts, detect, load_instance_model
from ops.instances.model import DETECTOR_CLASSES, build_maskrcnn
from ops.lab.instance_scenes import make_instance_scene
from ops.lab.scenes import THINGS

torch.set_num_threads(1)
needs_checkpoint = pytest.mark.skipif(not WEIGHTS.is_file(), reason=f"no checkpoint at {WEIGHTS}")


@pytest.mark.parametrize("levels, backbone", [(1, "small"), (2, "small"), (2, "pyramid")])
def test_untrained_network_is_torchvisions_maskrcnn_with_the_documented_outputs(levels, backbone):
    torch.manual_seed(0)
    model = build_maskrcnn(levels=levels, backbone=backbone).eval()
    assert isinstance(model, MaskRCNN) and DETECTOR_CLASSES == ("background", "disc", "square", "triangle")
    scene = make_instance_scene(0, 0, "test")
    result = detect(scene.image, model)
    n = len(result.scores)
    assert result.proposals.ndim == 2 and result.proposals.shape[1] == 4
    assert 1 <= len(result.proposals) <= model.rpn.post_nms_top_n()
    assert result.boxes.shape == (n, 4) and result.mask_logits.shape == (n, 28, 28)
    assert result.masks.shape == (n, 64, 64) and set(result.labels) <= set(THINGS)
    assert (result.masks >= 0).all() and (result.masks <= 1).all()
    assert np.all(np.diff(result.scores) <= 0)  # strongest first
    with torch.no_grad():  # the stage-by-stage run equals torchvision's own forward
        reference = model([torch.from_numpy(scene.image.transpose(2, 0, 1).copy())])[0]
    np.testing.assert_allclose(result.boxes, reference["boxes"].numpy(), atol=1e-5)
    np.testing.assert_allclose(result.masks, reference["masks"][:, 0].numpy(), atol=1e-5)


@pytest.mark.parametrize("image, key", [
    (np.zeros((64, 64)), "instances.error.shape"),
    (np.zeros((8, 8, 3)), "instances.error.shape"),
    (np.full((64, 64, 3), 2.0), "instances.error.range"),
])
def test_bad_images_raise_keyed_errors(image, key):
    with pytest.raises(InstanceError) as error:
        detect(image, build_maskrcnn().eval())
    assert error.value.key == key


@pytest.mark.parametrize("backbone", ["small", "pyramid"])
def test_two_levels_add_a_stride_2_map_and_the_json_picks_the_builder(tmp_path, backbone):
    from ops.instances.inference import checkpoint_architecture

    torch.manual_seed(0)
    model = build_maskrcnn(levels=2, backbone=backbone).eval()
    features = model.backbone(torch.zeros(1, 3, 64, 64))
    assert [tuple(f.shape[-2:]) for f in features.values()] == [(32, 32), (16, 16)]
    path = tmp_path / "two.pt"
    torch.save(model.state_dict(), path)
    assert checkpoint_architecture(path) == {"levels": 1, "backbone": "small"}  # no JSON: an old one-level one
    with pytest.raises(RuntimeError):
        load_instance_model(path)  # the one-level builder does not take the stride-2 layers
    path.with_suffix(".json").write_text(f'{{"architecture": {{"levels": 2, "backbone": "{backbone}"}}}}')
    assert checkpoint_architecture(path) == {"levels": 2, "backbone": backbone}
    loaded = load_instance_model(path)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), loaded.state_dict().values()))


def test_a_two_level_log_without_a_backbone_is_the_small_one(tmp_path):
    from ops.instances.inference import checkpoint_architecture

    path = tmp_path / "two.pt"
    path.with_suffix(".json").write_text('{"architecture": {"levels": 2}}')
    assert checkpoint_architecture(path) == {"levels": 2, "backbone": "small"}


@pytest.mark.parametrize("settings", [{"levels": 3}, {"backbone": "resnet50"}])
def test_unknown_architectures_are_refused(settings):
    with pytest.raises(ValueError):
        build_maskrcnn(**settings)


def test_the_pyramid_pools_every_box_from_stride_2():
    model = build_maskrcnn(backbone="pyramid")
    assert model.roi_heads.box_roi_pool.featmap_names == ["0"]
    assert model.roi_heads.mask_roi_pool.featmap_names == ["0"]
    assert sum(p.numel() for p in model.parameters()) * 4 <= 10_000_000  # a float32 checkpoint ≤ 10 MB


def test_missing_checkpoint_is_a_keyed_error(tmp_path):
    with pytest.raises(InstanceError) as error:
        load_instance_model(tmp_path / "nothing.pt")
    assert error.value.key == "instances.error.no_weights"


@needs_checkpoint
def test_checkpoint_matches_its_sha256_and_loads_weights_only():
    line = next(row for row in (WEIGHTS.parent / "SHA256SUMS").read_text().splitlines() if row.endswith(WEIGHTS.name))
    assert hashlib.sha256(WEIGHTS.read_bytes()).hexdigest() == line.split()[0]
    state = torch.load(WEIGHTS, map_location="cpu", weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state.values())
    assert WEIGHTS.stat().st_size <= 10_000_000  # issue 24: ≤ 10 MB committed


@needs_checkpoint
def test_counts_on_fixed_scenes_beat_connected_blobs():
    model = load_instance_model()
    exact, blob_exact, per_class, scenes = 0, 0, dict.fromkeys(THINGS, 0), 30
    for index in range(scenes):
        scene = make_instance_scene(0, index, "test")
        truth, counts = scene.counts(), detect(scene.image, model).counts()
        exact += counts == truth
        blob_exact += blob_counts(scene.mask) == truth
        for c in THINGS:
            per_class[c] += counts[c] == truth[c]
    # measured with the committed checkpoint at its threshold 0.2 and the quarter rule: 28 of 30 scenes exactly
    # right (all three classes at once), per class 29 to 30 of 30; connected blobs get 2 scenes right.
    # Untrained: about none.
    assert exact >= 18 and exact >= blob_exact + 12
    assert min(per_class.values()) >= 25


@needs_checkpoint
def test_a_quarter_of_its_own_mask_tells_a_second_box_from_a_second_thing():
    """Seed 0's test scene 126: five squares in a crowd. Box NMS alone counts 4 at the old threshold 0.4 (a
    square half behind another scores under it) and 7 at 0.2 (two second boxes on squares already found); the
    quarter rule at 0.2 keeps the half-hidden square and drops the second boxes."""
    from ops.lab.scenes import SQUARE

    scene = make_instance_scene(0, 126, "test")
    result = detect(scene.image)
    assert scene.counts()[SQUARE] == 5
    assert result.counts(0.4, min_own=0)[SQUARE] == 4
    assert result.counts(0.2, min_own=0)[SQUARE] == 7
    assert result.counts()[SQUARE] == 5
    kept = result.kept()
    assert list(kept) == sorted(kept) and set(kept) <= set(result.kept(0.2, min_own=0))


@needs_checkpoint
def test_two_touching_discs_are_two():
    from dataclasses import replace

    from ops.lab.instance_scenes import render
    from ops.lab.scenes import DISC

    base = make_instance_scene(0, 0, "test").shapes[0]
    disc = replace(base, kind=DISC, radius=9.0, colour=(0.85, 0.15, 0.2), texture="plain")
    for gap in (16.0, 18.0):  # centres 16 and 18 px apart: the discs overlap or touch, one blob
        scene = render([replace(disc, centre=(40.0, 22.0)), replace(disc, centre=(40.0, 22.0 + gap))], (0, 12, 0))
        assert blob_counts(scene.mask)[DISC] == 1
        assert detect(scene.image).counts()[DISC] == 2
