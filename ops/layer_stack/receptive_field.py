"""Receptive field of every layer: by the recurrence where it holds, by autograd where it does not.

Along one axis, with input pixel i centred at coordinate i, a layer with effective kernel
k' = d·(k-1)+1, stride s and padding p maps (size r, jump j, start) to

    r_out = r_in + (k' - 1)·j_in      j_out = j_in·s      start_out = start_in + ((k' - 1)/2 - p)·j_in

where `start` is the centre of output unit 0's field, so unit u sees the input pixels
start + u·j ± (r - 1)/2. Upsampling breaks this: the jump shrinks (j/2 for ×2), and how many inputs
an output pixel sees depends on where it sits (a bed of nails leaves every other pixel seeing nothing).
From the first upsampling layer on, the field is therefore *measured*: the support (nonzero region) of
the gradient of one output unit with respect to the input, in the geometry probe of network.py.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import torch

from ops.layer_stack.layers import TCONV, UPSAMPLERS, Layer, StackError, checked, output_sizes
from ops.layer_stack.network import build_stack

MAX_PROBE = 1024  # probe inputs stay below this side, so a measurement takes seconds, not minutes


@dataclass(frozen=True)
class FieldRow:
    layer: Layer | None  # None for the input row
    side: int  # output side at the size the field was computed for
    jump: Fraction  # input pixels between neighbouring output units
    start: float  # centre of unit 0's field, in input pixel coordinates
    size: int  # receptive field side in input pixels (0: the unit sees nothing)
    measured: bool  # True: from the autograd gradient support, not the recurrence

    @property
    def jump_value(self) -> float:
        return float(self.jump)


def recurrence(layers) -> list[tuple[int, Fraction, Fraction] | None]:
    """(size, jump, start) per layer by the recurrence, index 0 the input; None from the first upsampling on."""
    layers = checked(layers)
    rows = [(1, Fraction(1), Fraction(0))]
    for layer in layers:
        previous = rows[-1]
        if previous is None or layer.is_upsampling:
            rows.append(None)
            continue
        r, j, start = previous
        rows.append((r + (layer.span - 1) * j, j * layer.stride,
                     start + (Fraction(layer.span - 1, 2) - layer.padding) * j))
    return rows


def jumps(layers) -> list[Fraction]:
    """Jump of every layer, index 0 the input: strides multiply it, upsampling by f divides it by f."""
    result = [Fraction(1)]
    for layer in checked(layers):
        result.append(result[-1] / layer.factor if layer.is_upsampling else result[-1] * layer.stride)
    return result


def _bound(layers: list[Layer]) -> float:
    """A generous upper bound on every layer's field side, to pick a probe input that does not clip it."""
    r, j, worst = 1.0, 1.0, 1.0
    for layer in layers:
        if layer.kind in UPSAMPLERS:
            r, j = r + 3 * j, j / 2
        elif layer.kind == TCONV:
            r, j = r + math.ceil(layer.kernel / layer.stride) * j, j / layer.stride
        else:
            r, j = r + (layer.span - 1) * j, j * layer.stride
        worst = max(worst, r)
    return worst


def _downsampling(layers: list[Layer]) -> int:
    factor = 1
    for layer in layers:
        if not layer.is_upsampling:
            factor *= layer.stride
    return factor


def size_at_most(layers, limit: int) -> int | None:
    """The largest input side ≤ limit (a multiple of the stack's downsampling) that the stack accepts."""
    layers = checked(layers)
    step = _downsampling(layers)
    n = limit // step * step
    while n >= step:
        try:
            output_sizes(layers, n)
            return n
        except StackError:
            n -= step
    return None


def probe_size(layers, at_least: int = 1) -> int:
    """An input side a little larger than any layer's field (and that the stack accepts), so the centre
    units see their whole field; receptive_field checks that no field touches the border."""
    layers = checked(layers)
    step = min(_downsampling(layers), MAX_PROBE)
    want = max(at_least, int(_bound(layers)) + 8)
    n = -(-want // step) * step
    while n <= MAX_PROBE:
        try:
            output_sizes(layers, n)
            return n
        except StackError:
            n += step
    raise StackError("stack.field_too_large_for_probe", most=MAX_PROBE)


class Probe:
    """One forward pass of the geometry probe, then gradient supports of any unit of any layer.

    With `copies` > 1 the input is a batch of identical images, so one backward pass can follow a
    different unit in each copy (the copies do not mix: there is no batch norm)."""

    def __init__(self, layers, size: int, copies: int = 1):
        self.layers = checked(layers, size)
        self.size = size
        self.net = build_stack(self.layers, in_channels=1, probe=True, dtype=torch.float64)
        self.input = torch.ones(copies, 1, size, size, dtype=torch.float64, requires_grad=True)
        self.outputs = self.net(self.input)

    def supports(self, layer_index: int, units: list[tuple[int, int]]) -> list[np.ndarray]:
        """Boolean size×size masks, one per unit (row, col) of layer `layer_index` (1-based; 0 is the
        input itself): the input pixels with a nonzero gradient of that unit. One backward pass."""
        if layer_index == 0:
            masks = [np.zeros((self.size, self.size), dtype=bool) for _ in units]
            for mask, (row, col) in zip(masks, units):
                mask[row, col] = True
            return masks
        out = self.outputs[layer_index - 1]
        chosen = sum(out[k, 0, row, col] for k, (row, col) in enumerate(units))
        (grad,) = torch.autograd.grad(chosen, self.input, retain_graph=True)
        return [(grad[k, 0] > 0).numpy() for k in range(len(units))]

    def support(self, layer_index: int, row: int, col: int) -> np.ndarray:
        return self.supports(layer_index, [(row, col)])[0]


def _extent(mask_1d: np.ndarray) -> tuple[int, int] | None:
    hits = np.flatnonzero(mask_1d)
    return (int(hits[0]), int(hits[-1])) if hits.size else None


def measured_field(probe: Probe, layer_index: int, jump: Fraction) -> tuple[int, float, bool]:
    """(size, start, clipped) of a layer from the gradient support of its centre unit, or of the next
    unit when that one sees more (which inputs an upsampled unit sees alternates with its position; a
    bed of nails leaves every other unit seeing nothing). Size 0 if neither sees anything. `start` is
    the followed unit's field centre minus unit·jump; `clipped` says the field touched the border."""
    side = probe.outputs[layer_index - 1].shape[-1] if layer_index else probe.size
    best = (0, float("nan"), False)
    units = [side // 2, min(side - 1, side // 2 + 1)]
    for unit, mask in zip(units, probe.supports(layer_index, [(u, u) for u in units])):
        extent = _extent(mask.any(axis=0))
        if extent and extent[1] - extent[0] + 1 > best[0]:
            clipped = extent[0] == 0 or extent[1] == probe.size - 1
            best = (extent[1] - extent[0] + 1, (extent[0] + extent[1]) / 2 - unit * float(jump), clipped)
    return best


def receptive_field(layers, size: int | None = None) -> list[FieldRow]:
    """Per-layer receptive field (size, jump, start), the input first.

    Layers up to the first upsampling use the recurrence; from there on the field is measured by
    autograd on an input large enough that it is not clipped. `side` is each layer's output side for an
    input of `size` pixels (default: the probe's size).
    """
    layers = checked(layers, size)
    exact = recurrence(layers)
    jump = jumps(layers)
    measured = {}
    if any(row is None for row in exact):
        at_least = 1
        while True:
            probe = Probe(layers, probe_size(layers, at_least), copies=2)
            measured = {i: measured_field(probe, i, jump[i]) for i, row in enumerate(exact) if row is None}
            if not any(clipped for _, _, clipped in measured.values()):
                break
            if 2 * probe.size > MAX_PROBE:
                raise StackError("stack.field_too_large")
            at_least = 2 * probe.size
    sides = output_sizes(layers, size if size else (probe.size if measured else 1024))
    rows = []
    for i in range(len(layers) + 1):
        if exact[i] is not None:
            r, _, start = exact[i]
            rows.append(FieldRow(layers[i - 1] if i else None, sides[i], jump[i], float(start), int(r), False))
        else:
            field, begin, _ = measured[i]
            rows.append(FieldRow(layers[i - 1], sides[i], jump[i], begin, field, True))
    return rows


def field_by_autograd(layers, size: int) -> list[tuple[int, int] | None]:
    """For tests and the curious: row extent (first, last input pixel) of every layer's centre unit's
    gradient support on a `size`×`size` input, index 0 the input."""
    probe = Probe(layers, size)
    extents = []
    for i in range(len(probe.layers) + 1):
        side = probe.outputs[i - 1].shape[-1] if i else size
        unit = side // 2
        extents.append(_extent(probe.support(i, unit, unit).any(axis=0)))
    return extents


@dataclass(frozen=True)
class GrowthFrames:
    """What the animation shows: per layer, the input pixels the unit over the chosen pixel sees."""
    masks: list[np.ndarray]  # per layer (index 0: the input pixel itself), size×size booleans
    joined: np.ndarray  # per input pixel, the first layer whose unit saw it (-1: never)
    units: list[tuple[int, int]]  # the unit (row, col) followed in each layer
    sides: list[int]
    rows: list[FieldRow]


def field_growth(layers, size: int, pixel: tuple[int, int]) -> GrowthFrames:
    """Follow the output pixel over input pixel `pixel` (row, col) through the stack on a size×size
    input: the unit of each layer whose field is centred nearest to that pixel, and its gradient support."""
    layers = checked(layers, size)
    row, col = (min(max(int(v), 0), size - 1) for v in pixel)
    table = receptive_field(layers, size)
    probe = Probe(layers, size)
    masks, units = [], []
    joined = np.full((size, size), -1, dtype=int)
    for i, entry in enumerate(table):
        side = entry.side
        start = entry.start if entry.start == entry.start else 0.0
        unit = tuple(min(max(round((p - start) / float(entry.jump)), 0), side - 1) for p in (row, col))
        mask = probe.support(i, *unit)
        joined[(joined < 0) & mask] = i
        masks.append(mask)
        units.append(unit)
    return GrowthFrames(masks, joined, units, [e.side for e in table], table)
