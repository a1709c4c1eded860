"""Effective receptive field (Luo et al., 2016): how strongly each input pixel really moves one output.

The theoretical field says which pixels *can* matter. Measured by autograd, the gradient of one output
unit with respect to the input, averaged over random inputs and random initialisations, piles up in the
middle: the paths from a centre pixel to the output outnumber those from the rim, like the coefficients
of (1 + x + x²)^L for L stacked 3-tap filters. Its width grows like √L while the theoretical field grows
like L, so the *effective* share of the square shrinks as the stack deepens.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch

from ops.layer_stack.layers import CONV, Layer, checked, conv, output_sizes
from ops.layer_stack.network import build_stack
from ops.layer_stack.receptive_field import Probe, probe_size

MASS = 0.95  # the effective field: the fewest pixels that carry this share of the gradient
MAX_INPUT = 256  # a larger field is measured on a 256-pixel input, clipped by its borders (stays quick)


@dataclass(frozen=True)
class EffectiveField:
    gradient: np.ndarray  # size×size, mean |∂ output / ∂ input|, normalised to sum 1
    theoretical: np.ndarray  # size×size booleans: the theoretical field (gradient support of the probe)
    unit: tuple[int, int]  # the output unit followed
    size: int  # input side
    trials: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(top, bottom, left, right) of the theoretical square, inclusive."""
        rows, cols = np.flatnonzero(self.theoretical.any(axis=1)), np.flatnonzero(self.theoretical.any(axis=0))
        return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])

    @property
    def theoretical_side(self) -> int:
        top, bottom, _, _ = self.box
        return bottom - top + 1

    @property
    def sigma(self) -> float:
        """Standard deviation of the gradient along an axis (rows and columns averaged), in pixels."""
        return float(np.mean([_std(self.gradient.sum(axis=0)), _std(self.gradient.sum(axis=1))]))

    @property
    def width(self) -> float:
        """Effective width 4σ: for a Gaussian, the centred band holding 95% of the gradient."""
        return 4 * self.sigma

    @property
    def core(self) -> np.ndarray:
        """Booleans: the fewest pixels that together carry MASS (95%) of the gradient."""
        flat = self.gradient.ravel()
        order = np.argsort(flat)[::-1]
        count = int(np.searchsorted(np.cumsum(flat[order]), MASS * flat.sum()) + 1)
        mask = np.zeros(flat.size, dtype=bool)
        mask[order[:count]] = True
        return mask.reshape(self.gradient.shape)

    @property
    def fraction(self) -> float:
        """Share of the theoretical square (as it lies inside the image) covered by the 95% core."""
        top, bottom, left, right = self.box
        return float(self.core.sum()) / ((bottom - top + 1) * (right - left + 1))


def field_size(layers) -> int:
    """A square input just larger than the last layer's theoretical field (nothing clipped), at most
    MAX_INPUT pixels (then the border clips the field, and the theoretical mask shows the same clipping)."""
    from ops.layer_stack.receptive_field import receptive_field, size_at_most

    wanted = receptive_field(layers)[-1].size + 8
    if wanted <= MAX_INPUT:
        return probe_size(layers, wanted)
    return size_at_most(layers, MAX_INPUT) or probe_size(layers, wanted)


def _std(weights: np.ndarray) -> float:
    weights = weights / weights.sum()
    positions = np.arange(weights.size)
    mean = (weights * positions).sum()
    return float(math.sqrt((weights * (positions - mean) ** 2).sum()))


def _equal_weights(net) -> None:
    """Every conv weight 1/(fan-in), bias 0: each layer averages its window."""
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
                module.weight.fill_(1.0 / module.weight[0].numel())
                if module.bias is not None:
                    module.bias.zero_()


def effective_field(layers, size: int | None = None, trials: int = 8, inputs_per_trial: int = 4,
                    max_channels: int = 8, relu: bool = True, init: str = "random", seed: int = 0,
                    in_channels: int = 1, progress=None) -> EffectiveField:
    """Mean |gradient| of the centre unit (channel 0) of the last layer with respect to the input.

    `trials` fresh initialisations (PyTorch's default, seeded), each with `inputs_per_trial` standard
    normal inputs. Channels are capped at `max_channels` to keep it quick: the field's shape depends on
    the geometry, not on the width. `init="equal"` makes every conv average its window (no randomness).
    `progress(done, total)` is called after each trial.
    """
    layers = checked(layers, size)
    if size is None:
        size = field_size(layers)
    side = output_sizes(layers, size)[-1]
    unit = (side // 2, side // 2)
    generator = torch.Generator().manual_seed(seed)
    total = torch.zeros(size, size, dtype=torch.float64)
    for trial in range(trials):
        net = build_stack(layers, in_channels=in_channels, relu=relu, max_channels=max_channels,
                          seed=seed * 1000 + trial)
        if init == "equal":
            _equal_weights(net)
        x = torch.randn(inputs_per_trial, in_channels, size, size, generator=generator, requires_grad=True)
        out = net(x)[-1]
        (grad,) = torch.autograd.grad(out[:, 0, unit[0], unit[1]].sum(), x)
        total += grad.abs().sum(dim=(0, 1)).double()
        if progress:
            progress(trial + 1, trials)
    gradient = (total / total.sum()).numpy() if total.sum() > 0 else total.numpy()
    theoretical = Probe(layers, size).support(len(layers), *unit)
    return EffectiveField(gradient, theoretical, unit, size, trials)


def equal_weight_field(depth: int, size: int | None = None) -> EffectiveField:
    """`depth` stacked linear 3×3 convs that each average their window: the exact (1 + x + x²)^L case."""
    layers = [conv(3, 1)] * depth
    return effective_field(layers, size or 2 * depth + 9, trials=1, inputs_per_trial=1, relu=False,
                           init="equal")


@dataclass(frozen=True)
class DepthPoint:
    depth: int
    theoretical: int  # 1 + 2L
    width_random: float  # 4σ, random ReLU networks
    width_equal: float  # 4σ, equal weights, linear: 4·√(2L/3)


def depth_growth(max_depth: int = 16, trials: int = 8, channels: int = 8, progress=None) -> list[DepthPoint]:
    """Effective width (4σ) against depth for stacked 3×3 convs with ReLU, next to the theoretical 1 + 2L."""
    points = []
    for depth in range(1, max_depth + 1):
        layers: list[Layer] = [conv(3, channels)] * depth
        size = 2 * depth + 9
        random_field = effective_field(layers, size, trials=trials, max_channels=channels, seed=depth)
        equal = equal_weight_field(depth, size)
        points.append(DepthPoint(depth, 1 + 2 * depth, random_field.width, equal.width))
        if progress:
            progress(depth, max_depth)
    return points


__all__ = ["EffectiveField", "effective_field", "equal_weight_field", "depth_growth", "DepthPoint", "CONV"]
