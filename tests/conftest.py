"""Shared test fixtures: the read-only data in ../shared and the weights folder."""

import os
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


def pytest_collection_modifyitems(items):
    """Every test in tests/browser/ is a browser test (a conftest's `pytestmark` would not mark them), and every
    test that needs Ray is slow (a cluster takes seconds to start), so `-m "not slow and not browser"` selects
    the fast tier."""
    browser_dir = Path(__file__).resolve().parent / "browser"
    for item in items:
        if browser_dir in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("ray"):
            item.add_marker(pytest.mark.slow)
