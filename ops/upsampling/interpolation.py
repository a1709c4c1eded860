"""What bilinear and bicubic interpolation share: where an output cell sits on the input's grid.

Both are separable: an output cell's weight for input cell (i, j) is (weight of row i) × (weight of
column j), and each 1-D weight depends only on the distance between the output cell's position,
measured in input cells, and the input cell.
"""

import math
from collections.abc import Callable

import numpy as np

from ops.upsampling.checks import as_chw, check_scale
from ops.upsampling.trace import Trace


def source_position(out_index: int, in_size: int, scale: int, align_corners: bool) -> float:
    """Where output index `out_index` lands on the input axis, in input-cell units (PyTorch's rule).

    align_corners=False: cells are squares, centres line up: (out + 0.5) / s - 0.5.
    align_corners=True: the first and last cells' centres line up exactly: out · (in - 1) / (out_size - 1).
    """
    out_size = in_size * scale
    if align_corners:
        return out_index * (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    return (out_index + 0.5) / scale - 0.5


def axis_weights(out_index: int, in_size: int, scale: int, align_corners: bool, kernel: Callable[[float], float],
                 reach: int, clamp_negative: bool = False) -> list[tuple[int, float]]:
    """The (input index, weight) pairs for one output index along one axis.

    `kernel(distance)` gives the weight of an input cell at that distance; `reach` neighbours on each
    side are used. Indices past the border are clamped to the edge cell (the edge value is repeated),
    and weights landing on the same cell are added, so each input cell appears once.
    """
    position = source_position(out_index, in_size, scale, align_corners)
    if clamp_negative:  # PyTorch's bilinear (not bicubic) never looks left of the first cell
        position = max(position, 0.0)
    base = math.floor(position)
    merged: dict[int, float] = {}
    for k in range(base - reach + 1, base + reach + 1):
        weight = kernel(position - k)
        if weight != 0.0:
            i = min(max(k, 0), in_size - 1)
            merged[i] = merged.get(i, 0.0) + weight
    return list(merged.items())


def separable(x, scale: int, align_corners: bool, kernel: Callable[[float], float], reach: int,
              clamp_negative: bool = False) -> tuple[np.ndarray, Trace]:
    """Upsample C×H×W by `scale` with a separable kernel, recording every output cell's weights.

    Each output cell is Σ (row weight × column weight) × input cell over the `reach` nearest rows and
    columns on each side; the trace keeps those weights so a lesson can show where a number comes from.
    """
    x, s = as_chw(x), check_scale(scale)
    c, h, w = x.shape
    out = np.zeros((c, h * s, w * s))
    trace = Trace(x.shape, out.shape)
    rows = [axis_weights(y, h, s, align_corners, kernel, reach, clamp_negative) for y in range(h * s)]
    cols = [axis_weights(xx, w, s, align_corners, kernel, reach, clamp_negative) for xx in range(w * s)]
    for ch in range(c):
        for y, row_weights in enumerate(rows):
            for xx, col_weights in enumerate(cols):
                # the 2-D weight of input cell (i, j) is (row weight) × (column weight)
                pairs = [((ch, i, j), wy * wx) for i, wy in row_weights for j, wx in col_weights]
                trace.record((ch, y, xx), pairs)
                out[ch, y, xx] = trace.value(x, (ch, y, xx))  # Σ weight × input
    return out, trace
