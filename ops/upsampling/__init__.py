"""The six upsampling operators of the lecture, in numpy, with a trace of what each one did.

One registry for pages, tests and notebooks::

    from ops import OPERATORS, get_operator
    out, trace = get_operator("bilinear")([[1, 2], [3, 4]], scale=2, align_corners=False)
    trace.contributions((0, 0, 1))          # [((0, 0, 0), 0.75), ((0, 0, 1), 0.25)]
    get_operator("bilinear").torch_code([[1, 2], [3, 4]], scale=2)   # ready-to-copy PyTorch

Every operator takes a C×H×W (or H×W) grid, H and W from 1 to 16, and returns (output, Trace).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ops.upsampling import torch_equivalent as te
from ops.upsampling.bed_of_nails import bed_of_nails
from ops.upsampling.bicubic import bicubic
from ops.upsampling.bilinear import bilinear
from ops.upsampling.checks import as_chw
from ops.upsampling.conv_matrix import (
    RoundTrip,
    conv_matrix,
    conv_matrix_1d,
    round_trip,
    round_trip_1d,
    transposed_via_matrix,
    transposed_via_matrix_1d,
)
from ops.upsampling.max_unpool import max_pool_with_switches, max_unpool, tied_windows
from ops.upsampling.nearest import nearest
from ops.upsampling.trace import Trace
from ops.upsampling.transposed_conv import output_size, transposed_conv
from ops.upsampling.transposed_gradient import transposed_via_gradient, transposed_via_gradient_1d
from ops.upsampling.view_checks import ViewSettingsError
from ops.upsampling.zero_insert import (
    ZeroInsertionView,
    zero_insert,
    zero_insert_1d,
    zero_insertion_view,
    zero_insertion_view_1d,
)


@dataclass(frozen=True)
class Operator:
    """One upsampling operator: the numpy reference and its PyTorch twin (its name on screen: operator.<name>)."""

    name: str
    numpy: Callable  # (x, **params) -> (output, Trace)
    code: Callable  # (x, **params) -> PyTorch source text
    torch: Callable  # (x, **params) -> numpy array computed by PyTorch
    torch_function: str  # what the live check calls, e.g. "torch.nn.functional.interpolate"
    params: tuple  # the keyword parameters it accepts
    learnable: bool = False  # True when the weights are learned (transposed convolution)
    explained_by_input: bool = False  # animated input cell by input cell (stamps) instead of output cell

    def __call__(self, x, **params) -> tuple[np.ndarray, Trace]:
        return self.numpy(x, **params)

    def torch_code(self, x, **params) -> str:
        return self.code(as_chw(x), **params)

    def torch_result(self, x, **params) -> np.ndarray:
        return self.torch(as_chw(x), **params)

    def check_against_torch(self, x, **params) -> float:
        """max |numpy - torch| for this input and these settings (the page's live check)."""
        ours, _ = self(x, **params)
        theirs = self.torch_result(x, **params)
        return float(np.max(np.abs(ours - theirs))) if ours.size else 0.0


OPERATORS: dict[str, Operator] = {op.name: op for op in [
    Operator("bed_of_nails", bed_of_nails,
             te.bed_of_nails_code, te.bed_of_nails_torch, "torch.nn.functional.conv_transpose2d", ("scale",)),
    Operator("nearest", nearest, te.nearest_code, te.nearest_torch,
             "torch.nn.functional.interpolate", ("scale",)),
    Operator("bilinear", bilinear, te.bilinear_code, te.bilinear_torch,
             "torch.nn.functional.interpolate", ("scale", "align_corners")),
    Operator("bicubic", bicubic, te.bicubic_code, te.bicubic_torch,
             "torch.nn.functional.interpolate", ("scale", "align_corners")),
    Operator("max_unpool", max_unpool,
             te.max_unpool_code, te.max_unpool_torch, "torch.nn.functional.max_unpool2d", ("scale", "pooled_from")),
    Operator("transposed_conv", transposed_conv,
             te.transposed_conv_code, te.transposed_conv_torch, "torch.nn.functional.conv_transpose2d",
             ("kernel", "stride", "padding", "output_padding", "dilation"), learnable=True,
             explained_by_input=True),
]}


def get_operator(name: str) -> Operator:
    """The operator called `name` (one of OPERATORS); a clear KeyError otherwise."""
    try:
        return OPERATORS[name]
    except KeyError:
        raise KeyError(f"unknown upsampling operator {name!r}; choose one of {', '.join(OPERATORS)}") from None


__all__ = ["OPERATORS", "Operator", "Trace", "get_operator", "max_pool_with_switches", "tied_windows",
           "output_size", "bed_of_nails", "nearest", "bilinear", "bicubic", "max_unpool", "transposed_conv",
           # transposed convolution four ways (stamps above; zero insertion, matrix, gradient) and in 1-D
           "conv_matrix", "conv_matrix_1d", "transposed_via_matrix", "transposed_via_matrix_1d", "round_trip",
           "round_trip_1d", "RoundTrip", "zero_insert", "zero_insert_1d", "zero_insertion_view",
           "zero_insertion_view_1d", "ZeroInsertionView", "transposed_via_gradient", "transposed_via_gradient_1d",
           "ViewSettingsError"]
