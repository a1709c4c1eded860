"""The matrix view: a convolution is a matrix C on the flattened grid; the transposed convolution is Cᵀ.

    C = conv_matrix((4, 4), kernel, stride=2, padding=1)     # conv2d(x) == (C @ x.ravel()).reshape(2, 2)
    transposed_via_matrix(y, kernel, stride=2, padding=1)     # Cᵀ @ y.ravel(), reshaped: conv_transpose2d(y)
    round_trip(x, kernel, stride=2, padding=1).max_error      # Cᵀ C x is not x: Cᵀ is not C's inverse

Single channel, bias-free, PyTorch's convention (cross-correlation: the kernel is not flipped).
The 1-D versions treat a row of numbers as a 1×L grid.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from ops.upsampling import view_checks as check


def _conv_matrix(in_shape: tuple, kernel: np.ndarray, stride: int, padding: tuple, dilation: int) -> np.ndarray:
    """Dense C for any number of axes: one row per output cell, one column per input cell."""
    out_shape = tuple(check.conv_output_side(n, k, stride, p, dilation)
                      for n, k, p in zip(in_shape, kernel.shape, padding))
    check.nonempty(out_shape, "upsampling.views.error.empty")
    matrix = np.zeros((int(np.prod(out_shape)), int(np.prod(in_shape))))
    for row, out_cell in enumerate(itertools.product(*map(range, out_shape))):
        for tap in itertools.product(*map(range, kernel.shape)):
            cell = tuple(o * stride - p + t * dilation for o, p, t in zip(out_cell, padding, tap))
            if all(0 <= c < n for c, n in zip(cell, in_shape)):
                matrix[row, np.ravel_multi_index(cell, in_shape)] += kernel[tap]
    return matrix


def conv_matrix(in_shape, kernel, stride: int = 1, padding: int = 0, dilation: int = 1) -> np.ndarray:
    """Dense C (H_out·W_out × H·W) with F.conv2d(x, kernel, stride, padding, dilation) == C @ x.ravel()."""
    kernel = check.grid(kernel, "kernel", 2, check.MAX_KERNEL)
    check.settings(stride, padding, dilation)
    in_shape = tuple(int(n) for n in in_shape)
    if len(in_shape) != 2 or not all(1 <= n <= check.MAX_SIDE for n in in_shape):
        raise check.ViewSettingsError("upsampling.views.error.side", f"in_shape must be (H, W), sides 1 to "
                                      f"{check.MAX_SIDE}", name="in_shape", max_side=check.MAX_SIDE,
                                      shape=str(in_shape))
    return _conv_matrix(in_shape, kernel, stride, (padding, padding), dilation)


def conv_matrix_1d(length: int, kernel, stride: int = 1, padding: int = 0, dilation: int = 1) -> np.ndarray:
    """Dense C (L_out × L) with F.conv1d(x, kernel, ...) == C @ x, for a row of numbers."""
    kernel = check.grid(kernel, "kernel", 1, check.MAX_KERNEL)
    check.settings(stride, padding, dilation)
    if not 1 <= int(length) <= check.MAX_SIDE:
        raise check.ViewSettingsError("upsampling.views.error.side", f"length must be 1 to {check.MAX_SIDE}",
                                      name="length", max_side=check.MAX_SIDE, shape=str((length,)))
    return _conv_matrix((int(length),), kernel, stride, (padding,), dilation)


def _transposed(y: np.ndarray, kernel: np.ndarray, stride, padding, output_padding, dilation) -> tuple:
    """(output, C) where output = Cᵀ y and C is the convolution from the output's shape back to y's."""
    check.settings(stride, padding, dilation, output_padding)
    out_shape = tuple(check.transposed_output_side(n, k, stride, padding, output_padding, dilation)
                      for n, k in zip(y.shape, kernel.shape))
    check.nonempty(out_shape, "upsampling.views.error.empty")
    matrix = _conv_matrix(out_shape, kernel, stride, (padding,) * y.ndim, dilation)
    # with output_padding >= stride (allowed when dilation > stride) the convolution has extra output cells
    # that y does not have: they contribute zero, so y is padded with zeros to C's row count.
    conv_shape = tuple(check.conv_output_side(n, k, stride, padding, dilation) for n, k in zip(out_shape, kernel.shape))
    padded = np.zeros(conv_shape)
    padded[tuple(slice(0, n) for n in y.shape)] = y
    return (matrix.T @ padded.ravel()).reshape(out_shape), matrix


def transposed_via_matrix(y, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0,
                          dilation: int = 1) -> np.ndarray:
    """F.conv_transpose2d(y, kernel, ...) computed as Cᵀ @ y.ravel() (C: the matching strided convolution)."""
    return _transposed(check.grid(y, "input", 2), check.grid(kernel, "kernel", 2, check.MAX_KERNEL),
                       stride, padding, output_padding, dilation)[0]


def transposed_via_matrix_1d(y, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0,
                             dilation: int = 1) -> np.ndarray:
    """F.conv_transpose1d(y, kernel, ...) as Cᵀ @ y."""
    return _transposed(check.grid(y, "input", 1), check.grid(kernel, "kernel", 1, check.MAX_KERNEL),
                       stride, padding, output_padding, dilation)[0]


@dataclass(frozen=True)
class RoundTrip:
    """x, then y = C x (the strided convolution), then Cᵀ y (the transposed one): Cᵀ C is not the identity."""

    input: np.ndarray
    down: np.ndarray  # C x, reshaped
    back: np.ndarray  # Cᵀ C x, reshaped like the input
    matrix: np.ndarray  # C

    @property
    def max_error(self) -> float:
        """max |Cᵀ C x - x|: zero only by accident (e.g. a kernel with one 1 and stride 1)."""
        return float(np.max(np.abs(self.back - self.input)))

    @property
    def gram(self) -> np.ndarray:
        """Cᵀ C, the matrix the round trip applies; compare it with the identity."""
        return self.matrix.T @ self.matrix


def _round_trip(x: np.ndarray, kernel: np.ndarray, stride: int, padding: int, dilation: int) -> RoundTrip:
    check.settings(stride, padding, dilation)
    matrix = _conv_matrix(x.shape, kernel, stride, (padding,) * x.ndim, dilation)
    down_shape = tuple(check.conv_output_side(n, k, stride, padding, dilation) for n, k in zip(x.shape, kernel.shape))
    down = matrix @ x.ravel()
    return RoundTrip(x, down.reshape(down_shape), (matrix.T @ down).reshape(x.shape), matrix)


def round_trip(x, kernel, stride: int = 1, padding: int = 0, dilation: int = 1) -> RoundTrip:
    """Convolve an H×W grid, then apply the transpose: shows that "deconvolution" does not undo convolution."""
    return _round_trip(check.grid(x, "input", 2), check.grid(kernel, "kernel", 2, check.MAX_KERNEL),
                       stride, padding, dilation)


def round_trip_1d(x, kernel, stride: int = 1, padding: int = 0, dilation: int = 1) -> RoundTrip:
    """The same for a row of numbers."""
    return _round_trip(check.grid(x, "input", 1), check.grid(kernel, "kernel", 1, check.MAX_KERNEL),
                       stride, padding, dilation)
