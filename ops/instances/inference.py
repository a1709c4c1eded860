"""Run the small Mask R-CNN on a scene and keep what each stage produced, for the page to show.

    from ops.instances import load_instance_model, detect
    result = detect(scene.image)                 # proposals, boxes, scores, labels, 28×28 mask logits, masks
    result.counts()                              # {DISC: 2, SQUARE: 0, TRIANGLE: 1}
    blob_counts(scene.mask)                      # the connected-blob answer of the same semantic map
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ops.instances.metrics import MIN_OWN_SHARE, own_pixels
from ops.instances.model import DETECTOR_CLASSES, build_maskrcnn, scene_label
from ops.lab.scenes import CLASSES, STUFF, THINGS

WEIGHTS = Path(__file__).parent / "weights" / "maskrcnn_scenes_seed0_pyramid.pt"  # made by the command in its .json
SCORE_THRESHOLD = 0.2  # chosen on the tuning seed (1) with kept()'s quarter: worst class 0.944 (0.927 at 0.4 without)
MASK_THRESHOLD = 0.5
MAX_SIDE = 256


class InstanceError(ValueError):
    """A bad image or a missing checkpoint; `key` names the message in lessons/*/messages.po."""

    def __init__(self, key: str, text: str, **params):
        super().__init__(text)
        self.key = key
        self.params = params


@lru_cache(maxsize=2)
def load_instance_model(path: str | Path = WEIGHTS):
    """The trained network in eval mode (cached); the checkpoint is a bare state_dict, loaded weights_only."""
    import torch

    path = Path(path)
    if not path.is_file():
        raise InstanceError("instances.error.no_weights", f"no checkpoint at {path}", path=str(path))
    model = build_maskrcnn(**checkpoint_architecture(path))
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()


def checkpoint_architecture(path: Path) -> dict:
    """build_maskrcnn's `levels` and `backbone` for a checkpoint, from the JSON log beside it (older logs name
    only the levels; the oldest nothing: one level, the small backbone)."""
    import json

    log = Path(path).with_suffix(".json")
    described = json.loads(log.read_text()).get("architecture", {}) if log.is_file() else {}
    return {"levels": int(described.get("levels", 1)), "backbone": str(described.get("backbone", "small"))}


@dataclass(frozen=True)
class Detection:
    """Every stage of one forward pass; arrays are numpy, boxes (x1, y1, x2, y2) in image pixels."""

    proposals: np.ndarray  # P×4: the RPN's proposals after its NMS, before the box head
    boxes: np.ndarray  # N×4 final boxes (box head + class-wise NMS), strongest first
    scores: np.ndarray  # N
    labels: np.ndarray  # N scene class ids (DISC, SQUARE, TRIANGLE)
    mask_logits: np.ndarray  # N×28×28: the mask head's raw output for each box's class, inside its box
    masks: np.ndarray  # N×H×W probabilities: sigmoid(mask_logits) pasted into the image

    def kept(self, threshold: float = SCORE_THRESHOLD, min_own: float = MIN_OWN_SHARE) -> np.ndarray:
        """Indices of the things found, strongest first: score ≥ threshold, and at least `min_own` of the mask
        not taken by a stronger kept box (metrics.own_pixels). Box NMS alone either keeps two boxes on one
        thing or drops a thing half behind its neighbour; the masks tell the two apart."""
        above = np.flatnonzero(self.scores >= threshold)
        if min_own <= 0:  # box NMS alone (bench/diagnose_instances.py compares with it)
            return above
        stays = own_pixels(self.masks[above], self.scores[above], MASK_THRESHOLD, min_own)
        return above[np.sort([k for k, _ in stays]).astype(np.int64)]

    def dropped(self, threshold: float = SCORE_THRESHOLD, min_own: float = MIN_OWN_SHARE) -> np.ndarray:
        """Indices scoring ≥ threshold that kept() leaves out: mostly under a stronger box's mask."""
        return np.setdiff1d(self.kept(threshold, min_own=0), self.kept(threshold, min_own))

    def counts(self, threshold: float = SCORE_THRESHOLD, min_own: float = MIN_OWN_SHARE) -> dict[int, int]:
        """Things found per thing class (zeros included): the kept boxes, see kept()."""
        labels = self.labels[self.kept(threshold, min_own)]
        return {c: int((labels == c).sum()) for c in THINGS}

    def instance_masks(self, threshold: float = SCORE_THRESHOLD, mask_threshold: float = MASK_THRESHOLD):
        """(masks bool K×H×W, scores K, labels K) of the kept detections: the input of mask AP."""
        keep = self.kept(threshold)
        return self.masks[keep] > mask_threshold, self.scores[keep], self.labels[keep]


def as_image(image) -> np.ndarray:
    """H×W×3 floats in 0..1 (uint8 is divided by 255); a clear error for anything else."""
    try:
        array = np.asarray(image)
    except (TypeError, ValueError):
        raise InstanceError("instances.error.not_image", "the image must be an H×W×3 array") from None
    if array.ndim != 3 or array.shape[2] != 3 or not all(16 <= s <= MAX_SIDE for s in array.shape[:2]):
        raise InstanceError("instances.error.shape", f"the image must be H×W×3 with sides 16 to {MAX_SIDE}, got "
                            f"{array.shape}", shape=str(array.shape), max_side=MAX_SIDE)
    array = array.astype(np.float32) / 255 if array.dtype == np.uint8 else array.astype(np.float32)
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise InstanceError("instances.error.range", "pixel values must be in 0..1 (or uint8)")
    return array


def detect(image, model=None) -> Detection:
    """Mask R-CNN's stages, one by one as torchvision's GeneralizedRCNN.forward runs them."""
    import torch

    image = as_image(image)
    model = load_instance_model() if model is None else model
    captured = {}
    hook = model.roi_heads.mask_predictor.register_forward_hook(lambda _m, _i, out: captured.update(logits=out))
    try:
        with torch.no_grad():
            tensor = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))
            images, _ = model.transform([tensor])
            features = model.backbone(images.tensors)
            proposals, _ = model.rpn(images, features)
            detections, _ = model.roi_heads(features, proposals, images.image_sizes)
            scale = np.array(image.shape[1::-1] * 2, np.float32) / np.array(images.image_sizes[0][::-1] * 2,
                                                                           np.float32)
            detections = model.transform.postprocess(detections, images.image_sizes, [image.shape[:2]])[0]
    finally:
        hook.remove()
    labels = detections["labels"].numpy()
    logits = captured.get("logits")
    if logits is None or len(labels) == 0:
        mask_logits = np.zeros((0, 28, 28), np.float32)
    else:
        mask_logits = logits[torch.arange(len(labels)), detections["labels"]].numpy()
    return Detection(proposals[0].numpy() * scale, detections["boxes"].numpy(), detections["scores"].numpy(),
                     np.array([scene_label(int(c)) for c in labels], np.int64), mask_logits,
                     detections["masks"][:, 0].numpy())


def blob_counts(semantic: np.ndarray) -> dict[int, int]:
    """Things per class counted as connected blobs of a semantic map (what an FCN alone can answer)."""
    from ops.segmentation.instances import from_semantic

    found = from_semantic(np.asarray(semantic), list(CLASSES), stuff=STUFF)
    return {c: found.labels.count(c) for c in THINGS}


CLASS_KEYS = {c: f"instances.class.{CLASSES[c]}" for c in THINGS}  # message keys of the thing class names
assert len(DETECTOR_CLASSES) == len(THINGS) + 1
