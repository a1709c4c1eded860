"""One table of every model the live demo can run, read by the page, the tests and the bench alike.

Each entry says what the model does (semantic or instance), which classes it knows, the input size it
was trained for, where its weights file comes from and is looked for, its licence, size and published
metrics. ESPNetv2 entries come from checkpoints.py's table; torchvision entries from torchvision's
weights API (their meta: categories, metrics, file size, transforms). Weights are looked for in the
folder named by $PIXELWISE_WEIGHTS, then in torch's hub cache (torch.hub.get_dir()/checkpoints).
"""

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ops.segmentation import checkpoints
from ops.segmentation.checkpoints import WeightsUnavailable
from ops.segmentation.download import DownloadFailed, download_verified
from ops.words import Words

_HASH_IN_NAME = re.compile(r"-([a-f0-9]+)\.")  # torchvision files carry a sha256 prefix: name-<hex>.pth
TORCHVISION_LICENCE = ("BSD-3-Clause (torchvision); trained on COCO train2017 (annotations CC BY 4.0, images "
                       "under Flickr terms)")

__all__ = ["MODELS", "ModelSpec", "WeightsUnavailable", "available_models", "missing_models", "best_available",
           "download_weights", "find_weights", "metric_words", "missing_params", "spec_for"]


@dataclass(frozen=True)
class ModelSpec:
    """What the page, tests and bench need to know about one model, without loading it."""

    name: str  # registry key
    title: str  # for people
    family: str  # "espnetv2" or "torchvision"
    task: str  # "semantic" (a class per pixel) or "instance" (a mask per object)
    classes: tuple[str, ...]  # index = class id
    input_size: int  # ESPNetv2: square side; torchvision semantic: shorter side; Mask R-CNN: min_size
    resize: str  # "square" (aspect ignored, ESPNetv2's protocol) or "shorter-side" (aspect kept)
    weights_file: str  # file name looked for in $PIXELWISE_WEIGHTS and the hub cache
    url: str
    sha256: str  # full hash (ESPNetv2) or the prefix in the file name (torchvision)
    licence: str
    size_mb: float  # weights file size
    params: int
    metrics: dict = field(default_factory=dict)  # published numbers, name -> value
    quality: float = 0.0  # the primary metric, used to rank "best available"
    output_stride: int = 1  # input side / side of the coarse scores before the final upsampling
    builder: str = ""  # torchvision builder name or ESPNetv2 width as text
    weights_enum: str = ""  # torchvision weights enum, e.g. "FCN_ResNet50_Weights.COCO_WITH_VOC_LABELS_V1"
    title_words: Words | None = None  # the title as pages say it: catalog entry model.<family or builder>

    def find_weights(self) -> Path | None:
        return find_weights(self)

    @property
    def present(self) -> bool:
        return self.find_weights() is not None


def _espnetv2_specs() -> list[ModelSpec]:
    specs = []
    for entry in checkpoints.CHECKPOINTS.values():
        if entry.dataset != "pascal":
            continue
        side = entry.train_size[0]
        specs.append(ModelSpec(
            name=entry.name, title=f"ESPNetv2 s={entry.width:g}, trained at {side}×{side}", family="espnetv2",
            title_words=Words("model.espnetv2", {"width": f"{entry.width:g}", "side": side}),
            task="semantic", classes=tuple(entry.classes), input_size=side, resize="square",
            weights_file=entry.filename, url=entry.url, sha256=entry.sha256, licence=entry.licence,
            size_mb=entry.bytes / 1e6, params=0, metrics={"mIoU % (Pascal VOC 2012 val)": entry.miou},
            quality=entry.miou, output_stride=2, builder=f"{entry.width:g}"))
    return specs


_TORCHVISION = [
    # builder, weights enum, title, output stride of the classifier
    ("lraspp_mobilenet_v3_large", "LRASPP_MobileNet_V3_Large_Weights.COCO_WITH_VOC_LABELS_V1",
     "LR-ASPP MobileNetV3-Large", 8),
    ("deeplabv3_mobilenet_v3_large", "DeepLabV3_MobileNet_V3_Large_Weights.COCO_WITH_VOC_LABELS_V1",
     "DeepLabV3 MobileNetV3-Large", 16),
    ("fcn_resnet50", "FCN_ResNet50_Weights.COCO_WITH_VOC_LABELS_V1", "FCN ResNet-50 (the lecture's FCN)", 8),
    ("deeplabv3_resnet50", "DeepLabV3_ResNet50_Weights.COCO_WITH_VOC_LABELS_V1", "DeepLabV3 ResNet-50", 8),
    ("maskrcnn_resnet50_fpn_v2", "MaskRCNN_ResNet50_FPN_V2_Weights.COCO_V1", "Mask R-CNN ResNet-50 FPN v2", 1),
]


def _torchvision_specs() -> list[ModelSpec]:
    from torchvision.models import get_weight

    specs = []
    for builder, enum, title, stride in _TORCHVISION:
        weights = get_weight(enum)
        meta = weights.meta
        instance = builder.startswith("maskrcnn")
        dataset, numbers = next(iter(meta["_metrics"].items()))
        if instance:
            metrics = {f"box mAP ({dataset})": numbers["box_map"], f"mask mAP ({dataset})": numbers["mask_map"]}
            quality, size = numbers["mask_map"], 800
        else:
            metrics = {f"mIoU % ({dataset})": numbers["miou"], f"pixel accuracy % ({dataset})": numbers["pixel_acc"]}
            quality, size = numbers["miou"], int(weights.transforms().resize_size[0])
        filename = weights.url.rsplit("/", 1)[1]
        match = _HASH_IN_NAME.search(filename)
        specs.append(ModelSpec(
            name=builder, title=title, family="torchvision", task="instance" if instance else "semantic",
            title_words=Words(f"model.{builder}"),
            classes=tuple(meta["categories"]), input_size=size, resize="shorter-side", weights_file=filename,
            url=weights.url, sha256=match.group(1) if match else "", licence=TORCHVISION_LICENCE,
            size_mb=float(meta["_file_size"]), params=int(meta["num_params"]), metrics=metrics, quality=quality,
            output_stride=stride, builder=builder, weights_enum=enum))
    return specs


MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in _espnetv2_specs() + _torchvision_specs()}


# ----------------------------------------------------------------------------------- where weights live

def find_weights(spec: ModelSpec | str) -> Path | None:
    """The first existing copy of a model's weights file ($PIXELWISE_WEIGHTS, then the hub cache), or None."""
    spec = MODELS[spec] if isinstance(spec, str) else spec
    return checkpoints.find_file(spec.weights_file)


def available_models(task: str | None = None) -> list[ModelSpec]:
    """Models whose weights are on disk, best first (by their primary published metric)."""
    found = [s for s in MODELS.values() if (task is None or s.task == task) and s.present]
    return sorted(found, key=lambda s: -s.quality)


def missing_models(task: str | None = None) -> list[ModelSpec]:
    return [s for s in MODELS.values() if (task is None or s.task == task) and not s.present]


def best_available(task: str = "semantic") -> ModelSpec:
    """The best model whose weights are present; WeightsUnavailable (saying what to get) if none is."""
    found = available_models(task)
    if not found:
        best = max((s for s in MODELS.values() if s.task == task), key=lambda s: s.quality)
        if task == "instance":
            raise WeightsUnavailable("weights.none_instance", **missing_params(best))
        raise WeightsUnavailable("weights.none_semantic", **missing_params(best))
    return found[0]


def spec_for(model) -> ModelSpec:
    """The spec of a registry name or a ModelSpec; None: the best semantic model whose weights are present."""
    if model is None:
        return best_available("semantic")
    if isinstance(model, ModelSpec):
        return model
    if model not in MODELS:
        raise KeyError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    return MODELS[model]


_METRICS = {"mIoU %": "miou", "pixel accuracy %": "pixel_accuracy", "box mAP": "box_map", "mask mAP": "mask_map"}


def metric_words(metric: str, short: bool = False) -> Words:
    """A published metric's name as pages say it: 'pixel accuracy % (COCO-val2017)' -> Words of the entry
    model.metric.pixel_accuracy with the data set's own name as {dataset} (a name in every language);
    `short`: the name alone (model.metric.pixel_accuracy.short), for a label with little room."""
    name, _, dataset = metric.partition(" (")
    if short:
        return Words(f"model.metric.{_METRICS[name]}.short")
    return Words(f"model.metric.{_METRICS[name]}", {"dataset": dataset.rstrip(")")})


def missing_params(spec: ModelSpec | str) -> dict:
    """The values of a weights.* message: which file is missing, where to put it, and where it comes from."""
    spec = MODELS[spec] if isinstance(spec, str) else spec
    return {"file": spec.weights_file, "title": spec.title_words, **checkpoints.places(), "url": spec.url,
            "size_mb": spec.size_mb, "licence": spec.licence}


_DOWNLOADING: dict[str, threading.Lock] = {}  # one download per weights file at a time, in this process
_DOWNLOADING_LOCK = threading.Lock()


def download_weights(spec: ModelSpec | str, progress=None, url: str | None = None, verify: bool = True,
                     token: str | None = None) -> Path:
    """Fetch a model's weights into torch's hub cache (where torchvision itself looks) and return the path.

    progress(done_bytes, total_bytes) is called as the bytes arrive, for a progress bar. The file is
    written under a temporary name and renamed only when complete and (verify=True) its sha256 matches
    (the full hash for ESPNetv2, the prefix torchvision puts in its file names), so an interrupted or
    wrong download never leaves a file under the real name. `url` overrides the source (tests: file://).
    Raises WeightsUnavailable with what to do when offline, unreachable or wrong.

    On a shared server ($PIXELWISE_SHARED_ADMIN_TOKEN set) only a caller with that `token` may download
    (ops.shared_server.AdminOnly otherwise). Concurrent calls for one file download it once: the others
    wait for it and get the same path.
    """
    from ops import shared_server

    shared_server.check_admin(token)
    spec = MODELS[spec] if isinstance(spec, str) else spec
    with _DOWNLOADING_LOCK:
        lock = _DOWNLOADING.setdefault(spec.weights_file, threading.Lock())
    missing = find_weights(spec) is None
    with lock:
        present = find_weights(spec) if missing else None
        if present is not None:  # another click's download of this file finished while this one waited
            return present
        return _download(spec, progress, url, verify)


def _download(spec: ModelSpec, progress, url: str | None, verify: bool) -> Path:
    if spec.family == "espnetv2" and verify:
        return checkpoints.download_checkpoint(spec.name, progress=progress, url=url)
    target = checkpoints.hub_checkpoint_dir() / spec.weights_file
    try:
        return download_verified(url or spec.url, target, spec.sha256 if verify else None,
                                 int(spec.size_mb * 1e6), progress)
    except DownloadFailed as error:
        if error.key == "download.wrong_sha256":
            raise WeightsUnavailable("weights.download_wrong_sha256", **missing_params(spec), **error.params) from error
        raise WeightsUnavailable("weights.download_failed", **missing_params(spec), **error.params) from error
