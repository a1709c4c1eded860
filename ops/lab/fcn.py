"""A small encoder–decoder fully convolutional network, with a choice of decoder upsampling.

The encoder halves the resolution three times with 2×2 max pooling (64 → 8 for the lab's images),
keeping each pooling's argmax "switches" so max unpooling can use them. The decoder doubles it three
times with the chosen upsampler (ops/lab/decoders.py), optionally concatenating the encoder's feature
map of the same size (a skip connection, as in U-Net / FCN-8s), and ends in a 1×1 convolution giving
one score (logit) per class per pixel. Only the upsampler differs between decoder choices, so a
comparison isolates it. Weights are drawn from a seeded generator, not torch's global one, so two
sessions training at once cannot disturb each other's initialisation.
"""

import torch
from torch import nn

from ops.lab.decoders import DECODERS

DEPTH = 3  # poolings: the input side must be a multiple of 2**DEPTH


def _conv(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
                         nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


class SmallFCN(nn.Module):
    def __init__(self, num_classes: int, decoder: str = "bilinear", skips: bool = True, width: int = 16):
        super().__init__()
        if decoder not in DECODERS:
            raise ValueError(f"unknown decoder {decoder!r}; choose one of {', '.join(DECODERS)}")
        self.decoder, self.skips, self.width = decoder, skips, width
        channels = [width * 2 ** level for level in range(DEPTH)]  # e.g. 16, 32, 64
        self.encoder = nn.ModuleList()
        previous = 3
        for c in channels:
            self.encoder.append(_conv(previous, c))
            previous = c
        self.pool = nn.MaxPool2d(2, 2, return_indices=True)
        self.bottleneck = _conv(channels[-1], channels[-1])
        self.upsamplers = nn.ModuleList()
        self.fusers = nn.ModuleList()
        for level in reversed(range(DEPTH)):  # 8 → 16 → 32 → 64
            c = channels[level]
            self.upsamplers.append(DECODERS[decoder].build(c))
            out = channels[level - 1] if level > 0 else width
            self.fusers.append(_conv(c * 2 if skips else c, out))
        self.head = nn.Conv2d(width, num_classes, 1)
        self.last_switches: list[torch.Tensor] = []  # the encoder's argmax indices of the last forward

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        side = 2 ** DEPTH
        if x.shape[-1] % side or x.shape[-2] % side:
            raise ValueError(f"image sides must be multiples of {side}, got {tuple(x.shape[-2:])}")
        features, switches = [], []
        for stage in self.encoder:
            x = stage(x)
            features.append(x)
            x, indices = self.pool(x)
            switches.append(indices)
        self.last_switches = switches
        x = self.bottleneck(x)
        for upsample, fuse, skip, switch in zip(self.upsamplers, self.fusers, reversed(features),
                                                reversed(switches)):
            x = upsample(x, switch)
            x = fuse(torch.cat([x, skip], 1) if self.skips else x)
        return self.head(x)


def _initialise(model: nn.Module, seed: int) -> None:
    """He-normal convolution weights from a private seeded generator; zero biases."""
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu", generator=generator)
            if module.bias is not None:
                nn.init.zeros_(module.bias)


def build_fcn(decoder: str = "bilinear", num_classes: int = 5, *, skips: bool = True, width: int = 16,
              seed: int = 0) -> SmallFCN:
    """A freshly initialised lab network; the same arguments always give the same weights."""
    model = SmallFCN(num_classes, decoder, skips, width)
    _initialise(model, seed)
    return model


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
