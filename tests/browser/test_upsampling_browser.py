"""The upsampling explorer in a real browser: edit a grid cell by double-click, see the output change;
screenshots in English, Chinese and presenter mode for a person to look at."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import (
    LESSON_CHARTS,
    LESSON_TABLES,
    assert_no_exception,
    edit_cell,
    open_lesson,
    screenshot,
    settle,
)


def _open(page, url: str, heading: str = "Upsampling operators", last: str = "The checkerboard effect") -> None:
    """Open the page and wait for its last section: the first run imports torch for the live check."""
    open_lesson(page, url, heading, last)


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def _tall(page) -> None:
    page.set_viewport_size({"width": 1400, "height": 4600})
    settle(page)


def test_edit_a_cell_and_see_the_output_change(page, server_url):
    _open(page, f"{server_url}/upsampling_explorer")
    assert "= 1.25" in _main_text(page).replace("*", "")  # output[0, 1] of the notes' bilinear table
    screenshot(page, "upsampling-open")
    edit_cell(page, 0, 0, "5")
    assert_no_exception(page)
    text = _main_text(page).replace("*", "")
    assert "0.75 × 5 + 0.25 × 2 = 4.25" in text, text[:2000]
    assert "upsampling.grid=5" in page.url  # the edit is in the share link
    _tall(page)
    screenshot(page, "upsampling-edited")


def test_bad_cell_gives_a_message_and_the_page_keeps_working(page, server_url):
    _open(page, f"{server_url}/upsampling_explorer")
    edit_cell(page, 1, 1, "abc")
    assert_no_exception(page)
    assert "row 1, column 1: “abc” is not a number" in _main_text(page)
    assert "= 1.25" in _main_text(page).replace("*", "")  # still the last valid grid
    screenshot(page, "upsampling-bad-input")


def test_transposed_convolution_and_max_unpooling(page, server_url):
    _open(page, f"{server_url}/upsampling_explorer?upsampling.op=transposed_conv")
    assert "matches torch.nn.functional.conv_transpose2d" in _main_text(page)
    _tall(page)
    screenshot(page, "upsampling-transposed-conv")
    _open(page, f"{server_url}/upsampling_explorer?upsampling.op=max_unpool")
    _tall(page)
    screenshot(page, "upsampling-max-unpool")


def test_animation_plays_and_the_step_slider_scrubs(page, server_url):
    _open(page, f"{server_url}/upsampling_explorer?upsampling.op=bicubic")
    chart = page.locator(LESSON_CHARTS).nth(1)
    chart.scroll_into_view_if_needed()
    title = chart.locator(".gtitle")
    first = title.text_content()
    assert first.startswith("output[0, 1] =")
    chart.get_by_text("▶ Play").click()
    page.wait_for_timeout(2500)
    assert title.text_content() != first  # the frames moved on
    chart.get_by_text("❚❚ Pause").click()
    rail = chart.locator(".slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + rail["width"] - 3, rail["y"] + rail["height"] / 2)  # scrub to the last cell
    page.wait_for_timeout(800)
    assert title.text_content().startswith("output[3, 3] =")
    page.mouse.click(rail["x"] + 3, rail["y"] + rail["height"] / 2)  # and back to the first
    page.wait_for_timeout(800)
    assert title.text_content().startswith("output[0, 0] =")
    screenshot(page, "upsampling-animation")
    assert_no_exception(page)


def test_chinese_and_presenter_mode(page, server_url):
    _open(page, f"{server_url}/upsampling_explorer?lang=zh", heading="上采样算子", last="棋盘格效应")
    _tall(page)
    screenshot(page, "upsampling-zh")
    page.set_viewport_size({"width": 1400, "height": 1000})
    _open(page, f"{server_url}/upsampling_explorer?present=1")
    screenshot(page, "upsampling-present")


def test_presenter_mode_enlarges_the_grid_and_it_stays_editable(page, server_url):
    """The grid is a canvas that font sizes cannot reach: presenter mode zooms it 1.5×, clicks still land."""
    page.goto(server_url + "/upsampling_explorer?present=1")
    settle(page, timeout=90_000)
    grid = page.locator(LESSON_TABLES).first
    assert grid.bounding_box()["height"] >= 1.4 * 3 * 35  # header + 2 rows of 35 px, enlarged
    edit_cell(page, 0, 0, "5", zoom=1.5)
    expect(page).to_have_url(re.compile(r"upsampling\.grid=5"), timeout=30_000)
    assert_no_exception(page)
    screenshot(page, "upsampling-present-edited")
