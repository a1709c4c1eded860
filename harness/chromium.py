"""Debian's Chromium driven by Playwright, and the waits and pictures every browser test and bench needs.

Playwright drives the system Chromium through `executable_path`; it never downloads a browser.
"""

import itertools
import os
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("PIXELWISE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def launch(playwright):
    """A headless Chromium from Debian's package."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


QUIET = """() => {
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    // while a script runs, the status widget offers "Stop" (older Streamlit: "Running...")
    const running = status && /Running|Connecting|Stop/.test(status.innerText);
    const spinning = document.querySelector('[data-testid="stSpinner"]');
    const stale = document.querySelector('[data-stale="true"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    const drawn = charts.every(c => c.querySelector('.main-svg'));
    return !running && !spinning && !stale && drawn;
}"""


# Judged inside the page every 50 ms (one round trip, not one per poll): settled when the app is idle (QUIET, and
# Streamlit's own script state is not running), no message sent to the server is still unanswered (a click's rerun
# request: on a busy machine the server may take a while to start that run, and the page looks idle meanwhile),
# and the document has not changed for `quiet` ms. A page that keeps changing while idle (an animation) counts as
# settled once idle for `idle_limit` ms. A run that triggers another (st.rerun) starts it within milliseconds, so
# `quiet` only has to outlast that gap.
SETTLED = """([quiet, idleLimit, call]) => {
    const now = performance.now();
    let s = window.__pixelwiseSettle;
    if (!s) {
        s = window.__pixelwiseSettle = {changed: now, idleSince: null, awaiting: false, call: call};
        new MutationObserver(() => { s.changed = performance.now(); }).observe(
            document.body, {subtree: true, childList: true, attributes: true, characterData: true});
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            s.awaiting = true;
            s.changed = performance.now();
            if (!this.__pixelwiseHeard) {
                this.__pixelwiseHeard = true;
                this.addEventListener('message', () => { s.awaiting = false; s.changed = performance.now(); });
            }
            return send.call(this, data);
        };
    }
    if (s.call !== call) { s.call = call; s.idleSince = null; }  // idle counts from this settle() on
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    const idle = state !== 'running' && state !== 'rerunRequested' && (""" + QUIET + """)();
    if (!idle) { s.idleSince = null; return false; }
    if (s.idleSince === null) s.idleSince = now;
    const quietNow = !s.awaiting && now - s.idleSince >= quiet && now - s.changed >= quiet;
    return quietNow || now - s.idleSince >= idleLimit;
}"""


_calls = itertools.count()


def settle(page, timeout: float = 30_000, quiet_ms: int = 300, idle_limit_ms: int = 10_000) -> None:
    """Wait until the app has rendered, finished every script run, and drawn its charts, and the page has
    stopped changing (see SETTLED)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.time() + timeout / 1000
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout)
    # Every page starts with a title: before it appears the script has not rendered yet (a fresh server's
    # first run imports torch, which can take many seconds on a cold disk), yet nothing looks busy.
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    left = max(1.0, (deadline - time.time()) * 1000)
    try:
        page.wait_for_function(SETTLED, arg=[quiet_ms, idle_limit_ms, next(_calls)], polling=50, timeout=left)
    except PlaywrightTimeout:
        raise TimeoutError("the page did not settle") from None


def assert_no_exception(page) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()


def open_lesson(page, url: str, heading: str, last: str | None = None, timeout: float = 90_000) -> None:
    """Open a lesson and wait until it is drawn: its title, then the text `last` when given (work that
    finishes while the page is already visible), then a quiet page; and no exception box."""
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=timeout)
    if last:
        page.get_by_text(last).first.wait_for(timeout=timeout)
    settle(page, timeout=timeout)
    assert_no_exception(page)


def tall_screenshot(page, name: str, height: int = 4200) -> Path:
    """The main area scrolls on its own, so enlarge the window to get the whole page in the picture."""
    page.set_viewport_size({"width": 1400, "height": height})
    settle(page)
    path = screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_timeout(800)  # let plotly finish drawing after its SVG appears
    page.screenshot(path=str(path), full_page=True)
    return path


ROW_HEIGHT = 35  # st.data_editor's header and row height in pixels
INDEX_WIDTH = 52  # its row-index column


LESSON_TABLES = "[data-testid='stDataFrame']:not([class*='-practice'] [data-testid='stDataFrame'])"
LESSON_CHARTS = "[data-testid='stPlotlyChart']:not([class*='-practice'] [data-testid='stPlotlyChart'])"


# Whether the point (x, y) of the viewport lies on this element: a click there reaches it and nothing else.
_HOLDS_POINT = "(element, [x, y]) => element.contains(document.elementFromPoint(x, y))"


def edit_cell(page, row: int, col: int, text: str, *, editor_index: int = 0, index_width: int = INDEX_WIDTH,
              current: str | None = None, zoom: float = 1.0) -> None:
    """Type `text` into cell (row, col) of a data editor, as a person does: double-click, fill, Enter.

    The grid is a canvas with no per-cell elements, so the cell's centre is computed from the editor's box
    (the row-index column is about `index_width` pixels wide, the data columns share the rest). A freshly
    drawn grid sometimes ignores a double-click, and a redraw can move it under the mouse: when the cell's
    text area does not open, or opens with another value than `current` (the cell's text now, when given),
    the attempt is cancelled and made again. `zoom`: the grid's CSS zoom (presenter mode enlarges it).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # the lesson's own editors: a "Try it yourself" section (pages/practice.py) may show tables above them
    editor = page.locator(LESSON_TABLES).nth(editor_index)
    editor.locator("canvas").first.wait_for(timeout=30_000)
    area = page.locator("textarea.gdg-input").first
    start = page.url.split("?")[0]
    for _ in range(5):
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        columns = editor.locator("[role='columnheader']").count() - 1
        x = box["x"] + index_width * zoom + (col + 0.5) * (box["width"] - index_width * zoom) / columns
        y = box["y"] + ROW_HEIGHT * zoom * (row + 1.5)
        if not editor.evaluate(_HOLDS_POINT, [x, y]):
            settle(page)  # the page moved under the mouse (a figure or section still growing): measure again
            continue
        page.mouse.dblclick(x, y)
        try:
            area.wait_for(timeout=4_000)
            if current is None or area.input_value() == current:
                break
        except PlaywrightTimeout:
            pass
        page.keyboard.press("Escape")
        settle(page)
        assert page.url.split("?")[0] == start, f"the page went from {start} to {page.url} while editing a cell"
    else:
        raise AssertionError(f"cell ({row}, {col}) of data editor {editor_index} did not open for editing")
    area.fill(text)
    area.press("Enter")
    settle(page)


def type_grid_cell(page, grid_name: str, row: int, col: int, text: str) -> None:
    """Type into cell (row, col) of a browser component's ARIA grid as a keyboard user does: focus its first
    cell, walk there with the arrow keys, type, Enter (pages/components/grid_widget.js)."""
    page.get_by_role("grid", name=grid_name, exact=True).get_by_role("gridcell").first.focus()
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    for _ in range(col):
        page.keyboard.press("ArrowRight")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
