"""The Kubernetes shape on one machine, for the replica benches: a PostgreSQL database, N Streamlit replicas
behind HAProxy (deploy/up.sh) sharing it, and everything stopped afterwards by pid (deploy/down.sh).

PostgreSQL: the server $PIXELWISE_TEST_POSTGRES_URL names (a fresh database in it, dropped afterwards), else
a throwaway cluster of its own (.ci/postgres.sh with a private state file, stopped afterwards).
Also the measuring helpers the benches share: a replica's pid and CPU seconds, the machine's busy share.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from harness.private_postgres import private_postgres

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def postgres_server():
    """The admin URL of a PostgreSQL server: the one the tests use, or one started (and stopped) here."""
    url = os.environ.get("PIXELWISE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    with private_postgres() as server:
        yield server.url


@contextmanager
def fresh_database(admin_url: str):
    """A new empty database on that server (dropped afterwards): its URL."""
    name = f"pixelwise_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def replicas(database_url: str, count: int = 2, extra_env: dict | None = None):
    """deploy/up.sh --replicas `count` with the shared database: yields (proxy URL, state folder)."""
    from harness.local_server import free_port

    state = Path(tempfile.mkdtemp(prefix="pixelwise-bench-replicas-"))
    env = {**os.environ, "PYTHON": sys.executable, "PIXELWISE_DATABASE_URL": database_url, **(extra_env or {})}
    env.pop("PIXELWISE_SERVE_URL", None)
    up = subprocess.run([str(ROOT / "deploy/up.sh"), "--replicas", str(count), "--port", str(free_port()),
                         "--state", str(state)], env=env, capture_output=True, text=True, timeout=400, check=False)
    try:
        if up.returncode != 0:
            raise RuntimeError(f"deploy/up.sh failed: {up.stderr[-1500:]}")
        yield up.stdout.strip().splitlines()[-1], state
    finally:
        subprocess.run([str(ROOT / "deploy/down.sh"), "--state", str(state)], capture_output=True, timeout=90,
                       check=False)


def replica_pid(state: Path, number: int) -> int:
    return int((state / "pids" / f"replica-{number}.pid").read_text().split()[0])


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of every core so far, from /proc/stat: two readings give the busy share."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Meter:
    """CPU use over a phase: each replica's cores, the whole machine's busy share, the load average."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids
        self.start = time.monotonic()
        self.cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self.busy = machine_busy()

    def report(self) -> str:
        wall = time.monotonic() - self.start
        parts = []
        for name, pid in self.pids.items():
            now, then = cpu_seconds(pid), self.cpu[name]
            if now is not None and then is not None:
                parts.append(f"{name} {(now - then) / wall:.2f} cores")
        busy, total = machine_busy()
        share = (busy - self.busy[0]) / max(1, total - self.busy[1])
        load = " ".join(f"{v:.1f}" for v in os.getloadavg())
        return (f"{', '.join(parts)}; machine {100 * share:.0f} % busy on {os.cpu_count()} cores over {wall:.0f} s; "
                f"load average {load}")
