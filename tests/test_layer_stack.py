"""Layer stacks against PyTorch: FLOPs (FlopCounterMode), activation sizes (real tensors), receptive
fields (autograd gradient support), the effective field of equal-weight 3-tap layers, and clear errors."""

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

import ops
from ops.layer_stack import (
    STACK_PRESETS,
    Layer,
    Probe,
    StackError,
    avg_pool,
    build_stack,
    check_stack,
    conv,
    cost_growth,
    decode_stack,
    effective_field,
    encode_stack,
    equal_weight_field,
    field_by_autograd,
    field_growth,
    layer_costs,
    max_pool,
    output_sizes,
    probe_size,
    receptive_field,
    recurrence,
    tconv,
    totals,
    up,
)
from ops.layer_stack.effective_field import depth_growth
from ops.layer_stack.layers import KINDS
from tests.english import english

PRESETS = list(STACK_PRESETS)
FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def measured_flops_and_shapes(layers, size, in_channels=3):
    """Run the real network on a real image under FlopCounterMode: total FLOPs and every output shape."""
    net = build_stack(layers, in_channels=in_channels, seed=0)
    x = torch.randn(1, in_channels, size, size)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        outputs = net(x)
    return counter.get_total_flops(), outputs


# ---------------------------------------------------------------------------------------------- cost
@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("size", [32, 64])
def test_preset_flops_and_activations_equal_torch(name, size):
    layers = list(STACK_PRESETS[name].layers)
    costs = layer_costs(layers, size)
    flops, outputs = measured_flops_and_shapes(layers, size)
    assert sum(c.flops for c in costs) == flops
    assert [c.shape for c in costs] == [tuple(o.shape[1:]) for o in outputs]
    assert [c.activation_bytes for c in costs] == [o.numel() * o.element_size() for o in outputs]


def test_the_public_names_are_wired():
    assert ops.layer_costs is layer_costs and ops.receptive_field is receptive_field
    assert ops.STACK_PRESETS is STACK_PRESETS


def test_per_layer_flops_equal_torch_layer_by_layer():
    layers = list(STACK_PRESETS["down-up"].layers)
    net = build_stack(layers, seed=0)
    x = torch.randn(1, 3, 48, 48)
    costs = layer_costs(layers, 48)
    counted = []
    with torch.no_grad():
        pools = []
        for _layer, module in zip(net.layers, net.blocks):
            with FlopCounterMode(display=False) as counter:
                if isinstance(module, torch.nn.MaxPool2d):
                    size = x.shape[-2:]
                    x, indices = module(x)
                    pools.append((indices, size))
                elif isinstance(module, torch.nn.MaxUnpool2d):
                    indices, size = pools.pop()
                    x = module(x, indices, output_size=size)
                else:
                    x = module(x)
            counted.append(counter.get_total_flops())
    assert [c.flops for c in costs] == counted
    assert all(c.flops == 0 for c in costs if c.layer.kind not in ("conv", "tconv"))


def random_layer():
    convs = st.builds(lambda k, s, d, p, c: Layer("conv", k, s, d, p, c), st.integers(1, 5), st.integers(1, 3),
                      st.integers(1, 3), st.integers(0, 2), st.integers(1, 6))
    pools = st.builds(lambda kind, k, s, p: Layer(kind, k, s, 1, min(p, k // 2)),
                      st.sampled_from(["max-pool", "avg-pool"]),
                      st.integers(1, 3), st.integers(1, 3), st.integers(0, 1))
    tconvs = st.builds(lambda k, s, p, c: Layer("tconv", k, s, 1, min(p, k - 1), c), st.integers(1, 4),
                       st.integers(1, 3), st.integers(0, 1), st.integers(1, 6))
    ups = st.sampled_from(["up-nearest", "up-bilinear", "up-bicubic", "up-nails"]).map(up)
    return st.one_of(convs, pools, tconvs, ups)


def valid(layers, size):
    try:
        return check_stack(layers, size)
    except StackError:
        return None


@FAST
@given(st.lists(random_layer(), min_size=1, max_size=5), st.integers(8, 40), st.integers(1, 4))
def test_random_stack_flops_and_activations_equal_torch(layers, size, in_channels):
    layers = valid(layers, size)
    assume(layers is not None)
    flops, outputs = measured_flops_and_shapes(layers, size, in_channels)
    costs = layer_costs(layers, size, in_channels)
    assert sum(c.flops for c in costs) == flops
    assert [c.shape for c in costs] == [tuple(o.shape[1:]) for o in outputs]
    assert sum(c.activation_bytes for c in costs) == sum(o.numel() * o.element_size() for o in outputs)


def test_full_resolution_cost_grows_quadratically_and_downsampling_cuts_it():
    full = list(STACK_PRESETS["all-conv"].layers)
    growth = cost_growth(full)
    for small, large in zip(growth, growth[1:]):
        assert large.size == 2 * small.size
        assert large.flops == 4 * small.flops and large.activation_bytes == 4 * small.activation_bytes
    assert [g.size for g in growth] == [64, 128, 256, 512, 1024]
    down_up = totals(list(STACK_PRESETS["down-up"].layers), 512)
    assert 5 * down_up.flops < totals(full, 512).flops  # same widths, the wide layers on smaller maps


# ---------------------------------------------------------------------------------- receptive field
def predicted_extent(layers, size):
    """Row extent of the centre unit's field from the recurrence alone (no torch)."""
    rows = recurrence(layers)
    sides = output_sizes(layers, size)
    extents = []
    for (r, j, start), side in zip(rows, sides):
        centre = start + (side // 2) * j
        extents.append((centre - (r - 1) / 2, centre + (r - 1) / 2))
    return extents


@pytest.mark.parametrize("name", PRESETS)
def test_preset_recurrence_equals_the_autograd_support(name):
    layers = list(STACK_PRESETS[name].layers)
    first_up = next((i for i, layer in enumerate(layers) if layer.is_upsampling), len(layers))
    encoder = layers[:first_up]
    size = probe_size(encoder)
    measured = field_by_autograd(encoder, size)
    assert [tuple(map(float, e)) for e in predicted_extent(encoder, size)] == [tuple(map(float, m)) for m in measured]
    # the table reports the same numbers, and says which layers were measured
    table = receptive_field(layers)
    assert [row.measured for row in table] == [i > first_up for i in range(len(layers) + 1)]
    assert [row.size for row in table[:first_up + 1]] == [m[1] - m[0] + 1 for m in measured]


@FAST
@given(st.lists(random_layer().filter(lambda layer: not layer.is_upsampling), min_size=1, max_size=6))
def test_random_stack_recurrence_equals_the_autograd_support(layers):
    layers = valid(layers, 64)
    assume(layers is not None)
    widest = max(row[0] for row in recurrence(layers))
    try:
        size = probe_size(layers, 2 * widest + 16)
    except StackError:  # a field too wide to measure quickly
        assume(False)
    predicted = predicted_extent(layers, size)
    assume(all(0 <= lo and hi <= size - 1 for lo, hi in predicted))  # a field clipped by the border is smaller
    measured = field_by_autograd(layers, size)
    assert [(float(lo), float(hi)) for lo, hi in predicted] == [tuple(map(float, m)) for m in measured]


def test_dilation_is_an_effective_kernel_and_strides_multiply_the_jump():
    rows = receptive_field([conv(3, 8, dilation=2), conv(3, 8, stride=2), max_pool(2), conv(3, 8)])
    assert [r.size for r in rows] == [1, 5, 7, 9, 17]
    assert [r.jump_value for r in rows] == [1, 1, 2, 4, 4]
    stacked = receptive_field([conv(3, 8)] * 6)
    assert [r.size for r in stacked] == [1 + 2 * n for n in range(7)]  # linear: 1 + 2L


@pytest.mark.parametrize("mode, extra", [("nearest", 0), ("bilinear", 1), ("bicubic", 3), ("nails", 0)])
def test_upsampling_halves_the_jump_and_adds_its_taps(mode, extra):
    # after a stride-2 pool the jump is 2; a ×2 upsampler brings it back to 1 and reads 1, 2 or 4 of its inputs
    rows = receptive_field([conv(3, 4), max_pool(2), up(mode)])
    assert rows[3].measured and rows[3].jump_value == 1
    assert rows[3].size == rows[2].size + extra * 2


def test_bed_of_nails_leaves_every_other_pixel_seeing_nothing():
    probe = Probe([conv(3, 1), up("nails")], 16)  # 16×16 in, 32×32 out
    assert probe.support(2, 15, 15).sum() == 0  # an odd position: a zero the bed of nails inserted
    assert probe.support(2, 14, 14).sum() == 9  # an even one: a copy of conv unit (7, 7), which sees 3×3
    assert receptive_field([conv(3, 1), up("nails")])[2].size == 3  # the table reports the unit that sees


def test_transposed_conv_field_from_autograd():
    rows = receptive_field([conv(3, 4, stride=2), tconv(4, 4, stride=2, padding=1)])
    assert rows[2].jump_value == 1 and rows[2].size == 3 + 2  # each output reads 2 inputs, 2 pixels apart


def test_max_pool_gradient_support_lies_inside_the_theoretical_field():
    """The probe swaps max pools for average pools; a real max-pool network, positive weights, touches
    only part of that field for one input, never more."""
    layers = [conv(3, 4), max_pool(2), conv(3, 4), max_pool(3, 1, 1), conv(3, 4)]
    size = 32
    net = build_stack(layers, in_channels=1, relu=False, seed=1, dtype=torch.float64)
    with torch.no_grad():
        for p in net.parameters():
            p.abs_()
    x = torch.rand(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    out = net(x)[-1]
    c = out.shape[-1] // 2
    (grad,) = torch.autograd.grad(out[0, 0, c, c], x)
    lo, hi = field_by_autograd(layers, size)[-1]
    rows = np.flatnonzero((grad[0, 0] != 0).any(dim=1).numpy())
    assert rows.size and lo <= rows[0] and rows[-1] <= hi


def test_growth_frames_follow_one_pixel_layer_by_layer():
    frames = field_growth([conv(3, 4)] * 3 + [max_pool(2), conv(3, 4)], 20, (10, 10))
    sizes = [int(m.any(axis=0).sum()) for m in frames.masks]
    assert sizes == [1, 3, 5, 7, 8, 12]
    assert frames.joined[10, 10] == 0 and frames.joined[10, 11] == 1


# --------------------------------------------------------------------------------- effective field
@pytest.mark.parametrize("depth", [1, 2, 5, 10])
def test_equal_weight_field_is_the_trinomial(depth):
    erf = equal_weight_field(depth)
    coefficients = np.polynomial.polynomial.polypow([1, 1, 1], depth)
    coefficients = coefficients / coefficients.sum()
    row = erf.gradient.sum(axis=0)
    centre = erf.size // 2
    expected = np.zeros(erf.size)
    expected[centre - depth:centre + depth + 1] = coefficients
    np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-9)  # float32 network
    np.testing.assert_allclose(erf.gradient, np.outer(expected, expected), rtol=1e-5, atol=1e-9)
    assert erf.sigma == pytest.approx(math.sqrt(2 * depth / 3), rel=1e-5)
    assert erf.theoretical_side == 1 + 2 * depth


def test_random_relu_effective_field_is_a_shrinking_share_of_the_square():
    points = depth_growth(max_depth=12, trials=6)
    widths = {p.depth: p.width_random for p in points}
    assert widths[12] > widths[3]  # it grows
    assert widths[12] / widths[3] < (1 + 2 * 12) / (1 + 2 * 3)  # but slower than the theoretical field
    shallow = effective_field([conv(3, 8)] * 2, 15, trials=6)
    deep = effective_field([conv(3, 8)] * 12, 35, trials=6)
    assert 0 < deep.fraction < shallow.fraction <= 1
    assert deep.theoretical_side == 25


def test_effective_field_lies_inside_the_theoretical_square():
    erf = effective_field(list(STACK_PRESETS["down-up"].layers), trials=2)
    assert erf.gradient[~erf.theoretical].sum() == 0
    assert erf.gradient.sum() == pytest.approx(1.0)


# ------------------------------------------------------------------------------------- bad stacks
@pytest.mark.parametrize("layers, size, words", [
    ([conv(5, 8, padding=0)] * 3, 8, "would output nothing"),
    ([max_pool(2)] * 5, 16, "would output nothing"),
    ([Layer("conv", 0, 1, 1, 0, 8)], 16, "kernel must be from 1"),
    ([Layer("conv", 3, 1, 1, 1, float("nan"))], 16, "channels"),
    ([Layer("conv", 3, "two", 1, 1, 8)], 16, "stride must be a whole number"),
    ([Layer("conv", 3.5, 1, 1, 1, 8)], 16, "whole number"),
    ([Layer("conv", None, 1, 1, 1, 8)], 16, "kernel is empty"),
    ([Layer("maxpool", 2, 2)], 16, "unknown layer type"),
    ([Layer("max-pool", 2, 2, 1, 2)], 16, "padding can be at most"),
    ([conv(3, 8), up("unpool")], 16, "needs an earlier 2×2 max pool"),
    ([conv(3, 8), max_pool(2), conv(3, 16), up("unpool")], 16, "channels"),
    ([], 16, "empty"),
    ([conv(3, 8)] * 41, 16, "at most 40"),
    ([up("nearest")] * 3, 1024, "larger than"),
])
def test_invalid_stacks_raise_a_clear_error(layers, size, words):
    with pytest.raises(StackError) as error:
        layer_costs(layers, size)
    assert words in english(error.value)


@pytest.mark.parametrize("text", ["", "c3", "x1", "c3s1d1p1n64--m2s2p0", "c0s1d1p0n4", "c3s1d1p1n99999",
                                  "uu", "c3s1d1p1n4-" * 50])
def test_bad_stack_text_is_refused(text):
    with pytest.raises(ValueError):
        decode_stack(text)


@FAST
@given(st.lists(random_layer(), min_size=1, max_size=8))
def test_stack_text_round_trips(layers):
    layers = valid(layers, None)
    assume(layers is not None)
    assert decode_stack(encode_stack(layers)) == layers


def test_every_kind_has_a_preset_or_a_test():
    used = {layer.kind for preset in STACK_PRESETS.values() for layer in preset.layers}
    assert used | {"avg-pool", "up-nearest", "up-bilinear", "up-bicubic", "up-nails"} == set(KINDS)
    assert avg_pool(2).kind == "avg-pool"


def test_a_very_wide_field_is_measured_on_a_capped_input_with_the_same_clipping():
    layers = [conv(3, 4), max_pool(2)] * 5 + [conv(3, 4)] * 3  # a 286-pixel field
    erf = effective_field(layers, trials=1, inputs_per_trial=1)
    assert erf.size <= 256
    assert erf.gradient[~erf.theoretical].sum() == 0
    assert receptive_field(layers)[-1].size > 256


@pytest.fixture
def check_calls(monkeypatch):
    """Counts check_stack's runs: every function below finds it through ops.layer_stack.layers."""
    from ops.layer_stack import layers as layer_module

    calls, real = [], layer_module.check_stack

    def counting(layers, size=None):
        calls.append(size)
        return real(layers, size)

    monkeypatch.setattr(layer_module, "check_stack", counting)
    return calls


def test_a_stack_is_checked_once_where_it_enters_and_trusted_below(check_calls):
    text = encode_stack(list(STACK_PRESETS["down-up"].layers))
    stack = decode_stack(text)
    assert isinstance(stack, ops.layer_stack.CheckedStack) and check_calls == [None]
    effective_field(stack, trials=1, inputs_per_trial=1)  # field size, probe, receptive field, network: 8 before
    receptive_field(stack)
    field_growth(stack, 32, (16, 16))
    layer_costs(stack, 64)
    cost_growth(stack)
    assert check_calls == [None]
    effective_field(list(stack), trials=1, inputs_per_trial=1)  # a plain list: checked once, on its way in
    assert check_calls == [None, None]


def test_a_checked_stack_is_still_checked_against_an_input_size():
    stack = decode_stack("m2s2p0-m2s2p0-m2s2p0")
    with pytest.raises(StackError) as error:
        layer_costs(stack, 4)
    assert error.value.key == "stack.outputs_nothing"
