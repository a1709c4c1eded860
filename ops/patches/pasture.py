"""Generated pastures (sky, grass, cows) with a label for every pixel: the patch classifier's world.

A picture small enough to train on in seconds, yet one where the lecture's classes make sense: sky
above a wavy horizon, textured grass below, and a few cows (brown, black, or black with white
patches) standing on it, some against the sky. Everything is drawn in coordinates relative to the
image size, so the same seed gives the same scene at 32 or 256 pixels.
"""

from dataclasses import dataclass

import numpy as np

CLASSES = ("sky", "grass", "cow")
SKY, GRASS, COW = range(len(CLASSES))
COW_COATS = ((0.45, 0.28, 0.15), (0.10, 0.08, 0.07), (0.62, 0.40, 0.22))


@dataclass(frozen=True)
class Pasture:
    image: np.ndarray  # H×W×3 float32 in 0..1
    labels: np.ndarray  # H×W int64 class per pixel (SKY, GRASS, COW)


def _ellipse(rows, cols, centre, radii) -> np.ndarray:
    return ((rows - centre[0]) / radii[0]) ** 2 + ((cols - centre[1]) / radii[1]) ** 2 <= 1


def _cow(rows, cols, size: int, rng: np.random.Generator, horizon: float):
    """Boolean mask of one cow and its coat colour per pixel (H×W×3)."""
    length = size * rng.uniform(0.16, 0.26)  # body length in pixels
    height = length * rng.uniform(0.45, 0.55)
    feet = rng.uniform(max(horizon + 0.08 * size, 0.45 * size), 0.97 * size)  # standing on the grass
    centre_col = rng.uniform(0.1 * size, 0.9 * size)
    leg = height * 0.7
    body_centre = (feet - leg - height / 2, centre_col)
    body = _ellipse(rows, cols, body_centre, (height / 2, length / 2))
    facing = rng.choice((-1, 1))
    head_centre = (body_centre[0] - height * 0.35, centre_col + facing * length * 0.55)
    head = _ellipse(rows, cols, head_centre, (height * 0.28, length * 0.17))
    legs = np.zeros_like(body)
    leg_width = max(length * 0.05, 0.6)
    for offset in (-0.38, -0.22, 0.22, 0.38):
        x = centre_col + offset * length
        legs |= (np.abs(cols - x) <= leg_width) & (rows >= body_centre[0]) & (rows <= feet)
    mask = body | head | legs
    coat = np.broadcast_to(np.array(COW_COATS[rng.integers(len(COW_COATS))]), rows.shape + (3,)).copy()
    if rng.random() < 0.4:  # a black-and-white cow: large white patches on the body
        patches = np.zeros(rows.shape, bool)
        for _ in range(3):
            spot = (rng.uniform(body_centre[0] - height / 3, body_centre[0] + height / 3),
                    rng.uniform(centre_col - length / 3, centre_col + length / 3))
            patches |= _ellipse(rows, cols, spot, (height * rng.uniform(0.15, 0.3), length * rng.uniform(0.1, 0.2)))
        coat[patches & body] = (0.93, 0.92, 0.88)
    return mask, coat


def pasture(size: int = 64, seed: int = 0, cows: int | None = None, noise: float = 0.03) -> Pasture:
    """One square pasture of `size` pixels, a pure function of (size, seed, cows)."""
    if not 8 <= size <= 1024:
        raise ValueError("pasture size must be between 8 and 1024 pixels")
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:size, 0:size].astype(float) + 0.5
    level = size * rng.uniform(0.3, 0.5)
    horizon = level + size * 0.05 * np.sin(2 * np.pi * cols / (size * rng.uniform(0.6, 1.4)) + rng.uniform(0, 6.3))
    sky = rows < horizon
    fade = rows / size
    sky_rgb = np.stack([0.25 + 0.45 * fade, 0.50 + 0.35 * fade, 0.90 + 0.05 * fade], -1)
    sky_rgb = sky_rgb * rng.uniform(0.3, 1.05)  # from a dusk sky to a bright midday one
    grain = rng.normal(size=(size, size))
    blades = (grain + np.roll(grain, 1, 0) + np.roll(grain, -1, 0)) / 3
    green = np.array([rng.uniform(0.15, 0.45), 0.55, rng.uniform(0.1, 0.25)]) * rng.uniform(0.6, 1.15)
    grass_rgb = green * (1 + 0.25 * blades)[..., None]
    image = np.where(sky[..., None], sky_rgb, grass_rgb)
    labels = np.where(sky, SKY, GRASS)
    count = int(rng.integers(1, 4)) if cows is None else cows
    for _ in range(count):
        mask, coat = _cow(rows, cols, size, rng, level)
        image = np.where(mask[..., None], coat * (1 + 0.08 * rng.normal(size=(size, size, 1))), image)
        labels = np.where(mask, COW, labels)
    image = image + rng.normal(0, noise, image.shape)
    return Pasture(np.clip(image, 0, 1).astype(np.float32), labels.astype(np.int64))
