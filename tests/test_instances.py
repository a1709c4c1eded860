"""Instances from a semantic map (connected components) and from per-object masks (Mask R-CNN)."""

import numpy as np
from scipy import ndimage

from ops.segmentation.instances import from_masks, from_semantic, semantic_from_instances
from ops.toy_scene import CLASSES, cow_field


def test_apart_cows_are_two_objects_touching_cows_merge_into_one():
    apart, touching = cow_field(3), cow_field(0)
    assert from_semantic(apart.labels, CLASSES, stuff=(0, 1)).counts() == {"cow": 2}
    assert from_semantic(touching.labels, CLASSES, stuff=(0, 1)).counts() == {"cow": 1}
    assert touching.instances.max() == 2  # yet two cows are in the picture


def test_components_agree_with_scipy_and_drop_specks():
    labels = np.zeros((100, 100), dtype=np.int64)
    labels[10:30, 10:30] = 3
    labels[50:80, 50:90] = 3
    labels[5, 95] = 3  # one stray pixel: 0.01 % of the image, below the 0.1 % threshold
    labels[60:70, 0:20] = 5
    found = from_semantic(labels, [f"c{i}" for i in range(6)])
    assert found.counts() == {"c3": 2, "c5": 1}
    assert ndimage.label(labels == 3)[1] == 3
    assert found.ids[5, 95] == 0 and found.ids[20, 20] != found.ids[60, 60]
    without_speck = labels.copy()
    without_speck[5, 95] = 0
    assert np.array_equal(semantic_from_instances(found), without_speck)


def test_masks_overlap_resolved_by_score():
    masks = np.zeros((3, 20, 20), dtype=np.float32)
    masks[0, 0:10, 0:10] = 0.9  # class 21 (cow), score 0.6
    masks[1, 5:15, 5:15] = 0.8  # class 21 (cow), score 0.9: wins the overlap
    masks[2, 18:20, 18:20] = 0.3  # below the mask threshold everywhere: not an object
    classes = ["bg"] + [f"k{i}" for i in range(1, 21)] + ["cow"]
    found = from_masks(masks, [21, 21, 1], [0.6, 0.9, 0.99], classes)
    assert found.count == 2 and found.counts() == {"cow": 2}
    ids = np.zeros((10, 10), dtype=np.int64)
    ids[0, 0], ids[5:, 5:] = 4, 7  # one small object of class 4, one large of class 7: the large first
    assert list(from_semantic(ids, [f"k{i}" for i in range(8)], min_fraction=0).counts()) == ["k7", "k4"]
    strongest = found.scores.index(0.9) + 1
    assert found.ids[7, 7] == strongest and found.ids[2, 2] != strongest and found.ids[2, 2] > 0
    assert semantic_from_instances(found)[7, 7] == 21 and semantic_from_instances(found)[19, 19] == 0


def test_object_boxes_match_torchvision_masks_to_boxes():
    import torch
    from torchvision.ops import masks_to_boxes

    from ops.segmentation.instances import box_mask, object_boxes

    for gap in (-2, 0, 3):
        ids = cow_field(gap).instances
        masks = torch.stack([torch.from_numpy(ids == k) for k in (1, 2)])
        expected = masks_to_boxes(masks).int().tolist()
        assert [list(b) for b in object_boxes(ids)] == expected
    ids = cow_field(0).instances
    (x1, y1, x2, y2), second = object_boxes(ids)
    inside = box_mask(ids, 1, (x1, y1, x2, y2))
    assert inside.shape == (y2 - y1 + 1, x2 - x1 + 1) and inside.sum() == (ids == 1).sum()
