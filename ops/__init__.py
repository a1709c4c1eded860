"""Pixelwise's computation: numpy and torch only, never streamlit.

Names are imported lazily so that `import ops` stays cheap (pages that only need
the numpy operators never pay for torchvision), while notebooks and tests still
get one flat entry point::

    from ops import OPERATORS, segment, receptive_field
"""

import os

# Before torch loads (every torch import of the project passes through this package first): idle OpenMP
# threads sleep instead of spin-waiting between parallel regions. A page rerun is many small torch calls
# between Python lines, and with a class on one server the spinning took about a third of a core from
# the other students (README "Speed"); a lone forward pass gets a few per cent slower. Set it to override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from ops.lazy import lazy_getattr  # noqa: E402

# public name -> the subpackage that defines it
_LAZY = {
    # upsampling operators (lesson: upsampling)
    "OPERATORS": "ops.upsampling",
    "get_operator": "ops.upsampling",
    "Trace": "ops.upsampling",
    # sliding window and per-pixel loss (lessons: sliding window, per-pixel loss)
    "sliding_window_predict": "ops.patches",
    "fully_conv_predict": "ops.patches",
    "per_pixel_cross_entropy": "ops.patches",
    # layer stacks: cost and receptive field (lessons: downsample/upsample, receptive field)
    "receptive_field": "ops.layer_stack",
    "layer_costs": "ops.layer_stack",
    "STACK_PRESETS": "ops.layer_stack",
    # live segmentation
    "segment": "ops.segmentation",
    "MODELS": "ops.segmentation",
    "load_image": "ops.segmentation",
    "decode_upload": "ops.segmentation",
    # FCN lab
    "make_dataset": "ops.lab",
    "build_fcn": "ops.lab",
    "train_fcn": "ops.lab",
    "DECODERS": "ops.lab",
    # shared
    "best_device": "ops.device",
    "available_devices": "ops.device",
}

__all__ = sorted(_LAZY)

__getattr__ = lazy_getattr(__name__, _LAZY)
