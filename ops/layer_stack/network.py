"""Build a real torch network from layer specs, to measure what the analytic formulas predict.

The network keeps every layer's output (the activations whose size the cost table reports), and pairs
each max unpool with the most recent 2×2 stride-2 max pool not yet undone (SegNet style), taking that
pool's indices.

`probe=True` builds the geometry-only twin used to find receptive fields by autograd: one channel,
all weights 1, no bias, no ReLU, so every input pixel that can reach an output unit leaves a strictly
positive gradient (nothing cancels). Two layers are replaced by their *possible* dependence: a max pool
by an average pool of the same window (which input wins depends on the data), and a max unpool by
nearest upsampling (the value may land on any of the four positions).
"""

import torch
from torch import nn
from torch.nn import functional as F

from ops.layer_stack.layers import (
    AVG_POOL,
    BICUBIC,
    BILINEAR,
    CONV,
    MAX_POOL,
    NAILS,
    NEAREST,
    TCONV,
    UNPOOL,
    Layer,
    channels_after,
    checked,
)


class BedOfNails(nn.Module):
    """Upsampling ×2 that writes each value to the top-left of its 2×2 block and zeros elsewhere."""

    def forward(self, x):
        n, c, h, w = x.shape
        out = x.new_zeros(n, c, 2 * h, 2 * w)
        out[:, :, ::2, ::2] = x  # a strided scatter: autograd routes gradients back from those positions only
        return out


class Interpolate(nn.Module):
    """nn.Upsample ×2 (nearest, bilinear or bicubic, align_corners=False as nn.Upsample's default)."""

    def __init__(self, mode: str):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode=mode, **({} if mode == "nearest" else {"align_corners": False}))

    def forward(self, x):
        return self.up(x)


class LayerStack(nn.Module):
    """The stack as a torch module whose forward returns every layer's output (input excluded)."""

    def __init__(self, layers: list[Layer], in_channels: int = 3, relu: bool = True, probe: bool = False,
                 max_channels: int | None = None):
        super().__init__()
        self.layers = checked(layers)
        widths = [1] * (len(self.layers) + 1) if probe else channels_after(self.layers, in_channels)
        if max_channels and not probe:
            widths = [min(w, max_channels) for w in widths]
        self.relu = relu and not probe
        self.probe = probe
        modules = []
        for i, layer in enumerate(self.layers):
            c_in, c_out = widths[i], widths[i + 1]
            if layer.kind == CONV:
                module = nn.Conv2d(c_in, c_out, layer.kernel, layer.stride, layer.padding, layer.dilation,
                                   bias=not probe)
            elif layer.kind == TCONV:
                module = nn.ConvTranspose2d(c_in, c_out, layer.kernel, layer.stride, layer.padding, bias=not probe)
            elif layer.kind == AVG_POOL or (layer.kind == MAX_POOL and probe):
                module = nn.AvgPool2d(layer.kernel, layer.stride, layer.padding)
            elif layer.kind == MAX_POOL:
                module = nn.MaxPool2d(layer.kernel, layer.stride, layer.padding, return_indices=True)
            elif layer.kind == NEAREST or (layer.kind == UNPOOL and probe):
                module = Interpolate("nearest")
            elif layer.kind == BILINEAR:
                module = Interpolate("bilinear")
            elif layer.kind == BICUBIC:
                module = Interpolate("bicubic")
            elif layer.kind == NAILS:
                module = BedOfNails()
            else:
                module = nn.MaxUnpool2d(2, 2)
            modules.append(module)
        self.blocks = nn.ModuleList(modules)
        if probe:
            with torch.no_grad():
                for module in self.blocks:
                    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
                        module.weight.fill_(1.0)

    def forward(self, x) -> list[torch.Tensor]:
        outputs, pools = [], []
        last = len(self.blocks) - 1
        for i, (layer, module) in enumerate(zip(self.layers, self.blocks)):
            if isinstance(module, nn.MaxPool2d):
                size = x.shape[-2:]
                x, indices = module(x)
                if layer.kernel == 2 and layer.stride == 2 and layer.padding == 0:
                    pools.append((indices, size))
            elif isinstance(module, nn.MaxUnpool2d):
                indices, size = pools.pop()
                x = module(x, indices, output_size=size)
            else:
                if layer.kind == MAX_POOL:  # probe: the pool is an average pool, the pairing still counts
                    if layer.kernel == 2 and layer.stride == 2 and layer.padding == 0:
                        pools.append((None, x.shape[-2:]))
                elif layer.kind == UNPOOL:
                    pools.pop()
                x = module(x)
                if self.relu and layer.kind in (CONV, TCONV) and i != last:
                    x = F.relu(x)
            outputs.append(x)
        return outputs


def build_stack(layers: list[Layer], in_channels: int = 3, relu: bool = True, probe: bool = False,
                max_channels: int | None = None, seed: int | None = None, dtype=torch.float32) -> LayerStack:
    """A LayerStack in eval mode with PyTorch's default initialisation (seeded when `seed` is given)."""
    if seed is not None:
        torch.manual_seed(seed)
    net = LayerStack(layers, in_channels, relu=relu, probe=probe, max_channels=max_channels)
    return net.to(dtype).eval()
