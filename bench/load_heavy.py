"""Heavy work waits its turn: trainings and photos at once while other students edit grids, one server.

Phase 1 (baseline): --editors sessions edit the upsampling page's grid (or switch its operator) every
--think seconds (±25 %). Phase 2: the same editors go on while --trainers sessions press Train in the
FCN lab and --segmenters sessions open the live demo (each first open segments a photo), all at the same
moment. A heavy session then does what a browser's timers do: it reruns each st.fragment(run_every=...)
the server announced (auto_rerun) at its interval until the page stops ticking, i.e. the training or the
photo is done. Prints the editors' rerun p50 / p95 / max in each phase, for the heavy sessions how many
finished, how many saw their place in line ("... ahead of yours"), their time to done, and every
exception shown. Bounded: at most 60 sessions in all, --max seconds (≤ 600) for phase 2, loopback only.

    .venv/bin/python bench/load_heavy.py                                 # 20 editors, 10 trainers, 10 photos
    .venv/bin/python bench/load_heavy.py --editors 20 --trainers 10 --segmenters 10 --baseline 40 --max 180
    .venv/bin/python bench/load_heavy.py --url http://127.0.0.1:8501 --pid 1234   # a server you started

Timings include this client's own work on the same machine: on 2 shared cores they are pessimistic.
"""

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lesson_edits import edits_for
from bench.ws_session import Session, SessionError
from harness.local_server import rss_mb, serve

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS, MAX_PHASE = 60, 600
PLACE = "ahead of yours"
EDIT_PAGE, LAB, DEMO = "upsampling_explorer", "fcn_lab", "live_demo"
# A lab training a class would start on a small server: 128 scenes, 2 epochs (seconds each on a CPU).
LAB_QUERY = "fcn-lab.train_images=128&fcn-lab.val_images=32&fcn-lab.batch=32&fcn-lab.epochs=2"
SAMPLES = ["astronaut", "chelsea", "coffee"]


class Heavy:
    """What one training or photo session saw."""

    def __init__(self, kind: str):
        self.kind, self.done, self.saw_place, self.seconds, self.error = kind, False, False, None, ""
        self.exceptions: list[str] = []
        self.places: list[int] = []

    def look(self, result) -> None:
        self.exceptions += result.exceptions
        for text in result.texts:
            if PLACE in text:
                self.saw_place = True
                head = text.split(PLACE)[0].split()
                if head and head[0].isdigit():
                    self.places.append(int(head[0]))


async def _editor(url, index, args, phases, stop: asyncio.Event, tally):
    session = Session(url, timeout=args.timeout)
    try:
        await session.connect()
        await session.open(EDIT_PAGE)
        edits, n = edits_for(EDIT_PAGE), 0
        while not stop.is_set():
            await asyncio.sleep(args.think * (0.75 + 0.5 * ((index * 7919 + n * 104729) % 1000) / 1000))
            if stop.is_set():
                break
            _, edit = next(edits)
            result = await edit(session, n)
            n += 1
            phases[-1].append(result.seconds)
            tally["exceptions"] += result.exceptions
    except SessionError as error:
        tally["dropped"].append(f"{error.key} {error.params.get('reason', '')[:100]}")
    finally:
        await session.close()


async def _tick_until_done(session: Session, heavy: Heavy, started: float, limit: float):
    """Run the page's ticking fragments at their intervals until none is left (the work is done)."""
    while session.auto_reruns:
        if time.perf_counter() - started > limit:
            heavy.error = "not done in time"
            return
        fragment_id, interval = next(iter(session.auto_reruns.items()))
        await asyncio.sleep(interval)
        heavy.look(await session.tick(fragment_id))
    shown = []
    for element in session.elements.values():
        kind = element.WhichOneof("type")
        if kind in ("markdown", "heading", "alert"):
            shown.append(getattr(element, kind).body)
    # done means: the page stopped ticking, no exception, and it shows the outcome (a finished training's
    # "done" status line; the photo's first result section)
    finished = (any(text.startswith("done") for text in shown) if heavy.kind == "train"
                else any(text.startswith("1.") for text in shown))
    heavy.done = finished and not heavy.exceptions
    if not finished:
        heavy.error = "stopped ticking without a result"
    heavy.seconds = time.perf_counter() - started


async def _heavy(url, kind, index, args, go: asyncio.Event, ready, heavy: Heavy):
    session = Session(url, timeout=args.timeout)
    try:
        await session.connect()
        if kind == "train":
            heavy.look(await session.open(LAB, LAB_QUERY))
            train = session.find("button", key="fcn-lab.train")
            ready()
            await go.wait()
            started = time.perf_counter()
            heavy.look(await session.click(train))
        else:
            sample = SAMPLES[index % len(SAMPLES)]
            query = urllib.parse.urlencode({"live-demo.sample": sample})
            ready()
            await go.wait()
            started = time.perf_counter()
            heavy.look(await session.open(DEMO, query))  # a session's first photo is segmented on open
        await _tick_until_done(session, heavy, started, args.max)
    except SessionError as error:
        heavy.error = f"{error.key} {error.params.get('reason', '')[:100]}"
    finally:
        await session.close()


def _stats(values) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"{statistics.median(ordered) * 1000:.0f} / {p95 * 1000:.0f} / {ordered[-1] * 1000:.0f} ms "
            f"({len(ordered)})")


async def _run(url, args, rss):
    warm = Session(url, timeout=300)  # warm-up: each page once (the model loads, the lab draws its scenes)
    await warm.connect()
    for page, query in ((EDIT_PAGE, ""), (LAB, LAB_QUERY), (DEMO, "")):
        result = await warm.open(page, query)
        print(f"warm-up {page}: {result.seconds:.1f} s", flush=True)
    await warm.close()

    phases, tally, stop = [[]], {"exceptions": [], "dropped": []}, asyncio.Event()
    editors = []
    for index in range(args.editors):
        editors.append(asyncio.create_task(_editor(url, index, args, phases, stop, tally)))
        await asyncio.sleep(args.ramp / max(args.editors, 1))
    await asyncio.sleep(args.baseline)
    rss.append(("baseline end", rss.sample()))

    go, ready_count = asyncio.Event(), [0]
    heavies = [Heavy("train") for _ in range(args.trainers)] + [Heavy("segment") for _ in range(args.segmenters)]

    def ready():
        ready_count[0] += 1

    tasks = [asyncio.create_task(_heavy(url, h.kind, i, args, go, ready, h)) for i, h in enumerate(heavies)]
    deadline = time.perf_counter() + 120
    while ready_count[0] < len(heavies) and time.perf_counter() < deadline and not all(t.done() for t in tasks):
        await asyncio.sleep(0.1)
    phases.append([])  # phase 2 starts: every heavy session presses at the same moment
    heavy_started = time.perf_counter()
    go.set()
    await asyncio.wait(tasks, timeout=args.max + 3 * args.timeout)
    heavy_seconds = time.perf_counter() - heavy_started
    if heavy_seconds < args.baseline:  # the editors' phase 2 is at least as long as their baseline
        await asyncio.sleep(args.baseline - heavy_seconds)
    rss.append(("heavy end", rss.sample()))
    stop.set()
    await asyncio.wait(editors, timeout=3 * args.timeout)
    return phases, tally, heavies, heavy_seconds


class _Rss(list):
    def __init__(self, pid):
        super().__init__()
        self.pid, self.peak = pid, 0.0
        self._done = threading.Event()
        if pid:
            threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self):
        while not self._done.wait(1.0):
            self.peak = max(self.peak, rss_mb(self.pid) or 0.0)

    def sample(self):
        return rss_mb(self.pid) if self.pid else None

    def stop(self):
        self._done.set()


def report(phases, tally, heavies, heavy_seconds, rss, args) -> None:
    print(f"\n{args.editors} grid editors on {EDIT_PAGE}, an edit every {args.think:g} s (±25 %)")
    print(f"  rerun p50 / p95 / max, alone:            {_stats(phases[0])}")
    print(f"  rerun p50 / p95 / max, with heavy work:  {_stats(phases[1])}")
    print(f"  dropped: {len(tally['dropped'])}, exceptions: {len(tally['exceptions'])}")
    for kind, label in (("train", "trainings (FCN lab, Train)"), ("segment", "photos (live demo)")):
        group = [h for h in heavies if h.kind == kind]
        if not group:
            continue
        done = [h for h in group if h.done]
        places = sorted({p for h in group for p in h.places}, reverse=True)
        print(f"{len(group)} {label}: {len(done)} finished, {sum(h.saw_place for h in group)} saw their place "
              f"(places shown: {places}), time to done {_stats([h.seconds for h in done])}")
        waited = [h for h in group if h.saw_place]
        print(f"  sessions that had to wait and saw a place: {len(waited)} of "
              f"{len([h for h in group if h.places or h.saw_place or (h.seconds or 0) > 0])}")
        for h in group:
            if h.error or h.exceptions:
                print(f"  ! {h.error} {h.exceptions[:2]}")
    print(f"phase 2 (heavy work) took {heavy_seconds:.1f} s; server RSS {rss} peak {rss.peak:.0f} MiB")
    for text in tally["dropped"][:5] + tally["exceptions"][:5]:
        print("  !", text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--trainers", type=int, default=10)
    parser.add_argument("--segmenters", type=int, default=10)
    parser.add_argument("--think", type=float, default=3.0, help="seconds between an editor's edits")
    parser.add_argument("--baseline", type=float, default=40.0, help="seconds of editors alone")
    parser.add_argument("--max", type=float, default=180.0, help="seconds the heavy work may take in all")
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds one run may take")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--pid", type=int, help="the --url server's pid, for its RSS")
    args = parser.parse_args(argv)
    if args.editors + args.trainers + args.segmenters > MAX_SESSIONS or args.max > MAX_PHASE:
        parser.error(f"at most {MAX_SESSIONS} sessions and --max {MAX_PHASE}")

    def go(url, pid):
        rss = _Rss(pid)
        try:
            phases, tally, heavies, heavy_seconds = asyncio.run(_run(url, args, rss))
        finally:
            rss.stop()
        report(phases, tally, heavies, heavy_seconds, rss, args)

    if args.url:
        if urllib.parse.urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error("--url must be on loopback")
        go(args.url, args.pid)
    else:
        weights = ROOT.parent / "shared" / "weights"  # the live demo needs a model (as tests/conftest.py finds it)
        if "PIXELWISE_WEIGHTS" not in os.environ and weights.is_dir():
            os.environ["PIXELWISE_WEIGHTS"] = str(weights)
        with serve("shipped") as (url, process):
            go(url, process.pid)


if __name__ == "__main__":
    main()
