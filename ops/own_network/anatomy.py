"""inspect_onnx: one uploaded segmentation network described in the lecture's words, measured on this machine.

    from ops.own_network import inspect_onnx, effective_field
    anatomy = inspect_onnx(open("model.onnx", "rb").read(), size=(512, 512))
    anatomy.output_stride, anatomy.receptive_field, anatomy.stages, anatomy.upsampling
    anatomy.params, anatomy.flops, anatomy.ort_ms, anatomy.torch_ms
    effective_field(anatomy)            # H×W |∂ centre output / ∂ input| on a blank input (or a photo)
"""

import hashlib
import math
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import torch

from ops.own_network import cost, graph, torch_view
from ops.own_network.errors import ConversionFailed, NotSegmentation, TooSlow
from ops.own_network.load import MAX_BYTES, load

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
NORMALISATIONS = ("imagenet", "unit")  # (x/255 − mean)/std, or x/255
BLANK_GREY = 128  # the blank input of the effective field: a uniform mid-grey photo
BACKWARD_COST = 3  # a forward and a backward pass cost about three forward passes


@dataclass
class Anatomy:
    """What inspect_onnx found; sizes are (height, width) in pixels, FLOPs per image at `size`."""

    size: tuple[int, int]  # the input size analysed (the model's own when it fixes one)
    fixed_size: bool  # True when the model fixes a size other than the one asked for
    in_channels: int
    output_shape: tuple[int, ...]
    params: int
    flops: int  # over the ONNX graph, 2 per multiply-add (FlopCounterMode's convention)
    pooling_flops: int  # part of `flops`: products with constant pooling matrices (adaptive pooling exported)
    flops_torch: int | None  # FlopCounterMode on the converted model (None: conversion failed)
    output_stride: int
    receptive_field: int  # theoretical, of a centre output pixel, along the longest path (pixels)
    field_hw: tuple[int, int]
    stages: list  # (node name, stride so far) where the resolution changes
    upsampling: list  # dicts: op ∈ {resize, conv_transpose, max_unpool} and its settings
    context: list  # nodes that open a context branch (global or pyramid pooling)
    points: list  # (depth, height, op type, node name) of every feature map on the main path
    scores: bool  # the output is per-pixel class scores (N×C×H×W, C ≥ 2)
    classes: int
    operators: dict  # op type -> count
    opset: int
    producer: str
    nodes: int
    ort_ms: float | None
    torch_ms: float | None
    torch_error: ConversionFailed | None  # why the torch views are missing
    seconds: float  # load + analysis (including timing) on this machine
    sha256: str
    model_bytes: bytes = field(repr=False, compare=False, default=b"")
    _module: object = field(repr=False, compare=False, default=None)
    _session: object = field(repr=False, compare=False, default=None)
    _input_name: str = field(repr=False, compare=False, default="")

    @property
    def field_exceeds_input(self) -> bool:
        return self.receptive_field > max(self.size)

    def module(self) -> torch.nn.Module:
        """The converted torch module (ConversionFailed when onnx2torch cannot convert it)."""
        if self.torch_error is not None:
            raise self.torch_error
        return self._module

    def session(self):
        if self._session is None:
            self._session = cost.ort_session(self.model_bytes)
        return self._session


def inspect_onnx(data: bytes, size=(512, 512), *, max_bytes: int = MAX_BYTES, max_flops: float = cost.MAX_FLOPS,
                 time_limit_s: float = cost.TIME_LIMIT_S, timing: bool = True, progress=None) -> Anatomy:
    """Check, walk and measure an ONNX segmentation model; BadModel subclasses say why one cannot be.

    `progress(step, fraction)` is told each step's message key (own_network.step.*) as work goes on."""
    tell = progress or (lambda step, fraction: None)
    start = time.perf_counter()
    tell("own_network.step.checking", 0.05)
    size = (int(size[0]), int(size[1]))
    loaded = load(data, size, max_bytes)
    tell("own_network.step.walking", 0.25)
    output = loaded.model.graph.output[0].name
    out_shape = loaded.shapes.get(output)
    if out_shape is None or len(out_shape) < 3 or _prod(out_shape[-2:]) <= 1:
        raise NotSegmentation("own_network.error.classifier",
                              shape=" × ".join(str(d) for d in out_shape) if out_shape else "?")
    walked = graph.walk(loaded)
    r = graph.centre_field(loaded, walked.fields)
    flops, pooling = cost.graph_flops(loaded)
    cost.check_budget(flops, max_flops)
    strides = [stride for _, stride in walked.stages]
    height = loaded.input_shape[2]
    main_sides = [side for _, side, _, _ in walked.points]
    output_stride = max(1, round(height / min(main_sides))) if main_sides else 1
    model_bytes = loaded.model.SerializeToString()
    anatomy = Anatomy(
        size=(loaded.input_shape[2], loaded.input_shape[3]), fixed_size=loaded.fixed_size,
        in_channels=loaded.input_shape[1], output_shape=tuple(out_shape),
        params=cost.parameter_count(loaded, walked.mixing), flops=flops, pooling_flops=pooling, flops_torch=None,
        output_stride=max([output_stride, *strides]) if strides else output_stride,
        receptive_field=int(math.ceil(max(r))), field_hw=(int(math.ceil(r[0])), int(math.ceil(r[1]))),
        stages=walked.stages, upsampling=walked.upsampling, context=walked.context, points=walked.points,
        scores=len(out_shape) == 4 and out_shape[1] >= 2, classes=int(out_shape[1]) if len(out_shape) == 4 else 0,
        operators=dict(Counter(node.op_type for node in loaded.model.graph.node).most_common()),
        opset=next((o.version for o in loaded.model.opset_import if o.domain in ("", "ai.onnx")), 0),
        producer=f"{loaded.model.producer_name} {loaded.model.producer_version}".strip(),
        nodes=len(loaded.model.graph.node), ort_ms=None, torch_ms=None, torch_error=None, seconds=0.0,
        sha256=hashlib.sha256(bytes(data)).hexdigest(), model_bytes=model_bytes, _input_name=loaded.input_name)
    blank = np.zeros(loaded.input_shape, np.float32)  # timing and FLOPs do not depend on the values
    if timing:
        tell("own_network.step.onnxruntime", 0.45)
        session = anatomy.session()
        anatomy.ort_ms = cost.median_ms(lambda: cost.ort_run(session, {loaded.input_name: blank}, time_limit_s))
    tell("own_network.step.converting", 0.65)
    try:
        anatomy._module = torch_view.convert(loaded.model)
        x = torch.from_numpy(blank)
        anatomy.flops_torch = torch_view.flop_count(anatomy._module, x)
        if timing:
            tell("own_network.step.torch", 0.8)
            anatomy.torch_ms = cost.median_ms(lambda: torch_view.forward(anatomy._module, x))
    except ConversionFailed as error:
        anatomy.torch_error = error
    except Exception:  # the converted module fails to run: same verdict as a failed conversion
        anatomy.torch_error = ConversionFailed("own_network.error.conversion")
        anatomy._module = None
    anatomy.seconds = time.perf_counter() - start
    tell("own_network.step.done", 1.0)
    return anatomy


def _prod(values) -> int:
    return int(np.prod(values, dtype=np.int64))


def prepare(image, anatomy: Anatomy, normalise: str = "imagenet") -> np.ndarray:
    """A photo (PIL or H×W×3 uint8) as the model's 1×C×H×W float input: resized to `anatomy.size`, scaled."""
    from PIL import Image

    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image, np.uint8))
    picture = picture.convert("RGB").resize((anatomy.size[1], anatomy.size[0]), Image.BILINEAR)
    x = np.asarray(picture, np.float32) / 255.0
    if normalise == "imagenet":
        x = (x - np.array(IMAGENET_MEAN, np.float32)) / np.array(IMAGENET_STD, np.float32)
    x = x.transpose(2, 0, 1)[None]
    if anatomy.in_channels != 3:  # a grey or multi-band model: the mean of the colours, repeated
        x = np.repeat(x.mean(1, keepdims=True), anatomy.in_channels, axis=1)
    return np.ascontiguousarray(x, np.float32)


def effective_field(anatomy: Anatomy, image=None, normalise: str = "imagenet",
                    time_limit_s: float = cost.TIME_LIMIT_S) -> np.ndarray:
    """H×W: |∂ Σ_c output[c, centre] / ∂ input| summed over input channels, on `image` or a blank one (mid-grey:
    an all-zero input would leave every ReLU at its kink, where torch's gradient is 0). Raises ConversionFailed
    when onnx2torch cannot convert the model, TooSlow when a backward pass (about three forward passes, from the
    measured torch time) would take longer than `time_limit_s`."""
    module = anatomy.module()
    if anatomy.torch_ms is not None and BACKWARD_COST * anatomy.torch_ms / 1000 > time_limit_s:
        raise TooSlow("own_network.error.field_too_slow", seconds=int(time_limit_s))
    if image is None:
        image = np.full((*anatomy.size, 3), BLANK_GREY, np.uint8)
    x = prepare(image, anatomy, normalise)
    return torch_view.centre_gradient(module, torch.from_numpy(x))


def predict(anatomy: Anatomy, image, normalise: str = "imagenet") -> np.ndarray:
    """Class ids at the photo's own size (scores resized bilinearly, then the best class per pixel)."""
    import torch.nn.functional as F
    from PIL import Image

    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image, np.uint8))
    x = prepare(picture, anatomy, normalise)
    scores = cost.ort_run(anatomy.session(), {anatomy._input_name: x})[0]
    scores = torch.from_numpy(np.asarray(scores, np.float32))
    scores = F.interpolate(scores, size=(picture.height, picture.width), mode="bilinear", align_corners=False)
    return scores[0].argmax(0).numpy()


def field_extent(field: np.ndarray, mass: float = 0.95) -> int:
    """Side of the smallest square centred on the centre pixel that holds `mass` of the gradient: the effective
    field's size, to set beside the theoretical one."""
    total = float(field.sum())
    if total <= 0:
        return 0
    height, width = field.shape
    table = np.pad(field, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    row, col = height // 2, width // 2
    for half in range(max(height, width)):
        top, bottom = max(row - half, 0), min(row + half + 1, height)
        left, right = max(col - half, 0), min(col + half + 1, width)
        inside = table[bottom, right] - table[top, right] - table[bottom, left] + table[top, left]
        if inside >= mass * total:
            return 2 * half + 1
    return max(height, width)
