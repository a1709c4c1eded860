"""Transposed convolution: every input cell stamps a copy of the kernel, scaled by its value, into the output.

Input cell (i, j) adds value × kernel into the output with the kernel's top-left corner at
(i·stride - padding, j·stride - padding) (kernel taps spaced `dilation` apart); where stamps overlap
they add up. With kernel 3 and stride 2 some output cells get one stamp, some two, some four: the
uneven overlap that makes the checkerboard artefact. The output size is

    H_out = (H_in - 1)·stride - 2·padding + dilation·(kernel - 1) + output_padding + 1.

The kernel has PyTorch's layout for F.conv_transpose2d: C_in × C_out × k_h × k_w (a 2-D k×k kernel
means one input and one output channel).
"""

import numpy as np

from ops.upsampling.checks import UpsamplingError, as_chw, shape_text
from ops.upsampling.trace import Trace

MAX_KERNEL = 7
MAX_STRIDE = 4


def output_size(size: int, kernel: int, stride: int, padding: int, output_padding: int = 0,
                dilation: int = 1) -> int:
    """H_out = (H_in - 1)·s - 2p + d·(k - 1) + output_padding + 1."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def as_kernel(kernel, in_channels: int) -> np.ndarray:
    """The kernel as C_in × C_out × k_h × k_w floats, checked."""
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim == 2:
        kernel = kernel[None, None]
    if kernel.ndim != 4:
        raise UpsamplingError("upsampling.error.kernel_shape", shape=shape_text(kernel.shape))
    if kernel.shape[0] != in_channels:
        raise UpsamplingError("upsampling.error.kernel_channels", kernel_channels=kernel.shape[0],
                              input_channels=in_channels)
    if not (1 <= kernel.shape[2] <= MAX_KERNEL and 1 <= kernel.shape[3] <= MAX_KERNEL):
        raise UpsamplingError("upsampling.error.kernel_size", most=MAX_KERNEL)
    if not np.isfinite(kernel).all():
        raise UpsamplingError("upsampling.error.kernel_not_finite")
    return kernel


def check_settings(stride: int, padding: int, output_padding: int, dilation: int) -> None:
    if not 1 <= stride <= MAX_STRIDE:
        raise UpsamplingError("upsampling.error.stride", most=MAX_STRIDE, stride=stride)
    if dilation < 1 or padding < 0 or output_padding < 0:
        raise UpsamplingError("upsampling.error.negative_settings")
    if output_padding >= max(stride, dilation):
        raise UpsamplingError("upsampling.error.output_padding", most=max(stride, dilation),
                              output_padding=output_padding)


def transposed_conv(x, kernel, stride: int = 2, padding: int = 0, output_padding: int = 0,
                    dilation: int = 1) -> tuple[np.ndarray, Trace]:
    """F.conv_transpose2d(x, kernel, stride=..., padding=..., output_padding=..., dilation=...), bias-free.

    The trace records the stamps in the order they were made (`trace.stamp_order`), for the
    input-cell-by-input-cell animation.
    """
    x = as_chw(x)
    c_in, h, w = x.shape
    kernel = as_kernel(kernel, c_in)
    check_settings(stride, padding, output_padding, dilation)
    _, c_out, kh, kw = kernel.shape
    h_out = output_size(h, kh, stride, padding, output_padding, dilation)
    w_out = output_size(w, kw, stride, padding, output_padding, dilation)
    if h_out < 1 or w_out < 1:
        raise UpsamplingError("upsampling.error.empty_output", h=h_out, w=w_out)
    out = np.zeros((c_out, h_out, w_out))
    trace = Trace(x.shape, out.shape)
    for c in range(c_in):
        for i in range(h):
            for j in range(w):
                trace.stamp_order.append((c, i, j))
                for o in range(c_out):  # stamp: value × kernel, top-left at (i·s - p, j·s - p)
                    for ky in range(kh):
                        for kx in range(kw):
                            y = i * stride - padding + ky * dilation
                            xx = j * stride - padding + kx * dilation
                            if 0 <= y < h_out and 0 <= xx < w_out:  # padding crops the stamps' border
                                weight = kernel[c, o, ky, kx]
                                out[o, y, xx] += weight * x[c, i, j]
                                trace.add((o, y, xx), (c, i, j), weight)
    return out, trace
