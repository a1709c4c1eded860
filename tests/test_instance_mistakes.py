"""find_mistakes names the true things no kept detection found and the kept detections that found nothing:
class, mask IoU ≥ 0.5 and the score threshold all decide, each true thing is found at most once."""

from dataclasses import replace

import numpy as np

from ops.instances.inference import Detection
from ops.instances.mistakes import find_mistakes
from ops.lab.instance_scenes import make_instance_scene, render
from ops.lab.scenes import DISC, SQUARE


def two_discs():
    base = make_instance_scene(0, 0, "test").shapes[0]
    disc = replace(base, kind=DISC, radius=9.0, colour=(0.85, 0.15, 0.2), texture="plain")
    return render([replace(disc, centre=(40.0, 20.0)), replace(disc, centre=(40.0, 38.0))], (0, 12, 0))


def detection(masks, scores, labels) -> Detection:
    masks = np.asarray(masks, np.float32)
    n = len(masks)
    return Detection(np.zeros((0, 4), np.float32), np.tile(np.float32([1, 2, 10, 12]), (n, 1)),
                     np.asarray(scores, np.float32), np.asarray(labels, np.int64), np.zeros((n, 28, 28), np.float32),
                     masks)


def test_a_missed_thing_and_an_extra_box_are_named():
    scene = two_discs()
    assert scene.counts()[DISC] == 2
    sky = np.zeros_like(scene.instances[0])
    sky[2:8, 2:8] = True
    again = scene.instances[0].copy()
    again[10:20, 50:60] = True  # the first disc again plus 100 px of sky: more than a quarter its own, so kept
    # the first disc found, the same disc found again (matched already, so extra), a box on the sky, the
    # second disc only below the threshold (so it is missed), and an exact copy of the first (not kept at all:
    # nothing of its mask is its own)
    result = detection([scene.instances[0], again, sky, scene.instances[1], scene.instances[0]],
                       [0.9, 0.8, 0.7, 0.3, 0.6], [DISC] * 5)
    assert list(result.kept(0.5)) == [0, 1, 2]
    wrong = find_mistakes(scene, result, 0.5)
    assert wrong.missed == (1,) and wrong.extra == (1, 2) and wrong
    assert find_mistakes(scene, result, 0.2).missed == ()


def test_the_wrong_class_does_not_match_and_all_right_is_falsy():
    scene = two_discs()
    right = detection(scene.instances, [0.9, 0.8], [DISC, DISC])
    assert not find_mistakes(scene, right, 0.5)
    wrong = find_mistakes(scene, detection(scene.instances, [0.9, 0.8], [DISC, SQUARE]), 0.5)
    assert wrong.missed == (1,) and wrong.extra == (1,)
    nothing = find_mistakes(scene, detection(np.zeros((0, 64, 64)), [], []), 0.5)
    assert nothing.missed == (0, 1) and nothing.extra == ()
