"""Bilinear interpolation: a weighted average of the 2×2 nearest input cells, with "tent" weights.

The notes' formula: f(x, y) = Σ_ij f(i, j) · max(0, 1 - |x - i|) · max(0, 1 - |y - j|):
an input cell one cell away or more gets weight 0, the cell the output sits on gets weight 1.
"""

import numpy as np

from ops.upsampling.interpolation import separable
from ops.upsampling.trace import Trace


def tent(distance: float) -> float:
    """The linear-interpolation kernel: 1 at distance 0, falling to 0 at distance 1."""
    return max(0.0, 1.0 - abs(distance))


def bilinear(x, scale: int = 2, align_corners: bool = False) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale` like F.interpolate(mode="bilinear", align_corners=...)."""
    return separable(x, scale, align_corners, tent, reach=1, clamp_negative=True)
