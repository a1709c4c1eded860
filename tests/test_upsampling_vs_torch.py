"""Every upsampling operator equals PyTorch to 1e-6, for many shapes and every parameter combination."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.upsampling import OPERATORS, bed_of_nails, bicubic, bilinear, max_unpool, nearest, transposed_conv

TOL = 1e-6
SHAPES = [(1, 1, 1), (1, 2, 2), (1, 1, 5), (2, 3, 4), (3, 5, 2), (1, 8, 8), (2, 16, 16), (1, 16, 1)]


def _t(array) -> torch.Tensor:
    return torch.as_tensor(np.asarray(array, dtype=np.float64))[None]


def _random(shape, seed):
    return np.random.default_rng(seed).normal(scale=3.0, size=shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scale", [2, 3, 4])
def test_nearest_matches_interpolate(shape, scale):
    x = _random(shape, 1)
    ours, _ = nearest(x, scale)
    theirs = F.interpolate(_t(x), scale_factor=scale, mode="nearest")[0].numpy()
    np.testing.assert_allclose(ours, theirs, atol=TOL, rtol=0)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scale", [2, 3, 4])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("mode, operator", [("bilinear", bilinear), ("bicubic", bicubic)])
def test_interpolation_matches_interpolate(shape, scale, align_corners, mode, operator):
    x = _random(shape, 2)
    ours, _ = operator(x, scale, align_corners=align_corners)
    theirs = F.interpolate(_t(x), scale_factor=scale, mode=mode, align_corners=align_corners)[0].numpy()
    np.testing.assert_allclose(ours, theirs, atol=TOL, rtol=0)


@given(h=st.integers(1, 16), w=st.integers(1, 16), c=st.integers(1, 3), scale=st.sampled_from([2, 3, 4]),
       align_corners=st.booleans(), mode=st.sampled_from(["nearest", "bilinear", "bicubic"]),
       seed=st.integers(0, 2**16))
@settings(max_examples=60, deadline=None)
def test_interpolation_matches_torch_for_any_shape(h, w, c, scale, align_corners, mode, seed):
    x = _random((c, h, w), seed)
    operator = {"nearest": nearest, "bilinear": bilinear, "bicubic": bicubic}[mode]
    ours, _ = operator(x, scale) if mode == "nearest" else operator(x, scale, align_corners=align_corners)
    corners = None if mode == "nearest" else align_corners
    theirs = F.interpolate(_t(x), scale_factor=scale, mode=mode, align_corners=corners)[0].numpy()
    np.testing.assert_allclose(ours, theirs, atol=TOL, rtol=0)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scale", [2, 3, 4])
def test_bed_of_nails_matches_strided_assignment(shape, scale):
    x = _random(shape, 3)
    ours, _ = bed_of_nails(x, scale)
    theirs = torch.zeros(1, shape[0], shape[1] * scale, shape[2] * scale, dtype=torch.float64)
    theirs[..., ::scale, ::scale] = _t(x)
    np.testing.assert_array_equal(ours, theirs[0].numpy())


@given(h=st.integers(1, 8), w=st.integers(1, 8), c=st.integers(1, 3), scale=st.sampled_from([2, 3, 4]),
       seed=st.integers(0, 2**16), integers=st.booleans())
@settings(max_examples=60, deadline=None)
def test_max_unpool_matches_max_pool_and_max_unpool2d(h, w, c, scale, seed, integers):
    rng = np.random.default_rng(seed)
    # small integers make many ties, so the tie rule is exercised too
    encoder_map = (rng.integers(0, 3, size=(c, h * scale, w * scale)).astype(float) if integers
                   else rng.normal(size=(c, h * scale, w * scale)))
    x = rng.normal(size=(c, h, w))
    ours, _ = max_unpool(x, scale, pooled_from=encoder_map)
    _, switches = F.max_pool2d(_t(encoder_map), scale, return_indices=True)
    theirs = F.max_unpool2d(_t(x), switches, scale)[0].numpy()
    np.testing.assert_array_equal(ours, theirs)


TRANSPOSED_SETTINGS = [  # (c_in, c_out, k, stride, padding, output_padding, dilation)
    (1, 1, 3, 2, 1, 1, 1), (1, 1, 4, 2, 1, 0, 1), (1, 1, 2, 2, 0, 0, 1), (1, 1, 3, 1, 0, 0, 1),
    (2, 3, 3, 2, 0, 1, 1), (3, 2, 5, 3, 2, 2, 1), (2, 2, 3, 4, 1, 3, 1), (1, 2, 3, 2, 1, 0, 2),
    (2, 1, 2, 3, 0, 1, 2), (1, 1, 7, 4, 3, 0, 1), (1, 1, 1, 2, 0, 1, 1),
]


@pytest.mark.parametrize("h, w", [(1, 1), (2, 2), (3, 5), (8, 8)])
@pytest.mark.parametrize("c_in, c_out, k, stride, padding, output_padding, dilation", TRANSPOSED_SETTINGS)
def test_transposed_conv_matches_conv_transpose2d(h, w, c_in, c_out, k, stride, padding, output_padding, dilation):
    rng = np.random.default_rng(h * 100 + w)
    x, kernel = rng.normal(size=(c_in, h, w)), rng.normal(size=(c_in, c_out, k, k))
    expected_size = (h - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    if expected_size < 1:
        with pytest.raises(ValueError):
            transposed_conv(x, kernel, stride, padding, output_padding, dilation)
        return
    ours, _ = transposed_conv(x, kernel, stride, padding, output_padding, dilation)
    theirs = F.conv_transpose2d(_t(x), torch.as_tensor(kernel), stride=stride, padding=padding,
                                output_padding=output_padding, dilation=dilation)[0].numpy()
    np.testing.assert_allclose(ours, theirs, atol=TOL, rtol=0)


@given(h=st.integers(1, 6), w=st.integers(1, 6), c_in=st.integers(1, 3), c_out=st.integers(1, 3),
       kh=st.integers(1, 5), kw=st.integers(1, 5), stride=st.integers(1, 4), padding=st.integers(0, 3),
       output_padding=st.integers(0, 3), dilation=st.integers(1, 2), seed=st.integers(0, 2**16))
@settings(max_examples=80, deadline=None)
def test_transposed_conv_matches_torch_for_any_settings(h, w, c_in, c_out, kh, kw, stride, padding, output_padding,
                                                        dilation, seed):
    rng = np.random.default_rng(seed)
    x, kernel = rng.normal(size=(c_in, h, w)), rng.normal(size=(c_in, c_out, kh, kw))
    args = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    try:
        theirs = F.conv_transpose2d(_t(x), torch.as_tensor(kernel), **args)[0].numpy()
    except RuntimeError:  # settings PyTorch refuses (output padding too large, empty output): so must we
        with pytest.raises(ValueError):
            transposed_conv(x, kernel, **args)
        return
    ours, _ = transposed_conv(x, kernel, **args)
    np.testing.assert_allclose(ours, theirs, atol=TOL, rtol=0)


def _params(name, rng, c):
    if name == "transposed_conv":
        return {"kernel": rng.normal(size=(c, 2, 3, 3)), "stride": 2, "padding": 1, "output_padding": 1}
    if name == "max_unpool":
        return {"scale": 2, "pooled_from": rng.normal(size=(c, 6, 8))[0] if c == 1 else rng.normal(size=(c, 6, 8))}
    if name in ("bilinear", "bicubic"):
        return {"scale": 2, "align_corners": True}
    return {"scale": 2}


@pytest.mark.parametrize("name", list(OPERATORS))
def test_registry_torch_twin_agrees_and_its_code_runs(name):
    """The page's live check and its copyable code: running the code gives the numpy result."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 3, 4))
    op, params = OPERATORS[name], _params(name, rng, 2)
    assert op.check_against_torch(x, **params) < TOL
    namespace = {}
    exec(op.torch_code(x, **params), namespace)  # the code a student copies
    np.testing.assert_allclose(namespace["y"][0].detach().numpy(), op(x, **params)[0], atol=TOL, rtol=0)
