import numpy as np
import pytest

from ops.toy_scene import COW, cow_field


def test_two_separate_cows_are_two_blobs():
    scene = cow_field(gap=3)
    assert scene.cow_blobs == 2
    assert set(np.unique(scene.instances)) == {0, 1, 2}


@pytest.mark.parametrize("gap", [0, -1, -2])
def test_touching_cows_merge_in_the_semantic_map(gap):
    scene = cow_field(gap=gap)
    assert scene.cow_blobs == 1, "touching cows are one blob of 'cow' pixels"
    assert set(np.unique(scene.instances)) == {0, 1, 2}, "but there are still two cows"


def test_labels_and_instances_agree():
    scene = cow_field(gap=2)
    assert np.array_equal(scene.labels == COW, scene.instances > 0)
    # every cow pixel is painted with a cow colour, never the background's
    assert not np.array_equal(scene.image[scene.instances == 1][0], scene.image[0, 0])
