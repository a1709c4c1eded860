"""Bicubic interpolation: a weighted sum of the 4×4 nearest input cells, with Keys' cubic kernel.

The kernel (a = -0.75, as PyTorch and OpenCV) is smoother than the tent of bilinear and dips below
zero between one and two cells away, which is why bicubic can overshoot: from [[1, 2], [3, 4]] it
makes 0.68 and 4.32, values outside the input's range.
"""

import numpy as np

from ops.upsampling.checks import as_chw, check_scale
from ops.upsampling.interpolation import axis_weights
from ops.upsampling.trace import Trace

A = -0.75


def keys_cubic(distance: float, a: float = A) -> float:
    """Keys' cubic convolution kernel: 1 at 0, 0 at every other whole distance, 0 beyond 2."""
    d = abs(distance)
    if d <= 1:
        return ((a + 2) * d - (a + 3)) * d * d + 1
    if d < 2:
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    return 0.0


def bicubic(x, scale: int = 2, align_corners: bool = False) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale` like F.interpolate(mode="bicubic", align_corners=...)."""
    x, s = as_chw(x), check_scale(scale)
    c, h, w = x.shape
    out = np.zeros((c, h * s, w * s))
    trace = Trace(x.shape, out.shape)
    rows = [axis_weights(y, h, s, align_corners, keys_cubic, reach=2) for y in range(h * s)]
    cols = [axis_weights(xx, w, s, align_corners, keys_cubic, reach=2) for xx in range(w * s)]
    for ch in range(c):
        for y, row_weights in enumerate(rows):
            for xx, col_weights in enumerate(cols):
                # the 2-D weight of input cell (i, j) is (row weight) × (column weight)
                pairs = [((ch, i, j), wy * wx) for i, wy in row_weights for j, wx in col_weights]
                trace.record((ch, y, xx), pairs)
                out[ch, y, xx] = trace.value(x, (ch, y, xx))  # Σ weight × input
    return out, trace
