"""Synthetic scenes with a label for every pixel: the FCN lab's data set.

Real photographs need downloads and hours of training; these 64×64 scenes train in seconds on a laptop
CPU yet contain what the lecture talks about: countable "things" (discs, squares, triangles of varied
size, colour and texture, sometimes touching or overlapping) on "stuff" (a sky gradient above a
textured grass field), plus sensor noise. Every scene is a pure function of (seed, split, index), so a
teacher's settings give the same pictures on every machine, and asking for more images only appends.
"""

import colorsys
from dataclasses import dataclass, field

import numpy as np
import torch

CLASSES = ("sky", "grass", "disc", "square", "triangle")
SKY, GRASS, DISC, SQUARE, TRIANGLE = range(len(CLASSES))
STUFF = (SKY, GRASS)
THINGS = (DISC, SQUARE, TRIANGLE)
SIZE = 64

# Hue bands (0..1 on the colour wheel) of each thing class: colour helps, shape still matters because
# saturation, brightness and texture vary, and stripes or spots break up the colour.
THING_HUES = {DISC: (0.96, 1.04), SQUARE: (0.74, 0.84), TRIANGLE: (0.11, 0.17)}
TEXTURES = ("plain", "stripes", "spots")
SPLITS = {"train": 0, "val": 1}


@dataclass(frozen=True)
class Shape:
    """One drawn thing, in pixel coordinates (row, column of its centre)."""

    kind: int  # class index: DISC, SQUARE or TRIANGLE
    centre: tuple[float, float]
    radius: float  # disc radius; half side of the square; circumradius of the triangle
    angle: float  # rotation in radians (squares and triangles)
    colour: tuple[float, float, float]  # RGB in 0..1 before texture and noise
    texture: str


@dataclass(frozen=True)
class Scene:
    image: np.ndarray  # H×W×3 float32 in 0..1
    mask: np.ndarray  # H×W int64 class per pixel
    shapes: tuple[Shape, ...]  # in drawing order: later shapes cover earlier ones
    horizon: np.ndarray  # W ints: the first grass row of each column


@dataclass
class SceneDataset:
    """Train and validation splits as tensors: images uint8 N×3×H×W, masks int64 N×H×W."""

    train_images: torch.Tensor
    train_masks: torch.Tensor
    val_images: torch.Tensor
    val_masks: torch.Tensor
    seed: int
    classes: tuple[str, ...] = field(default=CLASSES)

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def _smooth_noise(rng: np.random.Generator, size: int, cells: int) -> np.ndarray:
    """Low-frequency noise: a cells×cells random grid bilinearly stretched to size×size."""
    coarse = rng.normal(size=(cells, cells))
    stretch = np.zeros((size, cells))
    position = np.linspace(0, cells - 1, size)
    low = np.minimum(position.astype(int), cells - 2)
    weight = position - low
    stretch[np.arange(size), low] = 1 - weight
    stretch[np.arange(size), low + 1] = weight
    return stretch @ coarse @ stretch.T


def _background(rng: np.random.Generator, size: int):
    rows = np.arange(size)[:, None]
    columns = np.arange(size)
    level = rng.integers(size // 4, 3 * size // 4)
    wave = rng.uniform(0, 3) * np.sin(2 * np.pi * columns / rng.uniform(20, 60) + rng.uniform(0, 2 * np.pi))
    horizon = np.clip(np.round(level + wave), 1, size - 1).astype(int)
    sky = rows < horizon[None, :]

    # sky: deep blue at the top fading to pale blue, with faint clouds
    top = np.array([0.20, 0.40, 0.85]) + rng.uniform(-0.05, 0.05, 3)
    bottom = np.array([0.62, 0.78, 0.96]) + rng.uniform(-0.05, 0.05, 3)
    fade = (np.arange(size) / (size - 1))[:, None, None]
    sky_rgb = top * (1 - fade) + bottom * fade + 0.05 * _smooth_noise(rng, size, 4)[..., None]
    sky_rgb = np.broadcast_to(sky_rgb, (size, size, 3))

    # grass: green with vertical blade-like streaks (noise averaged down each column)
    green = np.array([0.22, 0.52, 0.16]) + rng.uniform(-0.05, 0.05, 3)
    blades = rng.normal(size=(size + 2, size))
    blades = (blades[:-2] + blades[1:-1] + blades[2:]) / 3
    shade = 1 + 0.22 * blades + 0.10 * _smooth_noise(rng, size, 5)
    grass_rgb = green * shade[..., None]

    image = np.where(sky[..., None], sky_rgb, grass_rgb)
    mask = np.where(sky, SKY, GRASS)
    return image, mask, horizon


def shape_region(shape: Shape, size: int = SIZE) -> np.ndarray:
    """Boolean H×W: the pixels (sampled at their centres) that the shape covers."""
    rows, columns = np.mgrid[0:size, 0:size].astype(float)
    dy, dx = rows - shape.centre[0], columns - shape.centre[1]
    if shape.kind == DISC:
        return dy * dy + dx * dx <= shape.radius ** 2
    cos, sin = np.cos(shape.angle), np.sin(shape.angle)
    u, v = cos * dx + sin * dy, -sin * dx + cos * dy
    if shape.kind == SQUARE:
        return (np.abs(u) <= shape.radius) & (np.abs(v) <= shape.radius)
    if shape.kind == TRIANGLE:  # equilateral: inside all three edges, each at distance radius/2 from the centre
        inside = np.ones((size, size), bool)
        for k in range(3):
            normal = 2 * np.pi * k / 3
            inside &= u * np.cos(normal) + v * np.sin(normal) <= shape.radius / 2
        return inside
    raise ValueError(f"not a thing class: {shape.kind}")


def _texture(rng: np.random.Generator, kind: str, size: int) -> np.ndarray:
    """Brightness multiplier for a shape's surface."""
    if kind == "stripes":
        rows, columns = np.mgrid[0:size, 0:size]
        direction = rng.uniform(0, np.pi)
        period = rng.uniform(3, 6)
        along = np.cos(direction) * columns + np.sin(direction) * rows
        return 1 + 0.28 * np.sin(2 * np.pi * along / period + rng.uniform(0, 2 * np.pi))
    if kind == "spots":
        return 1 + 0.35 * np.tanh(_smooth_noise(rng, size, 12))
    return np.ones((size, size))


def _random_shape(rng: np.random.Generator, size: int, beside: Shape | None) -> Shape:
    kind = int(rng.choice(THINGS))
    radius = float(rng.uniform(4, 12)) * (1.25 if kind == TRIANGLE else 1.0)
    if beside is not None:  # place it touching (or slightly overlapping) the previous thing
        direction = rng.uniform(0, 2 * np.pi)
        distance = (beside.radius + radius) * rng.uniform(0.65, 0.95)
        centre = (beside.centre[0] + distance * np.sin(direction), beside.centre[1] + distance * np.cos(direction))
        centre = tuple(float(np.clip(c, 2, size - 3)) for c in centre)
    else:
        centre = tuple(float(c) for c in rng.uniform(4, size - 5, 2))
    low, high = THING_HUES[kind]
    hue = rng.uniform(low, high) % 1.0
    colour = colorsys.hsv_to_rgb(hue, rng.uniform(0.55, 0.95), rng.uniform(0.6, 0.95))
    return Shape(kind, centre, radius, float(rng.uniform(0, 2 * np.pi)), tuple(float(c) for c in colour),
                 str(rng.choice(TEXTURES)))


def make_scene(seed: int = 0, index: int = 0, split: str = "train", size: int = SIZE,
               noise: float = 0.03) -> Scene:
    """One scene, a pure function of its arguments."""
    rng = np.random.default_rng([seed, SPLITS[split], index])
    image, mask, horizon = _background(rng, size)
    shapes = []
    for _ in range(rng.integers(1, 5)):
        beside = shapes[-1] if shapes and rng.random() < 0.5 else None
        shape = _random_shape(rng, size, beside)
        region = shape_region(shape, size)
        surface = np.asarray(shape.colour) * _texture(rng, shape.texture, size)[..., None]
        image = np.where(region[..., None], surface, image)
        mask = np.where(region, shape.kind, mask)
        shapes.append(shape)
    image = image + rng.normal(0, noise, image.shape)
    return Scene(np.clip(image, 0, 1).astype(np.float32), mask.astype(np.int64), tuple(shapes), horizon)


def _stack(seed: int, split: str, count: int, size: int):
    scenes = [make_scene(seed, i, split, size) for i in range(count)]
    images = np.stack([np.round(s.image * 255).astype(np.uint8).transpose(2, 0, 1) for s in scenes]) \
        if scenes else np.zeros((0, 3, size, size), np.uint8)
    masks = np.stack([s.mask for s in scenes]) if scenes else np.zeros((0, size, size), np.int64)
    return torch.from_numpy(images), torch.from_numpy(masks)


def make_dataset(n_train: int = 512, n_val: int = 128, seed: int = 0, size: int = SIZE) -> SceneDataset:
    """Train and validation scenes (disjoint: a different random stream per split)."""
    if n_train < 1 or n_val < 1:
        raise ValueError("need at least one training and one validation image")
    if size < 16 or size % 8:
        raise ValueError("image size must be a multiple of 8, at least 16")
    train_images, train_masks = _stack(seed, "train", n_train, size)
    val_images, val_masks = _stack(seed, "val", n_val, size)
    return SceneDataset(train_images, train_masks, val_images, val_masks, seed)


def to_float(images: torch.Tensor) -> torch.Tensor:
    """uint8 images (stored compactly) to the float 0..1 input the network sees."""
    return images.float().div_(255)
