"""Shared test fixtures: the read-only data in ../shared and the weights folder."""

import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# The app looks for ESPNetv2 checkpoints in $PIXELWISE_WEIGHTS first; tests use ../shared/weights.
if "PIXELWISE_WEIGHTS" not in os.environ and (SHARED / "weights").is_dir():
    os.environ["PIXELWISE_WEIGHTS"] = str(SHARED / "weights")


# No background warm-up thread in test processes (and the servers they start): it would compete with the
# tests for the CPU; tests/test_warmup.py runs the warm-up itself.
os.environ.setdefault("PIXELWISE_WARMUP", "0")


def _shared_path(*parts) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the project's read-only test data in ../shared), which is absent")
    return path


@pytest.fixture(scope="session")
def shared_images() -> Path:
    """../shared/images: real test photos (skips with a reason when absent)."""
    return _shared_path("images")


@pytest.fixture(scope="session")
def shared_weights() -> Path:
    """../shared/weights: ESPNetv2 Pascal VOC checkpoints (skips with a reason when absent)."""
    return _shared_path("weights")


@pytest.fixture(scope="session")
def ray_session():
    """One local Ray for every `ray` test: starting a cluster costs 10-25 s of both cores, so the tests share it
    (they all run in one xdist worker: the `ray` group below and pytest.ini's `--dist loadgroup`). Tests ask
    for `ray_cluster`; a module fixture that deploys on Ray (Serve) asks for this one."""
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install -r requirements-ray.txt")
    from ops.serving.local_ray import start_local_ray

    ray = start_local_ray(num_cpus=2, namespace="pixelwise-test")  # workers at nice 0: see ops/serving/local_ray.py
    yield ray
    ray.shutdown()


@pytest.fixture
def ray_cluster(ray_session):
    """The shared local Ray, left as the test found it: afterwards every CPU the test's tasks took (a training
    it stopped included) must be free again within a minute, so no test runs beside another's leftovers."""
    ray = ray_session
    free_before = ray.available_resources().get("CPU", 0.0)
    yield ray
    deadline = time.monotonic() + 60
    while ray.available_resources().get("CPU", 0.0) < free_before:
        assert time.monotonic() < deadline, (
            f"Ray tasks of this test still hold CPUs a minute after it ended: {ray.available_resources()}")
        time.sleep(0.2)


def _uses_a_fixture_of_its_module(item) -> bool:
    """Whether the test uses a module- or class-scoped fixture its own file defines (a server, a browser with a
    fake camera, loaded models): its file's tests then run in one worker, in a row, so that is made once."""
    module = item.nodeid.split("::")[0]
    info = getattr(item, "_fixtureinfo", None)
    for definitions in (info.name2fixturedefs.values() if info else ()):
        definition = definitions[-1]
        if definition.scope in ("module", "class") and (definition.baseid or "").split("::")[0] == module:
            return True
    return False


def _measured_seconds() -> dict[str, float]:
    """tests/durations.txt (bench/bench_suite.py --write-table): seconds per slow test, from a full run."""
    table = Path(__file__).resolve().parent / "durations.txt"
    if not table.is_file():
        return {}
    rows = (line.split(" ", 1) for line in table.read_text(encoding="utf-8").splitlines() if line[:1].isdigit())
    return {test.strip(): float(seconds) for seconds, test in rows}


def _longest_first(items) -> None:
    """Start the longest tests first, so the run does not end with one 40 s test started last while the other
    workers idle. A group's tests (the `ray` group) keep their order and stay together, at their summed time."""
    seconds = _measured_seconds()
    group_total: dict[str, float] = {}
    for item in items:
        group = item.get_closest_marker("xdist_group")
        if group:
            group_total[group.args[0]] = group_total.get(group.args[0], 0.0) + seconds.get(item.nodeid, 0.0)

    def key(item) -> float:
        group = item.get_closest_marker("xdist_group")
        return group_total[group.args[0]] if group else seconds.get(item.nodeid, 0.0)

    items.sort(key=key, reverse=True)  # stable: the tests not in the table keep their order


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser/ is a browser test (a conftest's `pytestmark` would not mark them), and every
    test that needs Ray is slow (a cluster takes seconds to start), so `-m "not slow and not browser"` selects
    the fast tier. Every test on the shared Ray cluster joins the xdist group "ray", so one worker runs them all
    on one cluster (deploy/up.sh's test starts a cluster of its own, so it runs anywhere); the tests of a file
    with its own module-scoped fixture form a group too (pytest.ini: `--dist loadgroup`).
    Under xdist (the README's command), the longest tests are handed out first."""
    browser_dir = Path(__file__).resolve().parent / "browser"
    for item in items:
        if browser_dir in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("ray"):
            item.add_marker(pytest.mark.slow)
        if "ray_session" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("ray"))
        elif _uses_a_fixture_of_its_module(item):
            item.add_marker(pytest.mark.xdist_group(Path(item.nodeid.split("::")[0]).stem))
    if hasattr(config, "workerinput"):  # an xdist worker: every worker sorts alike, so their lists agree
        _longest_first(items)


@pytest.hookimpl(tryfirst=True)  # before the xdist worker sends its test ids to the controller
def pytest_collection_finish(session):
    """xdist's loadgroup reads a test's group from an `@group` suffix of its id, which xdist 3.8 writes to
    `item._nodeid`; pytest 9.2 keeps the id in `item._id`, so without this every group would be ignored.
    Written here only where the suffix is missing (a later xdist may write it itself)."""
    config = session.config
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    from _pytest.nodeid import NodeId

    for item in session.items:
        mark = item.get_closest_marker("xdist_group")
        if mark and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{mark.args[0]}")
