"""A class segmenting at once: N browser sessions on the live demo against one server.

Bounded and loopback-only: starts its own `streamlit run app.py` on 127.0.0.1 (with $PIXELWISE_WEIGHTS
pointing at ../shared/weights when unset), drives N Chromium pages (Debian's chromium through
Playwright) in waves, and stops everything by itself. Half the sessions upload a photo through the file
picker (from ../shared/images when present), the others open a bundled sample from the URL. Prints per
wave: how many sessions got their segmentation without an error, the time to a segmented page (median,
95th percentile), the server's memory (RSS) before, at its peak and after, and whether it is still up.
Memory stays bounded when the model is loaded once per device (st.cache_resource) and each session keeps
only its last result.

    .venv/bin/python bench/load_live_demo.py --sessions 10 --waves 2
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
if "PIXELWISE_WEIGHTS" not in os.environ and (SHARED / "weights").is_dir():
    os.environ["PIXELWISE_WEIGHTS"] = str(SHARED / "weights")

from bench.load_classroom import _p95, _server_rss_mb, _settle  # noqa: E402
from harness.chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from harness.local_server import serve  # noqa: E402

SAMPLES = ["astronaut", "chelsea", "motorcycle", "coffee", "rocket"]
PHOTOS = sorted((SHARED / "images").glob("*.jpg")) if (SHARED / "images").is_dir() else []
DONE = "Where the time went"


async def _session(browser, url: str, index: int, results: list) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    record = {"session": index}
    try:
        start = time.perf_counter()
        if PHOTOS and index % 2:
            photo = PHOTOS[index % len(PHOTOS)]
            record["input"] = f"upload {photo.name}"
            await page.goto(url + "/live_demo?live-demo.source=upload", timeout=180_000)
            await page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(photo),
                                                                                              timeout=180_000)
            await page.get_by_text(f"Input: {photo.name}").wait_for(timeout=300_000)
        else:
            sample = SAMPLES[index % len(SAMPLES)]
            record["input"] = f"sample {sample}"
            await page.goto(url + f"/live_demo?live-demo.sample={sample}", timeout=180_000)
            await page.get_by_text(f"Input: {sample}").wait_for(timeout=300_000)
        await page.get_by_text(DONE).wait_for(timeout=300_000)
        await _settle(page, timeout=300)
        record["segmented_s"] = time.perf_counter() - start
        record["exception"] = await page.locator("[data-testid='stException']").count() > 0
    except Exception as error:  # a failed session is a result, not a crash of the bench
        record["error"] = f"{type(error).__name__}: {error}"[:300]
    finally:
        await context.close()
    results.append(record)


async def _watch_memory(port: str, peak: list, stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], _server_rss_mb(port))
        await asyncio.sleep(0.2)


async def main(sessions: int, waves: int, arena_max: int = 0) -> int:
    from playwright.async_api import async_playwright

    failures = 0
    env = {"PIXELWISE_WEIGHTS": os.environ.get("PIXELWISE_WEIGHTS", "")}
    if arena_max:
        env["MALLOC_ARENA_MAX"] = str(arena_max)  # glibc: fewer per-thread heaps holding freed memory
    with serve(extra_env=env) as (url, _):
        port = url.rsplit(":", 1)[1]
        print(f"server {url}; {sessions} sessions per wave, {waves} waves"
              + (f"; MALLOC_ARENA_MAX={arena_max}" if arena_max else "") + "; inputs: samples"
              + (f" and uploads from {SHARED / 'images'}" if PHOTOS else ""))
        print(f"server memory (RSS) at start: {_server_rss_mb(port):.0f} MB")
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for wave in range(1, waves + 1):
                results, peak, stop = [], [0.0], asyncio.Event()
                before = _server_rss_mb(port)
                watcher = asyncio.create_task(_watch_memory(port, peak, stop))
                started = time.perf_counter()
                await asyncio.wait_for(asyncio.gather(*[_session(browser, url, i, results)
                                                        for i in range(sessions)]), 900)
                wall = time.perf_counter() - started
                stop.set()
                await watcher
                with urllib.request.urlopen(url + "/_stcore/health", timeout=5) as response:
                    alive = response.status == 200
                after = _server_rss_mb(port)
                ok = [r for r in results if "segmented_s" in r and not r.get("exception")]
                failures += sessions - len(ok) + (not alive)
                print(f"wave {wave}: {len(ok)}/{sessions} sessions segmented without error in {wall:.1f} s; "
                      f"server up afterwards: {alive}")
                if ok:
                    times = [r["segmented_s"] for r in ok]
                    print(f"  time to a segmented page: median {statistics.median(times):.1f} s, "
                          f"p95 {_p95(times):.1f} s, max {max(times):.1f} s")
                print(f"  server memory (RSS): {before:.0f} MB before, peak {peak[0]:.0f} MB, {after:.0f} MB after")
                for r in results:
                    if "error" in r or r.get("exception"):
                        print("  failed:", r)
            await browser.close()
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--waves", type=int, default=2)
    parser.add_argument("--malloc-arena-max", type=int, default=0,
                        help="run the server with MALLOC_ARENA_MAX (glibc) set, e.g. 2; 0 leaves it unset")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.sessions, arguments.waves, arguments.malloc_arena_max)))
