"""A class on one server, measured where a student waits: N headless sessions over Streamlit's websocket.

Each session (bench/ws_session.py) opens lesson pages as a browser would and makes real edits
(bench/lesson_edits.py: a grid cell, a slider, the operator) every --think seconds (±25 %), moving to
the next page after --edits edits. Before the load, one session opens every page once (warm-up, shown
as "cold open"), so "first open" is a student's first open on a server that has started.
Prints per page: first open and rerun p50 / p95 / max; failed connections, dropped sessions,
exceptions shown; the server's RSS. Bounded: at most 200 sessions, 30 min, loopback only.

    .venv/bin/python bench/load_lessons.py --sessions 1 --think 0.5 --duration 60
    .venv/bin/python bench/load_lessons.py --sessions 30 --think 3 --duration 120 --pages upsampling_explorer
    .venv/bin/python bench/load_lessons.py --sessions 10 --think 3 --duration 90 --compare streamlit-defaults,shipped
    .venv/bin/python bench/load_lessons.py --url http://127.0.0.1:8501 --sessions 5   # a server you started

Timings include this client's own work (parsing every message) on the same machine: on 2 shared cores
the figures are noisy and somewhat pessimistic.
"""

import argparse
import asyncio
import collections
import functools
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lesson_edits import edits_for
from bench.ws_session import Session, SessionError
from harness.local_server import PROFILES, rss_mb, serve
from lessons.catalog import LESSONS

MAX_SESSIONS, MAX_DURATION = 200, 1800
WARM_UP_TIMEOUT = 300.0
PAGES = [lesson.url_path for lesson in LESSONS if lesson.built]


class Tally:
    """Everything the sessions saw, grouped for the table."""

    def __init__(self):
        self.cold, self.first, self.rerun = {}, collections.defaultdict(list), collections.defaultdict(list)
        self.failed_connections, self.dropped, self.served = 0, 0, 0
        self.exceptions = collections.Counter()
        self.errors = collections.Counter()
        self.rss = []

    def note(self, result, page: str, first: bool):
        (self.first if first else self.rerun)[page].append(result.seconds)
        for text in result.exceptions:
            self.exceptions[f"{page}: {text}"] += 1


async def _session(url, pages, index, args, tally, stop_at):
    session = Session(url, timeout=args.timeout)
    try:
        await session.connect()
    except SessionError as error:
        tally.failed_connections += 1
        tally.errors[error.params.get("reason", "")[:120]] += 1
        return
    rng = random.Random(index)
    served = False
    try:
        for step in range(10_000):
            page = pages[(index + step) % len(pages)]
            if time.perf_counter() >= stop_at:
                break
            tally.note(await session.open(page), page, first=True)
            served = True
            edits = edits_for(page)
            for n in range(args.edits if len(pages) > 1 else 10_000):
                await asyncio.sleep(args.think * rng.uniform(0.75, 1.25))
                if time.perf_counter() >= stop_at:
                    break
                _, edit = next(edits)
                tally.note(await edit(session, n), page, first=False)
    except SessionError as error:
        tally.dropped += 1
        tally.errors[f"{error.key} {error.params.get('reason', '')[:120]}"] += 1
    finally:
        tally.served += served
        await session.close()


async def _warm_up(url, pages, tally):
    session = Session(url, timeout=WARM_UP_TIMEOUT)  # a cold page may train a model: minutes on 2 busy cores
    await session.connect()
    for page in pages:
        tally.cold[page] = (await session.open(page)).seconds
    await session.close()


def _sample_rss(pid, tally, done: threading.Event):
    while not done.wait(1.0):
        value = rss_mb(pid)
        if value is not None:
            tally.rss.append(value)


async def _load(url, pages, args, tally, after_warm_up):
    if args.warmup:
        await _warm_up(url, pages, tally)
    if after_warm_up:
        after_warm_up()
    stop_at = time.perf_counter() + args.duration
    tasks = []
    for index in range(args.sessions):
        tasks.append(asyncio.create_task(_session(url, pages, index, args, tally, stop_at)))
        await asyncio.sleep(args.ramp / max(args.sessions, 1))
    await asyncio.wait_for(asyncio.gather(*tasks), args.duration + 3 * args.timeout)


def run_once(url, pid, pages, args, after_warm_up=None) -> Tally:
    tally = Tally()
    done = threading.Event()
    sampler = None
    if pid is not None:
        tally.rss.append(rss_mb(pid) or 0.0)
        sampler = threading.Thread(target=_sample_rss, args=(pid, tally, done), daemon=True)
        sampler.start()
    try:
        asyncio.run(_load(url, pages, args, tally, after_warm_up))
    finally:
        done.set()
        if sampler:
            sampler.join(timeout=5)
    return tally


def _stats(values) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:6.0f} {p95 * 1000:6.0f} {ordered[-1] * 1000:6.0f} ({len(ordered)})"


def report(results: dict[str, Tally], pages, args) -> None:
    names = list(results)
    width = 30
    print(f"\n{args.sessions} sessions, think {args.think} s, {args.duration} s; times in ms: p50 p95 max (count)")
    print(f"{'page / figure':<42}" + "".join(f"{name:>{width}}" for name in names))
    for page in pages:
        rows = (("cold open", [f"{t.cold[page] * 1000:.0f}" if page in t.cold else "-" for t in results.values()]),
                ("first open", [_stats(t.first[page]) for t in results.values()]),
                ("rerun", [_stats(t.rerun[page]) for t in results.values()]))
        for label, cells in rows:
            print(f"{page + ' ' + label:<42}" + "".join(f"{cell:>{width}}" for cell in cells))
    all_reruns = {n: [v for page in pages for v in results[n].rerun[page]] for n in names}
    summary = [
        ("rerun, all pages", lambda n: _stats(all_reruns[n])),
        ("sessions served / started", lambda n: f"{results[n].served} / {args.sessions}"),
        ("failed connections", lambda n: str(results[n].failed_connections)),
        ("dropped sessions", lambda n: str(results[n].dropped)),
        ("exceptions shown", lambda n: str(sum(results[n].exceptions.values()))),
        ("server RSS MiB start / peak / end",
         lambda n: "/".join(f"{v:.0f}" for v in (results[n].rss[0], max(results[n].rss), results[n].rss[-1]))
         if results[n].rss else "-"),
    ]
    for label, pick in summary:
        print(f"{label:<42}" + "".join(f"{pick(n):>{width}}" for n in names))
    for name in names:
        samples = results[name].rss
        if samples:
            step = max(1, len(samples) // 10)
            print(f"  [{name}] RSS MiB every {step} s: " + " ".join(f"{v:.0f}" for v in samples[::step]))
    for name in names:
        for text, count in results[name].exceptions.most_common(5):
            print(f"  [{name}] exception x{count}: {text}")
        for text, count in results[name].errors.most_common(5):
            print(f"  [{name}] error x{count}: {text}")


def _py_spy(pid: int, profile: str, args, started: list) -> None:
    """py-spy on the server for the load's duration, started after the warm-up."""
    out = Path(args.py_spy) / f"{profile}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    seconds = max(1, int(args.duration))
    command = [str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(pid), "-d", str(seconds), "-r", "50",
               "-f", "raw", "-o", str(out), "--nonblocking"]
    started.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--think", type=float, default=3.0, help="seconds between a session's edits")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load after the warm-up")
    parser.add_argument("--edits", type=int, default=3, help="edits per page before a session moves on")
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES, metavar="PAGE")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--pid", type=int, help="the --url server's pid, for its RSS")
    parser.add_argument("--profile", default="shipped", choices=list(PROFILES))
    parser.add_argument("--compare", help="two profiles, comma-separated, run one after the other")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which sessions connect")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one run may take")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    parser.add_argument("--py-spy", metavar="DIR", help="record the server with py-spy during the load, one "
                        "collapsed-stack file per profile in DIR (summarise: bench/profile_summary.py)")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 0 < args.duration <= MAX_DURATION:
        parser.error(f"sessions 1..{MAX_SESSIONS}, duration 0..{MAX_DURATION} s")
    if args.url:
        host = urllib.parse.urlparse(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("--url must be a loopback address")
        report({"given server": run_once(args.url, args.pid, args.pages, args)}, args.pages, args)
        return
    profiles = args.compare.split(",") if args.compare else [args.profile]
    if any(p not in PROFILES for p in profiles):
        parser.error(f"profiles: {', '.join(PROFILES)}")
    results = {}
    for profile in profiles:
        with serve(profile) as (url, process):
            recorders = []
            start = functools.partial(_py_spy, process.pid, profile, args, recorders) if args.py_spy else None
            results[profile] = run_once(url, process.pid, args.pages, args, start)
            for recorder in recorders:
                recorder.wait(timeout=60)
    report(results, args.pages, args)


if __name__ == "__main__":
    main()
