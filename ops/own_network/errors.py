"""Why a model cannot be inspected, as message keys (own_network.error.*) a page translates.

Every refusal of `inspect_onnx` is a `BadModel`, so a page catches one class and shows `ui.error_text`.
"""

from ops.errors import UserFacingError


class BadModel(UserFacingError, ValueError):
    """An uploaded model that cannot be read or analysed; the key says why in words a student understands."""


class NotOnnx(BadModel):
    """Bytes that are not an ONNX model (a photo, a PyTorch checkpoint, a text file)."""


class Truncated(BadModel):
    """An ONNX file cut short (an interrupted download or upload)."""


class TooLarge(BadModel):
    """Over the size limit, or its weights in separate files (external data) that an upload cannot carry."""


class UnknownOperators(BadModel):
    """Operators neither ONNX nor onnxruntime knows (custom domains, typos): named in the message."""


class DynamicShapes(BadModel):
    """Shapes that stay unknown after binding the input size (a dynamic channel count, data-dependent sizes)."""


class NotSegmentation(BadModel):
    """No per-pixel output: a classifier (N×classes) or a 1×1 map."""


class TooSlow(BadModel):
    """More work than the page allows for one image (FLOPs over the limit, or a forward pass over the time limit)."""


class ConversionFailed(BadModel):
    """onnx2torch cannot turn the model into torch (needed for the effective field and the torch timing)."""
