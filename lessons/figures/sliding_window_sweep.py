"""What the browser needs to animate the sliding window (pages/components/sliding_window_view.js): the
picture as the network sees it and the scores of the ONE fully convolutional pass, sent once.

Every pass of the animation is cut from that one pass (the scores are the same, that is the lesson), so
moving the window never re-runs the network, nor the server.
"""

import base64

import numpy as np

from lessons.figures.lab_scenes import png_data_uri
from lessons.figures.palette import OKABE_ITO
from ops.memo import shared
from ops.patches.lesson_pass import picture_and_scores
from ops.patches.patch_network import trained_patch_classifier

PASTURE_COLOURS = [OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[1]]  # sky blue, bluish green, orange (cow)
NOT_YET = "#DDDDDD"  # light grey: pixels whose forward pass has not happened yet


def padded_picture(pixels: np.ndarray, half: int) -> np.ndarray:
    """The input as the network sees it: edge pixels repeated `half` times, drawn paler outside the image."""
    height, width = pixels.shape[:2]
    padded = np.pad(pixels, ((half, half), (half, half), (0, 0)), mode="edge").astype(float)
    outside = np.ones(padded.shape[:2], bool)
    outside[half:half + height, half:half + width] = False
    padded[outside] = 0.45 * padded[outside] + 0.55 * 255
    return padded.round().astype(np.uint8)


def sweep_data(pixels: np.ndarray, scores: np.ndarray, patch_size: int) -> dict:
    """The component's data: the padded picture (PNG), the C×H×W scores (float32, little-endian, base64),
    the sizes and the class colours."""
    height, width = pixels.shape[:2]
    half = patch_size // 2
    raw = np.ascontiguousarray(scores, dtype="<f4").tobytes()
    return {
        "picture": png_data_uri(padded_picture(pixels, half)),
        "scores": base64.b64encode(raw).decode("ascii"),
        "classes": int(scores.shape[0]),
        "height": int(height),
        "width": int(width),
        "half": int(half),
        "patch": int(patch_size),
        "colours": PASTURE_COLOURS[: scores.shape[0]],
        "not_yet": NOT_YET,
    }


@shared(maxsize=16)  # once per server and picture: the warm-up thread fills it for the default picture
def sweep(name: str, size: int) -> dict:
    """sweep_data of lesson picture `name` at `size`, from the one pass the page also shows."""
    pixels, scores, _ = picture_and_scores(name, size)
    return sweep_data(pixels, scores, trained_patch_classifier().patch_size)
