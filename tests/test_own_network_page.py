"""The "Your own network" page (AppTest): a project model exported on the spot, a real small ONNX upload read
in full (stride, field, cost, label map), and bad uploads answered with words, never a traceback."""

import pytest

from harness.apptest import assert_no_exception, open_page
from lessons import i18n
from ops.own_network.cached import inspect_cached
from ops.own_network.exports import TINY, export_project_model
from tests.test_own_network import classifier_model

SLUG = "own-network"
SIZE = "128"


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts + [w.value for w in at.warning])


def upload(at, name, data):
    at.segmented_control(key="own-network.source").set_value("upload").run()
    at.file_uploader(key="own-network.file").set_value((name, data, "application/octet-stream")).run()
    return at


def test_the_small_project_network_is_described():
    at = open_page(SLUG, timeout=180, query={"own-network.size": SIZE})
    assert_no_exception(at)
    metrics = _metrics(at)
    assert metrics[i18n.t("own_network.output_stride")] == "4"
    anatomy = inspect_cached(export_project_model(TINY, int(SIZE)).data, (int(SIZE), int(SIZE)))  # the page's own
    assert metrics[i18n.t("own_network.theoretical_field")] == f"{anatomy.receptive_field} px"
    assert anatomy.receptive_field in (30, 34)  # the centre pixel's field depends on where it falls after upsampling
    text = _text(at)
    assert "Transposed convolution, kernel 4 × 4, stride 2 × 2" in text and "half_pixel" in text
    assert i18n.t("own_network.random_weights_tiny", model=i18n.t("own_network.model.tiny")) in text
    assert len(at.get("plotly_chart")) >= 2  # resolution against depth, effective field
    assert not at.warning


def test_a_real_onnx_upload_is_read_and_segments_a_photo():
    data = export_project_model(TINY, 64).data
    at = open_page(SLUG, timeout=180, query={"own-network.size": SIZE})
    upload(at, "mine.onnx", data)
    assert_no_exception(at)
    assert not at.warning, [w.value for w in at.warning]
    assert _metrics(at)[i18n.t("own_network.output_stride")] == "4"
    assert i18n.t("own_network.fixed_size", height=64, width=64) in _text(at)  # exported at 64: fixed
    at.selectbox(key="own-network.sample").set_value("chelsea").run()
    assert_no_exception(at)
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # resolution, effective field over the photo, label map
    assert "aeroplane" in charts[-1].proto.spec or "background" in charts[-1].proto.spec


@pytest.mark.parametrize("name, data, key", [
    ("photo.onnx", b"\x89PNG\r\n\x1a\n" + bytes(64), "own_network.error.not_onnx"),
    ("cut.onnx", None, "own_network.error.truncated"),
    ("classifier.onnx", "classifier", "own_network.error.classifier"),
])
def test_bad_uploads_get_words(name, data, key):
    if data is None:
        whole = export_project_model(TINY, 64).data
        data = whole[: len(whole) // 2]
    elif data == "classifier":
        data = classifier_model()
    at = open_page(SLUG, timeout=180, query={"own-network.size": SIZE})
    upload(at, name, data)
    assert_no_exception(at)
    warnings = [w.value for w in at.warning]
    assert warnings and i18n.t(key, shape="1 × 10") in warnings[0], warnings


def test_in_chinese():
    at = open_page(SLUG, timeout=180, query={"own-network.size": SIZE, "lang": "zh"})
    assert_no_exception(at)
    assert at.title[0].value == i18n.t("lesson.own-network.title", "zh")
    assert i18n.t("own_network.output_stride", "zh") in _metrics(at)


@pytest.mark.parametrize("name, size", [(TINY, 64), ("espnetv2_s_2.0_pascal_384x384", 128)])
def test_every_upsampling_link_opens_the_upsampling_lesson_with_its_settings(name, size):
    """The links carry settings the upsampling lesson accepts (a refused value would fall back with a note)."""
    from pages.own_network import _link_params

    anatomy = inspect_cached(export_project_model(name, size).data, (size, size))
    links = {tuple(sorted(_link_params(entry).items())) for entry in anatomy.upsampling}
    assert links
    for params in links:
        at = open_page("upsampling", timeout=120, query=dict(params))
        assert_no_exception(at)
        assert not [i.value for i in at.info if i18n.t("ui.some_settings_link_could_not") in i.value], params
        assert at.session_state["upsampling.op"] == dict(params)["upsampling.op"]
        if "upsampling.align_corners" in dict(params):
            assert str(at.session_state["upsampling.align_corners"]) == dict(params)["upsampling.align_corners"]
