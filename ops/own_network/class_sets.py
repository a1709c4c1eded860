"""Class names of the label sets a student's model was likely trained on (the datasets' own spellings; the
catalogs' class.<name> entries translate the ones they know)."""

from ops.segmentation.espnetv2 import CITYSCAPES_CLASSES, PASCAL_VOC_CLASSES

COCO_THINGS = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
    "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
    "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
    "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
    "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
    "teddy bear", "hair drier", "toothbrush",
]
COCO_STUFF = [
    "banner", "blanket", "branch", "bridge", "building-other", "bush", "cabinet", "cage", "cardboard", "carpet",
    "ceiling-other", "ceiling-tile", "cloth", "clothes", "clouds", "counter", "cupboard", "curtain",
    "desk-stuff", "dirt", "door-stuff", "fence", "floor-marble", "floor-other", "floor-stone", "floor-tile",
    "floor-wood", "flower", "fog", "food-other", "fruit", "furniture-other", "grass", "gravel", "ground-other",
    "hill", "house", "leaves", "light", "mat", "metal", "mirror-stuff", "moss", "mountain", "mud", "napkin",
    "net", "paper", "pavement", "pillow", "plant-other", "plastic", "platform", "playingfield", "railing",
    "railroad", "river", "road", "rock", "roof", "rug", "salad", "sand", "sea", "shelf", "sky-other",
    "skyscraper", "snow", "solid-other", "stairs", "stone", "straw", "structural-other", "table", "tent",
    "textile-other", "towel", "tree", "vegetable", "wall-brick", "wall-concrete", "wall-other", "wall-panel",
    "wall-stone", "wall-tile", "wall-wood", "water-other", "waterdrops", "window-blind", "window-other", "wood",
]
CLASS_SETS = {
    "voc": tuple(PASCAL_VOC_CLASSES),  # 21 with background
    "cityscapes": tuple(CITYSCAPES_CLASSES),  # 19 evaluated classes
    "coco_stuff": tuple(COCO_THINGS + COCO_STUFF),  # 171: 80 things then 91 stuff
}


def guess(classes: int) -> str:
    """The known set with exactly this many classes, else "numbers"."""
    if classes == len(CITYSCAPES_CLASSES) - 1:  # the 19 evaluated classes, without the ignored last one
        return "cityscapes"
    return next((name for name, names in CLASS_SETS.items() if len(names) == classes), "numbers")


def names_for(choice: str, classes: int, typed: str = "") -> list[str]:
    """`classes` names: a known set's (padded with numbers if short), the typed list (commas, full-width ones
    too, as a Chinese keyboard types them), or numbers."""
    if choice == "typed":
        given = [name.strip() for name in typed.replace("\uff0c", ",").split(",") if name.strip()]
    else:
        given = list(CLASS_SETS.get(choice, ()))
    return [given[i] if i < len(given) else str(i) for i in range(classes)]
