"""A small but real torchvision Mask R-CNN (RPN, RoIAlign, box head, 28×28 mask head) for 64×64 scenes.

The architecture is torchvision's own `MaskRCNN`; only the sizes shrink so that it trains on one CPU core
in minutes: a four-layer convolutional backbone with one stride-4 feature map, anchors of 8 to 32
pixels, a 128-wide box head and a two-layer mask head. No pretrained weights anywhere.
`build_maskrcnn(levels=2)` adds a stride-2 level for small, mostly hidden things (a small top-down pyramid);
`build_maskrcnn(backbone="pyramid")` swaps in a residual backbone with an FPN (ops/instances/pyramid_backbone.py).
The checkpoint's JSON names its `architecture`, so loading picks the right one.
"""

from collections import OrderedDict

import torch
from torch import nn
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
from torchvision.ops import MultiScaleRoIAlign

from ops.instances.pyramid_backbone import PyramidBackbone
from ops.lab.scenes import CLASSES, SIZE, THINGS

# Mask R-CNN's classes: 0 is background, then the scene's thing classes in order
DETECTOR_CLASSES = ("background",) + tuple(CLASSES[c] for c in THINGS)
FEATURES = 64
BACKBONES = ("small", "pyramid")


def scene_label(detector_label: int) -> int:
    """Detector class id (1..3) to the scene's class id (DISC, SQUARE, TRIANGLE)."""
    return THINGS[detector_label - 1]


class SmallBackbone(nn.Module):
    """Four 3×3 convolutions, two of them strided: one 64-channel feature map at 1/4 of the image."""

    def __init__(self, width: int = FEATURES):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
            nn.Conv2d(32, 48, 3, stride=2, padding=1), nn.BatchNorm2d(48), nn.ReLU(inplace=True),
            nn.Conv2d(48, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, stride=2, padding=1), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, padding=2, dilation=2), nn.ReLU(inplace=True),
        )
        self.out_channels = width

    def forward(self, x: torch.Tensor) -> OrderedDict:
        return OrderedDict([("0", self.body(x))])


class TwoLevelBackbone(SmallBackbone):
    """The same layers plus a stride-2 level: "0" = upsampled stride-4 map + a learned correction from the
    stride-2 layer (zero at first, so a one-level checkpoint starts with level 0 seeing what it knew), "1" =
    the one-level network's stride-4 map unchanged. A top-down sum, the smallest feature pyramid."""

    def __init__(self, width: int = FEATURES):
        super().__init__(width)
        self.lateral = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(inplace=True),
                                     nn.Conv2d(width, width, 3, padding=1))
        nn.init.zeros_(self.lateral[2].weight)
        nn.init.zeros_(self.lateral[2].bias)

    def forward(self, x: torch.Tensor) -> OrderedDict:
        fine = self.body[:9](x)  # after the stride-2 convolution and the next one: 1/2 of the image
        coarse = self.body[9:](fine)
        up = nn.functional.interpolate(coarse, size=fine.shape[-2:], mode="bilinear", align_corners=False)
        return OrderedDict([("0", up + self.lateral(fine)), ("1", coarse)])


def build_maskrcnn(size: int = SIZE, levels: int = 1, backbone: str = "small") -> MaskRCNN:
    """The untrained network; images are used at their own size (no resizing to 800 pixels). With two levels,
    anchors of 4–16 px sit on the stride-2 map and 8–32 px on the stride-4 one (the same 12 per place, so the
    RPN head keeps its shape), and boxes under 16 px (square root of the area) are pooled from stride 2.
    The "pyramid" backbone always has both levels and pools every box from stride 2: on 64×64 scenes every
    thing is small, and the stride-2 map already carries the coarse map's context."""
    if backbone not in BACKBONES:
        raise ValueError(f"backbone must be one of {', '.join(BACKBONES)}, got {backbone!r}")
    if backbone == "pyramid":  # both levels, every box pooled from stride 2, more proposals for crowds
        levels, features, pooled, scale, proposals = 2, PyramidBackbone(), ["0"], {}, 80
    elif levels in (1, 2):
        features = SmallBackbone() if levels == 1 else TwoLevelBackbone()
        pooled = ["0", "1"][:levels]
        scale = {"canonical_scale": 64} if levels == 2 else {}  # stride 2 below 16 px
        proposals = 50
    else:
        raise ValueError(f"levels must be 1 or 2, got {levels}")
    sizes = ((8, 16, 24, 32),) if levels == 1 else ((4, 8, 12, 16), (8, 16, 24, 32))
    anchors = AnchorGenerator(sizes=sizes, aspect_ratios=((0.5, 1.0, 2.0),) * levels)
    box_pool = MultiScaleRoIAlign(featmap_names=pooled, output_size=7, sampling_ratio=2, **scale)
    mask_pool = MultiScaleRoIAlign(featmap_names=pooled, output_size=14, sampling_ratio=2, **scale)
    n, width = len(DETECTOR_CLASSES), features.out_channels
    return MaskRCNN(
        features, num_classes=None, min_size=size, max_size=size,
        image_mean=[0.5, 0.5, 0.5], image_std=[0.25, 0.25, 0.25],
        rpn_anchor_generator=anchors, rpn_pre_nms_top_n_train=300, rpn_post_nms_top_n_train=100,
        rpn_pre_nms_top_n_test=150, rpn_post_nms_top_n_test=proposals, rpn_batch_size_per_image=64,
        box_roi_pool=box_pool, box_head=TwoMLPHead(width * 7 * 7, 128), box_predictor=FastRCNNPredictor(128, n),
        box_batch_size_per_image=64, box_score_thresh=0.05, box_detections_per_img=20,
        mask_roi_pool=mask_pool, mask_head=MaskRCNNHeads(width, (64, 64), 1),
        mask_predictor=MaskRCNNPredictor(64, 64, n),
    )
