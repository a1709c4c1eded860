"""The fractionally strided view: zeros between the input cells, a border, then an ordinary convolution.

conv_transpose2d(y, k, stride s, padding p, output_padding q, dilation d) equals:
  1. zero insertion: s - 1 zeros between neighbouring input cells,
  2. a border of d·(k - 1) - p zeros on every side (a negative border crops), plus q more rows and
     columns at the bottom and right (output_padding),
  3. a stride-1 convolution (dilation d) with the kernel flipped in both axes.
`zero_insertion_view` returns every intermediate grid, and `window(row, col)` gives the cells one output
cell reads, for stepping through the slide.
"""

from dataclasses import dataclass

import numpy as np

from ops.upsampling import view_checks as check


def _zero_insert(x: np.ndarray, stride: int) -> np.ndarray:
    out = np.zeros(tuple((n - 1) * stride + 1 for n in x.shape))
    out[tuple(slice(None, None, stride) for _ in x.shape)] = x
    return out


def zero_insert(x, stride: int) -> np.ndarray:
    """An H×W grid with stride - 1 zeros between neighbouring cells: ((H-1)s+1)×((W-1)s+1)."""
    check.settings(stride, 0, 1)
    return _zero_insert(check.grid(x, "input", 2), stride)


def zero_insert_1d(x, stride: int) -> np.ndarray:
    """A row of numbers with stride - 1 zeros between neighbours."""
    check.settings(stride, 0, 1)
    return _zero_insert(check.grid(x, "input", 1), stride)


@dataclass(frozen=True)
class ZeroInsertionView:
    """Each step of the fractionally strided convolution (1-D or 2-D)."""

    input: np.ndarray
    inserted: np.ndarray  # step 1: zeros between the cells
    border: int  # step 2: d·(k - 1) - p zeros on each side (negative: that many cells cropped)
    output_padding: int  # step 2: extra zeros at the end of each axis
    padded: np.ndarray  # after step 2
    kernel: np.ndarray  # as given
    flipped: np.ndarray  # step 3 slides this one (both axes reversed)
    dilation: int
    output: np.ndarray  # equals conv_transpose2d / conv_transpose1d

    def input_positions(self) -> list[tuple[int, ...]]:
        """Where each input cell (row-major order) sits in the padded grid (None-free: cropped cells are left out)."""
        positions = []
        for cell in np.ndindex(*self.input.shape):
            position = tuple(c * s + self.border for c, s in zip(cell, self._stride()))
            if all(0 <= p < n for p, n in zip(position, self.padded.shape)):
                positions.append(position)
        return positions

    def _stride(self) -> tuple[int, ...]:
        return tuple((m - 1) // (n - 1) if n > 1 else 1 for m, n in zip(self.inserted.shape, self.input.shape))

    def window(self, *cell: int) -> np.ndarray:
        """The padded-grid values under the flipped kernel for output cell `cell`: output[cell] ==
        (window * flipped).sum()."""
        if len(cell) != self.output.ndim or not all(0 <= c < n for c, n in zip(cell, self.output.shape)):
            raise check.ViewSettingsError("upsampling.views.error.cell", f"no output cell {cell} in "
                                          f"{self.output.shape}", cell=str(cell), shape=str(self.output.shape))
        d = self.dilation
        return self.padded[tuple(slice(c, c + d * (k - 1) + 1, d) for c, k in zip(cell, self.kernel.shape))]


def _pad_or_crop(a: np.ndarray, before: int, after: int) -> np.ndarray:
    """Add zeros (positive counts) or cut cells away (negative counts) at both ends of every axis."""
    a = np.pad(a, [(max(before, 0), max(after, 0))] * a.ndim)
    return a[tuple(slice(max(-before, 0), n - max(-after, 0)) for n in a.shape)]


def _view(y: np.ndarray, kernel: np.ndarray, stride: int, padding: int, output_padding: int,
          dilation: int) -> ZeroInsertionView:
    check.settings(stride, padding, dilation, output_padding)
    inserted = _zero_insert(y, stride)
    border = dilation * (kernel.shape[0] - 1) - padding
    if y.ndim == 2 and dilation * (kernel.shape[1] - 1) - padding != border:
        raise check.ViewSettingsError("upsampling.views.error.square_kernel", "the kernel must be square here")
    padded = _pad_or_crop(inserted, border, border + output_padding)
    flipped = kernel[(slice(None, None, -1),) * kernel.ndim]
    span = tuple(dilation * (k - 1) + 1 for k in kernel.shape)
    out_shape = tuple(n - s + 1 for n, s in zip(padded.shape, span))
    check.nonempty(out_shape, "upsampling.views.error.empty")
    output = np.zeros(out_shape)
    for tap in np.ndindex(*kernel.shape):  # stride-1 correlation, one kernel tap at a time
        start = tuple(t * dilation for t in tap)
        output += flipped[tap] * padded[tuple(slice(s, s + n) for s, n in zip(start, out_shape))]
    return ZeroInsertionView(y, inserted, border, output_padding, padded, kernel, flipped, dilation, output)


def zero_insertion_view(y, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0,
                        dilation: int = 1) -> ZeroInsertionView:
    """F.conv_transpose2d(y, kernel, ...) as zero insertion + border + flipped-kernel stride-1 convolution."""
    return _view(check.grid(y, "input", 2), check.grid(kernel, "kernel", 2, check.MAX_KERNEL), stride, padding,
                 output_padding, dilation)


def zero_insertion_view_1d(y, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0,
                           dilation: int = 1) -> ZeroInsertionView:
    """F.conv_transpose1d(y, kernel, ...) the same way, for a row of numbers."""
    return _view(check.grid(y, "input", 1), check.grid(kernel, "kernel", 1, check.MAX_KERNEL), stride, padding,
                 output_padding, dilation)
