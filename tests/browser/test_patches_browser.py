"""The sliding-window and per-pixel loss lessons in a real browser: the animation plays, the real run
reports its timing, a label cell edited by hand changes the loss; screenshots in English, Chinese and
presenter mode."""

from playwright.sync_api import expect

from ops.patches.lesson_pass import picture_and_scores
from tests.browser.conftest import (
    assert_no_exception,
    edit_cell,
    open_lesson,
    screenshot,
    settle,
    tall_screenshot,
)


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    box.wait_for(timeout=90_000)  # a fresh server first trains the classifier (seconds, once)
    return box.locator("[data-testid='stMetricValue']").inner_text()




def test_sliding_window_animation_and_real_run(page, server_url):
    open_lesson(page, f"{server_url}/sliding_window?sliding-window.size=48", "Sliding window vs fully convolutional")
    assert _metric(page, "Forward passes (sliding window)") == "2,304"
    # the animation runs in the browser (pages/components/sliding_window_view.js): no message to the server
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _payload: sent.append(1)))
    page.reload()
    page.locator(".sw-caption").wait_for(timeout=90_000)
    settle(page)
    before = len(sent)
    caption = page.locator(".sw-caption")
    page.locator(".sw-root").get_by_role("button", name="Play").click()
    page.wait_for_timeout(2500)
    assert "Forward pass" in caption.inner_text() and int(caption.get_attribute("data-index")) > 0  # the window moved
    page.locator(".sw-root").get_by_role("button", name="Pause").click()
    step = page.locator(".sw-root").get_by_role("slider", name="forward pass", exact=True)
    step.focus()
    step.press("Home")
    for _ in range(5):
        step.press("ArrowRight")  # pass 6: pixel (0, 5)
    assert caption.inner_text().startswith("Forward pass 6 of 2,304: pixel (row 0, col 5)")
    label = int(picture_and_scores("pasture", 48)[1].argmax(0)[0, 5])
    assert int(caption.get_attribute("data-label")) == label
    assert len(sent) == before, "playing and stepping sent nothing to the server"
    page.get_by_role("button", name="Run the real sliding window").click()
    page.get_by_text("Measured speed-up").wait_for(timeout=90_000)
    settle(page, timeout=60_000)
    assert_no_exception(page)
    assert float(_metric(page, "Largest |score difference|")) < 1e-4
    tall_screenshot(page, "sliding-window-run", 2600)


def test_sliding_window_size_control_and_languages(page, server_url):
    open_lesson(page, f"{server_url}/sliding_window", "Sliding window vs fully convolutional")
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("ArrowLeft")  # 64 → 48 px
    value = page.locator("[data-testid='stMetric']").filter(has_text="Forward passes (sliding window)").first
    expect(value.locator("[data-testid='stMetricValue']")).to_have_text("2,304", timeout=60_000)
    settle(page)
    assert "sliding-window.size=48" in page.url
    open_lesson(page, f"{server_url}/sliding_window?lang=zh&sliding-window.image=rocket", "滑动窗口与全卷积")
    assert "前向计算" in _main_text(page)
    tall_screenshot(page, "sliding-window-zh", 2600)
    open_lesson(page, f"{server_url}/sliding_window?present=1", "Sliding window vs fully convolutional")
    tall_screenshot(page, "sliding-window-present", 3000)


def test_per_pixel_loss_edit_a_label_by_hand(page, server_url):
    open_lesson(page, f"{server_url}/per_pixel_loss", "Per-pixel cross-entropy")
    screenshot(page, "per-pixel-loss-open")
    before = _metric(page, "Mean loss over all pixels")
    settle(page)  # the full-page screenshot resized the window: let the grids lay out again
    edit_cell(page, 1, 1, "0", index_width=40, current="2")  # the cow pixel that looks like sky
    page.wait_for_function("() => window.location.search.includes('per-pixel-loss.labels')", timeout=30_000)
    settle(page)
    assert_no_exception(page)
    assert _metric(page, "Mean loss over all pixels") != before
    assert "per-pixel-loss.labels=0%2C0%2C0%2C0%3B0%2C0%2C2%2C0" in page.url
    tall_screenshot(page, "per-pixel-loss-edited", 2600)


def test_per_pixel_loss_in_chinese_and_presenter_mode(page, server_url):
    open_lesson(page, f"{server_url}/per_pixel_loss?lang=zh", "逐像素交叉熵")
    assert "PyTorch" in _main_text(page)
    tall_screenshot(page, "per-pixel-loss-zh", 2600)
    open_lesson(page, f"{server_url}/per_pixel_loss?present=1&per-pixel-loss.row=3&per-pixel-loss.col=0",
          "Per-pixel cross-entropy")
    tall_screenshot(page, "per-pixel-loss-present", 3000)
