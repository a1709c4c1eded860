"""ESPNetv2 semantic segmentation for Pascal VOC (Mehta, Rastegari, Shapiro, Hajishirzi: "ESPNetv2: A
Light-weight, Power Efficient, and General Purpose Convolutional Neural Network", CVPR 2019).

Implemented in this project from the specification ../shared/models/ESPNETV2.md (the EdgeNets variant),
so that the released checkpoints load with strict=True and give the specification's reference logits.
A 0.08–0.8 M parameter network: small enough to segment a photo on a laptop CPU in a classroom.

    from ops.segmentation.espnetv2 import espnetv2_pascal, preprocess, labels_at, PASCAL_VOC_CLASSES
    model = espnetv2_pascal(2.0).eval()               # weights: ops.segmentation.checkpoints
    logits = model(preprocess(photo, 384))            # 1×21×384×384 raw class scores
    labels = labels_at(logits, photo.size)            # H×W class ids at the photo's size
"""

import math
from numbers import Integral

import numpy as np
import torch
from PIL import Image
from torch import nn

from ops.segmentation.espnetv2_units import CBR, EESP, DownSampler, GatedProjection, PyramidPooling, up

# Section 9.3: index = class id, common VOC spelling.
PASCAL_VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
                      "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
                      "sheep", "sofa", "train", "tvmonitor"]
CITYSCAPES_CLASSES = ["road", "sidewalk", "building", "wall", "fence", "pole", "traffic light",
                      "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus",
                      "train", "motorcycle", "bicycle", "background"]

WIDTHS = (0.5, 1.0, 1.25, 1.5, 2.0)  # the width multipliers s the architecture defines
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
DECODER_BASE = 16  # q for the pascal and city variants


def voc_colour(label: int) -> tuple[int, int, int]:
    """The standard PASCAL VOC palette colour of a label (bits of the label spread over R, G, B)."""
    r = g = b = 0
    for j in range(8):
        bits = label >> (3 * j)
        r |= ((bits >> 0) & 1) << (7 - j)
        g |= ((bits >> 1) & 1) << (7 - j)
        b |= ((bits >> 2) & 1) << (7 - j)
    return r, g, b


VOC_COLOURS = [voc_colour(i) for i in range(len(PASCAL_VOC_CLASSES))]


def encoder_widths(s: float) -> tuple[int, int, int, int]:
    """Output channels (c0, c1, c2, c3) of encoder levels 1–4 for width multiplier s (spec 2.1)."""
    if s not in WIDTHS:
        raise ValueError(f"ESPNetv2 width must be one of {WIDTHS}, got {s!r}")
    b = 4 * math.ceil(math.floor(32 * s) / 4)
    return min(32, b), 2 * b, 4 * b, 8 * b


class ESPNetv2Encoder(nn.Module):
    """`base_net`: a strided CBR, then three down-samplers with EESP units between them (no level 5)."""

    def __init__(self, s: float):
        super().__init__()
        c0, c1, c2, c3 = encoder_widths(s)
        self.level1 = CBR(3, c0, 3, stride=2)
        self.level2_0 = DownSampler(c0, c1, r_lim=13)
        self.level3_0 = DownSampler(c1, c2, r_lim=11)
        self.level3 = nn.ModuleList(EESP(c2, c2, stride=1, r_lim=9) for _ in range(3))
        self.level4_0 = DownSampler(c2, c3, r_lim=9)
        self.level4 = nn.ModuleList(EESP(c3, c3, stride=1, r_lim=7) for _ in range(7))

    def forward(self, x):
        """The four feature maps the decoder uses, at 1/2, 1/4, 1/8 and 1/16 of the input size."""
        e1 = self.level1(x)
        e2 = self.level2_0(e1, x)
        e3 = self.level3_0(e2, x)
        for unit in self.level3:
            e3 = unit(e3)
        e4 = self.level4_0(e3, x)
        for unit in self.level4:
            e4 = unit(e4)
        return e1, e2, e3, e4


def _double(t: torch.Tensor) -> torch.Tensor:
    return up(t, (2 * t.shape[2], 2 * t.shape[3]))


class ESPNetv2Segmentation(nn.Module):
    """ESPNetv2 encoder with the EdgeNets segmentation decoder (spec sections 5–7).

    The decoder climbs back from 1/16 to 1/2 resolution: at each level a pyramid-pooling block refines
    the coarse map, which is doubled (bilinear) and added to a gated projection of the encoder map of
    that level (a skip connection), then BN+PReLU. The last block emits raw class scores at 1/2
    resolution, which are bilinearly upsampled to the input size. Returns logits N×C×H×W (no softmax).

    Input sides must satisfy side mod 16 ∈ {0, 15} (see `is_admissible_side`); multiples of 16 are usual.
    """

    def __init__(self, s: float = 2.0, num_classes: int = 21):
        super().__init__()
        c0, c1, c2, c3 = encoder_widths(s)
        q = DECODER_BASE
        p = min(num_classes // 2, q)
        self.width = s
        self.num_classes = num_classes
        self.base_net = ESPNetv2Encoder(s)
        self.bu_dec_l1 = PyramidPooling(c3, 4 * q, p)
        self.bu_dec_l2 = PyramidPooling(4 * q, 3 * q, p)
        self.bu_dec_l3 = PyramidPooling(3 * q, 2 * q, p)
        self.bu_dec_l4 = PyramidPooling(2 * q, num_classes, p, final=True)
        self.merge_enc_dec_l2 = GatedProjection(c2, 4 * q)
        self.merge_enc_dec_l3 = GatedProjection(c1, 3 * q)
        self.merge_enc_dec_l4 = GatedProjection(c0, 2 * q)
        self.bu_br_l2 = nn.Sequential(nn.BatchNorm2d(4 * q), nn.PReLU(4 * q))
        self.bu_br_l3 = nn.Sequential(nn.BatchNorm2d(3 * q), nn.PReLU(3 * q))
        self.bu_br_l4 = nn.Sequential(nn.BatchNorm2d(2 * q), nn.PReLU(2 * q))

    def forward(self, x, return_coarse: bool = False):
        """Logits at the input size; with return_coarse=True also the raw half-resolution scores."""
        h, w = x.shape[2:]
        for side in (h, w):
            if not is_admissible_side(side):
                raise ValueError(f"ESPNetv2 needs each input side ≡ 0 or 15 (mod 16) and ≥ 15, got {h}×{w}; "
                                 f"resize first (e.g. to {nearest_admissible(h)}×{nearest_admissible(w)})")
        e1, e2, e3, e4 = self.base_net(x)
        d = self.bu_dec_l1(e4)
        d = self.bu_dec_l2(self.bu_br_l2(self.merge_enc_dec_l2(e3) + _double(d)))
        d = self.bu_dec_l3(self.bu_br_l3(self.merge_enc_dec_l3(e2) + _double(d)))
        coarse = self.bu_dec_l4(self.bu_br_l4(self.merge_enc_dec_l4(e1) + _double(d)))
        logits = up(coarse, (h, w))
        return (logits, coarse) if return_coarse else logits


def espnetv2_pascal(width: float = 2.0) -> ESPNetv2Segmentation:
    """ESPNetv2 for Pascal VOC (21 classes) with width multiplier s ∈ {0.5, 1.0, 1.25, 1.5, 2.0},
    randomly initialised (load weights with ops.segmentation.checkpoints.load_espnetv2)."""
    return ESPNetv2Segmentation(width, num_classes=len(PASCAL_VOC_CLASSES))


def espnetv2_city(width: float = 2.0) -> ESPNetv2Segmentation:
    """ESPNetv2 for Cityscapes (20 outputs, last = background), randomly initialised."""
    return ESPNetv2Segmentation(width, num_classes=len(CITYSCAPES_CLASSES))


# --- pre- and post-processing (spec section 9) ----------------------------------------------------

def is_admissible_side(side: int) -> bool:
    """Whether the decoder's ×2 additions line up: side ≥ 15 and side mod 16 ∈ {0, 15} (spec 10.1)."""
    return side >= 15 and side % 16 in (0, 15)


def nearest_admissible(side: int) -> int:
    """The multiple of 16 closest to a side (at least 16)."""
    return max(16, 16 * round(side / 16))


def demo_size(width: int, height: int, multiple: int = 32) -> tuple[int, int]:
    """EdgeNets' demo protocol: keep the aspect ratio, floor each side to a multiple of 32 (at least 32).
    Returns Pillow's (width, height)."""
    if multiple % 16:
        raise ValueError(f"multiple must be a multiple of 16, got {multiple}")
    return max(multiple, width // multiple * multiple), max(multiple, height // multiple * multiple)


def preprocess(pil_image: Image.Image, size) -> torch.Tensor:
    """A photo as the network's input: RGB, Pillow bilinear resize, /255, ImageNet normalisation.

    `size` is an int (square, the checkpoints' evaluation protocol: aspect ratio ignored) or Pillow's
    (width, height), each side admissible (see `is_admissible_side`). Returns a float32 1×3×H×W tensor.
    Pillow's resize (anti-aliased when shrinking) is part of the reference pipeline: keep it.
    """
    width, height = (int(size), int(size)) if isinstance(size, Integral) else (int(size[0]), int(size[1]))
    if not (is_admissible_side(width) and is_admissible_side(height)):
        raise ValueError(f"ESPNetv2 input sides must be ≥ 15 and ≡ 0 or 15 (mod 16), got {width}×{height}")
    rgb = pil_image.convert("RGB").resize((width, height), Image.BILINEAR)
    x = torch.from_numpy(np.asarray(rgb).copy()).permute(2, 0, 1).float().div(255)
    mean = torch.tensor(IMAGENET_MEAN, dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=torch.float32).view(3, 1, 1)
    return ((x - mean) / std).unsqueeze(0)


def labels_at(logits: torch.Tensor, size=None) -> np.ndarray:
    """Class ids (argmax over classes, ties → lowest id) of the first image, as an H×W uint8 array.

    With `size` = Pillow's (width, height) the map is resized with NEAREST, as EdgeNets does (it never
    resizes the logits), e.g. back to the photo's original size.
    """
    labels = logits[0].argmax(0).to(torch.uint8).cpu().numpy()
    if size is None or tuple(size) == (labels.shape[1], labels.shape[0]):
        return labels
    return np.asarray(Image.fromarray(labels).resize(tuple(size), Image.NEAREST))
