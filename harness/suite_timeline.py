"""A pytest plugin that writes when each worker started, finished collecting, ran each test and ended.

The durations pytest prints cannot say where a run's wall time goes when four workers share two cores:
collecting, waiting for work, or a long test started last. bench/bench_suite.py loads this plugin
(`-p harness.suite_timeline`) with $PIXELWISE_TIMELINE naming a folder; each process writes one JSON-lines
file there. Without that variable it does nothing.
"""

import json
import os
import time
from pathlib import Path

_out = None


def _write(event: str, **fields) -> None:
    if _out is not None:
        _out.write(json.dumps({"t": time.time(), "event": event, **fields}) + "\n")
        _out.flush()


def pytest_configure(config):
    global _out
    folder = os.environ.get("PIXELWISE_TIMELINE")
    if not folder:
        return
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    Path(folder).mkdir(parents=True, exist_ok=True)
    _out = open(Path(folder) / f"{worker}.jsonl", "a", encoding="utf-8")  # noqa: SIM115 (open for the session)
    _write("start", worker=worker)


def pytest_collection_finish(session):
    _write("collected", tests=len(session.items))


def pytest_runtest_logstart(nodeid, location):
    _write("test_start", test=nodeid)


def pytest_runtest_logreport(report):
    if report.failed:
        _write("failed", test=report.nodeid, phase=report.when)


def pytest_runtest_logfinish(nodeid, location):
    _write("test_end", test=nodeid)


def pytest_unconfigure(config):
    global _out
    if _out is not None:
        _write("end")
        _out.close()
        _out = None
