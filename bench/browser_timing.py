"""What one student sees in Chromium: every lesson page opened -> first figure drawn (a grid edit -> its
figures redrawn is bench/bench_instant_grids.py's, beside its floor).

The server figures (bench/load_lessons.py) stop at the socket; this adds the browser's share: the
protobufs decoded, React and plotly drawing. Debian's Chromium through Playwright (never a downloaded
browser), one tab at a time, against a server this script starts (README command, shipped config) or
--url. Times come from the page's own clock (performance.now()) and a MutationObserver on the plotly
charts, so the script's polling does not add to them.

    .venv/bin/python bench/browser_timing.py                 # every lesson page
    .venv/bin/python bench/browser_timing.py --pages upsampling_explorer
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.chromium import (
    CHROMIUM,
    CHROMIUM_FLAGS,
)
from harness.local_server import PROFILES, serve
from lessons.catalog import LESSONS

PAGES = [lesson.url_path for lesson in LESSONS if lesson.built]
FIGURE = '[data-testid="stPlotlyChart"] .main-svg'

def time_open(browser, url: str, page_name: str, timeout_ms: float) -> tuple[float, float | None]:
    """(ms to the title, ms to the first plotly figure or None) from navigation start, in a fresh tab."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    try:
        tab.goto(f"{url}/{page_name}")
        tab.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
        title = tab.evaluate("performance.now()")
        try:
            tab.wait_for_selector(FIGURE, timeout=min(timeout_ms, 20_000))
            figure = tab.evaluate("performance.now()")
        except PlaywrightTimeout:  # a page without a figure on first open (the map, the lab before training)
            figure = None
        return title, figure
    finally:
        context.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES, metavar="PAGE")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--profile", default="shipped", choices=list(PROFILES))
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one step may take")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    timeout_ms = args.timeout * 1000
    with serve(args.profile) if not args.url else _given(args.url) as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            cold = {page: time_open(browser, url, page, timeout_ms) for page in args.pages}  # warms the server
            warm = {page: time_open(browser, url, page, timeout_ms) for page in args.pages}
        finally:
            browser.close()

    def ms(value):
        return "-" if value is None else f"{value:.0f}"

    print(f"\nChromium, one tab at a time ({args.profile if not args.url else url}); ms from navigation start")
    print(f"{'page':<24}{'cold: title':>14}{'cold: figure':>14}{'title':>10}{'first figure':>14}")
    for page in args.pages:
        print(f"{page:<24}{ms(cold[page][0]):>14}{ms(cold[page][1]):>14}{ms(warm[page][0]):>10}"
              f"{ms(warm[page][1]):>14}")



class _given:
    """A server someone else started: nothing to stop."""

    def __init__(self, url):
        self.url = url

    def __enter__(self):
        return self.url.rstrip("/"), None

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()
