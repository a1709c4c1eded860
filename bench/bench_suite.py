"""How long the test suite takes, and which tests take it: the figures of issue 21 ("under 10 minutes in CI").

Runs pytest as the README does (pytest.ini's workers and distribution), with `--durations=0`, and prints the
wall time, pytest's own total, the load average beside them (a shared machine's timings mean little without
it), the slowest tests (setup + call + teardown summed per test) and the slowest files. `--from-log` reads
a log of an earlier run instead of running one. `--write-table` writes the slowest tests to
tests/durations.txt, which tests/conftest.py reads to start the longest tests first.

    .venv/bin/python bench/bench_suite.py                       # the whole suite (about 10 minutes)
    .venv/bin/python bench/bench_suite.py -- tests/test_serving_ray.py -n 0   # some files only
    .venv/bin/python bench/bench_suite.py --from-log /tmp/dur.log --top 15
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "tests" / "durations.txt"
# "12.34s call     tests/test_x.py::test_y[param]"
LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)s (setup|call|teardown)\s+(\S.*?)\s*$")
TOTAL = re.compile(r"in (\d+(?:\.\d+)?)s(?: \((\d+):(\d+):(\d+)\))? =+\s*$")


def parse(log: str) -> tuple[dict[str, float], dict[str, dict[str, float]], float | None]:
    """Per test: seconds summed over its phases; per test: each phase; pytest's reported total."""
    per_test: dict[str, float] = defaultdict(float)
    phases: dict[str, dict[str, float]] = defaultdict(dict)
    total = None
    for line in log.splitlines():
        match = LINE.match(line)
        if match:
            seconds, phase, test = float(match[1]), match[2], match[3]
            test = test.split("@")[0]  # xdist's group suffix
            per_test[test] += seconds
            phases[test][phase] = phases[test].get(phase, 0.0) + seconds
            continue
        match = TOTAL.search(line)
        if match and ("passed" in line or "failed" in line):
            total = float(match[1])
    return dict(per_test), dict(phases), total


def report(per_test: dict[str, float], phases: dict[str, dict[str, float]], total: float | None,
           wall: float | None, top: int) -> None:
    if wall is not None:
        print(f"wall: {wall:.0f} s")
    if total is not None:
        print(f"pytest total: {total:.0f} s ({total / 60:.1f} min)")
    print(f"tests timed: {len(per_test)}; sum of their durations: {sum(per_test.values()):.0f} s")
    print(f"\nslowest {top} tests (setup + call + teardown):")
    for test, seconds in sorted(per_test.items(), key=lambda kv: -kv[1])[:top]:
        split = ", ".join(f"{p} {s:.1f}" for p, s in phases[test].items() if s >= 0.5)
        print(f"  {seconds:7.1f} s  {test}  ({split})")
    per_file: dict[str, float] = defaultdict(float)
    for test, seconds in per_test.items():
        per_file[test.split("::")[0]] += seconds
    print(f"\nslowest {top} files (summed):")
    for name, seconds in sorted(per_file.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {seconds:7.1f} s  {name}")


def timeline(folder: Path, top: int) -> None:
    """Where the wall time went, per worker (harness/suite_timeline.py's files): collecting, running tests,
    waiting; and which tests ended last (a long test started late makes the other workers wait)."""
    files = sorted(folder.glob("*.jsonl"))
    events = {f.stem: [json.loads(line) for line in f.read_text().splitlines()] for f in files}
    if not events:
        return
    origin = min(e["t"] for evs in events.values() for e in evs)
    workers = [w for w in events if w != "main"] or ["main"]
    main = {e["event"]: e["t"] - origin for e in events.get("main", [])}
    if "end" in main:
        print(f"\nthe main process ended at {main['end']:.0f} s")
    print("\nper worker (seconds from the run's start): started, collected, first test, last test ended, "
          "worker ended; busy in tests; idle between its first and last test")
    ends = []
    for worker in workers:
        evs = events[worker]
        at = {e["event"]: e["t"] - origin for e in evs if e["event"] in ("start", "collected", "end")}
        starts = {e["test"]: e["t"] - origin for e in evs if e["event"] == "test_start"}
        runs = [(starts[e["test"]], e["t"] - origin, e["test"]) for e in evs
                if e["event"] == "test_end" and e["test"] in starts]
        if not runs:
            continue
        busy = sum(end - start for start, end, _ in runs)
        first, last = min(r[0] for r in runs), max(r[1] for r in runs)
        ends.extend((end, end - start, worker, test) for start, end, test in runs)
        print(f"  {worker:5} {at.get('start', 0):6.0f} {at.get('collected', 0):6.0f} {first:6.0f} {last:6.0f}"
              f" {at.get('end', float('nan')):6.0f}   busy {busy:6.0f}   idle {last - first - busy:5.0f}"
              f"   tests {len(runs)}")
    ends.sort()
    print(f"\nthe last {top} tests to end (end, seconds it took, worker):")
    for end, took, worker, test in ends[-top:]:
        print(f"  {end:6.0f} {took:6.1f}  {worker:5} {test}")


def write_table(per_test: dict[str, float], path: Path, at_least: float) -> int:
    """The tests that took `at_least` seconds, slowest first: what tests/conftest.py starts first."""
    rows = [(s, t) for t, s in per_test.items() if s >= at_least]
    rows.sort(key=lambda row: -row[0])
    header = ("# Seconds per test (setup + call + teardown) from one full run, slowest first; written by\n"
              "# bench/bench_suite.py --write-table. tests/conftest.py starts these first, longest first.\n")
    path.write_text(header + "".join(f"{s:.1f} {t}\n" for s, t in rows), encoding="utf-8")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-log", type=Path, help="read this pytest log instead of running the suite")
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench_suite.log"), help="where the run's log goes")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--write-table", action="store_true", help=f"write {TABLE.relative_to(ROOT)}")
    parser.add_argument("--at-least", type=float, default=3.0, help="seconds a test needs to enter the table")
    parser.add_argument("pytest_args", nargs="*", help="after --: extra pytest arguments (files, -n 0, -m ...)")
    args = parser.parse_args()
    wall, folder = None, None
    if args.from_log:
        log = args.from_log.read_text(errors="replace")
    else:
        folder = Path(tempfile.mkdtemp(prefix="bench-suite-"))
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "harness.suite_timeline",
                   "--durations=0", *args.pytest_args]
        print("running:", " ".join(command), flush=True)
        print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
        start = time.monotonic()
        with args.log.open("w") as out:
            subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False,
                           env={**os.environ, "PIXELWISE_TIMELINE": str(folder)})
        wall = time.monotonic() - start
        print(f"load average after (1 min): {os.getloadavg()[0]:.1f}; log: {args.log}")
        log = args.log.read_text(errors="replace")
        summary = [line for line in log.splitlines() if re.search(r"\d+ (passed|failed)", line)]
        if summary:
            print(summary[-1])
    per_test, phases, total = parse(log)
    report(per_test, phases, total, wall, args.top)
    if folder:
        timeline(folder, args.top)
    if args.write_table:
        print(f"\nwrote {write_table(per_test, TABLE, args.at_least)} tests to {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
