"""Input checks shared by the operators: a clear UpsamplingError instead of a confusing numpy error."""

import numpy as np

from ops.errors import UserFacingError

MAX_SIDE = 16
SCALES = (2, 3, 4)


class UpsamplingError(UserFacingError, ValueError):
    """Settings or an input an operator cannot use; the page says why (message key upsampling.error.*)."""


def shape_text(shape) -> str:
    """A shape as the page writes it: (2, 3, 4) -> '2×3×4'."""
    return "×".join(map(str, shape))


def as_chw(x) -> np.ndarray:
    """The input as a float64 C×H×W array (a 2-D grid is one channel); refuses what we cannot explain."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise UpsamplingError("upsampling.error.input_shape", shape=shape_text(x.shape))
    c, h, w = x.shape
    if c < 1 or not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        raise UpsamplingError("upsampling.error.input_size", most=MAX_SIDE, h=h, w=w)
    if not np.isfinite(x).all():
        raise UpsamplingError("upsampling.error.input_not_finite")
    return x


def check_scale(scale) -> int:
    if int(scale) != scale or int(scale) not in SCALES:
        raise UpsamplingError("upsampling.error.scale", scales=", ".join(map(str, SCALES)), scale=scale)
    return int(scale)
