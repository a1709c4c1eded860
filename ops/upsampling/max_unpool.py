"""Max pooling that remembers where each maximum came from, and max unpooling that puts values back there.

In an encoder-decoder network the encoder's max pooling records its "switches" (the position of the
maximum in each window); the decoder's max unpooling puts each of its values back at that position
and fills the rest of the window with zeros, so fine detail returns to where it was.

Tie rule (PyTorch's): when several cells of a window hold the maximum, the first one in row-major
order (left to right, then top to bottom) is remembered.
"""

import numpy as np

from ops.upsampling.checks import UpsamplingError, as_chw, check_scale, shape_text
from ops.upsampling.trace import Trace


def max_pool_with_switches(x, size: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling with a size×size window and stride `size`.

    Returns (pooled, switches): switches[c, i, j] = (row, column) of the remembered maximum in x,
    shape C×H'×W'×2 with H' = H // size (a partial last window is dropped, as in PyTorch).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    c, h, w = x.shape
    ph, pw = h // size, w // size
    if ph < 1 or pw < 1:
        raise UpsamplingError("upsampling.error.grid_smaller_than_window", h=h, w=w, size=size)
    pooled = np.zeros((c, ph, pw))
    switches = np.zeros((c, ph, pw, 2), dtype=int)
    for ch in range(c):
        for i in range(ph):
            for j in range(pw):
                best = (i * size, j * size)
                for y in range(i * size, i * size + size):  # row-major scan ...
                    for xx in range(j * size, j * size + size):
                        if x[ch, y, xx] > x[ch, best[0], best[1]]:  # ... strictly greater: first max wins
                            best = (y, xx)
                pooled[ch, i, j] = x[ch, best[0], best[1]]
                switches[ch, i, j] = best
    return pooled, switches


def tied_windows(x, size: int = 2) -> list[tuple[int, int, int]]:
    """The pooling windows (channel, row, column) whose maximum occurs more than once: where the tie rule decides."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    c, h, w = x.shape
    tied = []
    for ch in range(c):
        for i in range(h // size):
            for j in range(w // size):
                window = x[ch, i * size:(i + 1) * size, j * size:(j + 1) * size]
                if np.count_nonzero(window == window.max()) > 1:
                    tied.append((ch, i, j))
    return tied


def default_pooled_from(x, scale: int) -> np.ndarray:
    """Without an encoder grid every window ties, so the switches are the top-left cells (bed of nails)."""
    c, h, w = np.shape(x)
    return np.zeros((c, h * scale, w * scale))


def max_unpool(x, scale: int = 2, pooled_from=None) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale`: value (i, j) goes where the max of window (i, j) of `pooled_from` was.

    `pooled_from` is the encoder's C×(H·s)×(W·s) grid whose max pooling gave the switches; without it
    every window ties and the values land on the top-left cells.
    """
    x, s = as_chw(x), check_scale(scale)
    c, h, w = x.shape
    source = default_pooled_from(x, s) if pooled_from is None else np.asarray(pooled_from, dtype=np.float64)
    if source.ndim == 2:
        source = source[None]
    if source.shape != (c, h * s, w * s):
        raise UpsamplingError("upsampling.error.pooled_from_shape", want=shape_text((c, h * s, w * s)),
                              input=shape_text((c, h, w)), scale=s, got=shape_text(source.shape))
    if not np.isfinite(source).all():
        raise UpsamplingError("upsampling.error.pooled_from_not_finite")
    _, switches = max_pool_with_switches(source, s)
    out = np.zeros((c, h * s, w * s))
    trace = Trace(x.shape, out.shape)
    for ch in range(c):
        for i in range(h):
            for j in range(w):
                y, xx = switches[ch, i, j]
                out[ch, y, xx] = x[ch, i, j]
                trace.add((ch, int(y), int(xx)), (ch, i, j), 1.0)
    return out, trace
