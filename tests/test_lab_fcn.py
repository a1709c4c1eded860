"""The lab's FCN and its six decoder upsamplings: sizes, switches, overlap, parameters."""

import pytest
import torch
import torch.nn.functional as F

from lessons import i18n
from ops.lab import DECODERS, build_fcn, count_parameters
from ops.lab.decoders import MaxUnpool, TransposedConv
from ops.lab.fcn import DEPTH

LECTURE_INPUT = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).view(1, 1, 2, 2)


def test_the_lecture_lists_six_decoders():
    assert list(DECODERS) == ["bed_of_nails", "nearest", "bilinear", "max_unpool", "transposed_k3s2",
                              "transposed_k4s2"]
    assert all(i18n.messages(lang).get(f"decoder.{name}") and i18n.messages(lang).get(f"decoder.{name}.short")
               for name in DECODERS for lang in ("en", "zh"))


@pytest.mark.parametrize("name", list(DECODERS))
@pytest.mark.parametrize("skips", [True, False])
def test_every_decoder_returns_a_score_per_class_for_every_input_pixel(name, skips):
    model = build_fcn(name, num_classes=5, skips=skips, width=4)
    for height, width in [(64, 64), (32, 48)]:
        logits = model(torch.rand(2, 3, height, width))
        assert logits.shape == (2, 5, height, width)


@pytest.mark.parametrize("name", list(DECODERS))
def test_each_upsampler_doubles_height_and_width_and_keeps_channels(name):
    upsample = DECODERS[name].build(6)
    x = torch.rand(2, 6, 5, 7)
    _, switches = F.max_pool2d(torch.rand(2, 6, 10, 14), 2, return_indices=True)
    assert upsample(x, switches).shape == (2, 6, 10, 14)


def test_fixed_upsamplings_match_the_lecture_slides():
    """The 2×2 → 4×4 examples from the lecture notes (bed of nails, nearest, bilinear)."""
    expected = {
        "bed_of_nails": [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]],
        "nearest": [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]],
        "bilinear": [[1.00, 1.25, 1.75, 2.00], [1.50, 1.75, 2.25, 2.50], [2.50, 2.75, 3.25, 3.50],
                     [3.00, 3.25, 3.75, 4.00]],
    }
    for name, grid in expected.items():
        out = DECODERS[name].build(1)(LECTURE_INPUT)[0, 0]
        assert torch.allclose(out, torch.tensor(grid, dtype=torch.float32)), name


def test_max_unpooling_uses_the_encoders_switches():
    """Each decoder stage unpools with the argmax positions of the encoder's pooling at that size."""
    model = build_fcn("max_unpool", width=4, seed=1).eval()
    encoder_outputs, unpool_calls = [], []
    for stage in model.encoder:
        stage.register_forward_hook(lambda module, args, out: encoder_outputs.append(out.detach()))
    for upsampler in model.upsamplers:
        assert isinstance(upsampler, MaxUnpool)
        upsampler.register_forward_hook(lambda module, args, out: unpool_calls.append((*args, out.detach())))
    model(torch.rand(1, 3, 32, 32))
    assert len(unpool_calls) == DEPTH
    for features, (x, switches, out) in zip(reversed(encoder_outputs), unpool_calls):
        _, argmax = F.max_pool2d(features, 2, 2, return_indices=True)
        assert torch.equal(switches, argmax), "the switches are the encoder's own pooling indices"
        flat = out.flatten(2)
        assert torch.equal(flat.gather(2, switches.flatten(2)), x.flatten(2)), "values go back to the argmax"
        assert int((flat != 0).sum()) <= x.numel(), "every other position stays zero"
    with pytest.raises(ValueError, match="switches"):
        MaxUnpool()(torch.rand(1, 1, 2, 2))


@pytest.mark.parametrize("kernel, interior", [(3, {1.0, 2.0, 4.0}), (4, {4.0})])
def test_transposed_convolution_overlap_k3_uneven_k4_even(kernel, interior):
    """All-ones kernel on all-ones input counts the taps landing on each output pixel.

    k3 s2 gives 1, 2 or 4 by pixel parity (the checkerboard); k4 s2 gives 4 everywhere inside.
    """
    up = TransposedConv(1, kernel)
    with torch.no_grad():
        up.conv.weight.fill_(1.0)
        up.conv.bias.zero_()
    out = up(torch.ones(1, 1, 6, 6))[0, 0, 2:-2, 2:-2]
    assert set(out.unique().tolist()) == interior


def test_learnable_decoders_add_exactly_their_transposed_kernels():
    fixed = count_parameters(build_fcn("nearest", width=8))
    assert all(count_parameters(build_fcn(name, width=8)) == fixed
               for name, d in DECODERS.items() if not d.learnable)
    channels = [8 * 2 ** level for level in range(DEPTH)]
    for name, kernel in [("transposed_k3s2", 3), ("transposed_k4s2", 4)]:
        extra = sum(c * c * kernel * kernel + c for c in channels)
        assert count_parameters(build_fcn(name, width=8)) == fixed + extra


def test_the_same_seed_gives_the_same_weights():
    a, b, c = build_fcn("transposed_k4s2", seed=5), build_fcn("transposed_k4s2", seed=5), build_fcn(
        "transposed_k4s2", seed=6)
    assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))
    assert not all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), c.state_dict().values()))


def test_unknown_decoders_and_odd_sizes_are_refused():
    with pytest.raises(ValueError, match="unknown decoder"):
        build_fcn("bicubic")
    with pytest.raises(ValueError, match="multiples of 8"):
        build_fcn("nearest", width=4)(torch.rand(1, 3, 30, 32))
