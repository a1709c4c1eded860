"""Your own network: an uploaded ONNX segmentation model described in the lecture's words (issue 22).

    from ops.own_network import inspect_onnx, effective_field
    anatomy = inspect_onnx(data, size=(512, 512))   # BadModel subclasses (ops.errors.UserFacingError) say why not
    effective_field(anatomy, image=None)            # H×W gradient magnitude of the centre output pixel
"""

from ops.own_network.anatomy import Anatomy, effective_field, inspect_onnx, predict, prepare
from ops.own_network.errors import (
    BadModel,
    ConversionFailed,
    DynamicShapes,
    NotOnnx,
    NotSegmentation,
    TooLarge,
    TooSlow,
    Truncated,
    UnknownOperators,
)

__all__ = ["Anatomy", "effective_field", "inspect_onnx", "predict", "prepare", "BadModel", "ConversionFailed",
           "DynamicShapes", "NotOnnx", "NotSegmentation", "TooLarge", "TooSlow", "Truncated", "UnknownOperators"]
