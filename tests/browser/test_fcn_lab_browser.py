"""The FCN lab in a real browser: train with a tiny budget, watch it tick, stop it, compare decoders."""

from tests.browser.conftest import assert_no_exception, open_lesson, screenshot, settle, tall_screenshot

TINY = "fcn-lab.train_images=32&fcn-lab.val_images=32&fcn-lab.batch=16"
TINIEST = "fcn-lab.train_images=8&fcn-lab.val_images=8&fcn-lab.batch=8"


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def _wait_for(page, text: str, timeout_s: float = 90) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout_s * 1000)


def test_train_a_tiny_network_and_see_its_curve(page, server_url):
    open_lesson(page, f"{server_url}/fcn_lab?{TINY}&fcn-lab.epochs=3", "FCN training lab")
    screenshot(page, "fcn-lab-open")
    page.get_by_role("button", name="Train", exact=True).click()
    _wait_for(page, "done ·")  # the panel reruns itself every epoch until the budget is used
    settle(page, timeout=60_000)
    assert_no_exception(page)
    main = _main_text(page)
    assert "3 / 3" in main and "Validation mean IoU" in main
    tall_screenshot(page, "fcn-lab-trained")


def test_stop_button_stops_a_long_run(page, server_url):
    open_lesson(page, f"{server_url}/fcn_lab?{TINIEST}&fcn-lab.epochs=30", "FCN training lab")
    page.get_by_role("button", name="Train", exact=True).click()
    _wait_for(page, "Stop")
    # the lesson's Stop (while a run is going, Streamlit's header shows a Stop button of its own)
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop").click()
    _wait_for(page, "stopped early")
    settle(page, timeout=60_000)
    assert_no_exception(page)
    done = int(page.get_by_test_id("stMetricValue").nth(2).inner_text().split("/")[0])
    assert 1 <= done < 30


def test_compare_all_decoders(page, server_url):
    open_lesson(page, f"{server_url}/fcn_lab?{TINIEST}&fcn-lab.compare_epochs=1", "FCN training lab")
    page.get_by_role("button", name="Compare all six decoders").click()
    # the results (a table drawn on a canvas, then this figure) appear once every decoder has finished; the
    # words "checkerboard score" are in the lesson's text from the start, so they prove nothing
    _wait_for(page, "The same validation images through every decoder", timeout_s=120)
    settle(page, timeout=60_000)
    assert_no_exception(page)
    tall_screenshot(page, "fcn-lab-compared")
