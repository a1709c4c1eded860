"""The "Your own network" lab in a real Chromium: a student uploads an ONNX model exported by a few lines of
PyTorch and a photo, and sees stride, upsampling, receptive field, cost and the label map, in English and in
Chinese. Screenshots in screenshots/own-network-*.png for a person to look at."""

import pytest

from lessons import i18n
from ops.own_network.exports import TINY, export_project_model
from ops.segmentation.samples import sample_bytes
from tests.browser.conftest import assert_no_exception, settle, tall_screenshot

SIZE = 128


def _upload_model_and_photo(page, server_url, lang):
    page.goto(f"{server_url}/own_network?own-network.source=upload&own-network.size={SIZE}&lang={lang}")
    settle(page, timeout=120_000)
    data = export_project_model(TINY, SIZE).data
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        {"name": "my_model.onnx", "mimeType": "application/octet-stream", "buffer": data})
    page.get_by_text(i18n.t("own_network.where_resolution_changes", lang)).first.wait_for(timeout=120_000)
    settle(page, timeout=120_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(1).set_input_files(
        {"name": "cat.png", "mimeType": "image/png", "buffer": sample_bytes("chelsea")})
    page.get_by_text(i18n.t("own_network.label_map", lang)).first.wait_for(timeout=120_000)
    settle(page, timeout=120_000)
    assert_no_exception(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_uploaded_model_is_described_and_segments_a_photo(page, server_url, lang):
    _upload_model_and_photo(page, server_url, lang)
    main = page.locator("[data-testid='stMain']").inner_text()
    for key in ("own_network.output_stride", "own_network.theoretical_field", "own_network.effective_field",
                "own_network.cost", "own_network.open_lesson"):  # tables are drawn on a canvas: not in the text
        assert i18n.t(key, lang) in main, key
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 3
    assert page.locator("[data-testid='stAlertContentWarning']").count() == 0
    tall_screenshot(page, f"own-network-upload-{lang}", height=5200)


def test_a_photo_uploaded_as_a_model_gets_words(page, server_url):
    page.goto(f"{server_url}/own_network?own-network.source=upload&own-network.size={SIZE}")
    settle(page, timeout=120_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        {"name": "cat.onnx", "mimeType": "application/octet-stream", "buffer": sample_bytes("chelsea")})
    page.get_by_text(i18n.t("own_network.cannot_read")).first.wait_for(timeout=60_000)
    settle(page)
    assert_no_exception(page)
    assert i18n.t("own_network.error.not_onnx") in page.locator("[data-testid='stMain']").inner_text()
