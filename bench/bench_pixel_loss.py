"""Instant grids, per-pixel loss lesson: what a student's hand feels on its label grid, beside the floor, in one run.

The floor is the trivial Streamlit app of bench/bench_instant_grids.py (one st.data_editor -> one plotly
heatmap), written and started here; this machine's absolute times drift, the ratio does not. Debian's
Chromium through Playwright, servers on loopback started here (the shipped config) and stopped by their pid.

1. Chromium, cell edit -> every figure that shows it redrawn (keydown of Enter to the drawing's last DOM
   change, then one animation frame so it is painted): the loss map, the mean and the softmax bars.
2. Chromium, page opened -> first figure drawn (navigation start to the loss map / the plotly SVG).
3. Server CPU per grid edit: process CPU time (/proc) / edits, edits 1 s apart (each one debounced push).
4. Server CPU per state push over the websocket (bench/ws_session.py), what the debounced browser sends.

    .venv/bin/python bench/bench_pixel_loss.py --edits 15
"""

import argparse
import asyncio
import concurrent.futures
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_instant_grids import (  # noqa: E402
    FLOOR_APP,
    OBSERVE,
    PLOTLY,
    SETTLED,
    _browser,
    _cpu_seconds,
    _stats,
    floor_edits,
    time_open,
    wait_idle,
)
from harness.chromium import settle  # noqa: E402
from harness.local_server import serve  # noqa: E402

PAGE = "per_pixel_loss"
COMPONENT = "per-pixel-loss.component"
LABEL_GRID = '[role="grid"][aria-label="Input grid: true label per pixel"]'
LOSS_GRID = '[role="grid"][aria-label="Output grid: loss per pixel"]'


def lesson_edits(browser, url: str, edits: int, pid: int | None = None, pause_ms: int = 0) -> tuple[list, float]:
    """ms from Enter in label cell (0, 0) to the drawing's last change, painted; and the server's CPU seconds
    during the edits (the component's debounced pushes; the page's opening not counted)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    times = []
    try:
        tab.add_init_script(OBSERVE)
        tab.goto(f"{url}/{PAGE}")
        tab.wait_for_function(f"() => window.__deepAll({json.dumps(LOSS_GRID)}).length > 0", timeout=120_000)
        settle(tab)
        tab.evaluate("window.__observe()")
        cell = tab.locator(f"{LABEL_GRID} [role='gridcell']").first
        cpu = _cpu_seconds(pid) if pid else 0.0
        for n in range(edits):
            cell.focus()
            tab.keyboard.type(str((n + 1) % 3))
            tab.evaluate("window.__changed = 0")
            tab.keyboard.press("Enter")
            last = tab.evaluate(SETTLED, [100, 3000])
            times.append(last - tab.evaluate("window.__enterAt"))
            if pause_ms:
                tab.wait_for_timeout(pause_ms)
        tab.wait_for_timeout(1000)  # the last debounced push
        cpu = _cpu_seconds(pid) - cpu if pid else 0.0
    finally:
        context.close()
    return times, cpu


async def _push_cost(url: str, pid: int, pushes: int) -> float:
    from bench.lesson_edits import pixel_loss_push
    from bench.ws_session import Session

    session = Session(url, timeout=60)
    await session.connect()
    try:
        await session.open(PAGE)
        for n in range(3):  # first pushes warm what a push touches
            await pixel_loss_push(session, [2, 0, 1], n)
        before = _cpu_seconds(pid)
        for n in range(pushes):
            await pixel_loss_push(session, [2, 0, 1], n)
        return (_cpu_seconds(pid) - before) * 1000 / pushes
    finally:
        await session.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=15, help="cell edits per measurement")
    parser.add_argument("--opens", type=int, default=3, help="fresh tabs per page-open measurement")
    parser.add_argument("--pushes", type=int, default=30, help="state pushes for the push-cost measurement")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        floor_script = Path(folder) / "floor.py"
        floor_script.write_text(FLOOR_APP)
        browser = _browser(pw)
        with serve("shipped") as (url, app), serve("shipped", script=floor_script) as (floor_url, floor):
            print(f"waiting for the app's warm-up: {wait_idle(app.pid):.0f} s", flush=True)
            rows = []

            def add(row):
                rows.append(row)
                print(*row, sep="  |  ", flush=True)

            mine, _ = lesson_edits(browser, url, args.edits)
            base, _ = floor_edits(browser, floor_url, args.edits)
            add(("cell edit -> every figure redrawn", _stats(mine), _stats(base)))
            opens = time_open(browser, f"{url}/{PAGE}", LOSS_GRID, args.opens)
            floor_opens = time_open(browser, floor_url, PLOTLY, args.opens)
            add(("page opened -> first figure", _stats(opens), _stats(floor_opens)))
            _, spent = lesson_edits(browser, url, args.edits, app.pid, pause_ms=1000)
            _, floor_spent = floor_edits(browser, floor_url, args.edits, floor.pid, pause_ms=1000)
            add(("server CPU per edit (1 s apart)", f"{spent * 1000 / args.edits:.1f} ms",
                         f"{floor_spent * 1000 / args.edits:.1f} ms"))
            with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright holds this thread's loop
                push = pool.submit(asyncio.run, _push_cost(url, app.pid, args.pushes)).result()
            add(("server CPU per state push (websocket)", f"{push:.1f} ms", "-"))
        browser.close()
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'per-pixel loss page':34}  trivial app (floor)")
    for name, a, b in rows:
        print(f"{name:{width}}  {a:34}  {b}")


if __name__ == "__main__":
    main()
