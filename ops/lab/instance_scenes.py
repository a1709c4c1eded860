"""Scenes where things touch: one mask per object, for counting and for training an instance segmenter.

The FCN lab's scenes (ops.lab.scenes) know each pixel's class; here every thing also keeps its own
visible mask, and things are often placed side by side with another of the same class (two discs
touching, a square half under another square) - exactly where the connected blobs of a semantic map
merge two objects into one. Every scene is a pure function of (seed, split, index); `render` draws a
scene from a list of shapes the student edited, on the same background.
"""

import colorsys
from dataclasses import dataclass, replace

import numpy as np

from ops.lab import scenes as lab  # the lab's own drawing steps, reused
from ops.lab.scenes import (
    SIZE,
    SPLITS,
    THING_HUES,
    THINGS,
    TRIANGLE,
    Shape,
    shape_region,
)

# A thing is drawn only if at least MIN_VISIBLE pixels and MIN_VISIBLE_SHARE of its own shape stay in view:
# below that nobody could count it (at 12 pixels and no share, scenes said "3 triangles" where one and a
# sliver showed; bench/hidden_things.py draws the cases on both sides of the line).
MIN_VISIBLE = 25
MIN_VISIBLE_SHARE = 0.25
SPLIT_STREAMS = {"train": 10, "val": 11, "test": 12}  # random streams disjoint from ops.lab.scenes' splits
assert not set(SPLIT_STREAMS.values()) & set(SPLITS.values())


def legible(visible_pixels: int, shape_pixels: int) -> bool:
    """Whether a thing with this many pixels in view, of a shape this large, can be counted (the rule above)."""
    return visible_pixels >= MIN_VISIBLE and visible_pixels >= MIN_VISIBLE_SHARE * shape_pixels


@dataclass(frozen=True)
class InstanceScene:
    image: np.ndarray  # H×W×3 float32 in 0..1
    mask: np.ndarray  # H×W int64 class per pixel (the semantic truth)
    instances: np.ndarray  # N×H×W bool: each thing's visible pixels (disjoint, later things on top)
    labels: np.ndarray  # N int64: class of each instance (DISC, SQUARE or TRIANGLE)
    shapes: tuple[Shape, ...]  # in drawing order, one per instance
    background_seed: tuple[int, ...]  # the random stream of the sky and grass, reused by `render`

    @property
    def ids(self) -> np.ndarray:
        """H×W int32: 0 = stuff, k = the k-th instance (1-based)."""
        ids = np.zeros(self.mask.shape, np.int32)
        for k, region in enumerate(self.instances, start=1):
            ids[region] = k
        return ids

    def boxes(self) -> np.ndarray:
        """N×4 float32 (x1, y1, x2, y2) around each visible mask, torchvision's convention (x2 = last col + 1)."""
        out = np.zeros((len(self.instances), 4), np.float32)
        for k, region in enumerate(self.instances):
            rows, cols = np.nonzero(region)
            out[k] = cols.min(), rows.min(), cols.max() + 1, rows.max() + 1
        return out

    def counts(self) -> dict[int, int]:
        """True number of things per thing class (zeros included)."""
        return {c: int((self.labels == c).sum()) for c in THINGS}


def _reach(shape: Shape) -> float:
    """How far the shape extends from its centre, roughly (triangles are narrower than their circumradius)."""
    return shape.radius * (0.6 if shape.kind == TRIANGLE else 1.05)


def _touching(rng: np.random.Generator, size: int, beside: Shape, same_class: bool) -> Shape:
    """A new thing placed against `beside` (touching or slightly overlapping it)."""
    shape = lab._random_shape(rng, size, None)
    if same_class and shape.kind != beside.kind:
        shape = replace(shape, kind=beside.kind, radius=float(rng.uniform(4, 12)) * (1.25 if beside.kind == TRIANGLE
                                                                                    else 1.0))
        shape = recolour(rng, shape)
    direction = rng.uniform(0, 2 * np.pi)
    distance = (_reach(beside) + _reach(shape)) * rng.uniform(0.7, 0.95)
    centre = (beside.centre[0] + distance * np.sin(direction), beside.centre[1] + distance * np.cos(direction))
    return replace(shape, centre=tuple(float(np.clip(c, 3, size - 4)) for c in centre))


def recolour(rng: np.random.Generator, shape: Shape) -> Shape:
    """The shape with a new colour from its class's hue band (used when a shape changes class)."""
    low, high = THING_HUES[shape.kind]
    colour = colorsys.hsv_to_rgb(rng.uniform(low, high) % 1.0, rng.uniform(0.55, 0.95), rng.uniform(0.6, 0.95))
    return replace(shape, colour=tuple(float(c) for c in colour))


def render(shapes, background_seed=(0,), size: int = SIZE, noise: float = 0.03) -> InstanceScene:
    """Draw `shapes` in order on the background of `background_seed`; a shape that would not be legible
    (see MIN_VISIBLE), or would leave an earlier thing illegible, is left out. The page's scene editor moves
    a shape and calls this again."""
    rng = np.random.default_rng(list(background_seed))
    image, mask, _ = lab._background(rng, size)
    visible, kept, areas = [], [], []  # areas: each kept thing's whole shape, in pixels
    for shape in shapes:
        region = shape_region(shape, size)
        covered = [v & ~region for v in visible]
        if not legible(region.sum(), region.sum()) or not all(legible(c.sum(), a) for c, a in zip(covered, areas)):
            continue  # it would vanish, or hide an earlier thing
        surface = np.asarray(shape.colour) * lab._texture(rng, shape.texture, size)[..., None]
        image = np.where(region[..., None], surface, image)
        mask = np.where(region, shape.kind, mask)
        visible = covered + [region]
        kept.append(shape)
        areas.append(region.sum())
    image = np.clip(image + rng.normal(0, noise, image.shape), 0, 1).astype(np.float32)
    instances = np.stack(visible) if visible else np.zeros((0, size, size), bool)
    labels = np.array([s.kind for s in kept], np.int64)
    return InstanceScene(image, mask.astype(np.int64), instances, labels, tuple(kept), tuple(background_seed))


def random_shapes(rng: np.random.Generator, size: int = SIZE, touching: float = 0.8,
                  same_class: float = 0.85) -> list[Shape]:
    """2 to 6 things; each after the first is placed against an earlier one with probability `touching`,
    and is then of the same class with probability `same_class`."""
    shapes = [lab._random_shape(rng, size, None)]
    for _ in range(int(rng.integers(1, 6))):
        if rng.random() < touching:
            beside = shapes[int(rng.integers(len(shapes)))]
            shapes.append(_touching(rng, size, beside, rng.random() < same_class))
        else:
            shapes.append(lab._random_shape(rng, size, None))
    return shapes


def make_instance_scene(seed: int = 0, index: int = 0, split: str = "train", size: int = SIZE,
                        touching: float = 0.85, same_class: float = 0.85) -> InstanceScene:
    """One scene with instance masks, a pure function of its arguments (splits use disjoint random streams)."""
    if split not in SPLIT_STREAMS:
        raise ValueError(f"split must be one of {', '.join(SPLIT_STREAMS)}, got {split!r}")
    if not (0 <= touching <= 1 and 0 <= same_class <= 1):
        raise ValueError("touching and same_class are probabilities between 0 and 1")
    stream = (seed, SPLIT_STREAMS[split], index)
    shapes = random_shapes(np.random.default_rng(stream + (1,)), size, touching, same_class)
    return render(shapes, stream, size)
