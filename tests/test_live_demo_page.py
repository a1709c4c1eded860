"""Live demo page (AppTest): opens on a sample and segments it with the real ESPNetv2 weights, takes an
upload and a camera photo, keeps working after bad uploads, and says what to do without any weights."""

import io

import numpy as np
import pytest
import torch
from PIL import Image

from harness.apptest import assert_no_exception, open_page

SLUG = "live-demo"


@pytest.fixture(autouse=True)
def _weights(shared_weights):
    """The page needs ../shared/weights (conftest points $PIXELWISE_WEIGHTS there)."""


def _counts(at) -> str:
    return at.subheader[-1].value


def _legend(at) -> str:
    return at.get("plotly_chart")[0].proto.spec


def test_opens_on_a_sample_and_segments_it():
    at = open_page(SLUG, timeout=90)
    assert_no_exception(at)
    assert not at.warning
    headers = [h.value for h in at.header]
    assert headers[0].startswith("1.") and len(headers) == 4
    assert "person" in _legend(at) and "person" in _counts(at)
    assert "ms" in _legend(at) or at.metric  # the latency metrics are drawn
    assert len(at.metric) == 5  # pixels that differ + four stages


def test_sample_from_the_url_and_a_bad_url_value():
    at = open_page(SLUG, timeout=90, query={"live-demo.sample": "chelsea", "live-demo.model": "banana"})
    assert_no_exception(at)
    assert "1 cat" in _counts(at)
    assert any("could not be used" in info.value for info in at.info)


def test_a_real_upload_is_segmented(shared_images):
    at = open_page(SLUG, timeout=90, query={"live-demo.source": "upload"})
    data = (shared_images / "sunsided_cow.jpg").read_bytes()
    at.file_uploader[0].set_value(("cow.jpg", data, "image/jpeg")).run()
    assert_no_exception(at)
    assert _counts(at).startswith("1 cow")
    assert "cow" in _legend(at) and "horse" not in _counts(at).split(",")[0]


@pytest.mark.parametrize("name, data, message", [
    ("empty.png", b"", "empty"),
    ("notes.png", b"cow,3\nsheep,4\n", "not an image"),
    ("cut.jpg", None, "truncated"),
])
def test_bad_uploads_get_a_message_and_the_last_photo_stays(name, data, message):
    if data is None:
        buffer = io.BytesIO()
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)).save(buffer, "JPEG")
        data = buffer.getvalue()[:2000]
    at = open_page(SLUG, timeout=90)  # the sample is segmented first
    at.segmented_control(key="live-demo.source").set_value("upload").run()
    at.file_uploader[0].set_value((name, data, "image/png")).run()
    assert_no_exception(at)
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert "person" in _counts(at)  # the astronaut is still shown


def test_camera_photo(shared_images):
    at = open_page(SLUG, timeout=90, query={"live-demo.source": "camera"})
    at.camera_input[0].set_value(("shot.jpg", (shared_images / "jetson_cat_1.jpg").read_bytes(), "image/jpeg")).run()
    assert_no_exception(at)
    assert "cat" in _counts(at)


def test_controls_rerun_without_errors():
    at = open_page(SLUG, timeout=90)
    at.slider(key="live-demo.opacity").set_value(1.0).run()
    assert_no_exception(at)
    at.selectbox(key="live-demo.model").set_value("espnetv2_s_0.5_pascal_256x256").run()
    assert_no_exception(at)
    assert "saw 256×256 pixels" in " ".join(c.value for c in at.caption)  # the 256-px checkpoint ran
    assert at.query_params["live-demo.model"] == "espnetv2_s_0.5_pascal_256x256"


def test_without_any_weights_the_page_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(tmp_path))
    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    try:
        at = open_page(SLUG, timeout=90)
    finally:
        torch.hub.set_dir(previous)
    assert_no_exception(at)
    assert any("No segmentation weights were found" in w.value for w in at.warning)
    listed = " ".join(m.value for m in at.markdown)
    assert "espnetv2_s_2.0_pascal_384x384.pth" in listed and "deeplabv3_resnet50_coco-cd0a2569.pth" in listed
    assert str(tmp_path) in listed
    assert any(e.label.startswith("No weights yet: choose one of") for e in at.expander)


def _random_weights_folder(folder, builder_name: str, file_name: str) -> None:
    """A torchvision model's weights file with random values under its real name (the page cannot tell)."""
    import torchvision.models.detection as detection
    import torchvision.models.segmentation as segmentation

    torch.manual_seed(0)
    module = detection if builder_name.startswith("maskrcnn") else segmentation
    kwargs = {"num_classes": 91} if builder_name.startswith("maskrcnn") else {"num_classes": 21}
    model = getattr(module, builder_name)(weights=None, weights_backbone=None, **kwargs)
    torch.save(model.state_dict(), folder / file_name)


@pytest.mark.slow
@pytest.mark.parametrize("builder_name, file_name", [
    ("lraspp_mobilenet_v3_large", "lraspp_mobilenet_v3_large-d234d4ea.pth"),
    ("maskrcnn_resnet50_fpn_v2", "maskrcnn_resnet50_fpn_v2_coco-73cbd019.pth"),
])
def test_torchvision_models_run_in_the_page(tmp_path, monkeypatch, builder_name, file_name):
    """With a weights file present the model is offered and runs: semantic (coarse scores at 1/8) and
    instance (Mask R-CNN's own objects, no connected-components stand-in). Random weights: no label checks."""
    _random_weights_folder(tmp_path, builder_name, file_name)
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(tmp_path))
    at = open_page(SLUG, timeout=180, query={"live-demo.model": builder_name, "live-demo.sample": "chelsea"})
    assert_no_exception(at)
    assert at.selectbox(key="live-demo.model").value == builder_name
    text = " ".join(m.value for m in at.markdown)
    if builder_name.startswith("maskrcnn"):
        assert len(at.header) == 3  # no coarse-scores section for an instance model
        assert "first finds a box around each object" in text
    else:
        assert "(1/8 of the input side)" in " ".join(c.value for c in at.caption)
        assert "every separate blob of one class is one object" in text


def test_live_video_source_lays_out_its_controls_and_asks_for_start(monkeypatch):
    """Without a browser the WebRTC player cannot start (AppTest has no real server): the page says so in
    words and asks for Start, the controls are there; a bad PIXELWISE_ICE_SERVERS is told, not a traceback."""
    at = open_page(SLUG, timeout=90, query={"live-demo.source": "video",
                                            "live-demo.model": "espnetv2_s_0.5_pascal_256x256"})
    assert_no_exception(at)
    assert at.header[0].value == "Live video: every frame gets its labels"
    assert any("Press Start" in info.value for info in at.info)
    assert at.select_slider(key="live-demo.video.size").value == 256
    assert at.segmented_control(key="live-demo.video.view").value == "final"
    assert [w.value for w in at.warning if "PIXELWISE_ICE_SERVERS" in w.value] == []
    monkeypatch.setenv("PIXELWISE_ICE_SERVERS", "stun:not-json")
    at.run()
    assert_no_exception(at)
    assert any("PIXELWISE_ICE_SERVERS" in w.value for w in at.warning)


def test_live_video_when_the_model_cannot_load_says_so(monkeypatch):
    from ops.segmentation import registry

    at = open_page(SLUG, timeout=90, query={"live-demo.source": "video",
                                            "live-demo.model": "espnetv2_s_0.5_pascal_256x256"})

    def gone(*args, **kwargs):
        raise registry.WeightsUnavailable("weights.missing", **registry.missing_params(
            registry.spec_for("espnetv2_s_0.5_pascal_256x256")))

    import pages.live_demo as live_demo

    monkeypatch.setattr(live_demo, "model_once_per_server", gone)
    at.run()
    assert_no_exception(at)
    assert any("could not run" in w.value for w in at.warning)
