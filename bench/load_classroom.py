"""A classroom against one server: N browser sessions open lessons and edit them at once.

Bounded and loopback-only: starts its own `streamlit run app.py` on 127.0.0.1, drives N Chromium pages
(Debian's chromium through Playwright), and stops everything by itself. Prints, per session, the time to
first render and the time for a rerun after an edit, then the median and 95th percentile, how many
sessions got their page, whether the server is still up, and its memory.

    .venv/bin/python bench/load_classroom.py --sessions 30
"""

import argparse
import asyncio
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 30 Chromium pages drawing on 2 cores take minutes to paint every widget: the wait is for the
# browsers, not the server (the server's own rerun time is what the figures below report)
WIDGET_TIMEOUT_MS = 240_000
SHOTS = ROOT / "screenshots"  # a failed session leaves a picture of what its browser showed
sys.path.insert(0, str(ROOT))

from harness.chromium import CHROMIUM, CHROMIUM_FLAGS, QUIET  # noqa: E402
from harness.local_server import serve  # noqa: E402


async def _settle(page, timeout=240.0):
    await page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout * 1000)
    deadline = time.perf_counter() + timeout
    quiet = 0
    while quiet < 3:
        if time.perf_counter() > deadline:
            raise TimeoutError("page did not settle")
        quiet = quiet + 1 if await page.evaluate(QUIET) else 0
        await page.wait_for_timeout(100)


async def _edit_slider(page):
    """Lesson 1: move the cows one pixel (keyboard on the slider, as a student would)."""
    slider = page.get_by_role("slider").first
    await slider.focus(timeout=WIDGET_TIMEOUT_MS)
    await page.keyboard.press("ArrowLeft")


async def _edit_grid(page):
    """Upsampling explorer: type a new value into the first cell of the input grid (the browser component's
    ARIA grid: focus a cell, type, Enter)."""
    cell = page.locator("[role='grid'][aria-label='Input grid'] [role='gridcell']").first
    await cell.focus(timeout=WIDGET_TIMEOUT_MS)
    await page.keyboard.type("7")
    await page.keyboard.press("Enter")


async def _edit_layer(page):
    """A layer-stack lesson: one more step on the first number of the layer list (its kernel), by keyboard."""
    field = page.locator("input.ls-number[data-field='kernel']:not([disabled])").first
    await field.focus(timeout=WIDGET_TIMEOUT_MS)
    await page.keyboard.press("ArrowUp")


LESSONS = [("/segmentation_basics", _edit_slider), ("/upsampling_explorer", _edit_grid),
           ("/full_resolution_cost", _edit_layer), ("/receptive_field", _edit_layer)]


async def _session(browser, url, index, results):
    path, edit = LESSONS[index % len(LESSONS)]
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    record = {"session": index, "path": path}
    try:
        start = time.perf_counter()
        await page.goto(url + path, timeout=120_000)
        await _settle(page)
        record["first_render_s"] = time.perf_counter() - start
        record["exception"] = await page.locator("[data-testid='stException']").count() > 0
        start = time.perf_counter()
        await edit(page)
        await page.wait_for_timeout(50)
        await _settle(page)
        record["rerun_s"] = time.perf_counter() - start
    except Exception as error:  # a failed session is a result, not a crash of the bench
        record["error"] = f"{type(error).__name__}: {error}"[:200]
        SHOTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"load-failed-{index}.png"))
    finally:
        await context.close()
    results.append(record)


def _server_rss_mb(port: str) -> float:
    """Resident memory of the streamlit process serving `port` (Linux /proc)."""
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(cmdline) and port.encode() in cmdline:
                for line in (proc / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            continue
    return float("nan")


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


async def main(sessions: int) -> int:
    from playwright.async_api import async_playwright

    with serve() as (url, _):
        port = url.rsplit(":", 1)[1]
        rss_before = _server_rss_mb(port)
        results = []
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            started = time.perf_counter()
            await asyncio.wait_for(
                asyncio.gather(*[_session(browser, url, i, results) for i in range(sessions)]), 900)
            wall = time.perf_counter() - started
            await browser.close()
        with urllib.request.urlopen(url + "/_stcore/health", timeout=5) as response:
            alive = response.status == 200
        rss_after = _server_rss_mb(port)
        ok = [r for r in results if "rerun_s" in r and not r.get("exception")]
        print(f"sessions: {sessions}, pages {', '.join(p for p, _ in LESSONS)}, wall {wall:.1f} s")
        print(f"got their page and reran without error: {len(ok)}/{sessions}; server up afterwards: {alive}")
        print(f"server memory (RSS): {rss_before:.0f} MB before, {rss_after:.0f} MB after")
        if ok:
            first = [r["first_render_s"] for r in ok]
            rerun = [r["rerun_s"] for r in ok]
            print(f"time to first render: median {statistics.median(first):.2f} s, p95 {_p95(first):.2f} s")
            print(f"rerun after an edit:  median {statistics.median(rerun):.2f} s, p95 {_p95(rerun):.2f} s")
        for r in results:
            if "error" in r or r.get("exception"):
                print("  failed:", r)
        return 0 if len(ok) == sessions and alive else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    sys.exit(asyncio.run(main(parser.parse_args().sessions)))
