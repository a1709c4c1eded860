"""segment_in_process(): a photo in, a class per pixel out, with the network's raw scores and where the time
went, computed by a model loaded in this process (ops.segmentation.front decides between this and the server).

The forward pass is split at the last upsampling so the coarse low-resolution scores the network
really predicts are kept beside the final map (the link back to the upsampling lesson). Nothing is
stored on the shared model between calls, so one loaded model can serve several sessions at once.
"""

import threading
import time
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ops.device import best_device, synchronize
from ops.segmentation import checkpoints
from ops.segmentation import instances as instance_ops
from ops.segmentation.images import load_image
from ops.segmentation.registry import ModelSpec, WeightsUnavailable, find_weights, spec_for
from ops.segmentation.results import Latency, Segmentation

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
MAX_MODEL_SIDE = 1024  # torchvision semantic models: cap the longer side after the shorter-side resize
SCORE_THRESHOLD = 0.5  # Mask R-CNN: objects below this confidence are not shown


@dataclass
class LoadedModel:
    """A model ready to run: in eval mode, on its device, optionally in half precision."""

    spec: ModelSpec
    module: torch.nn.Module
    device: str
    half: bool = False
    random_weights: bool = False
    load_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def dtype(self) -> torch.dtype:
        return torch.float16 if self.half else torch.float32


# ---------------------------------------------------------------------------------------------- loading

def _torchvision_module(spec: ModelSpec, path) -> torch.nn.Module:
    import torchvision.models.detection as detection
    import torchvision.models.segmentation as segmentation

    instance = spec.task == "instance"
    builder = getattr(detection if instance else segmentation, spec.builder)
    state = torch.load(path, map_location="cpu", weights_only=True) if path is not None else None
    kwargs = {"weights": None, "weights_backbone": None, "num_classes": len(spec.classes)}
    if not instance:
        kwargs["aux_loss"] = bool(state) and any(k.startswith("aux_classifier.") for k in state)
    module = builder(**kwargs)
    if state is not None:
        module.load_state_dict(state, strict=True)
    if not instance:
        module.aux_classifier = None  # a training aid: the live demo never needs its output
    else:
        module.transform.min_size = (spec.input_size,)
    return module


def load_model(name: str | ModelSpec | None = None, device: str | None = None, half: bool = False,
               random_weights: bool = False, warmup: bool = True) -> LoadedModel:
    """Build a registry model with its weights (or random ones: tests, throughput), eval mode, on `device`.

    Raises WeightsUnavailable (saying which file to put where) when the weights are not on disk.
    Half precision is used on CUDA only. Warm-up runs one small input through so the first real
    image does not pay for lazy initialisation (CUDA kernels, allocator).
    """
    spec = spec_for(name)
    device = device or best_device()
    half = bool(half) and device.startswith("cuda")
    start = time.perf_counter()
    if spec.family == "espnetv2":
        if random_weights:
            module = checkpoints.checkpoint(spec.name).build().eval().to(device)
        else:
            module = checkpoints.load_espnetv2(spec.name, device)
    else:
        path = None if random_weights else find_weights(spec)
        if path is None and not random_weights:
            from ops.segmentation.registry import missing_params

            raise WeightsUnavailable("weights.missing", **missing_params(spec))
        module = _torchvision_module(spec, path).eval().to(device)
    if half:
        module = module.half()
    loaded = LoadedModel(spec, module, device, half, random_weights)
    if warmup and (spec.task == "semantic" or not device.startswith("cpu")):
        with torch.inference_mode():
            forward(loaded, torch.zeros(1, 3, 64, 64, device=device, dtype=loaded.dtype))
        synchronize(device)
    loaded.load_s = time.perf_counter() - start
    return loaded


_CACHE: dict[tuple, LoadedModel] = {}
_CACHE_LOCK = threading.Lock()


def _cached(name: str, device: str, half: bool) -> LoadedModel:
    """One copy per (model, device, precision) for callers that pass a name (notebooks, scripts)."""
    key = (name, device, half)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = load_model(name, device, half)
        return _CACHE[key]


# ------------------------------------------------------------------------------------------ the stages

def model_input_size(spec: ModelSpec, width: int, height: int, size: int | None = None) -> tuple[int, int]:
    """(width, height) the network sees for an image of width × height."""
    side = size or spec.input_size
    if spec.resize == "square":
        from ops.segmentation.espnetv2 import is_admissible_side, nearest_admissible

        side = side if is_admissible_side(side) else nearest_admissible(side)
        return side, side
    if spec.task == "instance":
        return width, height  # Mask R-CNN resizes inside the model (min_size) and answers at this size
    scale = min(side / min(width, height), MAX_MODEL_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def preprocess(spec: ModelSpec, image: Image.Image, size: int | None = None) -> torch.Tensor:
    """The network's input tensor (1×3×h×w float32 on the CPU) for an RGB image."""
    width, height = model_input_size(spec, *image.size, size)
    if spec.family == "espnetv2":
        from ops.segmentation.espnetv2 import preprocess as espnetv2_preprocess

        return espnetv2_preprocess(image, width)
    resized = image if (width, height) == image.size else image.resize((width, height), Image.BILINEAR)
    x = torch.from_numpy(np.asarray(resized.convert("RGB"), dtype=np.uint8).copy()).permute(2, 0, 1)
    x = x.unsqueeze(0).float().div_(255)
    if spec.task == "instance":
        return x  # Mask R-CNN normalises inside the model
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return x.sub_(mean).div_(std)


def forward(loaded: LoadedModel, x: torch.Tensor):
    """The split forward pass (the model server's batches call it too).

    Semantic: (logits at the input size, coarse scores). Instance: Mask R-CNN's output dict."""
    module, spec = loaded.module, loaded.spec
    if spec.task == "instance":
        return module([x[0]])[0]
    if spec.family == "espnetv2":
        return module(x, return_coarse=True)
    features = module.backbone(x)
    # torchvision: LR-ASPP's head reads several feature maps, FCN/DeepLab's only the last one
    coarse = module.classifier(features if spec.builder.startswith("lraspp") else features["out"])
    return F.interpolate(coarse, size=x.shape[-2:], mode="bilinear", align_corners=False), coarse


def bare_forward(loaded: LoadedModel, x: torch.Tensor):
    """The model's own forward on a prepared tensor: what the bench compares the whole pipeline with."""
    out = loaded.module([x[0]]) if loaded.spec.task == "instance" else loaded.module(x)
    return out["out"] if isinstance(out, dict) else out


def argmax_and_confidence(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel of C×H×W scores: the winning class (ties -> lowest id, as torch.argmax) and its softmax
    probability, exp(s_max) / sum_c exp(s_c).

    A loop over the C class planes, each a contiguous H×W block: 3–5× faster than an argmax across the
    strided class axis, which would otherwise cost a noticeable share of a small network's forward pass.
    """
    top = scores.max(0)
    ids = np.zeros(top.shape, dtype=np.uint8 if len(scores) <= 256 else np.int64)
    total = np.zeros(top.shape, dtype=np.float32)
    difference = np.empty_like(top)
    for c in range(len(scores) - 1, -1, -1):  # downwards, so the lowest tied class is written last
        np.copyto(ids, c, where=scores[c] == top, casting="unsafe")
        np.subtract(scores[c], top, out=difference)
        total += np.exp(difference, out=difference)
    return ids, np.reciprocal(total, out=total)


def argmax_ids(scores: np.ndarray) -> np.ndarray:
    """The winning class per pixel of C×H×W scores (ties -> lowest id), without the probabilities."""
    top = scores.max(0)
    ids = np.zeros(top.shape, dtype=np.uint8 if len(scores) <= 256 else np.int64)
    for c in range(len(scores) - 1, -1, -1):
        np.copyto(ids, c, where=scores[c] == top, casting="unsafe")
    return ids


def _labels_to_image(ids: np.ndarray, image_size: tuple[int, int]) -> np.ndarray:
    """Class ids at the model's resolution -> at the image's size, nearest neighbour (as EdgeNets does)."""
    small = ids.astype(np.uint8, copy=False) if ids.max(initial=0) < 256 else ids
    if (small.shape[1], small.shape[0]) != tuple(image_size):
        small = np.asarray(Image.fromarray(small).resize(tuple(image_size), Image.NEAREST))
    return small.astype(np.int64)


def decode_timed(image, latency: Latency) -> Image.Image:
    """An RGB PIL image from whatever segment() accepts, its decode time written into `latency`."""
    start = time.perf_counter()
    if not isinstance(image, Image.Image) or image.mode != "RGB":
        image = load_image(image)
    latency.decode_ms = (time.perf_counter() - start) * 1000
    return image


def segment_in_process(image, model=None, device: str | None = None, *, size: int | None = None,
                       half: bool = False, keep_scores: bool = True,
                       score_threshold: float = SCORE_THRESHOLD) -> Segmentation:
    """Label every pixel of a photo with a model loaded in this process.

    image: a PIL image, an H×W×3 uint8 array, encoded bytes or a path (bytes and paths are decoded
    safely by images.decode_upload; the decode time is reported). model: a registry name, a ModelSpec,
    a LoadedModel, or None for the best model whose weights are present. device: "cuda", "mps", "cpu",
    or None for the best one. size: override the model's input size. half: float16 on CUDA.
    """
    latency = Latency()
    image = decode_timed(image, latency)
    if isinstance(model, LoadedModel):
        loaded = model
    else:
        spec = spec_for(model)
        chosen = device or best_device()
        loaded = _cached(spec.name, chosen, bool(half) and chosen.startswith("cuda"))
    spec, device = loaded.spec, loaded.device

    start = time.perf_counter()
    x = preprocess(spec, image, size).to(device, dtype=loaded.dtype, non_blocking=True)
    latency.preprocess_ms = (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    # One forward at a time per loaded model: a class of sessions sharing one model queues here instead of
    # running ten forwards at once, which would need ten sets of activations (memory) and gain nothing on
    # a CPU's few cores or a GPU already kept busy. The wait is reported on its own.
    with loaded.lock, torch.inference_mode():
        latency.wait_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        if spec.task == "instance" and size and size != spec.input_size:
            loaded.module.transform.min_size = (size,)  # lives on the shared model: for this call only
            try:
                out = forward(loaded, x)
            finally:
                loaded.module.transform.min_size = (spec.input_size,)
        else:
            out = forward(loaded, x)
        synchronize(device)
        latency.forward_ms = (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    with torch.inference_mode():
        if spec.task == "instance":
            result = _instance_result(spec, out, image.size, score_threshold)
        else:
            result = semantic_result(spec, out, image.size, keep_scores)
    result.device, result.model = device, spec.name
    latency.postprocess_ms = (time.perf_counter() - start) * 1000
    result.latency = latency
    return result


def semantic_result(spec: ModelSpec, out, image_size, keep_scores: bool) -> Segmentation:
    """A semantic model's forward() output for one photo as a Segmentation (the model server batches with it)."""
    logits, coarse = out
    logits = logits[0].float().cpu().numpy()
    ids, confidence = argmax_and_confidence(logits)
    return Segmentation(
        labels=_labels_to_image(ids, image_size), classes=list(spec.classes),
        scores=logits if keep_scores else None, confidence=confidence,
        coarse=coarse[0].float().cpu().numpy(), model=spec.name, task=spec.task, device="",
        image_size=tuple(image_size), input_size=(logits.shape[2], logits.shape[1]))


def _instance_result(spec: ModelSpec, out: dict, image_size, threshold: float) -> Segmentation:
    keep = out["scores"] >= threshold
    masks = out["masks"][keep, 0].float().cpu().numpy()  # N×H×W probabilities at the image's size
    labels = out["labels"][keep].cpu().numpy()
    scores = out["scores"][keep].float().cpu().numpy()
    found = instance_ops.from_masks(masks, labels, scores, list(spec.classes))
    semantic = instance_ops.semantic_from_instances(found)
    # confidence: the winning object's score × its mask probability; background: 1 − the best of those
    support = masks * scores[:, None, None] if len(masks) else np.zeros((1, *semantic.shape), np.float32)
    best = support.max(0)
    confidence = np.where(semantic > 0, best, 1.0 - best).astype(np.float32)
    return Segmentation(labels=semantic, classes=list(spec.classes), scores=None, confidence=confidence,
                        coarse=None, model=spec.name, task=spec.task, device="",
                        image_size=tuple(image_size), input_size=tuple(image_size), instances=found)


def upsample_scores(coarse: np.ndarray, size: tuple[int, int], mode: str, align_corners: bool = False) -> np.ndarray:
    """Coarse C×h×w scores to (height, width) with 'nearest' or 'bilinear' (torch's F.interpolate).

    ESPNetv2's own last upsampling is bilinear with align_corners=True, torchvision's with False.
    """
    tensor = torch.from_numpy(np.ascontiguousarray(coarse, dtype=np.float32))[None]
    options = {"align_corners": align_corners} if mode == "bilinear" else {}
    return F.interpolate(tensor, size=tuple(size), mode=mode, **options)[0].numpy()


def compare_upsampling(coarse: np.ndarray, size: tuple[int, int], align_corners: bool = False):
    """The coarse scores upsampled to (height, width) by nearest and by bilinear, each then argmax-ed.

    Returns (nearest class map, bilinear class map, fraction of pixels where they differ): how much of
    the final mask's shape comes from the choice of upsampling, not from the network.
    """
    nearest = argmax_ids(upsample_scores(coarse, size, "nearest"))
    bilinear = argmax_ids(upsample_scores(coarse, size, "bilinear", align_corners))
    return nearest, bilinear, float((nearest != bilinear).mean())


def palette_png(labels: np.ndarray) -> bytes:
    """The label mask as a palette PNG: pixel value = class id, colours = the Pascal VOC palette.

    The usual format of segmentation data sets: the ids survive exactly and any viewer shows colours.
    """
    import io

    from ops.segmentation.espnetv2 import voc_colour

    if labels.max(initial=0) > 255:
        raise ValueError("a palette PNG holds at most 256 classes")
    image = Image.fromarray(labels.astype(np.uint8), mode="P")
    image.putpalette([channel for k in range(256) for channel in voc_colour(k)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
