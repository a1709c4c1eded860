"""The shipped .streamlit/config.toml serves a class: no post-run GC, no file watching, no run-on-save.

Read twice: as TOML (what we wrote) and as Streamlit itself reads it from the project root in a fresh
process (that the option names exist in this Streamlit and the values reach it). Why each setting is
there: the comment above it in the file, and bench/load_lessons.py --compare for the figures.
"""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"

SERVER_SETTINGS = {
    "runner.postScriptGC": False,
    "runner.fastReruns": True,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.enableStaticServing": False,
    "logger.level": "warning",
}

# Prints each option as Streamlit resolves it with cwd = project root (config.toml applied).
READ_BACK = """
import json, sys
from streamlit import config
config.get_config_options(force_reparse=True)
names = sys.argv[1:]
unknown = [n for n in names if n not in config._config_options]
print(json.dumps({"unknown": unknown, "values": {n: config.get_option(n) for n in names if n not in unknown},
                  "where": {n: config._config_options[n].where_defined for n in names if n not in unknown}}))
"""


def _shipped() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


@pytest.mark.parametrize("name, value", SERVER_SETTINGS.items())
def test_the_shipped_toml_sets_it(name, value):
    section, option = name.split(".")
    assert _shipped()[section][option] == value


def test_every_server_setting_has_a_reason_comment():
    lines = CONFIG.read_text().splitlines()
    for name in SERVER_SETTINGS:
        option = name.split(".")[1]
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{option} ="))
        assert lines[index - 1].startswith("# "), f"{option} needs a one-line reason above it"


@pytest.fixture(scope="module")
def read_by_streamlit() -> dict:
    done = subprocess.run([sys.executable, "-c", READ_BACK, *SERVER_SETTINGS], cwd=ROOT, capture_output=True,
                          check=False,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_streamlit_knows_every_option(read_by_streamlit):
    assert read_by_streamlit["unknown"] == []


@pytest.mark.parametrize("name, value", SERVER_SETTINGS.items())
def test_streamlit_reads_it_from_the_shipped_file(read_by_streamlit, name, value):
    assert read_by_streamlit["values"][name] == value
    assert read_by_streamlit["where"][name].endswith(str(Path(".streamlit") / "config.toml"))


def test_config_show_reports_the_visible_ones():
    """`streamlit config show` (the command a deployer runs) lists what it will use; postScriptGC is a hidden
    option it never prints, which the read-back above covers."""
    done = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True,
                          check=False,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    shown = done.stdout.splitlines()
    for line in ('fileWatcherType = "none"', "runOnSave = false", "enableStaticServing = false",
                 "fastReruns = true", 'level = "warning"'):
        assert line in shown, f"streamlit config show lacks {line!r}"
