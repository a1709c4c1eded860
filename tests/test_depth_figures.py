"""The figure builders of the instance lesson draw the data they get."""

import numpy as np
import torch

from lessons.figures.instance_views import boxes_figure, mask_logits_figure, masks_figure, proposals_figure
from ops.instances import build_maskrcnn, detect
from ops.lab.instance_scenes import make_instance_scene


def test_instance_figures():
    torch.manual_seed(0)
    scene = make_instance_scene(0, 0, "test")
    result = detect(scene.image, build_maskrcnn().eval())
    assert len(proposals_figure(scene.image, result.proposals, "p").layout.shapes) == len(result.proposals)
    boxes = boxes_figure(scene.image, result.boxes[:3], result.scores[:3], ["disc"] * 3, "b")
    assert len(boxes.layout.shapes) == 3
    assert [a.text for a in boxes.layout.annotations] == [f"disc {s:.2f}" for s in result.scores[:3]]
    with_dropped = boxes_figure(scene.image, result.boxes[:3], result.scores[:3], ["disc"] * 3, "b",
                                dropped=result.boxes[3:5])
    assert [s.line.dash for s in with_dropped.layout.shapes] == ["dash"] * len(result.boxes[3:5]) + ["solid"] * 3
    assert len(with_dropped.layout.annotations) == 3  # dropped boxes carry no tag
    assert np.asarray(mask_logits_figure(result.mask_logits[0], "m", "logit").data[0].z).shape == (28, 28)
    assert masks_figure(scene.image, scene.ids, "ids").data[0].z.shape == (64, 64, 3)
