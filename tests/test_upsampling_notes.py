"""The lecture notes' tables, the traces, the tie rule and the checkerboard overlap counts."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops.upsampling import OPERATORS, get_operator, max_pool_with_switches, output_size, tied_windows
from ops.upsampling.checks import UpsamplingError
from ops.upsampling.transposed_conv import transposed_conv
from tests.english import english

NOTES_INPUT = [[1, 2], [3, 4]]
# ../shared/seed: "In-Network Upsampling", input C×2×2 -> output C×4×4, every row as printed
NOTES_TABLES = {
    "bed_of_nails": [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]],
    "nearest": [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]],
    "bilinear": [[1.00, 1.25, 1.75, 2.00], [1.50, 1.75, 2.25, 2.50], [2.50, 2.75, 3.25, 3.50],
                 [3.00, 3.25, 3.75, 4.00]],
    "bicubic": [[0.68, 1.02, 1.56, 1.89], [1.35, 1.68, 2.23, 2.56], [2.44, 2.77, 3.32, 3.65],
                [3.11, 3.44, 3.98, 4.32]],
}


@pytest.mark.parametrize("name", list(NOTES_TABLES))
def test_notes_tables_to_two_decimals(name):
    out, _ = get_operator(name)(NOTES_INPUT, scale=2)
    assert out.shape == (1, 4, 4)
    assert [[f"{v:.2f}" for v in row] for row in out[0]] == [[f"{v:.2f}" for v in row] for row in NOTES_TABLES[name]]


def test_bilinear_weights_are_the_notes_tents():
    """Output (0, 1) sits at x = 0.25 on the input: tent weights 0.75 and 0.25, product over the axes."""
    _, trace = get_operator("bilinear")(NOTES_INPUT, scale=2)
    assert trace.contributions((0, 0, 1)) == [((0, 0, 0), 0.75), ((0, 0, 1), 0.25)]
    weights = dict(trace.contributions((0, 1, 1)))  # x = y = 0.25
    assert weights == {(0, 0, 0): 0.75 * 0.75, (0, 0, 1): 0.75 * 0.25, (0, 1, 0): 0.25 * 0.75,
                       (0, 1, 1): 0.25 * 0.25}


def _params(name, rng, shape):
    c, h, w = shape
    if name == "transposed_conv":
        return {"kernel": rng.normal(size=(c, 2, 3, 3)), "stride": 2, "padding": 1, "output_padding": 1}
    if name == "max_unpool":
        return {"scale": 3, "pooled_from": rng.integers(0, 3, size=(c, 3 * h, 3 * w)).astype(float)}
    if name in ("bilinear", "bicubic"):
        return {"scale": 3, "align_corners": bool(rng.integers(2))}
    return {"scale": 3}


@given(name=st.sampled_from(list(OPERATORS)), c=st.integers(1, 2), h=st.integers(1, 6), w=st.integers(1, 6),
       seed=st.integers(0, 2**16))
@settings(max_examples=60, deadline=None)
def test_every_trace_rebuilds_its_output_exactly(name, c, h, w, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(c, h, w))
    out, trace = OPERATORS[name](x, **_params(name, rng, (c, h, w)))
    assert trace.output_shape == out.shape and trace.input_shape == x.shape
    np.testing.assert_array_equal(trace.rebuild(x), out)  # exactly: same sums in the same order


@pytest.mark.parametrize("name", ["bilinear", "bicubic", "nearest"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_interpolation_weights_sum_to_one(name, align_corners):
    """Interpolation preserves a constant: each output cell's weights add up to 1."""
    params = {"scale": 4} if name == "nearest" else {"scale": 4, "align_corners": align_corners}
    _, trace = get_operator(name)(np.zeros((1, 5, 3)), **params)
    for pairs in trace.sources.values():
        assert sum(w for _, w in pairs) == pytest.approx(1.0, abs=1e-12)


def test_tie_rule_first_maximum_in_row_major_order():
    window = np.array([[[1.0, 5.0], [5.0, 5.0]]])
    pooled, switches = max_pool_with_switches(window, 2)
    assert pooled[0, 0, 0] == 5.0
    assert tuple(switches[0, 0, 0]) == (0, 1)  # not (1, 0) nor (1, 1)
    assert tied_windows(window, 2) == [(0, 0, 0)]
    out, _ = get_operator("max_unpool")([[9.0]], scale=2, pooled_from=window)
    assert out[0].tolist() == [[0.0, 9.0], [0.0, 0.0]]


def test_max_unpool_puts_values_where_the_maxima_were():
    encoder_map = [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]]
    out, trace = get_operator("max_unpool")(NOTES_INPUT, scale=2, pooled_from=encoder_map)
    assert out[0].tolist() == [[0, 0, 2, 0], [0, 1, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]]
    assert trace.contributions((0, 1, 1)) == [((0, 0, 0), 1.0)]
    assert trace.contributions((0, 0, 0)) == []


def _counts(kernel_size, n=5, stride=2):
    _, trace = transposed_conv(np.ones((1, n, n)), np.ones((kernel_size, kernel_size)), stride=stride)
    return trace.overlap_counts()


def test_checkerboard_kernel_3_stride_2_uneven_overlap():
    counts = _counts(3, n=4)
    assert counts[0].tolist() == [1, 1, 2, 1, 2, 1, 2, 1, 1]
    interior = counts[1:-1, 1:-1]
    assert set(np.unique(interior)) == {1, 2, 4}
    assert counts[2, 2] == 4 and counts[2, 3] == 2 and counts[3, 3] == 1


def test_checkerboard_kernel_4_stride_2_even_interior():
    counts = _counts(4, n=5)
    interior = counts[2:-2, 2:-2]
    assert np.all(interior == 4)
    assert counts[0].tolist()[:4] == [1, 1, 2, 2]


def test_transposed_conv_output_size_formula_and_stamps():
    assert output_size(2, 3, 2, 1, 1) == 4  # (2-1)·2 - 2·1 + 1·(3-1) + 1 + 1
    assert output_size(8, 4, 2, 1) == 16
    x = np.array([[[1.0, 2.0]]])
    kernel = np.array([[1.0, 10.0, 100.0]])
    out, trace = transposed_conv(x, kernel, stride=2)
    assert out[0].tolist() == [[1.0, 10.0, 102.0, 20.0, 200.0]]  # the two stamps overlap in column 2
    assert trace.stamp_order == [(0, 0, 0), (0, 0, 1)]
    assert trace.stamps()[(0, 0, 1)] == [((0, 0, 2), 1.0), ((0, 0, 3), 10.0), ((0, 0, 4), 100.0)]


@pytest.mark.parametrize("bad", [np.full((2, 2), np.nan), [[1.0, np.inf]], np.zeros((17, 2)), np.zeros((0, 3)),
                                 np.zeros((1, 1, 1, 1))])
def test_bad_grids_are_refused_clearly(bad):
    with pytest.raises(UpsamplingError) as error:  # a ValueError too, for callers that catch that
        get_operator("bilinear")(bad, scale=2)
    assert error.value.key.startswith("upsampling.error.") and english(error.value)


def test_bad_settings_are_refused_clearly():
    with pytest.raises(UpsamplingError) as error:
        get_operator("nearest")(NOTES_INPUT, scale=5)
    assert english(error.value) == "scale must be one of 2, 3, 4, got 5"
    with pytest.raises(UpsamplingError) as error:
        transposed_conv(NOTES_INPUT, np.ones((3, 3)), stride=2, output_padding=2)
    assert "output padding" in english(error.value)
    with pytest.raises(UpsamplingError) as error:
        get_operator("max_unpool")(NOTES_INPUT, scale=2, pooled_from=np.zeros((3, 3)))
    assert english(error.value) == "the pooled-from grid must be 1×4×4 for a 1×2×2 input at scale 2, got 1×3×3"
    with pytest.raises(KeyError, match="choose one of"):
        get_operator("lanczos")


def test_formula_terms_write_the_sum_with_the_actual_numbers():
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    _, trace = get_operator("bilinear")(x, scale=2)
    assert trace.formula_terms(x, (0, 0, 1)) == (["0.75 × 1", "0.25 × 2"], 1.25)
    _, trace = get_operator("bed_of_nails")(x, scale=2)
    assert trace.formula_terms(x, (0, 1, 1)) == ([], 0.0)
