"""A small but real torchvision Mask R-CNN (RPN, RoIAlign, box head, 28×28 mask head) for 64×64 scenes.

The architecture is torchvision's own `MaskRCNN`; only the sizes shrink so that it trains on one CPU core
in minutes: a four-layer convolutional backbone with one stride-4 feature map, anchors of 8 to 32
pixels, a 128-wide box head and a two-layer mask head. No pretrained weights anywhere.
"""

from collections import OrderedDict

import torch
from torch import nn
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
from torchvision.ops import MultiScaleRoIAlign

from ops.lab.scenes import CLASSES, SIZE, THINGS

# Mask R-CNN's classes: 0 is background, then the scene's thing classes in order
DETECTOR_CLASSES = ("background",) + tuple(CLASSES[c] for c in THINGS)
FEATURES = 64


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


def build_maskrcnn(size: int = SIZE) -> MaskRCNN:
    """The untrained network; images are used at their own size (no resizing to 800 pixels)."""
    backbone = SmallBackbone()
    anchors = AnchorGenerator(sizes=((8, 16, 24, 32),), aspect_ratios=((0.5, 1.0, 2.0),))
    box_pool = MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
    mask_pool = MultiScaleRoIAlign(featmap_names=["0"], output_size=14, sampling_ratio=2)
    n = len(DETECTOR_CLASSES)
    return MaskRCNN(
        backbone, num_classes=None, min_size=size, max_size=size,
        image_mean=[0.5, 0.5, 0.5], image_std=[0.25, 0.25, 0.25],
        rpn_anchor_generator=anchors, rpn_pre_nms_top_n_train=300, rpn_post_nms_top_n_train=100,
        rpn_pre_nms_top_n_test=150, rpn_post_nms_top_n_test=50, rpn_batch_size_per_image=64,
        box_roi_pool=box_pool, box_head=TwoMLPHead(FEATURES * 7 * 7, 128), box_predictor=FastRCNNPredictor(128, n),
        box_batch_size_per_image=64, box_score_thresh=0.05, box_detections_per_img=20,
        mask_roi_pool=mask_pool, mask_head=MaskRCNNHeads(FEATURES, (64, 64), 1),
        mask_predictor=MaskRCNNPredictor(64, 64, n),
    )
