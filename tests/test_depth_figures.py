"""The figure builders for the transposed-convolution views and the instance lesson draw the data they get."""

import numpy as np
import torch

from lessons.figures.instance_views import boxes_figure, mask_logits_figure, masks_figure, proposals_figure
from lessons.figures.transposed_views import matrix_pair_figure, rows_figure, zero_insertion_figure
from ops.instances import build_maskrcnn, detect
from ops.lab.instance_scenes import make_instance_scene
from ops.upsampling import conv_matrix, zero_insert_1d, zero_insertion_view, zero_insertion_view_1d


def test_matrix_pair_shows_c_and_its_transpose():
    c = conv_matrix((4, 4), np.arange(9).reshape(3, 3) + 1.0, stride=2, padding=1)
    fig = matrix_pair_figure(c, {"c": "C", "ct": "Ct"})
    left, right = fig.data
    assert np.asarray(left.z).shape == (4, 16) and np.asarray(right.z).shape == (16, 4)
    assert np.isnan(np.asarray(left.z, float)[c == 0]).all()  # zeros blank: the nonzeros stand out


def test_zero_insertion_figure_outlines_the_window():
    view = zero_insertion_view([[1, 2], [3, 4]], np.ones((3, 3)), stride=2, padding=1, output_padding=1)
    fig = zero_insertion_figure(view, (1, 2), {"inserted": "a", "padded": "b", "flipped": "c", "output": "d"})
    assert len(fig.data) == 4 and len(fig.layout.shapes) == 9 + 4 + 1
    rows = rows_figure({"x": np.array([1.0, 2.0]), "zeros": zero_insert_1d([1, 2], 2),
                        "out": zero_insertion_view_1d([1, 2], [1, 1, 1], 2).output})
    assert np.asarray(rows.data[0].z).shape == (3, 5)


def test_instance_figures():
    torch.manual_seed(0)
    scene = make_instance_scene(0, 0, "test")
    result = detect(scene.image, build_maskrcnn().eval())
    assert len(proposals_figure(scene.image, result.proposals, "p").layout.shapes) == len(result.proposals)
    boxes = boxes_figure(scene.image, result.boxes[:3], result.scores[:3], ["disc"] * 3, "b")
    assert len(boxes.layout.shapes) == 3
    assert [a.text for a in boxes.layout.annotations] == [f"disc {s:.2f}" for s in result.scores[:3]]
    assert np.asarray(mask_logits_figure(result.mask_logits[0], "m", "logit").data[0].z).shape == (28, 28)
    assert masks_figure(scene.image, scene.ids, "ids").data[0].z.shape == (64, 64, 3)
