"""The browser grid (grid_widget.js) after a preset replaces it: an edit made before Reset does not come back
with the next edit, neither on the page nor in the state the server keeps (the link). The per-pixel loss
lesson holds the grid now; the server-side data editor this file tested is gone from the lessons."""

import re

from playwright.sync_api import expect

from harness.chromium import type_grid_cell
from tests.browser.conftest import assert_no_exception, open_lesson

LABEL_GRID = "Input grid: true label per pixel"


def _type_cell(page, row: int, col: int, text: str) -> None:
    type_grid_cell(page, LABEL_GRID, row, col, text)


def _first_row(page) -> list[str]:
    cells = page.get_by_role("grid", name=LABEL_GRID, exact=True).get_by_role("gridcell")
    return [cells.nth(c).inner_text() for c in range(4)]


def test_an_edit_made_before_reset_does_not_come_back(page, server_url):
    open_lesson(page, f"{server_url}/per_pixel_loss", "Per-pixel cross-entropy", "PyTorch's mean loss")
    _type_cell(page, 0, 0, "2")
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.labels=2"), timeout=30_000)
    page.get_by_role("button", name="Reset the example", exact=True).click()
    assert _first_row(page) == ["0", "0", "0", "0"]
    expect(page).not_to_have_url(re.compile(r"per-pixel-loss\.labels="), timeout=30_000)
    _type_cell(page, 0, 1, "1")
    assert _first_row(page) == ["0", "1", "0", "0"]
    assert_no_exception(page)
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.labels=0%2C1%2C0%2C0%3B"), timeout=30_000)
