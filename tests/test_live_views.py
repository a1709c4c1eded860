"""The live demo's pictures: overlay opacity, hidden classes, object colours, crisp enlargement."""

import numpy as np

from lessons.class_names import count_phrase
from lessons.figures import live_views as views


def test_overlay_opacity_and_hidden_classes():
    image = np.full((4, 6, 3), 100, dtype=np.uint8)
    labels = np.zeros((4, 6), dtype=np.int64)
    labels[:, 2:4] = 10
    labels[:, 4:] = 15
    assert np.array_equal(views.overlay(image, labels, 21, 0.0), image)
    full = views.overlay(image, labels, 21, 1.0)
    assert tuple(full[0, 2]) == tuple(views.colour_table(21)[10]) and tuple(full[0, 0]) == (100, 100, 100)
    hidden = views.overlay(image, labels, 21, 1.0, shown={10})
    assert tuple(hidden[0, 5]) == (100, 100, 100) and tuple(hidden[0, 2]) == tuple(full[0, 2])
    half = views.overlay(image, labels, 21, 0.5)
    assert np.abs(half[0, 2].astype(int) - (100 + views.colour_table(21)[10].astype(int)) / 2).max() <= 1


def test_colourise_objects_and_crisp():
    ids = np.array([[0, 1], [2, 2]])
    objects = views.object_overlay(np.zeros((2, 2, 3), dtype=np.uint8), ids, 1.0)
    assert tuple(objects[0, 1]) != tuple(objects[1, 0])
    assert views.crisp(np.zeros((3, 5, 3), dtype=np.uint8), 30).shape == (30, 50, 3)


def test_count_phrases():
    assert count_phrase("cow", 3) == "3 cows" and count_phrase("cow", 1) == "1 cow"
    assert count_phrase("person", 2) == "2 people" and count_phrase("sheep", 4) == "4 sheep"
    assert count_phrase("cow", 3, "zh") == "牛 × 3"
