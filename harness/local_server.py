"""`streamlit run app.py` as the README starts it, on a free loopback port, stopped by its own pid.

The README's command with nothing added but what keeps it local and unattended (127.0.0.1, a free port,
headless); the shipped .streamlit/config.toml applies because the cwd is the project root. A profile's
extra flags (command-line options override config.toml) let one run compare server settings.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Settings compared by --compare. "shipped": .streamlit/config.toml as is. "streamlit-defaults": the
# options the shipped config changes put back to Streamlit's defaults (what main shipped before).
PROFILES = {
    "shipped": [],
    "streamlit-defaults": ["--runner.postScriptGC", "true", "--server.fileWatcherType", "auto",
                           "--server.runOnSave", "false", "--server.enableStaticServing", "false",
                           "--runner.fastReruns", "true", "--logger.level", "info"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MiB, from /proc (None where the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def serve(profile: str = "shipped", start_timeout: float = 90.0, extra_env: dict | None = None,
          script: Path | None = None):
    """Yield (url, process) of a fresh server with a profile's flags; terminate it afterwards.

    `script`: another app than app.py (a bench's trivial floor app), run from its own folder.

    Its output goes to an unlinked temporary file (a pipe nobody reads would block the server once full)
    and is quoted when it does not start. Used by the benches and by the tests (tests/browser/conftest.py and bench/).
    """
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(extra_env or {}))
    command = [sys.executable, "-m", "streamlit", "run", str(script or "app.py"), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), *PROFILES[profile]]
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=script.parent if script else ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def output() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")[-2000:]

    try:
        deadline = time.time() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}: {' '.join(command)}\n{output()}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError(
                        f"streamlit did not answer on {url} within {start_timeout:.0f} s\n{output()}") from None
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
