"""The upsampling page's section "Why it is called transposed" in AppTest: for the transposed convolution the
zero-insertion, matrix, gradient and 1-D views show the numbers of F.conv_transpose2d / conv_transpose1d on the
page's own grid and kernel, the gradient view says it matches, and bad settings give a message, not a traceback."""

import json

import numpy as np
import torch
import torch.nn.functional as F

from harness.apptest import assert_no_exception, open_page
from tests.test_upsampling_page import _array

TRANSPOSED = {"upsampling.op": "transposed_conv"}


def _chart(at, key: str) -> dict:
    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith("-" + key):
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart with key {key}")


def _torch(y, kernel, stride, padding, output_padding, dilation) -> np.ndarray:
    y = torch.tensor(np.asarray(y, float))[None, None]
    k = torch.tensor(np.asarray(kernel, float))[None, None]
    return F.conv_transpose2d(y, k, stride=stride, padding=padding, output_padding=output_padding,
                              dilation=dilation)[0, 0].numpy()


def test_the_views_show_conv_transpose2d_of_the_pages_grid():
    at = open_page("upsampling", query={**TRANSPOSED, "upsampling.grid": "1,2,0;3,4,-1",
                                        "upsampling.kernel": "1,2,0;0,1,-1;2,0,1"})
    assert_no_exception(at)
    expected = _torch([[1, 2, 0], [3, 4, -1]], [[1, 2, 0], [0, 1, -1], [2, 0, 1]], 2, 1, 1, 1)
    assert any(s.value == "Why it is called \"transposed\"" for s in at.subheader)
    zero = _chart(at, "upsampling.views.zero_insertion")
    np.testing.assert_allclose(_array(zero["data"][3]["z"]), expected, atol=1e-9)
    np.testing.assert_allclose(_array(_chart(at, "upsampling.views.matrix_applied")["data"][1]["z"]), expected,
                               atol=1e-9)
    np.testing.assert_allclose(_array(_chart(at, "upsampling.views.gradient")["data"][1]["z"]), expected,
                               atol=1e-9)
    success = " ".join(s.value for s in at.success)
    assert "Computed live with autograd: max difference from conv_transpose2d = 0.0e+00" in success
    assert "x.grad" in " ".join(c.value for c in at.code)
    # C is (conv output cells) × (large grid cells): the strided convolution from 4×6 back to 2×3
    matrix = _chart(at, "upsampling.views.matrix")
    assert "C (6×24)" in json.dumps(matrix["layout"]["annotations"], ensure_ascii=False)
    assert _array(matrix["data"][0]["z"]).shape == (6, 24)
    assert any("is not x" in i.value for i in at.info)


def test_stepping_the_zero_insertion_names_the_cell_and_its_value():
    at = open_page("upsampling", query=TRANSPOSED)
    at.slider(key="upsampling.views.cell").set_value(5).run()
    assert_no_exception(at)
    expected = _torch([[1, 2], [3, 4]], np.ones((3, 3)), 2, 1, 1, 1)
    steps = " ".join(m.value for m in at.markdown)
    assert f"output (1, 1) = {expected[1, 1]:.2f}" in steps


def test_the_one_d_view_equals_conv_transpose1d_and_refuses_words():
    at = open_page("upsampling", query=TRANSPOSED)
    at.text_input(key="upsampling.views.row").input("1, 2, 3")
    at.text_input(key="upsampling.views.row_kernel").input("1, -1, 2")
    next(b for b in at.button if b.label == "Show").click().run()
    assert_no_exception(at)
    expected = F.conv_transpose1d(torch.tensor([[[1.0, 2, 3]]], dtype=torch.float64),
                                  torch.tensor([[[1.0, -1, 2]]], dtype=torch.float64), stride=2, padding=1,
                                  output_padding=1)[0, 0].numpy()
    z = _array(_chart(at, "upsampling.views.one_d")["data"][0]["z"])
    for row in (4, 5, 6):  # the stride-1 convolution, Cᵀ y and the gradient
        np.testing.assert_allclose(z[row, :len(expected)], expected, atol=1e-9)
    at.text_input(key="upsampling.views.row").input("1, two, 3")
    next(b for b in at.button if b.label == "Show").click().run()
    assert_no_exception(at)
    assert any("must contain numbers only" in w.value for w in at.warning)


def test_an_output_too_large_for_the_views_gives_a_message():
    at = open_page("upsampling", query={**TRANSPOSED, "upsampling.stride": "4", "upsampling.output_padding": "3",
                                        "upsampling.grid": ";".join([",".join(["1"] * 6)] * 6)})
    assert_no_exception(at)
    assert any("too large to read" in i.value for i in at.info)
    assert any("sides must be 1 to 16" in w.value for w in at.warning)  # the round trip's 24×24 grid
