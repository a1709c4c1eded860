"""What-segmentation-is and things-and-stuff lessons: pixels of a class in the toy cow field, the label
of a pixel, thing or stuff, and how many objects the semantic map and the instance map give for a
generated scene (ops.toy_scene, ops.lab.scenes, ops.segmentation.instances)."""

import numpy as np

from ops.exercises.model import CHOICE, CHOICES, INTEGER, Exercise, Mistake, Solution
from ops.lab.scenes import CLASSES, STUFF, make_scene, shape_region
from ops.segmentation.instances import MIN_FRACTION, from_semantic
from ops.toy_scene import CLASSES as TOY_CLASSES
from ops.toy_scene import cow_field


def class_pixels(rng, level):
    gap = int(rng.integers(-2, 7))
    name = str(rng.choice(TOY_CLASSES))
    labels = cow_field(gap).labels
    answer = int((labels == TOY_CLASSES.index(name)).sum())
    counts = {c: int((labels == k).sum()) for k, c in enumerate(TOY_CLASSES)}
    return Exercise(params={"gap": gap, "class": name}, answer=answer, answer_type=INTEGER,
                    question="exercise.question.class_pixels", question_params={"class": name},
                    hint="exercise.hint.class_pixels", mistakes=[],
                    solution_data=Solution("exercise.formula.count_cells", {}, [counts], answer,
                                           [("exercise.solution.pixels", {"class": name, "count": answer})]))


def pixel_label(rng, level):
    gap = int(rng.integers(-2, 7))
    labels = cow_field(gap).labels
    row, col = int(rng.integers(0, labels.shape[0])), int(rng.integers(0, labels.shape[1]))
    answer = TOY_CLASSES[int(labels[row, col])]
    return Exercise(params={"gap": gap, "row": row, "col": col}, answer=answer, answer_type=CHOICE,
                    choices=tuple(TOY_CLASSES), question="exercise.question.pixel_label",
                    question_params={"row": row, "col": col}, hint="exercise.hint.pixel_label", mistakes=[],
                    solution_data=Solution("exercise.formula.label_map", {}, [], answer,
                                           [("exercise.solution.label", {"row": row, "col": col, "class": answer})]))


def thing_or_stuff(rng, level):
    picked = [str(c) for c in rng.choice(CLASSES, size=3 if level == "easy" else len(CLASSES), replace=False)]
    answer = ["stuff" if CLASSES.index(c) in STUFF else "thing" for c in picked]
    swapped = ["thing" if a == "stuff" else "stuff" for a in answer]
    return Exercise(params={"classes": picked}, answer=answer, answer_type=CHOICES, choices=("thing", "stuff"),
                    question="exercise.question.thing_or_stuff", question_params={"classes": ", ".join(picked)},
                    hint="exercise.hint.thing_or_stuff", mistakes=[Mistake("exercise.hint.countable", swapped)],
                    solution_data=Solution("exercise.formula.countable", {}, [{"class": c, "answer": a} for c, a in
                                                                              zip(picked, answer)], answer, []))


def instance_map(scene) -> np.ndarray:
    """Which drawn shape owns each pixel (0: stuff), later shapes covering earlier ones, as they were drawn."""
    ids = np.zeros(scene.mask.shape, dtype=np.int64)
    for k, shape in enumerate(scene.shapes, start=1):
        ids[shape_region(shape, scene.mask.shape[0])] = k
    return ids


def object_counts(scene_seed: int) -> tuple[int, int]:
    """(blobs in the semantic map, visible objects in the instance map), specks below MIN_FRACTION ignored."""
    scene = make_scene(scene_seed)
    blobs = from_semantic(scene.mask, list(CLASSES), stuff=STUFF).count
    sizes = np.bincount(instance_map(scene).ravel())[1:]
    min_pixels = max(1, round(MIN_FRACTION * scene.mask.size))
    return blobs, int((sizes >= min_pixels).sum())


def _count_kind(which: str):
    def build(rng, level):
        scene_seed = int(rng.integers(0, 2 ** 31))
        if level != "easy":  # harder: a scene where touching or overlapping things make the two counts differ
            while len(set(object_counts(scene_seed))) == 1:
                scene_seed = int(rng.integers(0, 2 ** 31))
        blobs, objects = object_counts(scene_seed)
        answer, other = (blobs, objects) if which == "semantic" else (objects, blobs)
        hint = "exercise.hint.semantic_merges" if which == "semantic" else "exercise.hint.instances_separate"
        return Exercise(params={"scene_seed": scene_seed}, answer=answer, answer_type=INTEGER,
                        question=f"exercise.question.{which}_count", question_params={},
                        hint=f"exercise.hint.{which}_count", mistakes=[Mistake(hint, other)],
                        solution_data=Solution("exercise.formula.objects", {}, [{"blobs": blobs, "objects": objects}],
                                               answer, [("exercise.solution.objects", {"blobs": blobs,
                                                                                       "objects": objects})]))
    return build


SEGMENTATION = {"class-pixels": class_pixels, "pixel-label": pixel_label}
THINGS_AND_STUFF = {"thing-or-stuff": thing_or_stuff, "semantic-count": _count_kind("semantic"),
                    "instance-count": _count_kind("instance")}
