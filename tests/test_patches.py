"""Sliding window vs fully convolutional, checked against PyTorch: same scores, exact counts, and the
analytic FLOPs equal to what torch.utils.flop_counter measures on real tensors."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

import ops
from ops.patches import (
    IMAGE_NAMES,
    PatchClassifier,
    compare_methods,
    fully_conv_predict,
    lesson_image,
    pad_for_patches,
    sliding_window_cost,
    sliding_window_predict,
    train_patch_classifier,
    trained_patch_classifier,
)


def _random_net(seed: int, layers=((3, 4), (3, 5)), dtype=torch.float64) -> PatchClassifier:
    torch.manual_seed(seed)
    return PatchClassifier(layers=layers).to(dtype).eval()


def _flops(fn) -> int:
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


def test_public_names_come_from_ops():
    assert ops.sliding_window_predict is sliding_window_predict
    assert ops.fully_conv_predict is fully_conv_predict


@pytest.mark.parametrize("height, width, seed", [(7, 7, 0), (12, 9, 1), (5, 16, 2), (1, 1, 3)])
def test_fully_conv_scores_equal_sliding_window_scores(height, width, seed):
    net = _random_net(seed)
    image = torch.rand(3, height, width, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    slow = sliding_window_predict(net, image, device="cpu")
    fast = fully_conv_predict(net, image, device="cpu")
    assert slow.scores.shape == fast.scores.shape == (3, height, width)
    assert (slow.scores - fast.scores).abs().max().item() < 1e-10
    # and both equal the network run directly on each padded patch, the definition of "sliding window"
    padded = pad_for_patches(image[None], net.patch_size)[0]
    r, c = height // 2, width - 1
    direct = net(padded[None, :, r:r + net.patch_size, c:c + net.patch_size])[0, :, 0, 0]
    torch.testing.assert_close(slow.scores[:, r, c], direct, rtol=0, atol=1e-12)


def test_the_trained_float32_network_agrees_too():
    net = trained_patch_classifier()
    image = lesson_image("pasture", 32).tensor
    difference = (sliding_window_predict(net, image).scores - fully_conv_predict(net, image).scores).abs().max()
    assert difference.item() < 1e-4  # float32 sums in a different order: last-digit differences only


@settings(max_examples=12, deadline=None)
@given(kernels=st.lists(st.sampled_from([1, 3, 5]), min_size=1, max_size=3),
       height=st.integers(1, 9), width=st.integers(1, 9), per_call=st.integers(1, 12), seed=st.integers(0, 99))
def test_equivalence_and_counts_for_random_stacks(kernels, height, width, per_call, seed):
    net = _random_net(seed, layers=tuple((k, 3) for k in kernels))
    image = torch.rand(3, height, width, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    seen = []
    slow = sliding_window_predict(net, image, device="cpu", patches_per_call=per_call,
                                  progress=lambda done, total: seen.append((done, total)))
    fast = fully_conv_predict(net, image, device="cpu")
    assert (slow.scores - fast.scores).abs().max().item() < 1e-10
    assert slow.forward_passes == height * width and fast.forward_passes == 1
    assert slow.calls == math.ceil(height * width / per_call)
    chunk_ends = [min(end, height * width) for end in range(per_call, height * width + per_call, per_call)]
    rows_finished = [end for end, start in zip(chunk_ends, [0] + chunk_ends)
                     if end // width > start // width or end == height * width]
    assert seen == [(end, height * width) for end in rows_finished]
    if width % per_call == 0:
        assert [done for done, _ in seen] == [(r + 1) * width for r in range(height)]  # once per row
    cost = sliding_window_cost(net, height, width)
    assert cost.sliding_flops == _flops(lambda: sliding_window_predict(net, image, device="cpu",
                                                                       patches_per_call=per_call))
    assert cost.fully_conv_flops == _flops(lambda: fully_conv_predict(net, image, device="cpu"))


def test_flops_of_the_lesson_network_match_torchs_flop_counter():
    net = trained_patch_classifier()
    patch = torch.rand(1, 3, net.patch_size, net.patch_size)
    cost = sliding_window_cost(net, 64, 48)
    assert cost.flops_per_patch == _flops(lambda: net(patch))
    assert cost.sliding_flops == 64 * 48 * cost.flops_per_patch
    assert cost.fully_conv_flops == _flops(lambda: fully_conv_predict(net, torch.rand(3, 64, 48), device="cpu"))
    assert cost.forward_passes == 64 * 48
    assert cost.flop_ratio == pytest.approx(cost.sliding_flops / cost.fully_conv_flops)
    assert 5 < cost.flop_ratio < 12  # the lesson's network: about 8× less work fully convolutionally


def _computed_positions(net, height, width, row, col):
    """Brute force: per conv layer, the set of output positions (in fully-conv coordinates) that the
    sliding window computes for pixel (row, col)."""
    side, layers = net.patch_size, []
    for conv in net.convs:
        side -= conv.kernel_size[0] - 1
        layers.append({(row + i, col + j) for i in range(side) for j in range(side)})
    return layers


@pytest.mark.parametrize("layers, height, width", [(((3, 2), (3, 2)), 6, 5), (((5, 2), (1, 2), (3, 2)), 4, 7)])
def test_overlap_shares_equal_a_brute_force_count(layers, height, width):
    net = _random_net(0, layers=layers)
    cost = sliding_window_cost(net, height, width)
    per_position = [2 * c.in_channels * c.out_channels * c.kernel_size[0] ** 2 for c in net.convs]
    here, right = _computed_positions(net, height, width, 2, 2), _computed_positions(net, height, width, 2, 3)
    shared = sum(w * len(a & b) for w, a, b in zip(per_position, here, right))
    own = sum(w * len(a) for w, a in zip(per_position, here))
    assert cost.neighbour_overlap == pytest.approx(shared / own, abs=1e-15)
    unique = [set() for _ in net.convs]
    for r in range(height):
        for c in range(width):
            for layer, positions in enumerate(_computed_positions(net, height, width, r, c)):
                unique[layer] |= positions
    assert cost.fully_conv_flops == sum(w * len(u) for w, u in zip(per_position, unique))
    assert cost.repeated_share == pytest.approx(1 - cost.fully_conv_flops / cost.sliding_flops)
    assert cost.input_overlap == (net.patch_size - 1) / net.patch_size


def test_the_trained_classifier_labels_pastures_sensibly():
    net = trained_patch_classifier()
    assert net is trained_patch_classifier()  # cached: loaded once per process
    assert not any(p.requires_grad for p in net.parameters())
    for size in (32, 96):
        image = lesson_image("pasture", size)
        prediction = fully_conv_predict(net, image.tensor)
        labels = prediction.labels.numpy()
        assert prediction.accuracy(image.labels) == (labels == image.labels).mean() > 0.95
        assert set(np.unique(labels)) == {0, 1, 2}  # sky, grass and at least one cow


def test_training_is_seeded():
    first, _ = train_patch_classifier(seed=5, steps=3, size=24, batch=2)
    second, _ = train_patch_classifier(seed=5, steps=3, size=24, batch=2)
    for a, b in zip(first.parameters(), second.parameters()):
        assert torch.equal(a, b)


def test_the_shipped_checkpoint_is_the_one_its_sha256_names():
    from ops.patches.make_checkpoint import sha256
    from ops.patches.patch_network import checkpoint_path

    path = checkpoint_path(0)
    sums = dict(reversed(line.split()) for line in (path.parent / "SHA256SUMS").read_text().splitlines())
    assert sums[path.name] == sha256(path)


@pytest.mark.slow
def test_the_script_remakes_the_shipped_checkpoint(tmp_path):
    """Training is deterministic on the CPU: the script's weights are the committed ones, value for value."""
    from ops.patches.make_checkpoint import main
    from ops.patches.patch_network import checkpoint_path

    main(["--seed", "0", "--out", str(tmp_path / "remade.pt")])
    shipped = torch.load(checkpoint_path(0), weights_only=True)
    remade = torch.load(tmp_path / "remade.pt", weights_only=True)
    assert shipped.keys() == remade.keys()
    for name in shipped:
        torch.testing.assert_close(remade[name], shipped[name], rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_every_image_loads_offline_at_the_chosen_size(name):
    image = lesson_image(name, 40)
    assert image.pixels.shape == (40, 40, 3) and image.pixels.dtype == np.uint8
    assert image.tensor.shape == (3, 40, 40) and 0 <= image.tensor.min() and image.tensor.max() <= 1
    assert (image.labels is not None) == (name == "pasture")


def test_bad_requests_are_refused_with_a_reason():
    net = _random_net(0)
    with pytest.raises(ValueError, match="between 32 and 256"):
        lesson_image("pasture", 512)
    with pytest.raises(ValueError, match="unknown image"):
        lesson_image("moon-landing", 64)
    with pytest.raises(ValueError, match="3×H×W"):
        fully_conv_predict(net, torch.rand(1, 8, 8), device="cpu")
    with pytest.raises(ValueError, match="at least 1"):
        sliding_window_predict(net, torch.rand(3, 8, 8), device="cpu", patches_per_call=0)
    with pytest.raises(ValueError, match="odd"):
        pad_for_patches(torch.rand(1, 3, 4, 4), 4)


def test_compare_methods_reports_the_same_scores_and_the_cost():
    net = _random_net(4)
    image = torch.rand(3, 6, 7, dtype=torch.float64)
    result = compare_methods(
        net, image, device="cpu", patches_per_call=5, repeats=3)
    assert result.max_difference < 1e-10
    assert result.sliding.forward_passes == 42 and result.sliding.calls == 9
    assert result.cost == sliding_window_cost(net, 6, 7)
    assert result.measured_speedup == result.sliding.seconds / result.fully_conv.seconds
    torch.testing.assert_close(result.fully_conv.scores, fully_conv_predict(net, image, device="cpu").scores)
