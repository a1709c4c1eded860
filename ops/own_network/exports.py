"""The project's own networks exported to ONNX on the spot, so a student without a model of their own can look.

ESPNetv2 and torchvision's FCN, DeepLabV3 and LR-ASPP with their weights when present, random weights
otherwise (never downloaded here: the page says which). Exports are cached per process and size.

ESPNetv2's pyramid pooling pools to sizes that do not divide the map (adaptive_avg_pool2d), which the ONNX
exporter cannot write; during the export it pools with the same averages written as two products with
constant matrices (its own matrix path, built as constants here), which is the same arithmetic.
"""

import io
import threading
import warnings
from dataclasses import dataclass
from unittest import mock

import numpy as np
import torch

from ops.memo import shared
from ops.own_network.choices import ESPNETV2, PROJECT_MODELS, TINY

__all__ = ["ESPNETV2", "PROJECT_MODELS", "TINY", "Exported", "export_project_model", "to_onnx", "torch_model"]
_EXPORT_LOCK = threading.Lock()  # one export at a time: the tracer and the ESPNetv2 patch are process-wide


@dataclass(frozen=True)
class Exported:
    name: str
    data: bytes  # the ONNX file
    random_weights: bool  # True: the weights file is absent here, the network is randomly initialised
    seconds: float  # time the export took


class ScoresOnly(torch.nn.Module):
    """torchvision's segmentation models return {"out": …}; an ONNX export wants the tensor."""

    def __init__(self, module: torch.nn.Module):
        super().__init__()
        self.module = module

    def forward(self, x):
        out = self.module(x)
        return out["out"] if isinstance(out, dict) else out


class LastOutput(torch.nn.Module):
    """ops.layer_stack's LayerStack returns every layer's output; the export wants the last."""

    def __init__(self, module: torch.nn.Module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module(x)[-1]


def tiny_layers():
    """A small hand-built segmentation network in the layer-stack lesson's terms: two downsamplings, a dilated
    conv, then a transposed convolution and a bilinear upsampling back to full resolution."""
    from ops.layer_stack import conv, max_pool, tconv, up

    return [conv(3, 16), max_pool(2), conv(3, 32), max_pool(2), conv(3, 32, dilation=2), conv(1, 21),
            tconv(4, 21, 2, 1), up("bilinear")]


@shared(maxsize=8)
def torch_model(name: str) -> tuple[torch.nn.Module, bool]:
    """(the original torch module in eval mode, whether its weights are random: then seeded, the same in every
    process). Cached: the module an export was made from is the one tests compare with."""
    torch.manual_seed(0)
    if name == TINY:
        from ops.layer_stack import build_stack

        return LastOutput(build_stack(tiny_layers(), seed=0)).eval(), True
    from ops.segmentation.pipeline import load_model
    from ops.segmentation.registry import find_weights

    random_weights = find_weights(name) is None
    loaded = load_model(name, "cpu", random_weights=random_weights, warmup=False)
    return ScoresOnly(loaded.module).eval(), random_weights


def _pooling_matrix(n_in: int, n_out: int) -> torch.Tensor:
    """PyTorch's adaptive average pooling bins as an n_out×n_in matrix, computed here as a constant."""
    i = np.arange(n_out)
    start, end = (i * n_in) // n_out, ((i + 1) * n_in + n_out - 1) // n_out
    j = np.arange(n_in)
    inside = (j >= start[:, None]) & (j < end[:, None])
    return torch.from_numpy((inside / (end - start)[:, None]).astype(np.float32))


def _constant_apool(x: torch.Tensor, size) -> torch.Tensor:
    rows = _pooling_matrix(int(x.shape[2]), int(size[0])).to(x.dtype)
    cols = _pooling_matrix(int(x.shape[3]), int(size[1])).to(x.dtype)
    return rows @ x @ cols.T


def to_onnx(module: torch.nn.Module, size: int, in_channels: int = 3) -> bytes:
    """A module exported with the TorchScript exporter (opset 17: what onnx2torch converts)."""
    from ops.segmentation import espnetv2_units

    buffer = io.BytesIO()
    with _EXPORT_LOCK, warnings.catch_warnings(), mock.patch.object(espnetv2_units, "apool", _constant_apool):
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.zeros(1, in_channels, size, size),), buffer, dynamo=False,
                          input_names=["image"], output_names=["scores"], opset_version=17)
    return buffer.getvalue()


@shared(maxsize=8)
def export_project_model(name: str, size: int) -> Exported:
    """One of PROJECT_MODELS as ONNX bytes at size×size (cached per process)."""
    import time

    if name not in PROJECT_MODELS:
        raise KeyError(name)
    start = time.perf_counter()
    module, random_weights = torch_model(name)
    data = to_onnx(module, size)
    return Exported(name, data, random_weights, time.perf_counter() - start)
