"""The live stream's per-frame path: a frame's labels equal ops' segmentation of the same picture, each
overlay view paints what it says, float16 is chosen on CUDA only where the model allows, and the ICE
servers come from $PIXELWISE_ICE_SERVERS (none by default: no public STUN server assumed)."""

import numpy as np
import pytest
import torch
from PIL import Image

from lessons.figures import live_views as views
from ops.segmentation.pipeline import compare_upsampling, load_model, segment_in_process
from ops.segmentation.registry import spec_for
from ops.segmentation.video_frame import (
    FrameSettings,
    frame_precision,
    frame_work,
    half_allowed,
    labels_digest,
    video_models,
    view_labels,
)
from ops.segmentation.video_ice import ENV_VAR, BadIceServers, ice_servers, rtc_configuration

SMALLEST = "espnetv2_s_0.5_pascal_256x256"


@pytest.fixture(scope="module")
def model(shared_weights):
    return load_model(SMALLEST, "cpu")


@pytest.fixture(scope="module")
def frame(shared_images):
    image = Image.open(shared_images / "jetson_humans_0.jpg").convert("RGB").resize((320, 240))
    return np.asarray(image).copy()


def test_a_frame_is_labelled_exactly_as_ops_labels_the_same_picture(model, frame):
    settings = FrameSettings(model=model, size=192, opacity=0.5, view="final")
    result = frame_work(lambda: settings, views.video_picture)(frame)
    direct = segment_in_process(Image.fromarray(frame), model, size=192)
    assert np.array_equal(result.labels, direct.labels)
    assert result.digest() == labels_digest(direct.labels)
    assert result.segmentation.input_size == (192, 192) and result.labels.shape == (240, 320)
    assert 15 in result.class_counts()  # the people of the photo are found
    assert sum(result.class_counts().values()) == 240 * 320
    assert result.picture.shape == frame.shape and not np.array_equal(result.picture, frame)


def test_each_view_paints_its_own_labels(model, frame):
    settings = FrameSettings(model=model, size=256)
    segmentation = frame_work(lambda: settings, views.video_picture)(frame).segmentation
    in_w, in_h = segmentation.input_size
    nearest, bilinear, _ = compare_upsampling(segmentation.coarse, (in_h, in_w), align_corners=True)
    small = {"nearest": nearest, "bilinear": bilinear}
    for view in ("nearest", "bilinear"):
        expected = np.asarray(Image.fromarray(small[view].astype(np.uint8)).resize((320, 240), Image.NEAREST))
        assert np.array_equal(view_labels(segmentation, view), expected)
    coarse = view_labels(segmentation, "coarse")
    assert coarse.shape == (240, 320) and len(np.unique(coarse[:8, :8])) == 1  # whole blocks of one class
    assert np.array_equal(view_labels(segmentation, "final"), segmentation.labels)


def test_opacity_zero_shows_the_frame_and_hidden_classes_are_not_painted(model, frame):
    settings = FrameSettings(model=model, size=192, opacity=0.0)
    result = frame_work(lambda: settings, views.video_picture)(frame)
    assert np.array_equal(result.picture, frame)
    hidden = FrameSettings(model=model, size=192, opacity=1.0, shown=frozenset())
    assert np.array_equal(frame_work(lambda: hidden, views.video_picture)(frame).picture, frame)


def test_the_confidence_view_blends_the_confidence_colours(model, frame):
    settings = FrameSettings(model=model, size=192, opacity=1.0, view="confidence")
    result = frame_work(lambda: settings, views.video_picture)(frame)
    sure = result.segmentation.confidence.max()
    assert result.picture.shape == frame.shape and sure > 0.9
    assert result.picture.std() > 5  # a map, not a flat colour


def test_float16_on_cuda_only_and_only_where_the_model_allows():
    espnet = spec_for(SMALLEST)
    assert frame_precision(espnet, "cuda") == (True, torch.float16)
    assert frame_precision(espnet, "cuda:1") == (True, torch.float16)
    assert frame_precision(espnet, "cpu") == (False, torch.float32)
    assert frame_precision(espnet, "mps") == (False, torch.float32)
    maskrcnn = spec_for("maskrcnn_resnet50_fpn_v2")
    assert not half_allowed(maskrcnn) and frame_precision(maskrcnn, "cuda") == (False, torch.float32)
    assert video_models([espnet, maskrcnn]) == [espnet]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (float16 labels vs float32)")
def test_float16_on_the_gpu_keeps_almost_every_label(shared_weights, frame):
    half = load_model(SMALLEST, "cuda", half=True)
    full = load_model(SMALLEST, "cpu")
    a = segment_in_process(Image.fromarray(frame), half, size=256).labels
    b = segment_in_process(Image.fromarray(frame), full, size=256).labels
    assert (a == b).mean() > 0.99


def test_no_ice_server_by_default_and_named_ones_from_the_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert rtc_configuration() == {"iceServers": []}
    monkeypatch.setenv(ENV_VAR, '[{"urls": "stun:stun.lan:3478"}, '
                                '{"urls": ["turn:turn.lan:3478"], "username": "u", "credential": "p"}]')
    assert [s["urls"] for s in rtc_configuration()["iceServers"]] == ["stun:stun.lan:3478", ["turn:turn.lan:3478"]]
    assert ice_servers('{"urls": "stun:a:3478"}') == [{"urls": "stun:a:3478"}]
    for bad in ("stun:a:3478", "[1]", '[{"username": "u"}]'):
        with pytest.raises(BadIceServers) as caught:
            ice_servers(bad)
        assert caught.value.key == "live_video.error.ice_servers"


def test_the_fast_video_overlay_is_the_photo_overlay_to_within_one_level(model, frame):
    segmentation = frame_work(lambda: FrameSettings(model=model, size=192), views.video_picture)(frame).segmentation
    labels = segmentation.labels
    assert 15 in labels and 0 in labels
    for opacity in (0.0, 0.35, 0.6, 1.0):
        for shown in (None, frozenset(), frozenset({15}), frozenset({3})):
            fast = views.fast_overlay(frame, labels, 21, opacity, shown).astype(int)
            slow = views.overlay(frame, labels, 21, opacity, shown).astype(int)
            assert np.abs(fast - slow).max() <= 1, (opacity, shown)
    assert np.array_equal(views.fast_overlay(frame, labels, 21, 1.0, None)[labels == 15][0],
                          views.colour_table(21)[15])
