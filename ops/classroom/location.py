"""Where the class store lives: $PIXELWISE_DATABASE_URL, else a SQLite file in the user's data directory.

One laptop in a lecture hall needs nothing installed (SQLite); several replicas serving one class share
PostgreSQL through the URL. The data directory is $PIXELWISE_DATA_DIR, else the platform's usual place.
"""

import os
import sys
from pathlib import Path

DEFAULT_RETENTION_DAYS = 7
DB_FILENAME = "classroom.sqlite3"


def data_dir() -> Path:
    if os.environ.get("PIXELWISE_DATA_DIR"):
        return Path(os.environ["PIXELWISE_DATA_DIR"]).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "pixelwise"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "pixelwise"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "pixelwise"


def default_url() -> str:
    """The URL a `ClassStore()` opens; creates the data directory for the SQLite default."""
    url = os.environ.get("PIXELWISE_DATABASE_URL")
    if url:
        return with_driver(url)
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILENAME}"


def with_driver(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3 (the driver in requirements.txt)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def retention_days() -> float:
    value = os.environ.get("PIXELWISE_RETENTION_DAYS")
    try:
        days = float(value) if value else DEFAULT_RETENTION_DAYS
    except ValueError:
        days = DEFAULT_RETENTION_DAYS
    return days if days > 0 else DEFAULT_RETENTION_DAYS
