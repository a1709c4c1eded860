"""From uploaded bytes to an ONNX graph whose every tensor has a known shape at the chosen input size.

The order of the checks is the order of the questions a student would ask: is it ONNX at all, is it
whole, is it small enough, does every operator exist, what does it take as input; then the shapes.
ONNX is a protobuf with no code in it, so parsing an upload runs nothing of the uploader's.
"""

from dataclasses import dataclass

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import TensorProto, numpy_helper

from ops.own_network.choices import MAX_UPLOAD_MB
from ops.own_network.errors import BadModel, DynamicShapes, NotOnnx, TooLarge, Truncated, UnknownOperators

MAX_BYTES = MAX_UPLOAD_MB * 2**20  # a ResNet-50 FCN exports to about 135 MB
KNOWN_CUSTOM_DOMAINS = ("com.microsoft",)  # onnxruntime's own operators, which it runs on the CPU


@dataclass
class Loaded:
    """A parsed, checked model with every tensor's shape at one input size."""

    model: onnx.ModelProto
    input_name: str
    input_shape: tuple[int, int, int, int]  # N, C, H, W as analysed
    fixed_size: bool  # the model fixes H×W itself (the chosen size was not used)
    shapes: dict  # tensor name -> tuple of ints
    initializers: dict  # name -> numpy array


def _looks_like_onnx(data: bytes) -> bool:
    """ONNX files begin with field 1 (ir_version, a small varint): 0x08 then 3…15."""
    return len(data) >= 2 and data[0] == 0x08 and 3 <= data[1] <= 15


def parse(data: bytes, max_bytes: int = MAX_BYTES) -> onnx.ModelProto:
    """The ModelProto in `data`, or NotOnnx / Truncated / TooLarge."""
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) == 0:
        raise NotOnnx("own_network.error.empty")
    data = bytes(data)
    if len(data) > max_bytes:
        raise TooLarge("own_network.error.too_large", size_mb=round(len(data) / 2**20, 1), limit_mb=max_bytes // 2**20)
    if data[:2] == b"PK" or data[:1] == b"\x80":
        raise NotOnnx("own_network.error.torch_checkpoint")  # a torch.save zip or pickle: never unpickled
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except (DecodeError, RuntimeError, ValueError):
        raise (Truncated("own_network.error.truncated") if _looks_like_onnx(data)
               else NotOnnx("own_network.error.not_onnx")) from None
    if model.ir_version <= 0 or not _looks_like_onnx(data):
        raise NotOnnx("own_network.error.not_onnx")
    if not model.HasField("graph") or not model.graph.node or not model.graph.output:
        raise Truncated("own_network.error.truncated")
    return model


def check_complete(model: onnx.ModelProto) -> None:
    """Truncated when a weight holds fewer bytes than its shape needs or a node reads a tensor nobody makes;
    TooLarge when weights live in external files."""
    for tensor in model.graph.initializer:
        if tensor.data_location == TensorProto.EXTERNAL:
            raise TooLarge("own_network.error.external_data")
        if tensor.raw_data:
            itemsize = np.dtype(onnx.helper.tensor_dtype_to_np_dtype(tensor.data_type)).itemsize
            if len(tensor.raw_data) != int(np.prod(tensor.dims, dtype=np.int64)) * itemsize:
                raise Truncated("own_network.error.truncated")
    made = {v.name for v in model.graph.input} | {t.name for t in model.graph.initializer} | {""}
    for node in model.graph.node:
        if any(name not in made for name in node.input):
            raise Truncated("own_network.error.truncated")
        made.update(node.output)
    if any(output.name not in made for output in model.graph.output):
        raise Truncated("own_network.error.truncated")


def check_operators(model: onnx.ModelProto) -> None:
    """UnknownOperators naming every operator that no schema (at the model's opset) or local function defines."""
    opset = {entry.domain or "ai.onnx": entry.version for entry in model.opset_import}
    functions = {(f.domain, f.name) for f in model.functions}
    unknown = set()
    for node in model.graph.node:
        domain = node.domain or "ai.onnx"
        if (node.domain, node.op_type) in functions or domain in KNOWN_CUSTOM_DOMAINS:
            continue
        version = opset.get(domain)
        schema_domain = "" if domain == "ai.onnx" else domain
        if version is None or not onnx.defs.has(node.op_type, version, schema_domain):
            unknown.add(node.op_type if domain == "ai.onnx" else f"{domain}.{node.op_type}")
    if unknown:
        names = sorted(unknown)
        raise UnknownOperators("own_network.error.unknown_operators", count=len(names),
                               operators=", ".join(names[:12]) + (" …" if len(names) > 12 else ""))


def check_schema(model: onnx.ModelProto) -> None:
    try:
        onnx.checker.check_model(model)
    except (onnx.checker.ValidationError, ValueError):
        raise BadModel("own_network.error.invalid") from None


def fold_constants(model: onnx.ModelProto) -> onnx.ModelProto:
    """Constant nodes, and Identity nodes that copy a weight, become weights: the exporter's way of sharing a
    tensor, which converters (onnx2torch) and the graph walk expect as plain initializers."""
    graph = model.graph
    weights = {t.name: t for t in graph.initializer}
    keep = []
    for node in graph.node:
        tensor = None
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            tensor = node.attribute[0].t
        elif node.op_type == "Identity" and node.input[0] in weights:
            tensor = weights[node.input[0]]
        if tensor is None:
            keep.append(node)
            continue
        copy = TensorProto()
        copy.CopyFrom(tensor)
        copy.name = node.output[0]
        graph.initializer.append(copy)
        weights[copy.name] = copy
    del graph.node[:]
    graph.node.extend(keep)
    return model


def _dim(d) -> int | str | None:
    if d.HasField("dim_value"):
        return d.dim_value
    return d.dim_param or None


def bind_input(model: onnx.ModelProto, size: tuple[int, int]) -> tuple[str, tuple[int, int, int, int], bool]:
    """The one image input, its N×C×H×W fixed (batch 1, H×W `size` where the model leaves them open)."""
    weights = {t.name for t in model.graph.initializer}
    inputs = [v for v in model.graph.input if v.name not in weights]
    if len(inputs) != 1:
        raise BadModel("own_network.error.inputs", count=len(inputs))
    value = inputs[0]
    dims = [_dim(d) for d in value.type.tensor_type.shape.dim]
    if len(dims) != 4:
        raise BadModel("own_network.error.input_rank", rank=len(dims))
    if value.type.tensor_type.elem_type != TensorProto.FLOAT:
        raise BadModel("own_network.error.input_type")
    if not isinstance(dims[1], int) or dims[1] <= 0:
        raise DynamicShapes("own_network.error.dynamic_channels", dim=str(dims[1]))
    fixed = isinstance(dims[2], int) and dims[2] > 0 and isinstance(dims[3], int) and dims[3] > 0
    height = dims[2] if isinstance(dims[2], int) and dims[2] > 0 else size[0]
    width = dims[3] if isinstance(dims[3], int) and dims[3] > 0 else size[1]
    shape = (1, dims[1], height, width)
    for d, v in zip(value.type.tensor_type.shape.dim, shape):
        d.Clear()
        d.dim_value = v
    return value.name, shape, fixed and (height, width) != tuple(size)


def _shape_of(value) -> tuple[int, ...] | None:
    if not value.type.HasField("tensor_type") or not value.type.tensor_type.HasField("shape"):
        return None
    dims = [_dim(d) for d in value.type.tensor_type.shape.dim]
    return tuple(dims) if all(isinstance(d, int) and d >= 0 for d in dims) else None


def infer_shapes(model: onnx.ModelProto, input_name: str, input_shape) -> dict:
    """tensor name -> shape: ONNX shape inference first, then one onnxruntime run for whatever it left open."""
    try:
        inferred = onnx.shape_inference.infer_shapes(model, check_type=False, strict_mode=False, data_prop=True)
    except Exception:  # inference is best effort; onnxruntime below answers what it could not
        inferred = model
    shapes = {t.name: tuple(t.dims) for t in model.graph.initializer}
    for value in [*inferred.graph.input, *inferred.graph.value_info, *inferred.graph.output]:
        shape = _shape_of(value)
        if shape is not None:
            shapes[value.name] = shape
    wanted = [out for node in model.graph.node for out in node.output if out and out not in shapes]
    wanted += [v.name for v in model.graph.output if v.name not in shapes]
    if wanted:
        shapes.update(_run_for_shapes(model, input_name, input_shape, list(dict.fromkeys(wanted))))
    return shapes


def _run_for_shapes(model: onnx.ModelProto, input_name: str, input_shape, names: list[str]) -> dict:
    """Shapes of `names` from one onnxruntime run on zeros (they are exposed as extra outputs)."""
    import onnxruntime as ort

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    known = {v.name for v in probe.graph.output}
    for name in names:
        if name not in known:
            probe.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    try:
        session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
        outputs = [o.name for o in session.get_outputs()]
        values = session.run(outputs, {input_name: np.zeros(input_shape, np.float32)})
    except Exception:  # onnxruntime's own refusal: the shapes stay unknown, said so below
        raise DynamicShapes("own_network.error.cannot_run", height=input_shape[2], width=input_shape[3]) from None
    return {name: tuple(np.shape(value)) for name, value in zip(outputs, values)}


def load(data: bytes, size: tuple[int, int], max_bytes: int = MAX_BYTES) -> Loaded:
    """Every check in order, then the shapes at `size`."""
    model = parse(data, max_bytes)
    check_complete(model)
    check_operators(model)
    check_schema(model)
    fold_constants(model)
    input_name, input_shape, fixed = bind_input(model, size)
    shapes = infer_shapes(model, input_name, input_shape)
    initializers = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    return Loaded(model, input_name, input_shape, fixed, shapes, initializers)
