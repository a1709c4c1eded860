"""Bilinear interpolation: a weighted average of the 2×2 nearest input cells, with "tent" weights.

The notes' formula: f(x, y) = Σ_ij f(i, j) · max(0, 1 - |x - i|) · max(0, 1 - |y - j|):
an input cell one cell away or more gets weight 0, the cell the output sits on gets weight 1.
"""

import numpy as np

from ops.upsampling.checks import as_chw, check_scale
from ops.upsampling.interpolation import axis_weights
from ops.upsampling.trace import Trace


def tent(distance: float) -> float:
    """The linear-interpolation kernel: 1 at distance 0, falling to 0 at distance 1."""
    return max(0.0, 1.0 - abs(distance))


def bilinear(x, scale: int = 2, align_corners: bool = False) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale` like F.interpolate(mode="bilinear", align_corners=...)."""
    x, s = as_chw(x), check_scale(scale)
    c, h, w = x.shape
    out = np.zeros((c, h * s, w * s))
    trace = Trace(x.shape, out.shape)
    rows = [axis_weights(y, h, s, align_corners, tent, reach=1, clamp_negative=True) for y in range(h * s)]
    cols = [axis_weights(xx, w, s, align_corners, tent, reach=1, clamp_negative=True) for xx in range(w * s)]
    for ch in range(c):
        for y, row_weights in enumerate(rows):
            for xx, col_weights in enumerate(cols):
                # the 2-D weight of input cell (i, j) is (row weight) × (column weight)
                pairs = [((ch, i, j), wy * wx) for i, wy in row_weights for j, wx in col_weights]
                trace.record((ch, y, xx), pairs)
                out[ch, y, xx] = trace.value(x, (ch, y, xx))  # Σ weight × input
    return out, trace
