"""The sliding-window lesson in a real browser: the animation plays, the real run reports its timing;
screenshots in English, Chinese and presenter mode. (The per-pixel loss lesson draws in the browser now:
tests/browser/test_pixel_loss_browser.py.)"""

from playwright.sync_api import expect

from ops.patches.lesson_pass import picture_and_scores
from tests.browser.conftest import (
    assert_no_exception,
    open_lesson,
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
