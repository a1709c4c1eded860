"""The layer-stack lessons in a real browser: presets, an edited cell, the shared stack, the animation."""

from tests.browser.conftest import LESSON_TABLES, assert_no_exception, open_lesson, screenshot, settle, tall_screenshot

COST = "Downsample, then upsample"
FIELD = "Receptive field"


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()






def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def test_cost_lesson_an_edited_cell_and_a_preset(page, server_url):
    open_lesson(page, f"{server_url}/full_resolution_cost", COST)
    tall_screenshot(page, "full-resolution-cost-open")
    assert _metric(page, "Total FLOPs") == "179.18 GFLOPs"
    # edit the first layer's kernel: select its 'layer' cell, step right to 'kernel', type, commit
    editor = page.locator(LESSON_TABLES).first
    editor.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = editor.bounding_box()
    page.mouse.click(box["x"] + 120, box["y"] + 35 * 1.5)
    page.keyboard.press("ArrowRight")
    page.keyboard.type("5")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.location.search.includes('stack=c5s1')", timeout=30_000)
    settle(page)
    assert_no_exception(page)
    edited = _metric(page, "Total FLOPs")
    assert edited != "179.18 GFLOPs"
    tall_screenshot(page, "full-resolution-cost-edited")
    page.get_by_role("button", name="Downsample, then upsample").first.click()
    page.wait_for_function("() => window.location.search.includes('stack=c3s1d1p1n64-m2s2p0')", timeout=30_000)
    settle(page)
    assert_no_exception(page)
    assert _metric(page, "Total FLOPs") not in (edited, "179.18 GFLOPs")


def test_receptive_field_lesson_shares_the_stack_and_animates(page, server_url):
    open_lesson(page, f"{server_url}/full_resolution_cost", COST)
    page.get_by_role("button", name="U-Net outline (no skips)").first.click()
    page.wait_for_function("() => window.location.search.includes('stack=')", timeout=30_000)
    settle(page)
    page.locator("[data-testid='stMain']").get_by_role("link", name=FIELD).click()  # the lesson's own link
    page.get_by_role("heading", name="Receptive field of every layer").wait_for(timeout=90_000)
    page.get_by_text("Effective share of the square").wait_for(timeout=90_000)
    settle(page, timeout=90_000)
    assert_no_exception(page)
    assert "stack=c3s1d1p1n64-c3s1d1p1n64-m2s2p0" in page.url  # the same stack followed the student
    assert "autograd (gradient support)" in _main_text(page) or "gradient" in _main_text(page)
    tall_screenshot(page, "receptive-field-unet", 5200)
    # the pixel sliders rerun only the animation, and the link follows them
    slider = page.get_by_role("slider", name="Pixel row")
    slider.focus()
    slider.press("ArrowLeft")
    page.wait_for_function("() => window.location.search.includes('receptive-field.row=15')", timeout=30_000)
    settle(page)
    assert_no_exception(page)
    # the animation: press Play, then let it run a little
    page.locator("[data-testid='stPlotlyChart'] .updatemenu-button").first.click()
    page.wait_for_timeout(2500)
    assert_no_exception(page)
    screenshot(page, "receptive-field-playing")


def test_receptive_field_in_chinese_and_presenter_mode(page, server_url):
    open_lesson(page, f"{server_url}/receptive_field?lang=zh", "感受野", last="有效区域占正方形的比例")
    assert "有效感受野" in _main_text(page)
    tall_screenshot(page, "receptive-field-zh", 5200)
    open_lesson(page, f"{server_url}/receptive_field?present=1&stack=c3s1d1p1n8-m2s2p0-c3s1d1p1n8-m2s2p0-c3s1d1p1n8"
                f"&receptive-field.grid=24&receptive-field.row=12&receptive-field.col=12", FIELD,
          last="Effective share of the square")
    tall_screenshot(page, "receptive-field-present", 6000)
    open_lesson(page, f"{server_url}/full_resolution_cost?present=1&lang=zh", "先下采样，再上采样")
    tall_screenshot(page, "full-resolution-cost-present-zh", 4200)
