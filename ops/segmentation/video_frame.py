"""One camera frame through the network: the per-frame path the live stream and bench/bench_video.py share.

The frame is segmented by the very function a photo goes through (pipeline.segment_in_process), so a
frame's labels equal those of the same picture segmented by `ops` directly (the browser test checks it).
What the page's controls change while a stream runs (opacity, classes shown, the upsampling view, the
input size, the model) lives in one immutable FrameSettings the page swaps in; a frame reads it once.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

from ops.segmentation.pipeline import LoadedModel, argmax_ids, segment_in_process, upsample_scores
from ops.segmentation.registry import ModelSpec
from ops.segmentation.results import Segmentation

VIEWS = ("final", "coarse", "nearest", "bilinear", "confidence")  # what the overlay paints
SIZES = (128, 192, 256, 320, 384, 512)  # input sides offered for video (ESPNetv2 needs multiples of 16)


def half_allowed(spec: ModelSpec) -> bool:
    """float16 keeps the labels of semantic networks (ESPNetv2, torchvision's); Mask R-CNN's box and
    score post-processing is kept in float32."""
    return spec.task == "semantic"


def frame_precision(spec: ModelSpec, device: str) -> tuple[bool, torch.dtype]:
    """(half, dtype) for a stream: float16 on a CUDA GPU where the model allows, float32 elsewhere."""
    half = device.startswith("cuda") and half_allowed(spec)
    return half, torch.float16 if half else torch.float32


def video_models(specs: list[ModelSpec]) -> list[ModelSpec]:
    """The models a stream can run: one class per pixel (instance models label objects, not frames)."""
    return [spec for spec in specs if spec.task == "semantic"]


@dataclass(frozen=True)
class FrameSettings:
    """The controls a frame is drawn with, read once per frame (the page replaces the whole object)."""

    model: LoadedModel | None = None
    size: int = 256
    opacity: float = 0.6
    shown: frozenset | None = None  # class ids painted; None: all
    view: str = "final"


@dataclass
class FrameResult:
    """A processed frame: what the network saw and said, and the picture the page shows."""

    rgb: np.ndarray  # the frame as received (H×W×3 uint8)
    segmentation: Segmentation  # labels at the frame's size, confidence and coarse scores at the model's
    picture: np.ndarray | None = None  # the overlay drawn for the current settings
    settings: FrameSettings = field(default_factory=FrameSettings)
    work_ms: float = 0.0
    threads: int = 0  # the CPU threads the labelling thread ran on (video_threads: a stream's own count)

    @property
    def labels(self) -> np.ndarray:
        return self.segmentation.labels

    def class_counts(self) -> dict[int, int]:
        """{class id: pixels} of the frame's labels (the model's own output), every class present."""
        counts = np.bincount(self.labels.ravel(), minlength=1)
        return {int(c): int(counts[c]) for c in np.flatnonzero(counts)}

    def digest(self) -> str:
        return labels_digest(self.labels)


def labels_digest(labels: np.ndarray) -> str:
    """A short fingerprint of a label map (shape and every id), equal only for equal maps."""
    ids = np.ascontiguousarray(labels, dtype=np.int64)
    return hashlib.sha256(repr(ids.shape).encode() + ids.tobytes()).hexdigest()[:12]


def segment_frame(rgb: np.ndarray, settings: FrameSettings) -> Segmentation:
    """The frame's segmentation by the settings' model at the settings' input size (ops' photo path)."""
    if settings.model is None:
        raise ValueError("no model chosen for the stream")
    return segment_in_process(Image.fromarray(rgb), settings.model, size=settings.size, keep_scores=False)


def view_labels(segmentation: Segmentation, view: str) -> np.ndarray:
    """The class map the overlay paints for a view, at the frame's size.

    final: the model's own output; coarse: the best class of each coarse cell (blocks); nearest /
    bilinear: the coarse scores upsampled to the input size that way, then the best class."""
    width, height = segmentation.image_size
    if view in ("final", "confidence") or segmentation.coarse is None:
        return segmentation.labels
    coarse = segmentation.coarse
    if view == "coarse":
        ids = argmax_ids(coarse)
    else:
        in_w, in_h = segmentation.input_size
        align = segmentation.model.startswith("espnetv2")  # ESPNetv2's own last upsampling is align_corners
        ids = argmax_ids(upsample_scores(coarse, (in_h, in_w), view, align_corners=align and view == "bilinear"))
    return np.asarray(Image.fromarray(ids.astype(np.uint8)).resize((width, height), Image.NEAREST)).astype(np.int64)


def frame_work(settings_of: Callable[[], FrameSettings],
               draw: Callable[[np.ndarray, Segmentation, np.ndarray, FrameSettings], np.ndarray]
               ) -> Callable[[np.ndarray], FrameResult]:
    """work(rgb) for a LatestFrameProcessor: segment with the current settings, then draw the overlay.

    `draw(rgb, segmentation, view labels, settings)` comes from lessons/figures/live_views.py (ops does not
    draw); the page and the bench pass the same one."""
    def work(rgb: np.ndarray) -> FrameResult:
        start = time.perf_counter()
        settings = settings_of()
        segmentation = segment_frame(rgb, settings)
        picture = draw(rgb, segmentation, view_labels(segmentation, settings.view), settings)
        return FrameResult(rgb, segmentation, picture, settings, (time.perf_counter() - start) * 1000,
                           torch.get_num_threads())

    return work
