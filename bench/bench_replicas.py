"""Lesson pages through HAProxy: 1 replica vs 2, the same sessions and think time; then faults.

Bounded and loopback-only: starts deploy/up.sh itself (its own state dir under /tmp) and always stops
it with deploy/down.sh. Each replica is warmed first (one direct run of each lesson page, so both
configurations are measured warm). Prints reruns/s and p50/p95 rerun time for each configuration and
their throughput ratio; then, with 2 replicas under the same load, kill -9 of one replica and a restart
of the proxy: the longest time until a dropped session had its lesson back, and what was lost.

    .venv/bin/python bench/bench_replicas.py --sessions 32 --seconds 30 --think 1.0

The load must be more than two replicas can answer too (32 sessions at 1 s think time here), or the
2-replica run only measures how often the students ask.
"""

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_server import free_port
from replica_load import LESSON_PAGES, SessionStats, classroom, session


def _up(replicas: int, state: Path) -> str:
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("PIXELWISE_SERVE_URL", None)
    done = subprocess.run([str(ROOT / "deploy/up.sh"), "--replicas", str(replicas), "--port", str(free_port()),
                           "--state", str(state)], env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode:
        raise SystemExit(f"up.sh failed: {done.stderr[-1500:]}")
    *_, info, url = done.stdout.strip().splitlines()
    print(f"  up.sh: {info.split(', state:')[0]}", flush=True)
    return url


def _down(state: Path) -> None:
    subprocess.run([str(ROOT / "deploy/down.sh"), "--state", str(state)], capture_output=True, timeout=60, check=False)


def _pid(state: Path, name: str) -> int:
    return int((state / "pids" / f"{name}.pid").read_text().split()[0])


async def _warm(state: Path, replicas: int) -> None:
    """Each lesson page once on each replica, directly (not through the proxy's affinity)."""
    runs = []
    for i in range(1, replicas + 1):
        base = f"http://127.0.0.1:{(state / f'replica-{i}.port').read_text().strip()}"
        runs += [session(base, page, time.monotonic() + 120, 0, SessionStats(), max_reruns=1) for page in LESSON_PAGES]
    await asyncio.gather(*runs)


def _summary(label: str, stats: list[SessionStats], seconds: float) -> float:
    times = sorted(t for s in stats for t in s.reruns)
    rate = len(times) / seconds
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
    print(f"{label}: {len(times)} reruns in {seconds:.0f} s = {rate:.2f} reruns/s; rerun p50 "
          f"{statistics.median(times) if times else float('nan'):.2f} s, p95 {p95:.2f} s; "
          f"exceptions {sum(s.exceptions for s in stats)}; sessions served {sum(bool(s.reruns) for s in stats)}"
          f"/{len(stats)}", flush=True)
    for shown in sorted(set().union(*(s.exception_messages for s in stats))):
        print(f"  exception on a page: {shown}")
    return rate


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _measure(replicas: int, args) -> float:
    with tempfile.TemporaryDirectory(prefix="pixelwise-bench-") as folder:
        state = Path(folder)
        try:
            url = _up(replicas, state)
            asyncio.run(_warm(state, replicas))
            pids = [_pid(state, f"replica-{i}") for i in range(1, replicas + 1)]
            before = sum(_cpu_seconds(p) for p in pids)
            stats = asyncio.run(classroom(url, args.sessions, args.seconds, args.think))
            cpu = sum(_cpu_seconds(p) for p in pids) - before
            rate = _summary(f"{replicas} replica(s)", stats, args.seconds)
            reruns = sum(len(s.reruns) for s in stats)
            print(f"  replicas used {cpu / args.seconds:.2f} cores; {cpu / max(reruns, 1):.3f} CPU s per rerun; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            return rate
        finally:
            _down(state)


async def _faults(url: str, state: Path, args) -> list[SessionStats]:
    async def inject():
        await asyncio.sleep(args.seconds / 3)
        os.kill(_pid(state, "replica-1"), signal.SIGKILL)
        print(f"  t={args.seconds / 3:.0f} s: kill -9 replica 1", flush=True)
        await asyncio.sleep(args.seconds / 3)
        os.kill(_pid(state, "haproxy"), signal.SIGKILL)  # the proxy dies and comes back on the same port
        proxy = await asyncio.to_thread(
            subprocess.Popen, [os.environ.get("HAPROXY", "/usr/sbin/haproxy"), "-db", "-f", str(state / "haproxy.cfg")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        start = Path(f"/proc/{proxy.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        (state / "pids" / "haproxy.pid").write_text(f"{proxy.pid} {start}\n")  # down.sh stops the new one
        print(f"  t={2 * args.seconds / 3:.0f} s: proxy killed and restarted", flush=True)

    load = classroom(url, args.sessions, args.seconds, args.think)
    stats, _ = await asyncio.gather(load, inject())
    return stats


def _fault_run(args) -> None:
    with tempfile.TemporaryDirectory(prefix="pixelwise-bench-") as folder:
        state = Path(folder)
        try:
            url = _up(2, state)
            asyncio.run(_warm(state, 2))
            stats = asyncio.run(_faults(url, state, args))
            _summary("2 replicas with faults", stats, args.seconds)
            gaps = [g for s in stats for g in s.reconnect_gaps]
            late = time.monotonic() - args.seconds / 3
            connects = sorted(g for s in stats for g in s.connect_gaps)
            longest = max(connects, default=0)
            print(f"  reconnected to a live replica: {len(connects)} times, longest after {longest:.1f} s")
            print(f"  dropped sessions whose lesson was back: {len(gaps)}; longest gap {max(gaps, default=0):.1f} s; "
                  f"sessions that never came back within 30 s: {sum(s.failures for s in stats)}; "
                  f"sessions not served in the last third (after the proxy restart): "
                  f"{sum(1 for s in stats if not s.finished_at or s.finished_at[-1] < late)}")
        finally:
            _down(state)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a session's reruns")
    parser.add_argument("--skip-faults", action="store_true")
    args = parser.parse_args()
    print(f"{args.sessions} sessions on {len(LESSON_PAGES)} lesson pages, think {args.think} s, "
          f"{args.seconds:.0f} s each; {os.cpu_count()} CPU cores", flush=True)
    one = _measure(1, args)
    two = _measure(2, args)
    print(f"throughput ratio 2 replicas / 1 replica: {two / one:.2f}", flush=True)
    if not args.skip_faults:
        _fault_run(args)


if __name__ == "__main__":
    main()
