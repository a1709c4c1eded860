"""The pictures the sliding-window lesson runs on: a generated pasture, or a sample photo that ships
inside scikit-image's wheel (read from disk, never downloaded), at the size the user picks."""

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from ops.patches.pasture import pasture

# name -> scikit-image loader name; "pasture" is generated
PHOTOS = {"rocket": "rocket", "astronaut": "astronaut", "chelsea": "chelsea", "coffee": "coffee"}
IMAGE_NAMES = ("pasture",) + tuple(PHOTOS)
MIN_SIZE, MAX_SIZE = 32, 256


@dataclass(frozen=True)
class LessonImage:
    name: str
    pixels: np.ndarray  # H×W×3 uint8, for display
    labels: np.ndarray | None  # H×W true classes (generated pastures only)

    @property
    def tensor(self) -> torch.Tensor:
        """3×H×W float in 0..1: what the network reads."""
        return torch.from_numpy(self.pixels.copy()).permute(2, 0, 1).float().div(255)


def _square(photo: np.ndarray, size: int) -> np.ndarray:
    """Centre-crop to a square and resize to size×size."""
    height, width = photo.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    crop = Image.fromarray(photo[top:top + side, left:left + side]).convert("RGB")
    return np.asarray(crop.resize((size, size), Image.Resampling.LANCZOS))


def lesson_image(name: str = "pasture", size: int = 64, seed: int = 3) -> LessonImage:
    """The chosen picture at size×size (32 to 256 pixels)."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"image size must be between {MIN_SIZE} and {MAX_SIZE} pixels")
    if name == "pasture":
        scene = pasture(size, seed=seed)
        return LessonImage(name, np.round(scene.image * 255).astype(np.uint8), scene.labels)
    if name not in PHOTOS:
        raise ValueError(f"unknown image {name!r}; choose one of {', '.join(IMAGE_NAMES)}")
    from skimage import data  # these photos are files inside the installed package

    return LessonImage(name, _square(getattr(data, PHOTOS[name])(), size), None)
