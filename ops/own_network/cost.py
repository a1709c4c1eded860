"""What a network costs: parameters, FLOPs counted over the ONNX graph, time per image with onnxruntime.

FLOPs follow torch's FlopCounterMode, so the two counts can be checked against each other: 2 per
multiply-add of a convolution, transposed convolution or matrix product, nothing for biases, pooling,
activations or interpolation.
"""

import threading
import time

import numpy as np

from ops.own_network.errors import TooSlow
from ops.own_network.load import Loaded

FLOAT_TYPES = (np.float16, np.float32, np.float64)
BN_STATISTICS = {3, 4}  # BatchNormalization's running mean and variance: buffers, not parameters
MAX_FLOPS = 500e9  # per image: more is too slow for a page on a CPU (a ResNet-50 FCN at 512 px is ~280 G)
TIME_LIMIT_S = 20.0  # one forward pass longer than this is stopped and the page says so
TIMING_BUDGET_S = 1.5  # timed runs after the warm-up: as many as fit, at least one, at most five


def parameter_count(loaded: Loaded, mixing: set) -> int:
    """Elements of the float weights, without batch-norm statistics and the constant pooling matrices."""
    statistics = {node.input[i] for node in loaded.model.graph.node if node.op_type == "BatchNormalization"
                  for i in BN_STATISTICS if i < len(node.input)}
    statistics |= {name for node in loaded.model.graph.node if node.op_type in ("Resize", "Upsample")
                   for name in node.input[1:]}  # scales and sizes, not weights
    return int(sum(array.size for name, array in loaded.initializers.items()
                   if array.dtype.type in FLOAT_TYPES and array.size > 1 and name not in statistics | mixing))


def _prod(values) -> int:
    return int(np.prod(values, dtype=np.int64)) if len(values) else 1


def node_flops(node, shapes: dict, group: int = 1) -> int:
    """FLOPs of one node as FlopCounterMode counts them (0 for the nodes it does not count)."""
    op = node.op_type
    if op == "Conv":
        out, weight = shapes.get(node.output[0]), shapes.get(node.input[1])
        return 2 * _prod(out) * _prod(weight[1:]) if out and weight else 0
    if op == "ConvTranspose":
        x, weight = shapes.get(node.input[0]), shapes.get(node.input[1])
        if not x or not weight:
            return 0
        return 2 * _prod(x) * _prod(weight[1:])  # x: N·Cin·H·W; weight: Cin × Cout/g × kh × kw
    if op == "Gemm":
        a, out = shapes.get(node.input[0]), shapes.get(node.output[0])
        return 2 * _prod(out) * (a[0] if _transposed_a(node) else a[-1]) if a and out else 0
    if op == "MatMul":
        a, out = shapes.get(node.input[0]), shapes.get(node.output[0])
        return 2 * _prod(out) * a[-1] if a and out else 0
    return 0


def _transposed_a(node) -> bool:
    return any(attr.name == "transA" and attr.i for attr in node.attribute)


def graph_flops(loaded: Loaded) -> tuple[int, int]:
    """(all FLOPs, those of MatMuls with a constant pooling matrix) per image."""
    total = mixing = 0
    weights = loaded.initializers
    for node in loaded.model.graph.node:
        flops = node_flops(node, loaded.shapes)
        total += flops
        if node.op_type == "MatMul" and any(name in weights and weights[name].ndim == 2 for name in node.input):
            if any(len(loaded.shapes.get(name, ())) == 4 for name in node.input):
                mixing += flops
    return total, mixing


def check_budget(flops: int, limit: float = MAX_FLOPS) -> None:
    if flops > limit:
        raise TooSlow("own_network.error.too_many_flops", gflops=round(flops / 1e9, 1), limit=round(limit / 1e9))


def threads() -> int:
    import torch

    return torch.get_num_threads()


def ort_session(model_bytes: bytes):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads()  # the same cores torch is given: a fair comparison
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def ort_run(session, feed: dict, limit_s: float = TIME_LIMIT_S):
    """One onnxruntime run, stopped (TooSlow) if it takes longer than `limit_s`."""
    import onnxruntime as ort

    options = ort.RunOptions()
    timer = threading.Timer(limit_s, lambda: setattr(options, "terminate", True))
    timer.start()
    try:
        return session.run(None, feed, options)
    except Exception:
        if options.terminate:
            raise TooSlow("own_network.error.too_slow", seconds=int(limit_s)) from None
        raise
    finally:
        timer.cancel()


def median_ms(run, budget_s: float = TIMING_BUDGET_S, most: int = 5) -> float:
    """Median wall time of `run()` in ms, after one untimed warm-up run."""
    run()
    times, spent = [], 0.0
    while not times or (spent < budget_s and len(times) < most):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return float(np.median(times) * 1000)
