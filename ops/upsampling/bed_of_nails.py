"""Bed-of-nails unpooling: each input value goes to the top-left corner of its s×s block; zeros elsewhere.

    1 2        1 0 2 0
    3 4   ->   0 0 0 0
               3 0 4 0
               0 0 0 0
"""

import numpy as np

from ops.upsampling.checks import as_chw, check_scale
from ops.upsampling.trace import Trace


def bed_of_nails(x, scale: int = 2) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale`: value at (i, j) lands on (i·s, j·s), every other cell is 0."""
    x, s = as_chw(x), check_scale(scale)
    c, h, w = x.shape
    out = np.zeros((c, h * s, w * s))
    trace = Trace(x.shape, out.shape)
    for ch in range(c):
        for i in range(h):
            for j in range(w):
                out[ch, i * s, j * s] = x[ch, i, j]
                trace.add((ch, i * s, j * s), (ch, i, j), 1.0)
    return out, trace
