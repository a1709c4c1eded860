"""The lecture's arithmetic walked along an ONNX graph: stride and receptive field of every feature map.

Per axis, a conv or pool with effective kernel k' = d·(k−1)+1 and stride s maps (field r, jump j) to
(r + (k'−1)·j, j·s), as in ops/layer_stack/receptive_field.py. An upsampling by f divides the jump by f and
widens the field by the input pixels one output pixel mixes (taps − 1 = 0 nearest, 1 linear, 3 cubic;
⌈k/s⌉ − 1 for a transposed conv). Where branches meet (Add, Concat, Mul) the widest field wins: the
theoretical field is the one along the longest path.

Global pooling (squeeze-and-excitation, DeepLab's image pooling) and adaptive pooling written as a product
with a constant matrix (pyramid pooling) are *context* branches: they let an output see further, but they
are not the path the lecture's arithmetic follows, so they are listed apart and leave the stride alone.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import onnx

from ops.own_network.load import Loaded

CONVS = ("Conv", "ConvInteger", "QLinearConv")
POOLS = ("MaxPool", "AveragePool", "LpPool")
GLOBAL_POOLS = ("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool")
REDUCES = ("ReduceMean", "ReduceMax", "ReduceSum", "ReduceMin", "ReduceL2")
RESIZES = ("Resize", "Upsample")
TAPS = {"nearest": 1, "linear": 2, "cubic": 4}


@dataclass
class Field:
    """Field side and jump along H and W, in input pixels; `context` for a branch of global/adaptive pooling."""

    r: tuple[Fraction, Fraction]
    j: tuple[Fraction, Fraction]
    context: bool = False
    depth: int = 0


@dataclass
class Walk:
    fields: dict  # tensor name -> Field
    stages: list  # (node name, stride so far) where the resolution changes on the main path
    upsampling: list  # dicts, one per upsampling node
    context: list  # names of the nodes that open a context branch
    points: list  # (depth, height, op type, node name) of every main-path feature map, for the figure
    mixing: set  # names of constant matrices used as spatial pooling (not learned parameters)


def attributes(node) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _window(node, loaded: Loaded) -> tuple[list[int], list[int], list[int]]:
    """Kernel, stride, dilation (H, W) of a conv or pool node."""
    a = attributes(node)
    kernel = list(a.get("kernel_shape") or loaded.shapes.get(node.input[1], (0, 0, 1, 1))[2:])
    if len(kernel) != 2:
        kernel = (kernel + [1, 1])[:2]
    strides = list(a.get("strides") or [1, 1])[:2]
    dilations = list(a.get("dilations") or [1, 1])[:2]
    return kernel, strides, dilations


def _spatial(shape) -> tuple[int, int] | None:
    return (shape[2], shape[3]) if shape is not None and len(shape) == 4 else None


def _reduces_space(node, loaded: Loaded) -> bool:
    a = attributes(node)
    axes = a.get("axes")
    if axes is None and len(node.input) > 1 and node.input[1] in loaded.initializers:
        axes = loaded.initializers[node.input[1]].tolist()
    rank = len(loaded.shapes.get(node.input[0], ()))
    if axes is None:
        return not a.get("noop_with_empty_axes", 0)
    return any(ax % max(rank, 1) in (2, 3) for ax in axes)


def _band(matrix: np.ndarray) -> int:
    """The widest run of inputs any output row mixes (first to last nonzero)."""
    widths = [int(np.ptp(np.flatnonzero(row))) + 1 if row.any() else 1 for row in np.asarray(matrix)]
    return max(widths) if widths else 1


def walk(loaded: Loaded) -> Walk:
    shapes = loaded.shapes
    height, width = loaded.input_shape[2], loaded.input_shape[3]
    one = Fraction(1)
    fields = {loaded.input_name: Field((one, one), (one, one))}
    upsampling, context, points, mixing, made_by = [], [], [], set(), {}

    def stride_of(name) -> int | None:
        side = _spatial(shapes.get(name))
        if not side or side[0] == 0:
            return None
        return max(1, round(height / side[0]))

    for node in loaded.model.graph.node:
        ins = [fields[name] for name in node.input if name in fields]
        if not ins:
            continue
        op = node.op_type
        main = [f for f in ins if not f.context] or ins
        base = max(main, key=lambda f: max(f.r))
        depth = max(f.depth for f in ins) + 1
        r, j, is_context = list(base.r), list(base.j), all(f.context for f in ins)
        out_side = _spatial(shapes.get(node.output[0]))
        in_side = _spatial(shapes.get(node.input[0]))
        if op in CONVS or op in POOLS:
            kernel, strides, dilations = _window(node, loaded)
            for axis in (0, 1):
                span = dilations[axis] * (kernel[axis] - 1) + 1
                r[axis] += (span - 1) * j[axis]
                j[axis] *= strides[axis]
        elif op == "ConvTranspose":
            kernel, strides, dilations = _window(node, loaded)
            for axis in (0, 1):
                span = dilations[axis] * (kernel[axis] - 1) + 1
                r[axis] += (math.ceil(span / strides[axis]) - 1) * j[axis]
                j[axis] /= strides[axis]
            upsampling.append({"op": "conv_transpose", "node": node.name, "kernel": tuple(kernel),
                               "stride": tuple(strides), "scale": _scale(in_side, out_side),
                               "checkerboard": any(k % s for k, s in zip(kernel, strides)), "context": is_context})
        elif op in RESIZES and in_side and out_side:
            a = attributes(node)
            mode = _text(a.get("mode", "nearest"))
            for axis in (0, 1):
                factor = Fraction(out_side[axis], in_side[axis]) if in_side[axis] else one
                r[axis] += (TAPS.get(mode, 2) - 1) * j[axis] if factor != 1 else 0
                j[axis] /= factor
            if out_side[0] > in_side[0] or out_side[1] > in_side[1]:
                upsampling.append({"op": "resize", "node": node.name, "mode": mode,
                                   "coordinate_mode": _text(a.get("coordinate_transformation_mode", "half_pixel"))
                                   if op == "Resize" else "asymmetric",
                                   "scale": _scale(in_side, out_side), "context": is_context})
        elif op == "MaxUnpool":
            kernel, strides, _ = _window(node, loaded)
            for axis in (0, 1):
                j[axis] /= strides[axis]
            upsampling.append({"op": "max_unpool", "node": node.name, "kernel": tuple(kernel),
                               "stride": tuple(strides), "scale": _scale(in_side, out_side), "context": is_context})
        elif op in GLOBAL_POOLS or (op in REDUCES and _reduces_space(node, loaded)):
            r, j, is_context = [Fraction(height), Fraction(width)], [Fraction(height), Fraction(width)], True
            context.append(node.name)
        elif op == "MatMul" and _mixes_space(node, loaded):
            const_index = 0 if node.input[0] in loaded.initializers else 1
            matrix = loaded.initializers[node.input[const_index]]
            mixing.add(node.input[const_index])
            axis = 0 if const_index == 0 else 1  # A @ x mixes rows (H); x @ B mixes columns (W)
            rows = matrix if const_index == 0 else matrix.T
            r[axis] += (_band(rows) - 1) * j[axis]
            j[axis] *= Fraction(rows.shape[1], rows.shape[0])
            if not base.context:
                context.append(node.name)
            is_context = True
        field = Field((r[0], r[1]), (j[0], j[1]), is_context, depth)
        for name in node.output:
            if name and len(shapes.get(name, (0, 0, 0))) >= 3:  # feature maps only, not shape arithmetic
                fields[name] = field
        if not is_context and out_side:
            points.append((depth, out_side[0], op, node.name))
        deepest = max((n for n in node.input if n in fields and not fields[n].context), default=None,
                      key=lambda n: fields[n].depth)
        for name in node.output:
            if name:
                made_by[name] = (node.name, deepest)
    stages = _stages_along_longest_path(loaded, made_by, stride_of)
    return Walk(fields, stages, upsampling, context, points, mixing)


def _stages_along_longest_path(loaded: Loaded, made_by: dict, stride_of) -> list:
    """(node, stride) where the stride changes on the deepest path from the input to the output: the
    backbone then the decoder, without the side branches that rejoin it."""
    path, name = [], loaded.model.graph.output[0].name
    while name in made_by:
        node_name, previous = made_by[name]
        path.append((node_name, name, previous))
        if previous is None:
            break
        name = previous
    stages = []
    for node_name, output, previous in reversed(path):
        before, after = (stride_of(previous) if previous else None), stride_of(output)
        if before is not None and after is not None and after != before:
            stages.append((node_name, after))
    return stages


def _mixes_space(node, loaded: Loaded) -> bool:
    """A MatMul of a 4-D feature map with a constant 2-D matrix: adaptive pooling or interpolation as a product."""
    a, b = node.input[0], node.input[1]
    if a in loaded.initializers and len(loaded.shapes.get(b, ())) == 4:
        return loaded.initializers[a].ndim == 2
    if b in loaded.initializers and len(loaded.shapes.get(a, ())) == 4:
        return loaded.initializers[b].ndim == 2
    return False


def _scale(in_side, out_side) -> float | None:
    if not in_side or not out_side or not in_side[0]:
        return None
    return round(out_side[0] / in_side[0], 4)
