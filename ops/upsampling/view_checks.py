"""Input checks for the transposed-convolution views: one error class carrying a message key and its params.

Pages show `t(error.key, **error.params)`; the English text in str(error) is for notebooks and logs.
"""

import numpy as np

MAX_SIDE = 16
MAX_KERNEL = 7
MAX_STRIDE = 4
MAX_DILATION = 3


class ViewSettingsError(ValueError):
    """A grid, kernel or setting the views cannot explain; `key` names the message in lessons/*/messages.po."""

    def __init__(self, key: str, text: str, **params):
        super().__init__(text)
        self.key = key
        self.params = params


def grid(values, name: str, ndim: int, max_side: int = MAX_SIDE) -> np.ndarray:
    """A finite float64 array of `ndim` axes, each side 1..max_side."""
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ViewSettingsError("upsampling.views.error.not_numbers", f"{name} must be numbers", name=name) from None
    if values.ndim != ndim:
        raise ViewSettingsError("upsampling.views.error.dimensions", f"{name} must have {ndim} axes, got "
                                f"shape {values.shape}", name=name, ndim=ndim, shape=str(values.shape))
    if not all(1 <= side <= max_side for side in values.shape):
        raise ViewSettingsError("upsampling.views.error.side", f"{name} sides must be 1 to {max_side}, got "
                                f"{values.shape}", name=name, max_side=max_side, shape=str(values.shape))
    if not np.isfinite(values).all():
        raise ViewSettingsError("upsampling.views.error.not_finite", f"{name} must contain finite numbers only",
                                name=name)
    return values


def settings(stride: int, padding: int, dilation: int, output_padding: int = 0) -> None:
    """Stride 1..4, dilation 1..3, padding >= 0, output_padding < max(stride, dilation) (PyTorch's rule)."""
    for name, value in (("stride", stride), ("padding", padding), ("dilation", dilation),
                        ("output_padding", output_padding)):
        if int(value) != value:
            raise ViewSettingsError("upsampling.views.error.integer", f"{name} must be a whole number", name=name)
    if not 1 <= stride <= MAX_STRIDE:
        raise ViewSettingsError("upsampling.views.error.stride", f"stride must be 1 to {MAX_STRIDE}, got {stride}",
                                max_stride=MAX_STRIDE, stride=stride)
    if not 1 <= dilation <= MAX_DILATION:
        raise ViewSettingsError("upsampling.views.error.dilation", f"dilation must be 1 to {MAX_DILATION}, got "
                                f"{dilation}", max_dilation=MAX_DILATION, dilation=dilation)
    if padding < 0 or output_padding < 0:
        raise ViewSettingsError("upsampling.views.error.negative", "padding and output padding must be at least 0")
    if output_padding >= max(stride, dilation):
        raise ViewSettingsError("upsampling.views.error.output_padding", f"output padding must be smaller than "
                                f"the stride or the dilation ({max(stride, dilation)}), got {output_padding}",
                                limit=max(stride, dilation), output_padding=output_padding)


def conv_output_side(side: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """floor((side + 2p - d(k - 1) - 1) / s) + 1, PyTorch's conv2d output size."""
    return (side + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def transposed_output_side(side: int, kernel: int, stride: int, padding: int, output_padding: int,
                           dilation: int) -> int:
    """(side - 1)s - 2p + d(k - 1) + output_padding + 1, PyTorch's conv_transpose2d output size."""
    return (side - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def nonempty(shape, key: str) -> None:
    if min(shape) < 1:
        raise ViewSettingsError(key, f"these settings give an empty output {tuple(shape)}: lower the padding or "
                                "enlarge the grid", shape=str(tuple(shape)))
