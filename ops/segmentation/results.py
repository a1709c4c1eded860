"""What a segmentation returns, wherever it ran: its own module so that the in-process pipeline and the
model server's client both build it without importing each other."""

from dataclasses import dataclass, field

import numpy as np

from ops.segmentation.instances import Instances


@dataclass
class Latency:
    """Milliseconds per stage; forward is measured after a device synchronisation (CUDA, MPS)."""

    decode_ms: float = 0.0
    preprocess_ms: float = 0.0
    forward_ms: float = 0.0
    postprocess_ms: float = 0.0
    wait_ms: float = 0.0  # queued behind other sessions' photos on the same model (not in total_ms)

    @property
    def total_ms(self) -> float:
        return self.decode_ms + self.preprocess_ms + self.forward_ms + self.postprocess_ms

    def as_dict(self) -> dict[str, float]:
        return {"decode": self.decode_ms, "preprocess": self.preprocess_ms, "forward": self.forward_ms,
                "postprocess": self.postprocess_ms}


@dataclass
class Segmentation:
    """What segment() returns. `labels` is at the image's size; the score maps at the model's input size."""

    labels: np.ndarray  # H×W int64 class ids
    classes: list[str]  # index = class id
    scores: np.ndarray | None  # C×h×w float32 logits at the model's input resolution (None: not kept)
    confidence: np.ndarray  # h×w float32: the highest softmax probability of each pixel (0–1)
    coarse: np.ndarray | None  # C×h'×w' float32 raw scores before the network's last upsampling
    model: str
    task: str
    device: str
    image_size: tuple[int, int]  # (width, height) of `labels`
    input_size: tuple[int, int]  # (width, height) the network saw
    latency: Latency = field(default_factory=Latency)
    instances: Instances | None = None  # Mask R-CNN's objects (instance models only)

    def class_shares(self) -> list[tuple[int, float]]:
        """(class id, fraction of the image's pixels) for every class present, largest first."""
        counts = np.bincount(self.labels.ravel(), minlength=len(self.classes))
        present = [(c, counts[c] / self.labels.size) for c in np.flatnonzero(counts)]
        return sorted(((int(c), float(f)) for c, f in present), key=lambda item: (-item[1], item[0]))
