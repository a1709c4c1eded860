"""Instance segmentation you can watch: a small torchvision Mask R-CNN trained on touching-things scenes.

    from ops.instances import load_instance_model, detect, blob_counts, panoptic_merge, panoptic_quality
    from ops.lab.instance_scenes import make_instance_scene
    scene = make_instance_scene(0, 3, "test")
    result = detect(scene.image)               # proposals, boxes, scores, labels, mask_logits (28×28), masks
    result.counts(), blob_counts(scene.mask)
"""

from ops.lazy import lazy_getattr

_LAZY = {
    "load_instance_model": "ops.instances.inference",
    "detect": "ops.instances.inference",
    "blob_counts": "ops.instances.inference",
    "Detection": "ops.instances.inference",
    "InstanceError": "ops.instances.inference",
    "build_maskrcnn": "ops.instances.model",
    "DETECTOR_CLASSES": "ops.instances.model",
    "panoptic_merge": "ops.instances.metrics",
    "panoptic_from_instances": "ops.instances.metrics",
    "panoptic_quality": "ops.instances.metrics",
    "PanopticMap": "ops.instances.metrics",
    "mask_ap50": "ops.instances.metrics",
}

__all__ = ["DETECTOR_CLASSES", "Detection", "InstanceError", "PanopticMap", "blob_counts", "build_maskrcnn", "detect",
           "load_instance_model", "mask_ap50", "panoptic_from_instances", "panoptic_merge", "panoptic_quality"]
assert sorted(__all__) == sorted(_LAZY)

__getattr__ = lazy_getattr(__name__, _LAZY)
