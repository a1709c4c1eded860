"""From sliding window to fully convolutional: a patch classifier run both ways, and the per-pixel
cross-entropy that trains such networks.

    from ops.patches import trained_patch_classifier, lesson_image, sliding_window_predict, \\
        fully_conv_predict, sliding_window_cost, per_pixel_cross_entropy
    net = trained_patch_classifier()                  # seeded, trained in seconds, cached
    image = lesson_image("pasture", 64).tensor        # 3×64×64
    slow = sliding_window_predict(net, image)         # 4096 forward passes
    fast = fully_conv_predict(net, image)             # 1 forward pass, same scores
    (slow.scores - fast.scores).abs().max(), sliding_window_cost(net, 64, 64).flop_ratio
"""

from ops.patches.images import IMAGE_NAMES, MAX_SIZE, MIN_SIZE, PHOTOS, LessonImage, lesson_image
from ops.patches.loss_example import classifier_example
from ops.patches.pasture import CLASSES, Pasture, pasture
from ops.patches.patch_network import (
                                       PatchClassifier,
                                       TrainingReport,
                                       pad_for_patches,
                                       train_patch_classifier,
                                       trained_patch_classifier,
)
from ops.patches.pixel_loss import (
                                       PixelLoss,
                                       per_pixel_cross_entropy,
                                       torch_cross_entropy,
                                       validate_labels,
                                       validate_logits,
)
from ops.patches.sliding_window import (
                                       Comparison,
                                       Prediction,
                                       SlidingWindowCost,
                                       compare_methods,
                                       fully_conv_predict,
                                       sliding_window_cost,
                                       sliding_window_predict,
)

__all__ = ["IMAGE_NAMES", "MAX_SIZE", "MIN_SIZE", "PHOTOS", "LessonImage", "lesson_image", "classifier_example",
           "CLASSES", "Pasture", "pasture", "PatchClassifier", "TrainingReport", "pad_for_patches",
           "train_patch_classifier", "trained_patch_classifier", "PixelLoss", "per_pixel_cross_entropy",
           "torch_cross_entropy", "validate_labels", "validate_logits", "Comparison", "compare_methods", "Prediction",
           "SlidingWindowCost", "fully_conv_predict", "sliding_window_cost", "sliding_window_predict"]
