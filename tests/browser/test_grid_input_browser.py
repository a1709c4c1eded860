"""The shared grid editor in a real browser: after Reset (or any replace_grid) an earlier edit does not
come back with the next edit. A keyed st.data_editor keeps its edits across value changes, so the
editor needs a fresh key when its grid is replaced from code."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, edit_cell, settle
from tests.browser.test_upsampling_browser import _open


def test_an_edit_made_before_reset_does_not_come_back(page, server_url):
    _open(page, f"{server_url}/upsampling_explorer")
    edit_cell(page, 0, 0, "5")
    expect(page).to_have_url(re.compile(r"upsampling\.grid=5"), timeout=30_000)
    page.get_by_role("button", name="Reset", exact=True).click()
    settle(page)
    expect(page).not_to_have_url(re.compile(r"upsampling\.grid="), timeout=30_000)
    edit_cell(page, 1, 1, "8")
    assert_no_exception(page)
    expect(page).to_have_url(re.compile(r"upsampling\.grid=1%2C2%3B3%2C8"), timeout=30_000)
