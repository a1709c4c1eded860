"""The lab's synthetic scenes: reproducible, and every label agrees with what was drawn."""

import colorsys

import numpy as np
import pytest
import torch
from scipy import ndimage
from skimage.draw import polygon2mask

from ops.lab.scenes import CLASSES, DISC, GRASS, SKY, SQUARE, THING_HUES, THINGS, TRIANGLE, make_dataset, make_scene

SCENES = [make_scene(seed=3, index=i) for i in range(40)]


def test_a_scene_is_a_pure_function_of_seed_split_and_index():
    a, b = make_scene(7, 5, "val"), make_scene(7, 5, "val")
    assert np.array_equal(a.image, b.image) and np.array_equal(a.mask, b.mask)
    assert not np.array_equal(a.image, make_scene(8, 5, "val").image)
    assert not np.array_equal(a.image, make_scene(7, 5, "train").image)


def test_datasets_are_reproducible_and_growing_one_only_appends():
    small, again, large = make_dataset(6, 3, seed=1), make_dataset(6, 3, seed=1), make_dataset(9, 4, seed=1)
    for name in ("train_images", "train_masks", "val_images", "val_masks"):
        assert torch.equal(getattr(small, name), getattr(again, name))
        assert torch.equal(getattr(small, name), getattr(large, name)[:len(getattr(small, name))])
    assert small.train_images.dtype == torch.uint8 and small.train_images.shape == (6, 3, 64, 64)
    assert small.train_masks.shape == (6, 64, 64) and small.num_classes == len(CLASSES) == 5


def test_bad_sizes_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least one"):
        make_dataset(0, 4)
    with pytest.raises(ValueError, match="multiple of 8"):
        make_dataset(4, 4, size=60)


def _outline(shape):
    """The shape's corners, computed here from its parameters (independently of the generator)."""
    cy, cx = shape.centre
    if shape.kind == SQUARE:
        local = [(shape.radius * su, shape.radius * sv) for su, sv in ((1, 1), (-1, 1), (-1, -1), (1, -1))]
    else:  # triangle: vertices halfway between its three edge normals (0°, 120°, 240°) at the circumradius
        local = [(shape.radius * np.cos(a), shape.radius * np.sin(a)) for a in np.radians([60, 180, 300])]
    c, s = np.cos(shape.angle), np.sin(shape.angle)
    return [(cy + s * u + c * v, cx + c * u - s * v) for u, v in local]


def _drawn_region(shape, size=64):
    if shape.kind == DISC:
        rows, columns = np.mgrid[0:size, 0:size]
        return (rows - shape.centre[0]) ** 2 + (columns - shape.centre[1]) ** 2 <= shape.radius ** 2
    return polygon2mask((size, size), _outline(shape))


def test_pixels_inside_each_visible_shape_carry_its_class():
    checked = set()
    for scene in SCENES:
        covered_later = np.zeros(scene.mask.shape, bool)
        for shape in reversed(scene.shapes):  # topmost first
            inside = ndimage.binary_erosion(_drawn_region(shape))  # away from the rasterised edge
            visible = inside & ~covered_later
            assert np.all(scene.mask[visible] == shape.kind), CLASSES[shape.kind]
            checked.add(shape.kind) if visible.any() else None
            covered_later |= ndimage.binary_dilation(_drawn_region(shape))
    assert checked == set(THINGS)


def test_every_thing_pixel_lies_on_a_drawn_shape_of_that_class():
    for scene in SCENES:
        for kind in THINGS:
            near = np.zeros(scene.mask.shape, bool)
            for shape in scene.shapes:
                if shape.kind == kind:
                    near |= ndimage.binary_dilation(_drawn_region(shape))
            assert not np.any((scene.mask == kind) & ~near), CLASSES[kind]


def test_stuff_pixels_look_like_their_class_and_sit_on_the_right_side_of_the_horizon():
    for scene in SCENES:
        rows = np.arange(64)[:, None]
        stuff = np.isin(scene.mask, (SKY, GRASS))
        assert np.array_equal((scene.mask == SKY)[stuff], (rows < scene.horizon[None, :])[stuff])
        r, g, b = scene.image[scene.mask == SKY].T
        assert np.mean(b > g) > 0.95 and np.mean(g > r) > 0.95, "sky is blue"
        r, g, b = scene.image[scene.mask == GRASS].T
        assert np.mean((g > r) & (g > b)) > 0.95, "grass is green"


def test_visible_shapes_are_painted_in_their_class_hue():
    for scene in SCENES:
        labels, count = ndimage.label(np.isin(scene.mask, THINGS))
        for blob in range(1, count + 1):
            pixels = labels == blob
            kind = np.bincount(scene.mask[pixels]).argmax()
            if pixels.sum() < 12 or len(set(scene.mask[pixels])) > 1:
                continue  # tiny or several touching things: the median hue would mix them
            rgb = np.median(scene.image[pixels], axis=0)
            hue = colorsys.rgb_to_hsv(*rgb)[0]
            low, high = THING_HUES[kind]
            hue = hue + 1 if hue < low - 0.5 else hue  # the red band wraps around 0
            assert low - 0.04 <= hue <= high + 0.04, (CLASSES[kind], hue)


def test_some_things_touch_or_overlap():
    """The lecture's point about counting needs touching instances of one class."""
    touching = 0
    for scene in SCENES:
        for i, a in enumerate(scene.shapes):
            for b in scene.shapes[i + 1:]:
                if a.kind == b.kind and (ndimage.binary_dilation(_drawn_region(a)) & _drawn_region(b)).any():
                    touching += 1
    assert touching >= 3


def test_every_class_occurs_and_triangle_geometry_is_tested():
    kinds = {shape.kind for scene in SCENES for shape in scene.shapes}
    assert kinds == set(THINGS) and TRIANGLE in kinds
    assert set(np.unique(np.stack([s.mask for s in SCENES]))) == set(range(len(CLASSES)))
