"""The model server's client and batch code without Ray: wire format, errors, batched labels.

The errors are produced by a real loopback HTTP server answering what Serve answers (503 when a queue is
full); the batch test runs the real ESPNetv2 weights on a real photo against segment() in-process.
"""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest
from PIL import Image

from harness.local_server import free_port
from ops.serving.client import post_photo
from ops.serving.errors import ModelServerBusy, ModelServerUnavailable
from ops.serving.wire import BadPayload, decode_photo, decode_result, encode_photo, encode_result

MODEL = "espnetv2_s_0.5_pascal_256x256"
PIXELS = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)


def _server(status: int, body: bytes):
    class Answer(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def answering():
    servers = []

    def start(status, body=b""):
        servers.append(_server(status, body))
        return f"http://127.0.0.1:{servers[-1].server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_photo_bytes_round_trip_exactly():
    assert np.array_equal(decode_photo(encode_photo(PIXELS)), PIXELS)


@pytest.mark.parametrize("bad", [b"", b"not numpy", encode_photo(np.zeros((4, 4), np.uint8)).replace(b"u1", b"f8")])
def test_bad_photo_bytes_are_refused(bad):
    with pytest.raises(BadPayload):
        decode_photo(bad)


def test_a_grey_photo_is_refused():
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.zeros((4, 4), np.uint8))
    with pytest.raises(BadPayload):
        decode_photo(buffer.getvalue())


def test_a_503_is_model_server_busy(answering):
    with pytest.raises(ModelServerBusy) as caught:
        post_photo(answering(503, b"queue full"), MODEL, PIXELS)
    assert caught.value.key == "serving.busy" and caught.value.params["model"] == MODEL


def test_another_error_status_is_unavailable(answering):
    with pytest.raises(ModelServerUnavailable) as caught:
        post_photo(answering(404, b"no such app"), MODEL, PIXELS)
    assert caught.value.key == "serving.unavailable" and "answered 404" in str(caught.value)  # status: logs only


def test_an_answer_that_is_not_a_segmentation_is_unavailable(answering):
    with pytest.raises(ModelServerUnavailable):
        post_photo(answering(200, b"<html>proxy error page</html>"), MODEL, PIXELS)


def test_a_good_answer_is_decoded(answering):
    body = encode_result({"labels": np.ones((4, 5), np.uint8), "confidence": np.ones((2, 2), np.float32),
                          "batch_size": 3, "scores": None})
    answer = post_photo(answering(200, body), MODEL, PIXELS)
    assert answer["labels"].shape == (4, 5) and int(answer["batch_size"]) == 3 and "scores" not in answer


def test_an_unreachable_server_is_model_server_unavailable():
    with pytest.raises(ModelServerUnavailable) as caught:
        post_photo(f"http://127.0.0.1:{free_port()}", MODEL, PIXELS, timeout=5)
    assert caught.value.key == "serving.unavailable"


def test_segment_routes_to_the_server_when_the_url_is_set(monkeypatch, shared_weights):
    from ops.segmentation import segment

    monkeypatch.setenv("PIXELWISE_SERVE_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ModelServerUnavailable):
        segment(Image.fromarray(np.zeros((32, 32, 3), np.uint8)), MODEL)


def test_a_batch_gives_each_photo_its_in_process_labels(shared_images, shared_weights):
    import torch

    from ops.segmentation.front import segment
    from ops.segmentation.pipeline import load_model
    from ops.serving.batch import segment_batch

    torch.set_num_threads(1)
    loaded = load_model(MODEL, "cpu")
    photos = [np.asarray(Image.open(shared_images / name).convert("RGB"))
              for name in ("sunsided_cow.jpg", "jetson_dog_1.jpg", "jetson_horse_0.jpg")]
    answers = segment_batch(loaded, photos)
    assert [a["batch_size"] for a in answers] == [3, 3, 3]
    for photo, answer in zip(photos, answers):
        local = segment(Image.fromarray(photo), loaded, keep_scores=False)
        assert np.array_equal(answer["labels"], local.labels)
        assert answer["labels"].shape == photo.shape[:2]
    assert decode_result(encode_result(answers[0]))["labels"].dtype == np.uint8


# -- issue 19: every wait on the model server is bounded ---------------------------------------------------
def _slow_server(body: bytes, pause_s: float, pieces: int):
    """Sends a good answer's headers at once, then its body in `pieces` parts with `pause_s` between them:
    a server that is alive but never done (each wait on the socket is short, the whole is long)."""
    class Trickle(BaseHTTPRequestHandler):
        def do_POST(self):
            import time

            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = max(1, len(body) // pieces)
            for start in range(0, len(body), step):
                try:
                    self.wfile.write(body[start:start + step])
                    self.wfile.flush()
                except OSError:  # the client gave up: stop
                    return
                time.sleep(pause_s)

        def log_message(self, *args):
            pass

    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


GOOD = encode_result({"labels": np.ones((4, 5), np.uint8), "confidence": np.ones((4, 5), np.float32),
                      "batch_size": 1})


def test_connecting_waits_at_most_three_seconds(monkeypatch, answering):
    import http.client

    seen = []

    class Recording(http.client.HTTPConnection):
        def __init__(self, *args, **kwargs):
            seen.append(kwargs.get("timeout", args[2] if len(args) > 2 else None))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(http.client, "HTTPConnection", Recording)
    post_photo(answering(200, GOOD), MODEL, PIXELS)
    assert seen and all(t is not None and t <= 3 for t in seen), seen


def test_a_server_that_never_finishes_its_answer_meets_the_photo_deadline():
    """Issue 19: a 60 s socket timeout per read let a trickling server hold a photo without end."""
    server = _slow_server(GOOD, pause_s=0.3, pieces=40)  # ~12 s in all, never 0.3 s without a byte
    try:
        with pytest.raises(ModelServerUnavailable):  # before the fix: the whole answer, 12 s later
            post_photo(f"http://127.0.0.1:{server.server_port}", MODEL, PIXELS, timeout=1.0)
    finally:
        server.shutdown()
        server.server_close()


def test_a_reply_larger_than_a_segmentation_of_the_photo_is_refused(answering):
    from ops.serving.client import reply_limit

    padding = np.zeros(reply_limit(PIXELS.shape[0] * PIXELS.shape[1]) + 1, np.uint8)
    huge = encode_result({"labels": np.ones((4, 5), np.uint8), "confidence": np.ones((4, 5), np.float32),
                          "batch_size": 1, "padding": padding})
    with pytest.raises(ModelServerUnavailable) as caught:
        post_photo(answering(200, huge), MODEL, PIXELS)
    assert "larger than" in str(caught.value)
    assert post_photo(answering(200, GOOD), MODEL, PIXELS)["labels"].shape == (4, 5)  # a real answer passes


@pytest.mark.parametrize("scheme", ["file", "ftp", "data"])
def test_only_http_and_https_model_servers_are_opened(tmp_path, scheme):
    import json

    from ops.serving.client import served_models

    (tmp_path / "-").mkdir()
    (tmp_path / "-" / "routes").write_text(json.dumps({f"/{MODEL}": MODEL}))
    url = f"file://{tmp_path}" if scheme == "file" else f"{scheme}://127.0.0.1/x"
    with pytest.raises(ModelServerUnavailable):
        served_models(url)
    with pytest.raises(ModelServerUnavailable):
        post_photo(url, MODEL, PIXELS)


def test_a_photo_has_one_deadline_over_all_its_sends(monkeypatch):
    """Issue 19: 30 sends of up to 60 s each held one photo for ~30 minutes."""
    from ops.segmentation import photo_job

    now = [0.0]

    def hanging_server(*args):
        now[0] += 30.0  # each send waits out the client's whole request deadline
        raise ModelServerUnavailable("no answer", model="espnet")

    monkeypatch.setenv("PIXELWISE_SERVE_URL", "http://127.0.0.1:1")
    monkeypatch.setattr(photo_job, "segment_photo", hanging_server)
    job = photo_job.PhotoJob("k", b"bytes", "label", "espnet", "cpu", False, clock=lambda: now[0])
    sends = 0
    while not job.gave_up and sends < photo_job.RETRIES:
        now[0] = max(now[0], job._next_at)
        if job.turn_has_come():
            job.run(lambda *a: None)
            sends += 1
    assert job.gave_up and now[0] <= photo_job.PHOTO_DEADLINE_S + 30.0 + photo_job.BACKOFF_MAX_S, (sends, now)
