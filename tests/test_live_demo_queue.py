"""Live demo (AppTest) when segmenting must wait: its place in the work queue with a Cancel button, and a
busy model server (a real loopback HTTP server answering 503 like Ray Serve's full queue) retried with
backoff, no exception, the photo kept until it is segmented."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.apptest import assert_no_exception, lesson, open_page
from ops import work_queue
from ops.device import available_devices
from ops.segmentation.photo_job import lane
from ops.segmentation.registry import available_models

SLUG = "live-demo"


@pytest.fixture(autouse=True)
def _weights(shared_weights):
    """The page needs ../shared/weights (conftest points $PIXELWISE_WEIGHTS there)."""


def _lane() -> str:
    return lane(available_models()[0].name, available_devices()[0], False)


@pytest.fixture
def busy_slot():
    """Other students' photos: one segmenting (holds the slot) and one waiting, each in its own thread."""
    release = threading.Event()
    started = []

    def other_student():
        with work_queue.submit("segment", _lane()) as ticket:
            started.append(ticket)
            release.wait(120)

    threads = [threading.Thread(target=other_student, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    deadline = time.monotonic() + 5
    while not started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield release
    release.set()
    for thread in threads:
        thread.join(10)


def _infos(at) -> list[str]:
    return [i.value for i in lesson(at).info]


def test_a_waiting_student_sees_their_place_and_can_cancel(busy_slot):
    at = open_page(SLUG, timeout=90)
    assert_no_exception(at)
    assert any("2 photos ahead of yours" in text for text in _infos(at)), _infos(at)
    assert not at.header  # nothing segmented yet in this session: no result to show
    lane = ("segment", _lane())
    assert work_queue.QUEUE.stats(*lane)["waiting"] == 2  # the other one's and this page's
    at.button(key="live-demo.cancel").click().run()
    assert_no_exception(at)
    assert not any("ahead of yours" in text for text in _infos(at))
    assert any("taken out of the line" in c.value for c in at.caption)
    assert work_queue.QUEUE.stats(*lane)["waiting"] == 1  # only the other student's photo


def test_the_photo_is_segmented_when_its_turn_comes(busy_slot):
    at = open_page(SLUG, timeout=90)
    assert any("ahead of yours" in text for text in _infos(at))
    busy_slot.set()  # the others finish
    time.sleep(0.3)
    at.run()  # what the ticking fragment does in a browser: the next poll finds a free slot
    assert_no_exception(at)
    assert not any("ahead of yours" in text for text in _infos(at))
    assert "person" in lesson(at).subheader[-1].value  # the astronaut, segmented


# ----------------------------------------------------------------------------------- model server
class _ModelServer:
    """A loopback HTTP server in Serve's place: `busy` answers 503 (queue full), then real segmentations."""

    def __init__(self, busy: int, status: int = 503):
        self.busy, self.status, self.posts = busy, status, 0
        server = self

        class Answer(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.posts += 1
                if server.posts <= server.busy:
                    self.send_response(server.status)
                    self.end_headers()
                    self.wfile.write(b"queue full")
                    return
                from ops.segmentation.pipeline import load_model
                from ops.serving.batch import segment_batch
                from ops.serving.wire import decode_photo, encode_result

                loaded = load_model(self.path.split("?")[0].strip("/"), "cpu")
                answer = encode_result(segment_batch(loaded, [decode_photo(body)])[0])
                self.send_response(200)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def model_server(monkeypatch):
    servers = []

    def start(busy: int, status: int = 503) -> _ModelServer:
        server = _ModelServer(busy, status)
        servers.append(server)
        monkeypatch.setenv("PIXELWISE_SERVE_URL", server.url)
        return server

    yield start
    for server in servers:
        server.close()


def test_a_busy_model_server_is_retried_and_the_photo_is_not_lost(model_server):
    server = model_server(busy=2)
    at = open_page(SLUG, timeout=90)
    assert_no_exception(at)
    assert any("model server is busy" in text and "retrying" in text for text in _infos(at)), _infos(at)
    assert server.posts >= 1  # the exercise's own photo may go to the model server too
    for _ in range(20):  # the retry fragment's ticks, with backoff between the sends
        time.sleep(0.3)
        at.run()
        assert_no_exception(at)
        if any("person" in header.value for header in lesson(at).subheader):  # the photo's counts are shown
            break
    assert server.posts >= 3  # two refused, then segmented
    assert "person" in lesson(at).subheader[-1].value
    assert not any("busy" in text for text in _infos(at))
    assert any("model server" in m.value.lower() or "serve" in m.value for m in at.markdown)


def test_an_unreachable_model_server_gets_a_clear_message(model_server):
    server = model_server(busy=10**6, status=500)
    at = open_page(SLUG, timeout=90)
    assert_no_exception(at)
    assert any("cannot be reached" in text for text in _infos(at)), _infos(at)
    # one try of the page's photo, no retry within the run; the exercise's own photo goes there too unless an
    # earlier test in this process already made that exercise (exercises are cached per process)
    assert 1 <= server.posts <= 2
    at.button(key="live-demo.cancel").click().run()
    assert_no_exception(at)
    assert not any("cannot be reached" in text for text in _infos(at))


def test_segmenting_frees_the_slot_afterwards():
    at = open_page(SLUG, timeout=90)
    assert_no_exception(at)
    assert "person" in lesson(at).subheader[-1].value
    assert work_queue.QUEUE.stats("segment", _lane()) == {"running": 0, "waiting": 0, "slots": 1}
