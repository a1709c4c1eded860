"""Every exercise kind's answer against an independent PyTorch computation, for 200 seeds each.

The exercises compute their answers with the lessons' own ops code; here each answer is recomputed
from the exercise's params alone with torch (F.interpolate, F.max_unpool2d, F.conv_transpose2d,
F.cross_entropy, FlopCounterMode, the autograd gradient support), never with the ops function used.
Grids are tiny and levels alternate with the seed, so the module stays fast on one core.
"""

import math
from collections import deque

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from ops import OPERATORS, exercises

SEEDS = range(200)
torch.set_num_threads(1)


def exercise(lesson, kind, seed):
    return exercises.generate(lesson, seed, exercises.LEVELS[seed % 2], kind)


def tensor(grid):
    return torch.tensor(grid, dtype=torch.float64)[None, None]


# ------------------------------------------------------------------------------------------ upsampling
def upsample_reference(p) -> float:
    x, op, s = tensor(p["grid"]), p["op"], p["scale"]
    if op == "bed_of_nails":
        nail = torch.zeros(1, 1, s, s, dtype=torch.float64)
        nail[..., 0, 0] = 1
        out = F.conv_transpose2d(x, nail, stride=s)
    elif op == "nearest":
        out = F.interpolate(x, scale_factor=s, mode="nearest")
    elif op in ("bilinear", "bicubic"):
        out = F.interpolate(x, scale_factor=s, mode=op, align_corners=p["align_corners"])
    elif op == "max_unpool":
        _, where = F.max_pool2d(tensor(p["pooled_from"]), s, return_indices=True)
        out = F.max_unpool2d(x, where, s, output_size=tensor(p["pooled_from"]).shape[-2:])
    else:
        out = F.conv_transpose2d(x, tensor(p["kernel"]), stride=p["stride"], padding=p["padding"],
                                 output_padding=p["output_padding"])
    return float(out[0, 0, p["row"], p["col"]])


@pytest.mark.parametrize("seed", SEEDS)
def test_upsample_cell_equals_torch(seed):
    ex = exercise("upsampling", "upsample-cell", seed)
    assert ex.answer == pytest.approx(upsample_reference(ex.params), abs=1e-9)


def test_upsample_cell_covers_all_six_operators():
    assert {exercise("upsampling", "upsample-cell", s).params["op"] for s in SEEDS} == set(OPERATORS)


@pytest.mark.parametrize("seed", SEEDS)
def test_tconv_size_equals_torch_output_shape(seed):
    p = exercise("upsampling", "tconv-size", seed).params
    out = F.conv_transpose2d(torch.zeros(1, 1, p["size"], p["size"]), torch.zeros(1, 1, p["kernel"], p["kernel"]),
                             stride=p["stride"], padding=p["padding"], output_padding=p["output_padding"],
                             dilation=p["dilation"])
    assert exercise("upsampling", "tconv-size", seed).answer == out.shape[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_unpool_cell_is_where_torch_max_unpool_puts_the_value(seed):
    ex = exercise("upsampling", "unpool-cell", seed)
    p = ex.params
    marker = torch.zeros(1, 1, len(p["grid"]), len(p["grid"][0]), dtype=torch.float64)
    marker[0, 0, p["row"], p["col"]] = 1
    _, where = F.max_pool2d(tensor(p["pooled_from"]), 2, return_indices=True)
    out = F.max_unpool2d(marker, where, 2, output_size=tensor(p["pooled_from"]).shape[-2:])[0, 0]
    assert ex.answer == tuple(int(v) for v in torch.nonzero(out)[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_stamp_count_equals_torch_overlap(seed):
    ex = exercise("upsampling", "stamp-count", seed)
    p = ex.params
    out = F.conv_transpose2d(torch.ones(1, 1, p["size"], p["size"]), torch.ones(1, 1, p["kernel"], p["kernel"]),
                             stride=p["stride"], padding=p["padding"])
    assert ex.answer == int(out[0, 0, p["row"], p["col"]])


# -------------------------------------------------------------------------------- sliding window, loss
def patch_network(layers) -> nn.Sequential:
    convs, channels = [], 3
    for kernel, out_channels in layers:
        convs += [nn.Conv2d(channels, out_channels, kernel), nn.ReLU()]
        channels = out_channels
    return nn.Sequential(*convs, nn.Conv2d(channels, 3, 1))


def flops(net, x) -> int:
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        net(x)
    return counter.get_total_flops()


@pytest.mark.parametrize("seed", SEEDS)
def test_forward_passes_equal_the_patches_torch_unfolds(seed):
    ex = exercise("sliding-window", "forward-passes", seed)
    p = ex.params
    patch = 1 + sum(k - 1 for k, _ in p["layers"])
    padded = torch.zeros(1, 3, p["height"] + patch - 1, p["width"] + patch - 1)
    assert ex.answer == F.unfold(padded, patch).shape[-1]


@pytest.mark.parametrize("seed", SEEDS[::4])  # FlopCounterMode runs two real passes: 50 seeds keep it quick
def test_flop_ratio_equals_flop_counter_mode(seed):
    ex = exercise("sliding-window", "flop-ratio", seed)
    p = ex.params
    net, patch = patch_network(p["layers"]), 1 + sum(k - 1 for k, _ in p["layers"])
    one_patch = flops(net, torch.zeros(1, 3, patch, patch))
    full = flops(net, torch.zeros(1, 3, p["height"] + patch - 1, p["width"] + patch - 1))
    assert ex.answer == pytest.approx(p["height"] * p["width"] * one_patch / full, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_pixel_loss_equals_cross_entropy(seed):
    ex = exercise("per-pixel-loss", "pixel-loss", seed)
    reference = F.cross_entropy(torch.tensor([ex.params["scores"]], dtype=torch.float64),
                                torch.tensor([ex.params["label"]]))
    assert ex.answer == pytest.approx(float(reference), abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_worst_pixel_is_torch_cross_entropy_argmax(seed):
    ex = exercise("per-pixel-loss", "worst-pixel", seed)
    scores = torch.tensor(ex.params["scores"], dtype=torch.float64)[None]
    loss = F.cross_entropy(scores, torch.tensor(ex.params["labels"])[None], reduction="none")[0]
    assert ex.answer == divmod(int(loss.argmax()), loss.shape[1])


# ------------------------------------------------------------------------------------ layer stack costs
def cost_network(spec) -> list[nn.Module]:
    modules, channels = [], 3
    for s in spec:
        if s["kind"] == "conv":
            modules.append(nn.Conv2d(channels, s["channels"], s["kernel"], s["stride"], (s["kernel"] - 1) // 2))
            channels = s["channels"]
        else:
            modules.append(nn.MaxPool2d(2))
    return modules


def per_layer(spec, size):
    """(FLOPs, output bytes) of every layer, measured on a real float32 image."""
    x, rows = torch.randn(1, 3, size, size), []
    for module in cost_network(spec):
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            x = module(x)
        rows.append((counter.get_total_flops(), x.numel() * x.element_size()))
    return rows


@pytest.mark.parametrize("seed", SEEDS)
def test_layer_flops_equal_flop_counter_mode(seed):
    ex = exercise("full-resolution-cost", "layer-flops", seed)
    assert ex.answer == per_layer(ex.params["layers"], ex.params["size"])[-1][0]


@pytest.mark.parametrize("seed", SEEDS)
def test_activation_memory_equals_real_tensor_bytes(seed):
    ex = exercise("full-resolution-cost", "activation-memory", seed)
    assert ex.answer == per_layer(ex.params["layers"], ex.params["size"])[-1][1]


@pytest.mark.parametrize("seed", SEEDS)
def test_size_grows_equals_measured_growth(seed):
    ex = exercise("full-resolution-cost", "size-grows", seed)
    p, pick = ex.params, (0 if ex.params["quantity"] == "flops" else 1)
    before = sum(row[pick] for row in per_layer(p["layers"], p["size"]))
    after = sum(row[pick] for row in per_layer(p["layers"], p["factor"] * p["size"]))
    assert ex.answer == pytest.approx(after / before, rel=1e-12)


# ----------------------------------------------------------------------------------- receptive field
def gradient_supports(spec, length: int = 4096) -> tuple[int, int]:
    """(field size of output unit 0, distance between the fields of units 0 and 1) from autograd, in 1-D."""
    modules = []
    for s in spec:
        if s["kind"] == "conv":
            conv = nn.Conv1d(1, 1, s["kernel"], s["stride"], dilation=s["dilation"], bias=False)
            nn.init.ones_(conv.weight)
            modules.append(conv)
        else:  # same window geometry as max pooling; every pixel of the window gets gradient
            modules.append(nn.AvgPool1d(s["kernel"], s["stride"]))
    net, supports = nn.Sequential(*modules), []
    for unit in (0, 1):
        x = torch.ones(1, 1, length, dtype=torch.float64, requires_grad=True)
        net.double()(x)[0, 0, unit].backward()
        where = torch.nonzero(x.grad[0, 0])[:, 0]
        supports.append((int(where.min()), int(where.max())))
    (first, last), (next_first, _) = supports
    return last - first + 1, next_first - first


@pytest.mark.parametrize("seed", SEEDS)
def test_receptive_field_equals_gradient_support(seed):
    ex = exercise("receptive-field", "receptive-field", seed)
    assert ex.answer == gradient_supports(ex.params["layers"])[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_jump_equals_gradient_support_shift(seed):
    ex = exercise("receptive-field", "jump", seed)
    assert ex.answer == gradient_supports(ex.params["layers"])[1]


# ---------------------------------------------------------------------------------- scenes and labels
@pytest.mark.parametrize("seed", SEEDS)
def test_class_pixels_equal_torch_bincount(seed):
    from ops.toy_scene import CLASSES, cow_field

    ex = exercise("segmentation", "class-pixels", seed)
    counts = torch.bincount(torch.from_numpy(cow_field(ex.params["gap"]).labels).flatten(), minlength=3)
    assert ex.answer == int(counts[CLASSES.index(ex.params["class"])])


@pytest.mark.parametrize("seed", SEEDS)
def test_pixel_label_reads_the_label_map(seed):
    from ops.toy_scene import CLASSES, cow_field

    ex = exercise("segmentation", "pixel-label", seed)
    assert ex.answer == CLASSES[int(cow_field(ex.params["gap"]).labels[ex.params["row"], ex.params["col"]])]


def test_stuff_is_what_every_scene_contains():
    """Stuff (sky, grass) is in every generated scene; things come and go: the answers' split agrees."""
    from ops.lab.scenes import CLASSES, make_scene

    always = set(range(len(CLASSES)))
    for index in range(30):
        always &= set(np.unique(make_scene(5, index).mask).tolist())
    for seed in SEEDS:
        ex = exercise("things-and-stuff", "thing-or-stuff", seed)
        assert ex.answer == ["stuff" if CLASSES.index(c) in always else "thing" for c in ex.params["classes"]]


def blob_count(mask, things, min_pixels) -> int:
    """4-neighbour flood fill of every thing class: blobs of at least min_pixels pixels."""
    seen, count = np.zeros(mask.shape, bool), 0
    for start in zip(*np.nonzero(np.isin(mask, things))):
        if seen[start]:
            continue
        queue, size, seen[start] = deque([start]), 0, True
        while queue:
            r, c = queue.popleft()
            size += 1
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < mask.shape[0] and 0 <= nc < mask.shape[1] and not seen[nr, nc] \
                        and mask[nr, nc] == mask[start]:
                    seen[nr, nc] = True
                    queue.append((nr, nc))
        count += size >= min_pixels
    return count


@pytest.mark.parametrize("seed", SEEDS[::2])
def test_semantic_count_equals_flood_fill(seed):
    from ops.lab.scenes import THINGS, make_scene

    ex = exercise("things-and-stuff", "semantic-count", seed)
    mask = make_scene(ex.params["scene_seed"]).mask
    assert ex.answer == blob_count(mask, list(THINGS), min_pixels=math.ceil(0.001 * mask.size - 0.5))


@pytest.mark.parametrize("seed", SEEDS[::2])
def test_instance_count_equals_the_visible_drawn_shapes(seed):
    from ops.lab.scenes import make_scene, shape_region

    ex = exercise("things-and-stuff", "instance-count", seed)
    scene = make_scene(ex.params["scene_seed"])
    owner = torch.zeros(scene.mask.shape, dtype=torch.long)
    for k, shape in enumerate(scene.shapes, start=1):
        owner[torch.from_numpy(shape_region(shape, scene.mask.shape[0]))] = k
    sizes = torch.bincount(owner.flatten(), minlength=len(scene.shapes) + 1)[1:]
    assert ex.answer == int((sizes >= 4).sum())
    assert torch.equal(owner > 0, torch.from_numpy(scene.mask >= 2))  # the owners cover exactly the thing pixels


# --------------------------------------------------------------------------------------------- labs
def flat_output(name: str) -> torch.Tensor:
    """A decoder's output on a flat 8×8 map of ones, written with torch directly (all-ones kernels)."""
    x = torch.ones(1, 1, 8, 8)
    if name == "bed_of_nails":
        nail = torch.zeros(1, 1, 2, 2)
        nail[..., 0, 0] = 1
        return F.conv_transpose2d(x, nail, stride=2)
    if name in ("nearest", "bilinear"):
        return F.interpolate(x, scale_factor=2, mode=name)
    if name == "max_unpool":
        _, where = F.max_pool2d(torch.ones(1, 1, 16, 16), 2, return_indices=True)
        return F.max_unpool2d(x, where, 2)
    kernel = int(name[len("transposed_k")])
    return F.conv_transpose2d(x, torch.ones(1, 1, kernel, kernel), stride=2, padding=1,
                              output_padding=1 if kernel == 3 else 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_checkerboard_decoder_is_the_one_torch_leaves_uneven(seed):
    ex = exercise("fcn-lab", "checkerboard-decoder", seed)
    uneven = [o for o in ex.params["options"] if float(flat_output(o)[0, 0, 2:-2, 2:-2].var()) > 1e-9]
    assert uneven == [ex.answer]


@pytest.mark.parametrize("seed", SEEDS)
def test_scene_largest_class_equals_torch_bincount(seed):
    from ops.lab.scenes import CLASSES, make_scene

    ex = exercise("fcn-lab", "largest-class", seed)
    counts = torch.bincount(torch.from_numpy(make_scene(ex.params["scene_seed"]).mask).flatten())
    assert ex.answer == CLASSES[int(counts.argmax())]


def test_photo_largest_class_equals_espnetv2_run_directly(shared_weights):
    from ops.segmentation.checkpoints import load_espnetv2
    from ops.segmentation.espnetv2 import labels_at, preprocess
    from ops.segmentation.registry import MODELS
    from ops.segmentation.samples import sample_image

    seen = {}
    for seed in SEEDS:
        ex = exercise("live-demo", "largest-class", seed)
        key = (ex.params["photo"], ex.params["model"])
        if key not in seen:
            photo, spec = sample_image(key[0]), MODELS[key[1]]
            with torch.inference_mode():
                logits = load_espnetv2(key[1])(preprocess(photo, spec.input_size))
            labels = torch.from_numpy(labels_at(logits, photo.size).astype(np.int64))
            seen[key] = spec.classes[int(torch.bincount(labels.flatten()).argmax())]
        assert ex.answer == seen[key]
    assert len(seen) >= 2
