"""Nearest-neighbour unpooling: every output cell copies the input cell it falls in.

    1 2        1 1 2 2
    3 4   ->   1 1 2 2
               3 3 4 4
               3 3 4 4
"""

import numpy as np

from ops.upsampling.checks import as_chw, check_scale
from ops.upsampling.trace import Trace


def nearest(x, scale: int = 2) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale`: output (y, x) copies input (y // s, x // s) (PyTorch mode="nearest")."""
    x, s = as_chw(x), check_scale(scale)
    c, h, w = x.shape
    out = np.zeros((c, h * s, w * s))
    trace = Trace(x.shape, out.shape)
    for ch in range(c):
        for y in range(h * s):
            for xx in range(w * s):
                source = (ch, y // s, xx // s)
                out[ch, y, xx] = x[source]
                trace.add((ch, y, xx), source, 1.0)
    return out, trace
