"""The shared grid editor in a real browser: after Reset (or any replace_grid) an earlier edit does not
come back with the next edit. A keyed st.data_editor keeps its edits across value changes, so the
editor needs a fresh key when its grid is replaced from code. (The per-pixel loss page: the upsampling
explorer edits its grid in the browser now.)"""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, edit_cell, open_lesson, settle


def test_an_edit_made_before_reset_does_not_come_back(page, server_url):
    open_lesson(page, f"{server_url}/per_pixel_loss", "Per-pixel cross-entropy")
    edit_cell(page, 0, 0, "2")
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.labels=2"), timeout=30_000)
    page.get_by_role("button", name="Reset the example", exact=True).click()
    settle(page)
    expect(page).not_to_have_url(re.compile(r"per-pixel-loss\.labels="), timeout=30_000)
    edit_cell(page, 0, 1, "1")
    assert_no_exception(page)
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.labels=0%2C1%2C0%2C0%3B"), timeout=30_000)
