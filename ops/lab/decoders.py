"""The six ways the lab's decoder can double a feature map's height and width.

The lecture's list, in its order: three fixed rules (bed of nails, nearest neighbour, bilinear), max
unpooling that puts values back where the encoder's max pooling found them (its "switches"), and two
learnable transposed convolutions. k3 s2 overlaps its kernel unevenly (output pixels get one or two
taps by parity: checkerboards); k4 s2 overlaps evenly (two taps everywhere).
Every upsampler keeps the channel count and maps C×H×W to C×2H×2W.
"""

from dataclasses import dataclass

import torch.nn.functional as F
from torch import nn


class BedOfNails(nn.Module):
    """Each value goes to the top-left of its 2×2 block; the other three are zero."""

    def forward(self, x, switches=None):
        n, c, h, w = x.shape
        out = x.new_zeros(n, c, h, 2, w, 2)
        out[:, :, :, 0, :, 0] = x
        return out.reshape(n, c, 2 * h, 2 * w)


class Nearest(nn.Module):
    """Each value copied into its whole 2×2 block."""

    def forward(self, x, switches=None):
        return F.interpolate(x, scale_factor=2, mode="nearest")


class Bilinear(nn.Module):
    """Linear interpolation between the two nearest inputs along each axis (pixel centres aligned)."""

    def forward(self, x, switches=None):
        return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class MaxUnpool(nn.Module):
    """Each value goes to the position its encoder max-pool window took its maximum from."""

    def forward(self, x, switches=None):
        if switches is None:
            raise ValueError("max unpooling needs the switches (argmax indices) of the encoder's max pooling")
        n, c, h, w = x.shape
        return F.max_unpool2d(x, switches, kernel_size=2, stride=2, output_size=(2 * h, 2 * w))


class TransposedConv(nn.Module):
    """A learnable upsampling: a stride-2 transposed convolution with a k×k kernel."""

    def __init__(self, channels: int, kernel: int):
        super().__init__()
        # output = (H-1)*2 - 2*padding + kernel + output_padding = 2H for k3 (p1, op1) and k4 (p1, op0)
        self.conv = nn.ConvTranspose2d(channels, channels, kernel, stride=2, padding=1,
                                       output_padding=1 if kernel == 3 else 0)

    def forward(self, x, switches=None):
        return self.conv(x)


@dataclass(frozen=True)
class Decoder:
    """One upsampling choice and how to build it (its name on screen: decoder.<name> and decoder.<name>.short)."""

    name: str
    learnable: bool
    uses_switches: bool

    def build(self, channels: int) -> nn.Module:
        return _FACTORIES[self.name](channels)


_FACTORIES = {
    "bed_of_nails": lambda c: BedOfNails(),
    "nearest": lambda c: Nearest(),
    "bilinear": lambda c: Bilinear(),
    "max_unpool": lambda c: MaxUnpool(),
    "transposed_k3s2": lambda c: TransposedConv(c, 3),
    "transposed_k4s2": lambda c: TransposedConv(c, 4),
}

DECODERS = {d.name: d for d in [
    Decoder("bed_of_nails", False, False),
    Decoder("nearest", False, False),
    Decoder("bilinear", False, False),
    Decoder("max_unpool", False, True),
    Decoder("transposed_k3s2", True, False),
    Decoder("transposed_k4s2", True, False),
]}
