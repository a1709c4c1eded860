"""ops/own_network against torch: the project's models exported to ONNX, converted back (onnx2torch) and
described (inspect_onnx); every bad model refused with its message key.

Default tier: a hand-built stack, LR-ASPP and ESPNetv2 at 64–128 px. DeepLabV3 and the ResNet-50 FCN: `slow`.
Tolerances: float32 outputs agree to 1e-4 of their largest magnitude (exporter and converter reorder sums).
"""

import io

import numpy as np
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper
from torch.utils.flop_counter import FlopCounterMode

from lessons import i18n
from ops.errors import UserFacingError
from ops.layer_stack import avg_pool, conv, max_pool, receptive_field, tconv, up
from ops.own_network import (
    BadModel,
    ConversionFailed,
    DynamicShapes,
    NotOnnx,
    NotSegmentation,
    TooLarge,
    TooSlow,
    Truncated,
    UnknownOperators,
    effective_field,
    inspect_onnx,
    prepare,
)
from ops.own_network.class_sets import CLASS_SETS, guess, names_for
from ops.own_network.exports import ESPNETV2, TINY, LastOutput, export_project_model, to_onnx, torch_model

SIZE = 64
DEFAULT_TIER = [(TINY, 64), ("lraspp_mobilenet_v3_large", 64), (ESPNETV2, 128)]
SLOW_TIER = [("deeplabv3_mobilenet_v3_large", 128), ("fcn_resnet50", 64)]
ALL = DEFAULT_TIER + [pytest.param(*case, marks=pytest.mark.slow) for case in SLOW_TIER]
OUTPUT_STRIDE = {TINY: 4, "lraspp_mobilenet_v3_large": 16, ESPNETV2: 16, "deeplabv3_mobilenet_v3_large": 16,
                 "fcn_resnet50": 8}

_ORIGINALS = {}
_ANATOMIES = {}


def original(name):
    if name not in _ORIGINALS:
        _ORIGINALS[name] = torch_model(name)[0]
    return _ORIGINALS[name]


def anatomy_of(name, size):
    if (name, size) not in _ANATOMIES:
        _ANATOMIES[name, size] = inspect_onnx(export_project_model(name, size).data, size=(size, size))
    return _ANATOMIES[name, size]


def photo(size, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)


def close(a, b, rel=1e-4):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.abs(a - b).max() <= rel * max(np.abs(b).max(), 1e-12)


# --------------------------------------------------------------------------- the exported models, against torch

@pytest.mark.parametrize("name, size", ALL)
def test_converted_and_onnxruntime_outputs_equal_the_original(name, size):
    anatomy = anatomy_of(name, size)
    x = torch.from_numpy(prepare(photo(size), anatomy))
    with torch.inference_mode():
        expected = original(name)(x).numpy()
        converted = anatomy.module()(x)
    runtime = anatomy.session().run(None, {"image": x.numpy()})[0]
    assert close(converted.numpy(), expected) and close(runtime, expected)


@pytest.mark.parametrize("name, size", ALL)
def test_flops_equal_flop_counter_mode_on_the_original(name, size):
    anatomy = anatomy_of(name, size)
    counter = FlopCounterMode(display=False)
    with torch.inference_mode(), counter:
        original(name)(torch.zeros(1, 3, size, size))
    # ESPNetv2's adaptive pooling is exported as products with constant matrices, which FlopCounterMode counts
    # on the converted model but not as adaptive_avg_pool2d on the original: the graph keeps them apart.
    assert anatomy.flops - anatomy.pooling_flops == counter.get_total_flops()
    assert anatomy.flops_torch == anatomy.flops
    assert (anatomy.pooling_flops > 0) == (name == ESPNETV2)


@pytest.mark.parametrize("name, size", ALL)
def test_effective_field_equals_autograd_on_the_original(name, size):
    anatomy = anatomy_of(name, size)
    for image in (None, photo(size, 1)):
        field = effective_field(anatomy, image)
        x = torch.from_numpy(prepare(np.full((size, size, 3), 128, np.uint8) if image is None else image, anatomy))
        x.requires_grad_(True)
        out = original(name)(x)
        out[0, :, out.shape[2] // 2, out.shape[3] // 2].sum().backward()
        expected = x.grad[0].abs().sum(0).numpy()
        assert field.shape == (size, size) and field.max() > 0
        # The exporter folds batch norm into the convolutions: float32 rounding differs, and pre-activations near
        # ReLU's kink (many on a uniform grey input, some on a photo through ESPNetv2's 100-odd layers; how many
        # depends on the threads' summation order) flip a gate. 1 % of the largest gradient holds in every case.
        assert close(field, expected, rel=1e-2)


@pytest.mark.parametrize("name, size", ALL)
def test_output_stride_and_per_pixel_scores(name, size):
    anatomy = anatomy_of(name, size)
    assert anatomy.output_stride == OUTPUT_STRIDE[name]
    assert max(stride for _, stride in anatomy.stages) == OUTPUT_STRIDE[name]
    assert anatomy.stages[-1][1] == 1  # back to full resolution at the end
    assert anatomy.scores and anatomy.classes == 21 and anatomy.output_shape == (1, 21, size, size)


def test_the_hand_built_stack_in_the_lecture_words():
    anatomy = anatomy_of(TINY, SIZE)
    assert [stride for _, stride in anatomy.stages] == [2, 4, 2, 1]
    assert [u["op"] for u in anatomy.upsampling] == ["conv_transpose", "resize"]
    tconv, resize = anatomy.upsampling
    assert tconv["kernel"] == (4, 4) and tconv["stride"] == (2, 2) and tconv["scale"] == 2 and not tconv["checkerboard"]
    assert resize["mode"] == "linear" and resize["coordinate_mode"] == "half_pixel" and resize["scale"] == 2
    assert anatomy.params == sum(p.numel() for p in original(TINY).parameters())
    assert anatomy.context == []


def test_espnetv2_upsamples_with_align_corners_and_keeps_its_pyramid_apart():
    anatomy = anatomy_of(ESPNETV2, 128)
    assert {u["coordinate_mode"] for u in anatomy.upsampling} == {"align_corners"}
    assert anatomy.context  # pyramid pooling branches are listed, not taken for the stride
    assert anatomy.upsampling[-1]["scale"] == 2 and not anatomy.upsampling[-1]["context"]


@pytest.mark.parametrize("layers", [
    [conv(3, 8), max_pool(2), conv(3, 8), max_pool(2), conv(3, 8, dilation=2), conv(1, 4)],
    [conv(5, 8, stride=2, padding=2), avg_pool(3, 2, 1), conv(3, 8, dilation=3), conv(3, 8, stride=2, padding=1)],
    [conv(7, 4, padding=0), max_pool(3, 3), conv(3, 4, dilation=2, padding=0)],
])
def test_theoretical_field_equals_the_layer_stack_recurrence(layers):
    from ops.layer_stack import build_stack

    data = to_onnx(LastOutput(build_stack(layers, seed=0)).eval(), 96)
    anatomy = inspect_onnx(data, size=(96, 96), timing=False)
    assert anatomy.receptive_field == receptive_field(layers)[-1].size
    assert anatomy.field_hw == (anatomy.receptive_field, anatomy.receptive_field)


@pytest.mark.parametrize("layers", [
    "tiny",
    [conv(3, 4), up("nearest"), conv(3, 4)],
    [conv(3, 4), max_pool(2), up("bicubic"), conv(3, 4)],
    [conv(3, 4, stride=2, padding=1), conv(3, 4), tconv(3, 4, 2, 1), conv(5, 4)],
    [conv(3, 4), max_pool(2), conv(3, 4), max_pool(2), up("bilinear"), conv(3, 4), up("bilinear")],
])
def test_theoretical_field_equals_the_gradient_support_of_the_centre_pixel(layers):
    """Past an upsampling the field depends on where the pixel sits (ops/layer_stack measures it); here the
    theory walked back over the graph is checked against autograd on the layer-stack's geometry probe
    (weights 1, no ReLU, max pool as average: every input that can matter leaves a nonzero gradient)."""
    from ops.layer_stack import build_stack
    from ops.own_network.exports import tiny_layers

    layers = tiny_layers() if layers == "tiny" else layers
    size = 96
    probe = build_stack(layers, in_channels=1, probe=True)
    anatomy = inspect_onnx(to_onnx(LastOutput(probe), size, in_channels=1), size=(size, size), timing=False)
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    out = probe.double()(x)[-1]
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    support = x.grad[0, 0].numpy() > 0
    rows, cols = np.flatnonzero(support.any(1)), np.flatnonzero(support.any(0))
    assert 0 < rows[0] and rows[-1] < size - 1  # not clipped by the border: the whole field is seen
    assert anatomy.field_hw == (rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)


# --------------------------------------------------------------------------- bad models, each with its words

def _graph_model(nodes, inputs, outputs, initializers=(), opset=17, domains=()):
    graph = helper.make_graph(nodes, "m", inputs, outputs, list(initializers))
    imports = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in domains]
    return helper.make_model(graph, opset_imports=imports, producer_name="test").SerializeToString()


def _conv_weight(name, c_out, c_in, k=3, seed=0):
    values = np.random.default_rng(seed).standard_normal((c_out, c_in, k, k)).astype(np.float32) * 0.1
    return numpy_helper.from_array(values, name)


def classifier_model():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("GlobalAveragePool", ["c"], ["g"]),
             helper.make_node("Flatten", ["g"], ["f"]),
             helper.make_node("Gemm", ["f", "fc"], ["y"], transB=1)]
    fc = numpy_helper.from_array(np.ones((10, 8), np.float32), "fc")
    return _graph_model(nodes, [x], [y], [_conv_weight("w", 8, 3), fc])


def conv_model(dims, op="Conv", domain="", channels=4, convs=1, extra_domains=(), activation="Relu"):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "K", "h", "w"])
    nodes, weights, last = [], [], "x"
    for i in range(convs):
        c_in = 3 if i == 0 else channels
        nodes.append(helper.make_node(op if i == 0 else "Conv", [last, f"w{i}"], [f"c{i}"], pads=[1, 1, 1, 1],
                                      domain=domain if i == 0 else ""))
        weights.append(_conv_weight(f"w{i}", channels, c_in, seed=i))
        last = f"c{i}"
    nodes.append(helper.make_node(activation, [last], ["y"]))
    return _graph_model(nodes, [x], [y], weights, domains=extra_domains)


def _message(error: UserFacingError, lang: str) -> str:
    return i18n.t(error.key, lang, **error.params)


def refused(data, error_class, key, **kwargs) -> UserFacingError:
    with pytest.raises(error_class) as caught:
        inspect_onnx(data, **kwargs)
    error = caught.value
    assert isinstance(error, BadModel) and error.key == key
    for lang in ("en", "zh"):
        text = _message(error, lang)
        assert text != key and "{" not in text, (lang, text)
    return error


def test_a_small_conv_model_is_read():
    anatomy = inspect_onnx(conv_model([1, 3, "H", "W"]), size=(40, 48))
    assert anatomy.size == (40, 48) and anatomy.output_shape == (1, 4, 40, 48) and anatomy.receptive_field == 3
    assert anatomy.output_stride == 1 and anatomy.stages == [] and anatomy.flops == 2 * 4 * 40 * 48 * 27


def test_a_fixed_input_size_is_used_and_said_so():
    anatomy = inspect_onnx(conv_model([1, 3, 32, 32]), size=(64, 64), timing=False)
    assert anatomy.size == (32, 32) and anatomy.fixed_size


@pytest.mark.parametrize("data, key", [
    (b"", "own_network.error.empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "own_network.error.not_onnx"),
    (b"name,value\n1,2\n" * 20, "own_network.error.not_onnx"),
])
def test_not_onnx(data, key):
    refused(data, NotOnnx, key)


def test_a_pytorch_checkpoint_is_refused_without_unpickling():
    buffer = io.BytesIO()
    torch.save({"weight": torch.zeros(2)}, buffer)
    refused(buffer.getvalue(), NotOnnx, "own_network.error.torch_checkpoint")


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated(keep):
    data = export_project_model(TINY, SIZE).data
    refused(data[: int(len(data) * keep)], Truncated, "own_network.error.truncated")


def test_a_classifier_has_no_per_pixel_output():
    error = refused(classifier_model(), NotSegmentation, "own_network.error.classifier")
    assert error.params["shape"] == "1 × 10"


def test_a_dynamic_channel_count_cannot_be_resolved():
    error = refused(conv_model(["N", "C", "H", "W"]), DynamicShapes, "own_network.error.dynamic_channels")
    assert error.params["dim"] == "C"


def test_unknown_operators_are_named():
    data = conv_model([1, 3, "H", "W"], op="FancyConv", domain="my.ops", extra_domains=("my.ops",))
    error = refused(data, UnknownOperators, "own_network.error.unknown_operators")
    assert error.params == {"count": 1, "operators": "my.ops.FancyConv"}
    error = refused(conv_model([1, 3, "H", "W"], op="Convolution"), UnknownOperators,
                    "own_network.error.unknown_operators")
    assert "Convolution" in _message(error, "en") and "Convolution" in _message(error, "zh")


def test_too_large():
    data = export_project_model(TINY, SIZE).data
    error = refused(data, TooLarge, "own_network.error.too_large", max_bytes=50_000)
    assert error.params["limit_mb"] == 0 and error.params["size_mb"] > 0


def test_too_many_flops_for_the_page():
    refused(conv_model([1, 3, "H", "W"]), TooSlow, "own_network.error.too_many_flops", size=(64, 64), max_flops=1e4)


def test_a_forward_pass_over_the_time_limit_is_stopped():
    data = conv_model([1, 3, "H", "W"], channels=64, convs=4)  # about 22 GFLOPs at 256 px: seconds on a CPU
    refused(data, TooSlow, "own_network.error.too_slow", size=(256, 256), time_limit_s=0.05)


def test_an_operator_onnx2torch_lacks_leaves_the_onnx_views_and_names_it():
    anatomy = inspect_onnx(conv_model([1, 3, "H", "W"], activation="ThresholdedRelu"), size=(32, 32))
    assert anatomy.ort_ms is not None and anatomy.flops == 2 * 4 * 32 * 32 * 27
    assert anatomy.torch_error.key == "own_network.error.conversion_operator"
    assert anatomy.torch_error.params["operator"].startswith("ThresholdedRelu")
    assert anatomy.flops_torch is None and anatomy.torch_ms is None
    with pytest.raises(ConversionFailed):
        effective_field(anatomy)
    assert "ThresholdedRelu" in _message(anatomy.torch_error, "zh")


def test_an_effective_field_over_the_time_limit_is_refused():
    anatomy = anatomy_of(TINY, SIZE)
    with pytest.raises(TooSlow) as caught:
        effective_field(anatomy, time_limit_s=1e-9)
    assert caught.value.key == "own_network.error.field_too_slow" and "{" not in _message(caught.value, "zh")


# --------------------------------------------------------------------------- class names

def test_class_sets():
    assert len(CLASS_SETS["voc"]) == 21 and len(CLASS_SETS["coco_stuff"]) == 171
    assert guess(21) == "voc" and guess(171) == "coco_stuff" and guess(19) == "cityscapes" and guess(7) == "numbers"
    assert names_for("typed", 4, "sky, grass，cow") == ["sky", "grass", "cow", "3"]
    assert names_for("voc", 2) == ["background", "aeroplane"]
