"""Live segmentation of a user's photo: model registry, safe image decoding, segment(), instances.

Kept light on purpose: names are imported lazily, so `import ops.segmentation` (and the ESPNetv2
modules inside this package) never pay for torchvision or the registry until they are used::

    from ops.segmentation import segment, MODELS, decode_upload
"""

from ops.lazy import lazy_getattr

_LAZY = {
    "segment": "ops.segmentation.front",
    "Segmentation": "ops.segmentation.results",
    "Latency": "ops.segmentation.results",
    "load_model": "ops.segmentation.pipeline",
    "LoadedModel": "ops.segmentation.pipeline",
    "MODELS": "ops.segmentation.registry",
    "ModelSpec": "ops.segmentation.registry",
    "available_models": "ops.segmentation.registry",
    "missing_models": "ops.segmentation.registry",
    "best_available": "ops.segmentation.registry",
    "download_weights": "ops.segmentation.registry",
    "WeightsUnavailable": "ops.segmentation.registry",
    "load_image": "ops.segmentation.images",
    "decode_upload": "ops.segmentation.images",
    "BadImage": "ops.segmentation.images",
}

__all__ = sorted(_LAZY)

__getattr__ = lazy_getattr(__name__, _LAZY)
