"""Idle OpenMP threads must sleep, not spin, on a server of many sessions (ops/__init__.py sets it).

libgomp reads OMP_WAIT_POLICY once, when torch loads: so the setting must be in place before any torch
import, and every torch import of the app must come through the ops package.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _policy_seen_by_a_fresh_process(env: dict) -> str:
    code = "import ops, os; print(os.environ['OMP_WAIT_POLICY'])"  # what libgomp will read when torch loads
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def test_importing_ops_makes_idle_threads_sleep_and_an_explicit_setting_wins():
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _policy_seen_by_a_fresh_process(env) == "PASSIVE"
    assert _policy_seen_by_a_fresh_process({**env, "OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"


def test_no_page_lesson_or_app_file_imports_torch_except_through_ops():
    offenders = []
    for path in [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "lessons").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names
                          if n.split(".")[0] in ("torch", "torchvision")]
    assert offenders == []
