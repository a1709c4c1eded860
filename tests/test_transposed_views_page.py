"""The upsampling page's gradient view in AppTest: the one transposed view that stays on the server (it needs
autograd) runs only when asked for, and then shows F.conv_transpose2d's numbers for the state the browser
sent. The other views (zero insertion, matrix, 1-D) are drawn by the browser and tested in Chromium."""

import numpy as np
import torch
import torch.nn.functional as F

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n

GRADIENT = "upsampling.views.gradient_on"


def _torch(y, kernel, stride, padding, output_padding, dilation) -> np.ndarray:
    y = torch.tensor(np.asarray(y, float))[None, None]
    k = torch.tensor(np.asarray(kernel, float))[None, None]
    return F.conv_transpose2d(y, k, stride=stride, padding=padding, output_padding=output_padding,
                              dilation=dilation)[0, 0].numpy()


def test_the_gradient_view_runs_only_when_asked_and_equals_conv_transpose2d():
    at = open_page("upsampling", query={"upsampling.op": "transposed_conv", "upsampling.grid": "1,2,0;3,4,-1",
                                        "upsampling.kernel": "1,2,0;0,1,-1;2,0,1", "upsampling.dilation": "2"})
    assert_no_exception(at)
    assert not lesson(at).dataframe  # no autograd until the student asks
    at.toggle(key=GRADIENT).set_value(True).run()
    assert_no_exception(at)
    expected = _torch([[1, 2, 0], [3, 4, -1]], [[1, 2, 0], [0, 1, -1], [2, 0, 1]], 2, 1, 1, 2)
    np.testing.assert_allclose(lesson(at).dataframe[0].value.to_numpy(dtype=float), expected.round(4), atol=1e-9)
    match = i18n.t("upsampling.views.gradient.match", "en").split("{")[0]
    assert any(s.value.startswith(match) for s in at.success)
    assert "z.backward" in " ".join(c.value for c in at.code)


def test_the_gradient_view_is_only_for_the_transposed_convolution():
    at = open_page("upsampling", query={"upsampling.op": "bilinear"})
    assert_no_exception(at)
    assert not [t for t in at.toggle if t.key == GRADIENT]
