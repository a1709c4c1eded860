"""segment() on real photos with the real ESPNetv2 checkpoints in ../shared.

What is asserted for the object photos: in the central box (the middle half of the width and of the
height), at least 80 % of the pixels the model calls an object (not background) carry the expected
class, objects cover at least 10 % of that box, and the largest connected object region of the whole
picture is of that class.
"""

import numpy as np
import pytest
import torch
from PIL import Image
from scipy import ndimage

from ops import segment
from ops.segmentation import instances
from ops.segmentation.espnetv2 import labels_at, preprocess
from ops.segmentation.pipeline import load_model

BEST = "espnetv2_s_2.0_pascal_384x384"


@pytest.fixture(scope="module")
def espnetv2(shared_weights):
    return load_model(BEST, "cpu")


def voc_target(path) -> np.ndarray:
    """The RGB ground truth in the VOC palette as class ids (17 sheep, 0 background, 255 void)."""
    rgb = np.asarray(Image.open(path).convert("RGB"))
    labels = np.full(rgb.shape[:2], 255, dtype=np.int64)
    labels[(rgb == (0, 0, 0)).all(-1)] = 0
    labels[(rgb == (128, 64, 0)).all(-1)] = 17
    return labels


def iou(prediction, truth, class_id) -> float:
    valid = truth != 255
    p, t = (prediction == class_id) & valid, (truth == class_id) & valid
    return (p & t).sum() / (p | t).sum()


def test_sheep_iou_against_its_ground_truth(espnetv2, shared_images):
    result = segment(Image.open(shared_images / "vainf_voc_23_sheep.png"), espnetv2)
    truth = voc_target(shared_images / "vainf_voc_23_sheep_target.png")
    assert result.labels.shape == truth.shape == (513, 513)
    assert iou(result.labels, truth, 17) >= 0.9
    assert iou(result.labels, truth, 0) >= 0.9
    assert result.classes[17] == "sheep"


def test_default_model_is_the_best_present_and_agrees_with_the_reference_pipeline(shared_images, shared_weights):
    image = Image.open(shared_images / "sunsided_cow.jpg").convert("RGB")
    result = segment(image, device="cpu")  # model=None: the best model whose weights are present
    assert result.model == BEST and result.device == "cpu"
    # the spec's reference pipeline (section 9): Pillow resize, network, argmax, NEAREST back to the photo
    model = load_model(BEST, "cpu", warmup=False).module
    with torch.inference_mode():
        logits = model(preprocess(image, 384))
    assert np.array_equal(result.labels, labels_at(logits, image.size).astype(np.int64))
    np.testing.assert_allclose(result.scores, logits[0].numpy(), rtol=0, atol=1e-5)
    np.testing.assert_allclose(result.confidence, torch.softmax(logits[0], 0).amax(0).numpy(), rtol=1e-5)
    assert result.coarse.shape == (21, 192, 192)  # ESPNetv2 predicts at half the input size
    assert result.input_size == (384, 384) and result.image_size == image.size
    latency = result.latency
    assert latency.forward_ms > 0 and latency.preprocess_ms > 0 and latency.postprocess_ms > 0
    assert latency.total_ms == pytest.approx(sum(latency.as_dict().values()))


@pytest.mark.parametrize("photo, expected", [
    ("sunsided_cow.jpg", "cow"), ("slds_cow.jpg", "cow"), ("jetson_cat_1.jpg", "cat"),
    ("jetson_humans_0.jpg", "person"), ("torchvision_astronaut.jpg", "person"),
])
def test_most_object_pixels_have_the_right_class(espnetv2, shared_images, photo, expected):
    result = segment(shared_images / photo, espnetv2)  # a path: decoded safely like an upload
    labels, wanted = result.labels, result.classes.index(expected)
    h, w = labels.shape
    centre = labels[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    objects = centre[centre != 0]
    assert objects.size >= 0.1 * centre.size
    assert (objects == wanted).mean() >= 0.8
    regions, n = ndimage.label(labels != 0)
    largest = np.bincount(regions.ravel())[1:].argmax() + 1
    assert np.bincount(labels[regions == largest]).argmax() == wanted


def test_shares_add_up_and_the_cow_is_counted_once(espnetv2, shared_images):
    result = segment(shared_images / "slds_cow.jpg", espnetv2)
    shares = dict(result.class_shares())
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares[10] == pytest.approx((result.labels == 10).mean())
    assert instances.from_semantic(result.labels, result.classes).counts() == {"cow": 1}


def test_a_bigger_input_size_still_finds_the_cat(espnetv2, shared_images):
    result = segment(shared_images / "jetson_cat_1.jpg", espnetv2, size=512)
    assert result.input_size == (512, 512) and result.labels.shape == (441, 350)
    assert result.classes[np.bincount(result.labels[result.labels > 0]).argmax()] == "cat"


def test_espnetv2_coarse_scores_upsampled_bilinearly_give_its_labels(espnetv2, shared_images):
    from ops.segmentation.pipeline import compare_upsampling

    result = segment(shared_images / "sunsided_cow.jpg", espnetv2)
    nearest, bilinear, differ = compare_upsampling(result.coarse, (384, 384), align_corners=True)
    assert (bilinear == result.scores.argmax(0)).mean() > 0.9999  # float rounding may flip a near-tie
    assert 0 < differ < 0.05  # nearest makes blocky borders: a few per cent of pixels change
