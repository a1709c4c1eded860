"""The sliding-window lesson's one fully convolutional pass over a lesson picture, once per server.

Every frame of the lesson's animation is cut from this pass (the scores are the same, that is the lesson),
so the page and the warm-up thread (pages/warmup.py) share it through a process-wide single-flight cache.
"""

from ops.memo import shared
from ops.patches.images import lesson_image
from ops.patches.patch_network import trained_patch_classifier
from ops.patches.sliding_window import fully_conv_predict


@shared(maxsize=16)  # shared read only, never copied per run
def picture_and_scores(name: str, size: int):
    """(H×W×3 uint8 picture, C×H×W float scores, pixel accuracy or None) of picture `name` at `size`."""
    image = lesson_image(name, size)
    prediction = fully_conv_predict(trained_patch_classifier(), image.tensor, device="cpu")
    accuracy = prediction.accuracy(image.labels) if image.labels is not None else None
    return image.pixels, prediction.scores.numpy(), accuracy
