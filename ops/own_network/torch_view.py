"""The uploaded model as a torch module (onnx2torch): FLOPs by FlopCounterMode, torch's time per image, and
the effective receptive field by autograd.

The effective field is the gradient of one output pixel — the centre one, all its class scores summed —
with respect to the input image: |∂ Σ_c y[c, H/2, W/2] / ∂x| summed over the input's colour channels.
Luo et al. (NeurIPS 2016) show it is much smaller than the theoretical field and roughly Gaussian.
"""

import warnings

import numpy as np
import onnx
import torch

from ops.own_network.errors import ConversionFailed


def convert(model: onnx.ModelProto) -> torch.nn.Module:
    """onnx2torch's module in eval mode (it returns training mode: batch norm would use batch statistics)."""
    from onnx2torch import convert as onnx2torch_convert

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = onnx2torch_convert(model)
    except NotImplementedError as error:
        operator = _operator_named(str(error))
        raise ConversionFailed("own_network.error.conversion_operator", operator=operator) from None
    except Exception:  # the converter's own failure, whatever its kind: the torch views are skipped, said so
        raise ConversionFailed("own_network.error.conversion") from None
    return module.eval()


def _operator_named(text: str) -> str:
    """'… operation_type='AveragePool', version=19 …' -> 'AveragePool (opset 19)'; else the text's first 60 chars."""
    import re

    match = re.search(r"operation_type='([^']+)', version=(\d+)", text)
    return f"{match.group(1)} (opset {match.group(2)})" if match else text[:60]


def first_tensor(output) -> torch.Tensor:
    """A module's first output whatever its container (tuple, list, dict)."""
    while not isinstance(output, torch.Tensor):
        output = next(iter(output.values())) if isinstance(output, dict) else output[0]
    return output


def flop_count(module: torch.nn.Module, x: torch.Tensor) -> int:
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.inference_mode(), counter, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module(x)
    return int(counter.get_total_flops())


def forward(module: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return first_tensor(module(x))


def centre_gradient(module: torch.nn.Module, x: torch.Tensor) -> np.ndarray:
    """|∂ (sum over channels of the centre output pixel) / ∂ input| summed over input channels: H×W."""
    x = x.detach().clone().requires_grad_(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = first_tensor(module(x))
    if out.dim() != 4:
        out = out.reshape(out.shape[0], -1, *out.shape[-2:])
    row, col = out.shape[-2] // 2, out.shape[-1] // 2
    (grad,) = torch.autograd.grad(out[0, :, row, col].sum(), x)
    return grad[0].abs().sum(0).detach().numpy().astype(np.float64)
