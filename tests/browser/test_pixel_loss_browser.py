"""The per-pixel loss lesson in a real browser: the label and score grids are typed into with the keyboard and
the numbers drawn on the page (loss map, mean, softmax bars) change at once and agree with PyTorch; a bad
label gets a message; a tap picks a pixel; the presets load; the share link follows the state; and the page
reads well in English and Chinese, on a desktop and a phone, and in presenter mode (screenshots)."""

import re

import numpy as np
import torch
import torch.nn.functional as F
from playwright.sync_api import expect

from harness.chromium import type_grid_cell
from lessons import i18n
from lessons.catalog import BY_SLUG
from ops.patches import classifier_example
from pages.per_pixel_loss import default_logits
from pages.state import setting
from tests.browser.conftest import assert_no_exception, open_lesson

LABELS = np.asarray(setting("per-pixel-loss.labels").default)
LOSS_GRID = "Output grid: loss per pixel"
LABEL_GRID = "Input grid: true label per pixel"


def _open(page, server_url: str, query: str = "", lang: str = "en") -> None:
    """Open the lesson and wait for the component and the server's PyTorch check below it."""
    title = i18n.t(BY_SLUG["per-pixel-loss"].title_key, lang)
    open_lesson(page, f"{server_url}/per_pixel_loss{query}", title, i18n.t("per_pixel_loss.pytorch_s_mean_loss", lang))
    page.locator(".pl-root").wait_for(timeout=60_000)


def _numbers(page, name: str) -> np.ndarray:
    """The numbers drawn in a grid (its rows of gridcells), as a person reads them."""
    grid = page.get_by_role("grid", name=name, exact=True).first
    return np.array([[float(cell.inner_text()) for cell in row.get_by_role("gridcell").all()]
                     for row in grid.get_by_role("row").all()])


def _mean(page) -> float:
    return float(page.locator(".pl-metric-value").inner_text())


def _bars(page) -> np.ndarray:
    return np.array([float(v) for v in page.locator(".pl-bar-value").all_inner_texts()])


def _torch(logits, labels):
    scores = torch.tensor(np.asarray(logits, dtype=float))
    target = torch.tensor(np.asarray(labels), dtype=torch.long)
    return F.cross_entropy(scores[None], target[None], reduction="none")[0].numpy(), scores


def test_typing_labels_and_scores_redraws_the_loss_and_the_link_follows(page, server_url):
    _open(page, server_url)
    logits, labels = default_logits(), LABELS.copy()
    loss, _ = _torch(logits, labels)
    np.testing.assert_allclose(_numbers(page, LOSS_GRID), loss, atol=0.005)
    assert abs(_mean(page) - loss.mean()) < 5e-5
    type_grid_cell(page, LABEL_GRID, 1, 1, "0")  # the cow pixel that looks like sky: call it sky
    labels[1, 1] = 0
    type_grid_cell(page, "score for “sky”", 0, 0, "-4")
    logits[0, 0, 0] = -4
    loss, scores = _torch(logits, labels)
    np.testing.assert_allclose(_numbers(page, LOSS_GRID), loss, atol=0.005)  # drawn by the browser itself
    assert abs(_mean(page) - loss.mean()) < 5e-5
    np.testing.assert_allclose(_bars(page), torch.softmax(scores[:, 1, 1], 0).numpy(), atol=5e-4)
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.labels=0%2C0%2C0%2C0%3B0%2C0%2C2"), timeout=30_000)
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.logits\.sky=-4%2C3"), timeout=30_000)
    metric = page.get_by_test_id("stMetric").filter(has_text="PyTorch's mean loss")
    expect(metric).to_contain_text(f"{loss.mean():.4f}", timeout=30_000)  # the server's check of the same state
    assert_no_exception(page)
    _open(page, server_url, page.url[page.url.index("?"):])  # the link reopens the edited grids
    np.testing.assert_allclose(_numbers(page, LOSS_GRID), loss, atol=0.005)


def test_a_bad_label_gets_a_message_and_the_last_grids_stay(page, server_url):
    _open(page, server_url)
    before = _numbers(page, LOSS_GRID)
    type_grid_cell(page, LABEL_GRID, 2, 2, "7")
    expect(page.locator(".pl-warning").first).to_contain_text("from 0 to 2")
    np.testing.assert_array_equal(_numbers(page, LOSS_GRID), before)
    assert _numbers(page, LABEL_GRID)[2, 2] == LABELS[2, 2]
    type_grid_cell(page, LABEL_GRID, 0, 0, "abc")
    expect(page.locator(".pw-grid-message").first).to_contain_text("Row 0, column 0")
    np.testing.assert_array_equal(_numbers(page, LOSS_GRID), before)
    assert_no_exception(page)


def test_a_tap_on_the_loss_map_picks_the_pixel_whose_softmax_is_shown(page, server_url):
    _open(page, server_url)
    loss, scores = _torch(default_logits(), LABELS)
    page.get_by_role("grid", name=LOSS_GRID, exact=True).get_by_role("gridcell").nth(12).click()  # row 3, col 0
    expect(page.locator(".pl-softmax-title")).to_contain_text("row 3, col 0")
    expect(page.locator(".pl-softmax-title")).to_contain_text(f"= {loss[3, 0]:.3f}")
    np.testing.assert_allclose(_bars(page), torch.softmax(scores[:, 3, 0], 0).numpy(), atol=5e-4)
    page.keyboard.press("ArrowUp")  # the loss map's arrow keys move the chosen pixel
    expect(page.locator(".pl-softmax-title")).to_contain_text("row 2, col 0")
    expect(page).to_have_url(re.compile(r"per-pixel-loss\.row=2"), timeout=30_000)
    column = page.locator("input[data-key='per_pixel_loss.chosen_pixel_column']")
    column.fill("3")  # the row and column fields pick a pixel too
    column.blur()
    expect(page.locator(".pl-softmax-title")).to_contain_text("row 2, col 3")
    np.testing.assert_allclose(_bars(page), torch.softmax(scores[:, 2, 3], 0).numpy(), atol=5e-4)


def test_the_classifier_preset_loads_real_scores_and_reset_restores_the_example(page, server_url):
    _open(page, server_url)
    page.get_by_role("button", name="Use the patch classifier's scores").click()
    logits, labels = classifier_example(rows=4, cols=4)
    expect(page.get_by_role("grid", name=LABEL_GRID, exact=True).get_by_role("gridcell").first).to_have_text(
        str(int(labels[0, 0])), timeout=90_000)
    expect(page.locator(".pl-metric-value")).to_have_text(f"{_torch(logits, labels)[0].mean():.4f}", timeout=30_000)
    np.testing.assert_array_equal(_numbers(page, LABEL_GRID), labels)
    np.testing.assert_allclose(_numbers(page, "score for “grass”"), logits[1], atol=1e-9)
    np.testing.assert_allclose(_numbers(page, LOSS_GRID), _torch(logits, labels)[0], atol=0.005)
    page.get_by_role("button", name="Reset the example").click()
    np.testing.assert_array_equal(_numbers(page, LABEL_GRID), LABELS)
    np.testing.assert_allclose(_numbers(page, LOSS_GRID), _torch(default_logits(), LABELS)[0], atol=0.005)
    expect(page).not_to_have_url(re.compile(r"per-pixel-loss\.labels="), timeout=30_000)
    assert_no_exception(page)


def test_a_phone_in_chinese_fits_and_presenter_mode_enlarges(browser, server_url):
    """390 px wide in Chinese nothing is wider than the phone; presenter mode enlarges the lesson. (Pictures of
    every lesson at desktop and phone width come from docs/update_readme_images.py.)"""
    context = browser.new_context(viewport={"width": 390, "height": 1000})
    page = context.new_page()
    _open(page, server_url, "?lang=zh", "zh")
    assert page.locator(".pl-root").bounding_box()["width"] <= 390
    overflow = page.locator(".pl-root").evaluate("root => root.scrollWidth - root.clientWidth")
    assert overflow <= 1, overflow
    context.close()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _open(page, server_url, "?present=1&per-pixel-loss.row=3&per-pixel-loss.col=0")
    expect(page.locator(".pl-root.pl-present")).to_have_count(1)
    expect(page.locator(".pl-softmax-title")).to_contain_text("row 3, col 0")
    context.close()


def test_a_tap_on_a_phone_edits_a_score(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _open(page, server_url)
        cell = page.get_by_role("grid", name="score for “cow”", exact=True).get_by_role("gridcell").nth(5)
        cell.tap()  # row 1, col 1: the cow pixel that looks like sky
        field = cell.locator("input")
        expect(field).to_be_focused()
        field.fill("5")
        field.press("Enter")
        logits = default_logits()
        logits[2, 1, 1] = 5
        loss, _ = _torch(logits, LABELS)
        expect(page.locator(".pl-metric-value")).to_have_text(f"{loss.mean():.4f}")
        np.testing.assert_allclose(_numbers(page, LOSS_GRID), loss, atol=0.005)
        root = page.locator(".pl-root").bounding_box()
        assert root["x"] >= 0 and root["x"] + root["width"] <= 390  # the lesson fits the phone's width
    finally:
        context.close()
