"""What a stack costs: per-layer output size, FLOPs and activation memory, computed from the specs alone.

FLOP convention (the one torch.utils.flop_counter.FlopCounterMode uses, so the tests can compare):
2 FLOPs per multiply-add of a convolution, every kernel tap counted even where it lands on zero padding,
bias ignored. A conv costs 2·C_in·C_out·k²·H_out·W_out; a transposed conv 2·C_in·C_out·k²·H_in·W_in
(each *input* pixel is spread by the whole kernel). Pools, upsampling and ReLU are counted as 0: they
do a few operations per pixel, against hundreds of multiply-adds per pixel for a convolution.

Activation memory: the bytes of each layer's output tensor for one image in float32 (4 bytes a value),
what training must keep for the backward pass.
"""

from dataclasses import dataclass

from ops.layer_stack.layers import CONV, TCONV, Layer, StackError, channels_after, checked, output_sizes

BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class LayerCost:
    layer: Layer
    channels: int  # output channels
    side: int  # output height = width
    flops: int
    activation_bytes: int

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.channels, self.side, self.side)


def layer_costs(layers, size: int, in_channels: int = 3) -> list[LayerCost]:
    """Per-layer output shape, FLOPs and activation bytes for a square `size`×`size` input image.

    Raises StackError for an invalid stack or one that shrinks the map below 1×1 at this size.
    """
    layers = checked(layers, size)
    sides = output_sizes(layers, size)
    channels = channels_after(layers, in_channels)
    costs = []
    for i, layer in enumerate(layers):
        c_in, c_out, side = channels[i], channels[i + 1], sides[i + 1]
        taps = 2 * c_in * c_out * layer.kernel ** 2
        if layer.kind == CONV:
            flops = taps * side * side
        elif layer.kind == TCONV:
            flops = taps * sides[i] * sides[i]
        else:
            flops = 0
        costs.append(LayerCost(layer, c_out, side, flops, c_out * side * side * BYTES_PER_VALUE))
    return costs


@dataclass(frozen=True)
class Totals:
    size: int
    flops: int
    activation_bytes: int


def totals(layers, size: int, in_channels: int = 3) -> Totals:
    costs = layer_costs(layers, size, in_channels)
    return Totals(size, sum(c.flops for c in costs), sum(c.activation_bytes for c in costs))


GROWTH_SIZES = (64, 128, 256, 512, 1024)


def cost_growth(layers, sizes=GROWTH_SIZES, in_channels: int = 3) -> list[Totals]:
    """Total FLOPs and activation bytes at each input size (sizes where the stack cannot run are left out)."""
    try:
        layers = checked(layers)
    except StackError:
        return []
    rows = []
    for size in sizes:
        try:
            rows.append(totals(layers, size, in_channels))
        except StackError:
            continue
    return rows
