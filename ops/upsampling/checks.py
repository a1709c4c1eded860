"""Input checks shared by the operators: a clear ValueError instead of a confusing numpy error."""

import numpy as np

MAX_SIDE = 16
SCALES = (2, 3, 4)


def as_chw(x) -> np.ndarray:
    """The input as a float64 C×H×W array (a 2-D grid is one channel); refuses what we cannot explain."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"input must be C×H×W (or H×W), got shape {x.shape}")
    c, h, w = x.shape
    if c < 1 or not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        raise ValueError(f"height and width must be 1 to {MAX_SIDE}, got {h}×{w}")
    if not np.isfinite(x).all():
        raise ValueError("input must contain finite numbers only (no NaN or infinity)")
    return x


def check_scale(scale) -> int:
    if int(scale) != scale or int(scale) not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale}")
    return int(scale)
