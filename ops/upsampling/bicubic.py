"""Bicubic interpolation: a weighted sum of the 4×4 nearest input cells, with Keys' cubic kernel.

The kernel (a = -0.75, as PyTorch and OpenCV) is smoother than the tent of bilinear and dips below
zero between one and two cells away, which is why bicubic can overshoot: from [[1, 2], [3, 4]] it
makes 0.68 and 4.32, values outside the input's range.
"""

import numpy as np

from ops.upsampling.interpolation import separable
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
    return separable(x, scale, align_corners, keys_cubic, reach=2)
