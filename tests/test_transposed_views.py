"""Transposed convolution four ways (stamps, zero insertion, matrix Cᵀ, autograd gradient), 2-D and 1-D,
each against F.conv_transpose2d / F.conv_transpose1d; C itself against F.conv2d / F.conv1d."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.upsampling import (
    ViewSettingsError,
    conv_matrix,
    conv_matrix_1d,
    round_trip,
    round_trip_1d,
    transposed_conv,
    transposed_via_gradient,
    transposed_via_gradient_1d,
    transposed_via_matrix,
    transposed_via_matrix_1d,
    zero_insert,
    zero_insert_1d,
    zero_insertion_view,
    zero_insertion_view_1d,
)
from ops.upsampling.view_checks import transposed_output_side

torch.set_num_threads(1)


@st.composite
def transposed_case(draw, ndim: int):
    """Input, kernel and settings that PyTorch accepts and that give a non-empty output."""
    k = draw(st.integers(1, 5))
    stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    padding = draw(st.integers(0, 3))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    shape = tuple(draw(st.integers(1, 6)) for _ in range(ndim))
    out = [transposed_output_side(n, k, stride, padding, output_padding, dilation) for n in shape]
    if min(out) < 1:
        padding = 0
    seed = draw(st.integers(0, 2 ** 31))
    rng = np.random.default_rng(seed)
    return (rng.normal(size=shape), rng.normal(size=(k,) * ndim),
            {"stride": stride, "padding": padding, "output_padding": output_padding, "dilation": dilation})


def torch_transposed(y, kernel, **s):
    f = F.conv_transpose2d if y.ndim == 2 else F.conv_transpose1d
    return f(torch.from_numpy(y)[None, None], torch.from_numpy(kernel)[None, None], **s)[0, 0].numpy()


@settings(max_examples=150, deadline=None)
@given(transposed_case(2))
def test_four_views_2d_equal_conv_transpose2d(case):
    y, kernel, s = case
    expected = torch_transposed(y, kernel, **s)
    stamps, _ = transposed_conv(y, kernel, **s)
    np.testing.assert_allclose(stamps[0], expected, atol=1e-10)
    np.testing.assert_allclose(zero_insertion_view(y, kernel, **s).output, expected, atol=1e-10)
    np.testing.assert_allclose(transposed_via_matrix(y, kernel, **s), expected, atol=1e-10)
    np.testing.assert_allclose(transposed_via_gradient(y, kernel, **s), expected, atol=1e-10)


@settings(max_examples=150, deadline=None)
@given(transposed_case(1))
def test_views_1d_equal_conv_transpose1d(case):
    y, kernel, s = case
    expected = torch_transposed(y, kernel, **s)
    np.testing.assert_allclose(zero_insertion_view_1d(y, kernel, **s).output, expected, atol=1e-10)
    np.testing.assert_allclose(transposed_via_matrix_1d(y, kernel, **s), expected, atol=1e-10)
    np.testing.assert_allclose(transposed_via_gradient_1d(y, kernel, **s), expected, atol=1e-10)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 4), st.integers(1, 4), st.integers(0, 2),
       st.integers(1, 3), st.integers(0, 2 ** 31))
def test_conv_matrix_equals_conv2d_and_its_transpose_is_conv_transpose2d(h, w, k, stride, padding, dilation, seed):
    if min(h, w) + 2 * padding < dilation * (k - 1) + 1:
        return  # PyTorch refuses: the kernel is larger than the padded input
    rng = np.random.default_rng(seed)
    x, kernel = rng.normal(size=(h, w)), rng.normal(size=(k, k))
    c = conv_matrix((h, w), kernel, stride=stride, padding=padding, dilation=dilation)
    z = F.conv2d(torch.from_numpy(x)[None, None], torch.from_numpy(kernel)[None, None], stride=stride,
                 padding=padding, dilation=dilation)[0, 0].numpy()
    assert c.shape == (z.size, h * w)
    np.testing.assert_allclose(c @ x.ravel(), z.ravel(), atol=1e-10)
    y = rng.normal(size=z.shape)  # Cᵀ y is PyTorch's vector-Jacobian product of conv2d at any x
    _, vjp = torch.autograd.functional.vjp(
        lambda t: F.conv2d(t, torch.from_numpy(kernel)[None, None], stride=stride, padding=padding,
                           dilation=dilation), torch.from_numpy(x)[None, None], torch.from_numpy(y)[None, None])
    np.testing.assert_allclose((c.T @ y.ravel()).reshape(h, w), vjp[0, 0].numpy(), atol=1e-10)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 10), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2),
       st.integers(0, 2 ** 31))
def test_conv_matrix_1d_equals_conv1d(n, k, stride, padding, dilation, seed):
    if n + 2 * padding < dilation * (k - 1) + 1:
        return
    rng = np.random.default_rng(seed)
    x, kernel = rng.normal(size=n), rng.normal(size=k)
    z = F.conv1d(torch.from_numpy(x)[None, None], torch.from_numpy(kernel)[None, None], stride=stride,
                 padding=padding, dilation=dilation)[0, 0].numpy()
    np.testing.assert_allclose(conv_matrix_1d(n, kernel, stride, padding, dilation) @ x, z, atol=1e-10)


def test_matrix_has_the_lectures_shape_and_nonzeros():
    c = conv_matrix((4, 4), np.arange(1, 10).reshape(3, 3), stride=2, padding=1)
    assert c.shape == (4, 16)  # 2×2 output cells, 4×4 input cells
    assert (c[0] != 0).sum() == 4  # the top-left output sees only 2×2 input cells (the rest is padding)
    assert c[0, 0] == 5 and c[0, 1] == 6 and c[0, 4] == 8 and c[0, 5] == 9  # cross-correlation: not flipped


def test_zero_insertion_steps():
    np.testing.assert_array_equal(zero_insert([[1, 2], [3, 4]], 2), [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    np.testing.assert_array_equal(zero_insert_1d([1, 2, 3], 3), [1, 0, 0, 2, 0, 0, 3])
    view = zero_insertion_view([[1, 2], [3, 4]], np.arange(9).reshape(3, 3), stride=2, padding=1, output_padding=1)
    assert view.border == 1 and view.padded.shape == (3 + 2 + 1, 3 + 2 + 1)
    np.testing.assert_array_equal(view.flipped, np.arange(9).reshape(3, 3)[::-1, ::-1])
    for cell in np.ndindex(*view.output.shape):  # stepping: each output cell is its window times the flip
        assert np.isclose((view.window(*cell) * view.flipped).sum(), view.output[cell])
    assert view.input_positions() == [(1, 1), (1, 3), (3, 1), (3, 3)]
    cropped = zero_insertion_view_1d([1, 2, 3, 4], [1, 1, 1], stride=2, padding=3)  # border -1: crops
    assert cropped.border == -1
    np.testing.assert_allclose(cropped.output, torch_transposed(np.array([1., 2, 3, 4]), np.ones(3), stride=2,
                                                                padding=3))


def test_transpose_is_not_the_inverse():
    x = np.arange(16.0).reshape(4, 4)
    trip = round_trip(x, np.ones((3, 3)) / 9, stride=2, padding=1)
    assert trip.down.shape == (2, 2) and trip.back.shape == (4, 4)
    assert trip.max_error > 1  # "deconvolution" does not give the input back
    assert not np.allclose(trip.gram, np.eye(16))
    identity = round_trip_1d([3.0, -1.0, 2.0], [1.0], stride=1)  # the one kernel where Cᵀ C = I
    assert identity.max_error == 0


@pytest.mark.parametrize("call, key", [
    (lambda: conv_matrix((4, 4), np.ones((3, 3)), stride=5), "upsampling.views.error.stride"),
    (lambda: zero_insertion_view(np.ones((2, 2)), np.ones((3, 3)), stride=2, output_padding=2),
     "upsampling.views.error.output_padding"),
    (lambda: transposed_via_matrix(np.ones((2, 2)), np.ones((1, 1)), stride=1, padding=3),
     "upsampling.views.error.empty"),
    (lambda: transposed_via_gradient([[np.nan]], np.ones((1, 1))), "upsampling.views.error.not_finite"),
    (lambda: zero_insert(np.ones(3), 2), "upsampling.views.error.dimensions"),
    (lambda: zero_insertion_view(np.ones((2, 2)), np.ones((3, 3))).window(9, 9), "upsampling.views.error.cell"),
])
def test_bad_settings_raise_a_keyed_error(call, key):
    with pytest.raises(ViewSettingsError) as error:
        call()
    assert error.value.key == key
