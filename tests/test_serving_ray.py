"""The model server on a real (local, one-CPU) Ray: labels equal segment()'s, batching batches, queues bound.

Marked `ray`; skipped with the reason when Ray is not installed (it is an optional extra:
requirements-ray.txt). Uses the real ESPNetv2 weights in ../shared/weights and a real photo.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from harness.local_server import free_port

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install -r requirements-ray.txt")
serve = pytest.importorskip("ray.serve", reason="Ray Serve is missing: pip install 'ray[serve]'")

pytestmark = pytest.mark.ray
MODEL = "espnetv2_s_0.5_pascal_256x256"


@pytest.fixture(scope="module")
def served(ray_session, shared_weights):
    """Serve on the session's Ray (tests/conftest.py), shut down after this module: Serve's own actors go."""
    from ops.serving.serve_app import build_app, deploy

    os.environ.setdefault("PIXELWISE_WEIGHTS", str(shared_weights))
    try:
        url = deploy([MODEL], free_port(), num_cpus=0.5)
        # a second app of the same model with a tiny queue, for the refusal test
        serve.run(build_app(MODEL, num_cpus=0.5, max_ongoing_requests=1, max_queued_requests=1),
                  name="tiny-queue", route_prefix="/tiny-queue", blocking=False)
        yield url
    finally:
        serve.shutdown()


@pytest.fixture(scope="module")
def photo(shared_images):
    return np.asarray(Image.open(shared_images / "sunsided_cow.jpg").convert("RGB"))


def test_labels_through_serve_equal_in_process_labels(served, photo, monkeypatch):
    from ops.segmentation.front import segment
    from ops.segmentation.pipeline import load_model

    local = segment(Image.fromarray(photo), load_model(MODEL, "cpu"), keep_scores=False)
    monkeypatch.setenv("PIXELWISE_SERVE_URL", served)
    remote = segment(Image.fromarray(photo), MODEL, keep_scores=False)
    assert remote.device.startswith("serve")
    assert remote.labels.shape == local.labels.shape
    assert np.array_equal(remote.labels, local.labels)
    assert len(np.unique(local.labels)) > 1  # a real photo: more than background
    np.testing.assert_allclose(remote.confidence, local.confidence, atol=1e-5)


def test_the_replica_runs_at_nice_zero(served):
    """Ray's default nice 15 starves the replica beside anything at nice 0 (ops/serving/local_ray.py)."""
    import urllib.request

    with urllib.request.urlopen(f"{served}/{MODEL}", timeout=10) as response:
        pid = int(response.read().decode().split("pid ")[1])
    assert os.getpriority(os.PRIO_PROCESS, pid) == 0


def test_sixteen_concurrent_photos_are_batched(served, photo):
    from ops.serving.client import post_photo

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: post_photo(served, MODEL, photo), range(16)))
    sizes = [int(a["batch_size"]) for a in answers]
    assert max(sizes) > 1, sizes
    first = answers[0]["labels"]
    assert all(np.array_equal(a["labels"], first) for a in answers)


def test_a_full_queue_answers_model_server_busy(served, photo):
    from ops.serving.client import post_photo
    from ops.serving.errors import ModelServerBusy

    def send(_):
        try:
            post_photo(served, "tiny-queue", photo)
            return "ok"
        except ModelServerBusy as error:
            assert error.key == "serving.busy"
            return "busy"

    with ThreadPoolExecutor(12) as pool:
        outcomes = list(pool.map(send, range(12)))
    assert "busy" in outcomes and "ok" in outcomes, outcomes


def test_without_a_model_name_segment_uses_the_best_served_model(served, photo, monkeypatch):
    from ops.segmentation.front import segment
    from ops.serving.client import served_models

    assert served_models(served)[0] == MODEL  # "tiny-queue" is no registry model: not listed
    monkeypatch.setenv("PIXELWISE_SERVE_URL", served)
    assert segment(Image.fromarray(photo)).model == MODEL
