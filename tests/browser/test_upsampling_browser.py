"""The upsampling explorer in a real browser: the grid is typed into with the keyboard and the numbers drawn
on the page change at once (no server round trip), they agree with ops/PyTorch, bad text gets a message
naming the cell, the share link follows the state, and the page reads well in English and Chinese, on a
desktop and a phone, and in presenter mode (screenshots for a person to look at)."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from playwright.sync_api import expect

from harness.chromium import type_grid_cell
from lessons import i18n
from lessons.catalog import BY_SLUG
from ops.upsampling import OPERATORS
from tests.browser.conftest import assert_no_exception, open_lesson
from tests.test_upsampling_notes import NOTES_TABLES

# Whether the focused element (followed into the component's shadow root) lies inside an ARIA grid.
FOCUS_IN_GRID = """() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return !!(a && a.closest('[role=grid]'));
}"""


def _open(page, server_url: str, query: str = "", lang: str = "en") -> None:
    """Open the explorer and wait for the component and the server's PyTorch check below it."""
    title = i18n.t(BY_SLUG["upsampling"].title_key, lang)
    open_lesson(page, f"{server_url}/upsampling_explorer{query}", title, i18n.t("upsampling.js.checked_title", lang))
    page.locator(".pw-root").wait_for(timeout=60_000)


def _numbers(page, name: str, exact: bool = True) -> np.ndarray:
    """The numbers drawn in a grid (its rows of gridcells), as a person reads them."""
    grid = page.get_by_role("grid", name=name, exact=exact).first
    rows = grid.get_by_role("row").all()
    return np.array([[float(cell.inner_text().split("\n")[0]) for cell in row.get_by_role("gridcell").all()]
                     for row in rows])


def _type_cell(page, row: int, col: int, text: str) -> None:
    type_grid_cell(page, "Input grid", row, col, text)


def test_typing_a_cell_redraws_the_output_and_the_link_follows(page, server_url):
    _open(page, server_url)
    np.testing.assert_allclose(_numbers(page, "Output grid"), OPERATORS["bilinear"]([[1, 2], [3, 4]])[0][0],
                               atol=0.005)
    _type_cell(page, 0, 0, "5")
    formula = page.get_by_test_id("pw-formula")
    expect(formula).to_contain_text("0.75 × 5 + 0.25 × 2 = 4.25")  # drawn by the browser itself
    x = torch.tensor([[5.0, 2.0], [3.0, 4.0]], dtype=torch.float64)[None, None]
    expected = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)[0, 0].numpy()
    np.testing.assert_allclose(_numbers(page, "Output grid"), expected, atol=0.005)
    expect(page).to_have_url(re.compile(r"upsampling\.grid=5%2C2%3B3%2C4"), timeout=30_000)  # debounced
    expect(page.get_by_text("[[[[5, 2], [3, 4]]]]").first).to_be_visible(timeout=30_000)  # the server's code
    assert_no_exception(page)
    page.get_by_role("grid", name="Output grid", exact=True).get_by_role("gridcell").nth(5).click()
    expect(formula).to_contain_text("output[1, 1]")  # a tap on an output cell steps to it


def test_bad_text_names_the_cell_and_the_last_valid_grid_stays(page, server_url):
    _open(page, server_url)
    before = _numbers(page, "Output grid")
    message = page.locator(".pw-grid-message").first
    for text, words in [("abc", "is not a number"), ("1e999", "is not a finite number"),
                        ("nan", "is not a finite number"), ("2000000", "too large")]:
        _type_cell(page, 1, 1, text)
        expect(message).to_contain_text(f"Row 1, column 1: “{text}” {words}" if words != "too large"
                                         else "Row 1, column 1: 2000000 is too large")
        np.testing.assert_array_equal(_numbers(page, "Output grid"), before)
    page.get_by_role("grid", name="Input grid", exact=True).get_by_role("gridcell").nth(3).click()  # a tap edits
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    expect(message).to_contain_text("Row 1, column 1 is empty")
    _type_cell(page, 1, 1, "-1")
    expect(message).to_be_hidden()
    assert _numbers(page, "Input grid")[1, 1] == -1
    _type_cell(page, 0, 1, "7")
    page.keyboard.press("Escape")  # nothing open: Escape changes nothing
    grid = page.get_by_role("grid", name="Input grid", exact=True)
    grid.get_by_role("gridcell").first.focus()
    page.keyboard.type("9")
    page.keyboard.press("Escape")  # cancels the edit
    assert _numbers(page, "Input grid").tolist() == [[1, 7], [3, -1]]
    page.keyboard.type("2")
    page.keyboard.press("Tab")  # commits the edit and leaves the grid
    assert _numbers(page, "Input grid").tolist() == [[2, 7], [3, -1]]
    assert page.evaluate(FOCUS_IN_GRID) is False
    assert_no_exception(page)


@pytest.mark.parametrize("query, name, params", [
    ("?upsampling.op=bicubic&upsampling.align_corners=1&upsampling.scale=3&upsampling.grid=1,-2,3;4,5,-6",
     "bicubic", {"scale": 3, "align_corners": True}),
    ("?upsampling.op=transposed_conv&upsampling.grid=1,2;3,4&upsampling.kernel=1,2;0,-1&upsampling.stride=3"
     "&upsampling.padding=0&upsampling.output_padding=2&upsampling.dilation=1", "transposed_conv",
     {"kernel": np.array([[1.0, 2.0], [0.0, -1.0]]), "stride": 3, "padding": 0, "output_padding": 2, "dilation": 1}),
    ("?upsampling.op=max_unpool&upsampling.grid=1,2;3,4", "max_unpool",
     {"scale": 2, "pooled_from": [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]]}),
])
def test_the_numbers_drawn_agree_with_pytorch(page, server_url, query, name, params):
    _open(page, server_url, query)
    grid = _numbers(page, "Input grid")
    drawn = _numbers(page, "Output grid")
    op = OPERATORS[name]
    np.testing.assert_allclose(drawn, op.torch_result(grid, **params)[0], atol=0.005)
    np.testing.assert_allclose(drawn, op(grid, **params)[0][0], atol=0.005)
    assert_no_exception(page)


def test_operator_and_scale_change_in_the_browser(page, server_url):
    _open(page, server_url)
    page.get_by_role("combobox", name="Operator").select_option("nearest")
    page.get_by_role("radio", name="×3").click()
    assert _numbers(page, "Output grid").shape == (6, 6)
    np.testing.assert_array_equal(_numbers(page, "Output grid"), np.kron([[1, 2], [3, 4]], np.ones((3, 3))))
    expect(page).to_have_url(re.compile(r"upsampling\.op=nearest.*upsampling\.scale=3|upsampling\.scale=3.*"
                                        r"upsampling\.op=nearest"), timeout=30_000)
    page.reload()  # the link reopens the same example
    page.locator(".pw-root").wait_for(timeout=60_000)
    expect(page.get_by_role("combobox", name="Operator")).to_have_value("nearest")
    assert _numbers(page, "Output grid").shape == (6, 6)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_transposed_views_every_tab(page, server_url, lang):
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    _open(page, server_url, f"?upsampling.op=transposed_conv&lang={lang}", lang)
    for key in ("upsampling.views.tab.zero_insertion", "upsampling.views.tab.matrix", "upsampling.views.tab.one_d"):
        page.get_by_role("tab", name=t(key)).click()
        expect(page.get_by_role("tab", name=t(key))).to_have_attribute("aria-selected", "true")
        assert_no_exception(page)
    page.get_by_role("tab", name=t("upsampling.views.tab.zero_insertion")).click()
    assert "0.0e+0" in page.locator(".pw-root").inner_text()  # the view equals the stamps


def test_a_phone_in_chinese_gets_the_explorer_within_its_width(page, server_url):
    """390 px wide, in Chinese: nothing wider than the screen, the words from the Chinese catalog. (The
    pictures of every lesson at desktop and phone width are made by docs/update_readme_images.py.)"""
    page.set_viewport_size({"width": 390, "height": 1000})
    _open(page, server_url, "?lang=zh", "zh")
    root = page.locator(".pw-root")
    assert root.bounding_box()["width"] <= 390
    assert i18n.t("upsampling.input_grid", "zh") in root.inner_text()


def test_presenter_mode_enlarges_the_grids(page, server_url):
    _open(page, server_url)
    normal = page.get_by_role("grid", name="Input grid", exact=True).get_by_role("gridcell").first.bounding_box()
    _open(page, server_url, "?present=1")
    large = page.get_by_role("grid", name="Input grid", exact=True).get_by_role("gridcell").first.bounding_box()
    assert large["width"] > 1.2 * normal["width"]
    _type_cell(page, 0, 0, "5")
    expect(page.get_by_test_id("pw-formula")).to_contain_text("4.25")


def test_a_tap_on_a_phone_edits_a_cell(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _open(page, server_url)
        cell = page.get_by_role("grid", name="Input grid", exact=True).get_by_role("gridcell").first
        cell.tap()
        field = cell.locator("input")
        expect(field).to_be_focused()
        field.fill("6")
        field.press("Enter")
        expect(page.get_by_test_id("pw-formula")).to_contain_text("0.75 × 6 + 0.25 × 2 = 5.00")
        root = page.locator(".pw-root").bounding_box()
        assert root["x"] >= 0 and root["x"] + root["width"] <= 390  # the lesson fits the phone's width
    finally:
        context.close()


def test_the_lectures_tables_and_the_checkerboard_drawn_are_the_notes(page, server_url):
    """The static sections are drawn by the browser too: their numbers are the notes' and ops' numbers."""
    _open(page, server_url)
    for name, table in NOTES_TABLES.items():
        drawn = page.get_by_role("grid", name=i18n.t(f"operator.{name}", "en"), exact=True).last  # after "compare"
        rows = drawn.get_by_role("row").all()
        values = [[float(c.inner_text()) for c in row.get_by_role("gridcell").all()] for row in rows]
        np.testing.assert_allclose(values, table, atol=0.005, err_msg=name)
    ones = np.ones((4, 4))
    for key, k in (("upsampling.kernel_3_stride_2_1", 3), ("upsampling.kernel_4_stride_2_even", 4)):
        expected = OPERATORS["transposed_conv"](ones, kernel=np.ones((k, k)), stride=2)[1].overlap_counts()
        np.testing.assert_array_equal(_numbers(page, i18n.t(key, "en")), expected)
