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
MERGES = ("Add", "Mul", "Sub", "Div", "Concat", "Max", "Min", "Sum", "Mean", "Where")  # every input a feature map


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
                               "stride": tuple(strides), "padding": tuple(_pads(node, loaded, kernel, strides,
                                                                                dilations, transposed=True)),
                               "scale": _scale(in_side, out_side),
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


# --------------------------------------------------------------------------- the centre pixel's field, exactly

def _pads(node, loaded: Loaded, kernel, strides, dilations, transposed=False) -> list[int]:
    """Padding before the first pixel along H and W (auto_pad resolved with the shapes)."""
    a = attributes(node)
    auto = _text(a.get("auto_pad", "NOTSET"))
    if auto in ("SAME_UPPER", "SAME_LOWER") and not transposed:
        begin = []
        side_in = _spatial(loaded.shapes.get(node.input[0]))
        side_out = _spatial(loaded.shapes.get(node.output[0]))
        for axis in (0, 1):
            span = dilations[axis] * (kernel[axis] - 1) + 1
            total = max((side_out[axis] - 1) * strides[axis] + span - side_in[axis], 0) if side_in and side_out else 0
            begin.append(total // 2 if auto == "SAME_UPPER" else total - total // 2)
        return begin
    pads = list(a.get("pads") or [0, 0, 0, 0])
    return [pads[0], pads[1]] if len(pads) >= 2 else [0, 0]


def _source(x: float, mode: str, nearest: str) -> tuple[int, int]:
    """First and last input index an interpolated output at input coordinate x reads (nonzero weight)."""
    base = math.floor(x)
    exact = x == base
    if mode == "nearest":
        if nearest == "floor":
            k = base
        elif nearest == "ceil":
            k = math.ceil(x)
        elif nearest == "round_prefer_ceil":
            k = math.floor(x + 0.5)
        else:  # round_prefer_floor, ONNX's default
            k = math.ceil(x - 0.5)
        return k, k
    if exact:
        return base, base
    return (base, base + 1) if mode == "linear" else (base - 1, base + 2)


def _coordinate(o: int, n_in: int, n_out: int, how: str) -> float:
    scale = n_out / n_in
    if how == "align_corners":
        return o * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    if how == "asymmetric":
        return o / scale
    if how == "tf_half_pixel_for_nn":
        return (o + 0.5) / scale
    if how == "pytorch_half_pixel" and n_out == 1:
        return 0.0
    return (o + 0.5) / scale - 0.5


def _back(node, loaded: Loaded, axis: int, lo: int, hi: int, index: int) -> tuple[int, int] | None:
    """The input interval (along `axis`) that output interval [lo, hi] of `node` reads from input `index`."""
    op = node.op_type
    if index != 0 and op not in MERGES:
        return None  # a weight, a scale or a size, not a feature map
    in_side = _spatial_any(loaded.shapes.get(node.input[index]))
    out_side = _spatial_any(loaded.shapes.get(node.output[0]))
    if in_side is None:
        return None
    if op in CONVS or op in POOLS:
        kernel, strides, dilations = _window(node, loaded)
        begin = _pads(node, loaded, kernel, strides, dilations)[axis]
        return lo * strides[axis] - begin, hi * strides[axis] - begin + dilations[axis] * (kernel[axis] - 1)
    if op == "ConvTranspose":
        kernel, strides, dilations = _window(node, loaded)
        begin = _pads(node, loaded, kernel, strides, dilations, transposed=True)[axis]
        s, reach = strides[axis], dilations[axis] * (kernel[axis] - 1)
        return -((reach - lo - begin) // s), (hi + begin) // s
    if op in RESIZES and out_side:
        a = attributes(node)
        mode, nearest = _text(a.get("mode", "nearest")), _text(a.get("nearest_mode", "round_prefer_floor"))
        how = _text(a.get("coordinate_transformation_mode", "half_pixel")) if op == "Resize" else "asymmetric"
        n_in, n_out = in_side[axis], out_side[axis]
        if n_in == n_out:
            return lo, hi
        ends = [_source(_coordinate(o, n_in, n_out, how), mode, nearest) for o in range(lo, hi + 1)]
        return min(e[0] for e in ends), max(e[1] for e in ends)
    if op == "MaxUnpool":
        _, strides, _ = _window(node, loaded)
        return lo // strides[axis], hi // strides[axis]
    if op == "Pad" and len(node.input) > 1 and node.input[1] in loaded.initializers:
        pads = loaded.initializers[node.input[1]].tolist()
        rank = len(pads) // 2
        shift = pads[rank - 2 + axis] if rank >= 2 else 0
        return lo - shift, hi - shift
    if out_side and in_side[axis] != out_side[axis]:
        return None  # broadcast (a 1×1 gate) or an operator that changes the size in a way not modelled here
    return lo, hi


def _spatial_any(shape) -> tuple[int, int] | None:
    return (shape[-2], shape[-1]) if shape is not None and len(shape) >= 3 else None


def centre_field(loaded: Loaded, fields: dict) -> tuple[int, int]:
    """Side (H, W) of the input interval the centre output pixel can depend on: the hull of the intervals
    walked back along every main-path route (context branches excluded), padding positions included as in
    the lecture's recurrence r + (k'−1)·j."""
    output = loaded.model.graph.output[0].name
    side = _spatial_any(loaded.shapes.get(output))
    if side is None:
        return 1, 1
    need = {output: [side[0] // 2, side[0] // 2, side[1] // 2, side[1] // 2]}
    for node in reversed(loaded.model.graph.node):
        wanted = [need[name] for name in node.output if name in need]
        if not wanted:
            continue
        box = [min(w[0] for w in wanted), max(w[1] for w in wanted), min(w[2] for w in wanted),
               max(w[3] for w in wanted)]
        for index, name in enumerate(node.input):
            source = fields.get(name)
            if source is None or source.context:
                continue
            rows = _back(node, loaded, 0, box[0], box[1], index)
            cols = _back(node, loaded, 1, box[2], box[3], index)
            if rows is None or cols is None:
                continue
            old = need.get(name)
            need[name] = [*rows, *cols] if old is None else [min(old[0], rows[0]), max(old[1], rows[1]),
                                                               min(old[2], cols[0]), max(old[3], cols[1])]
    found = need.get(loaded.input_name)
    return (found[1] - found[0] + 1, found[3] - found[2] + 1) if found else (1, 1)
