"""The live demo in a real browser: a sample segments, a real photo uploaded through the file picker is
segmented (overlay and legend appear), a non-image upload gets a message; Chinese and presenter mode."""

from tests.browser.conftest import ROOT, assert_no_exception, open_lesson, screenshot, settle, tall_screenshot

SHARED_PHOTO = ROOT.parent / "shared" / "images" / "sunsided_cow.jpg"


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def _open(page, url: str, heading: str = "Live segmentation demo") -> None:
    open_lesson(page, url, heading, timeout=120_000)




def test_sample_segments_and_shows_every_section(page, server_url):
    _open(page, f"{server_url}/live_demo")
    page.get_by_text("Where the time went").wait_for(timeout=120_000)  # the last section: segmentation done
    settle(page, timeout=120_000)
    main = _main_text(page)
    for text in ("Every pixel gets a class", "What the network really predicts", "Where the time went", "person"):
        assert text in main
    assert page.locator("[data-testid='stImage']").count() >= 5
    tall_screenshot(page, "live-demo-sample", 5400)


def test_upload_a_real_photo(page, server_url):
    if not SHARED_PHOTO.exists():
        import pytest

        pytest.skip(f"needs {SHARED_PHOTO}")
    _open(page, f"{server_url}/live_demo?live-demo.source=upload")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(SHARED_PHOTO))
    page.get_by_text("Input: sunsided_cow.jpg").wait_for(timeout=120_000)
    settle(page, timeout=120_000)
    assert_no_exception(page)
    main = _main_text(page)
    assert "1 cow" in main and "320×213" in main
    tall_screenshot(page, "live-demo-upload-cow", 5400)


def test_a_text_file_upload_gets_a_message_and_the_page_keeps_working(page, server_url, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("this is not a picture")
    _open(page, f"{server_url}/live_demo?live-demo.source=upload")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
    page.get_by_text("This photo cannot be used").wait_for(timeout=60_000)
    settle(page)
    assert_no_exception(page)
    assert "not an image we can read" in _main_text(page)
    screenshot(page, "live-demo-bad-upload")


def test_chinese_and_presenter_mode(page, server_url):
    _open(page, f"{server_url}/live_demo?lang=zh&live-demo.sample=chelsea", heading="实时分割演示")
    assert "猫" in _main_text(page)
    tall_screenshot(page, "live-demo-zh", 5400)
    page.set_viewport_size({"width": 1400, "height": 1000})
    _open(page, f"{server_url}/live_demo?present=1&live-demo.sample=motorcycle")
    screenshot(page, "live-demo-present")


def test_things_and_stuff_page(page, server_url):
    _open(page, f"{server_url}/things_and_stuff", heading="Things & stuff, instances")
    assert "one cow blob" in _main_text(page)
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    settle(page)
    assert_no_exception(page)
    assert "one cow blob" not in _main_text(page)
    tall_screenshot(page, "things-and-stuff", 5400)
    page.set_viewport_size({"width": 1400, "height": 1000})
    _open(page, f"{server_url}/things_and_stuff?lang=zh", heading="物体与背景，实例")
    tall_screenshot(page, "things-and-stuff-zh", 5400)


def test_missing_models_are_listed_and_an_offline_download_says_so(page, server_url, tmp_path):
    _open(page, f"{server_url}/live_demo")
    page.get_by_text("more models need their weights file").click()
    page.get_by_text("lraspp_mobilenet_v3_large-d234d4ea.pth", exact=True).wait_for(timeout=30_000)
    screenshot(page, "live-demo-missing-models")
    page.get_by_role("button", name="Download", exact=True).last.click()  # Mask R-CNN's; no network here
    page.get_by_text("The download did not work").wait_for(timeout=120_000)
    settle(page)
    assert_no_exception(page)
    screenshot(page, "live-demo-download-offline")
