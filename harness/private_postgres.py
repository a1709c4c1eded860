"""A PostgreSQL cluster of one's own: .ci/postgres.sh with a private state file, stopped and deleted afterwards.

Why: a test that stops its database (or a bench that needs a quiet one) must not pull the shared test cluster
from under the tests other pytest workers run at the same moment.
"""

import glob
import os
import shlex
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "postgres.sh"


def available() -> bool:
    """Debian's PostgreSQL server programs are installed (what .ci/postgres.sh needs)."""
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


@dataclass(frozen=True)
class PrivatePostgres:
    url: str  # the admin URL of its one database
    env: dict

    def pause(self) -> None:
        """Stop the server (fast shutdown), keeping its data: a database that went away."""
        subprocess.run([str(SCRIPT), "pause"], env=self.env, check=True, timeout=60, capture_output=True)

    def resume(self) -> None:
        """Start it again on the same port and wait until it takes connections."""
        subprocess.run([str(SCRIPT), "resume"], env=self.env, check=True, timeout=60, capture_output=True)


@contextmanager
def private_postgres():
    """Start a throwaway cluster; yields a PrivatePostgres; stops it and deletes its folder at the end."""
    state = Path(tempfile.mkdtemp(prefix="pixelwise-own-pg-")) / "state.env"
    env = {**os.environ, "PIXELWISE_POSTGRES_STATE": str(state)}
    started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=120,
                             check=True).stdout
    try:
        exports = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1)
                       for line in started.splitlines() if line.startswith("export "))
        yield PrivatePostgres(exports["PIXELWISE_TEST_POSTGRES_URL"], env)
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120, check=False)
        shutil.rmtree(state.parent, ignore_errors=True)
