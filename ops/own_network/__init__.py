"""Your own network: an uploaded ONNX segmentation model described in the lecture's words (issue 22).

    from ops.own_network import inspect_onnx, effective_field
    anatomy = inspect_onnx(data, size=(512, 512))   # BadModel subclasses (ops.errors.UserFacingError) say why not
    effective_field(anatomy, image=None)            # H×W gradient magnitude of the centre output pixel

Names load on first use, so pages/state.py can read the choices without importing onnx and torch.
"""

from ops.lazy import lazy_getattr

_LAZY = {
    **{name: "ops.own_network.anatomy" for name in ("Anatomy", "effective_field", "inspect_onnx", "predict",
                                                     "prepare", "field_extent")},
    **{name: "ops.own_network.errors" for name in ("BadModel", "ConversionFailed", "DynamicShapes", "NotOnnx",
                                                    "NotSegmentation", "TooLarge", "TooSlow", "Truncated",
                                                    "UnknownOperators")},
}

__all__ = sorted(_LAZY)

__getattr__ = lazy_getattr(__name__, _LAZY)
