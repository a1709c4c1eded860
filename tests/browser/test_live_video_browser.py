"""Live video in a real browser: Chromium's fake camera plays a clip made from a photo, the page streams it
over WebRTC (loopback, no ICE server), and the labelled frames come back.

Checked: the played video is the segmented frame (painted where the people are, the photo elsewhere), the
shown frame rate is above zero, and the labels of the frame the server shows equal those of that very
picture segmented by `ops` directly (its digest and class table). Screenshots in English and Chinese.

One server for the module, started with one video slot (PIXELWISE_VIDEO_SLOTS=1): the slot test needs it,
and the other tests run one stream at a time. Every wait is on a condition in the page, none is fixed.
"""

import base64
import io
import re
import threading
import time

import numpy as np
import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, SCREENSHOTS, assert_no_exception

pytestmark = pytest.mark.browser

SMALLEST = "espnetv2_s_0.5_pascal_256x256"
SIZE = 256
PERSON = 15
WIDTH, HEIGHT = 640, 480


def make_clip(photo, path, frames: int = 10) -> None:
    """A short Y4M clip (YUV 4:2:0, full-range BT.601) of one photo, for --use-file-for-fake-video-capture."""
    rgb = np.asarray(Image.open(photo).convert("RGB").resize((WIDTH, HEIGHT), Image.BILINEAR)).astype(np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b

    def half(plane):
        return plane.reshape(HEIGHT // 2, 2, WIDTH // 2, 2).mean((1, 3))

    planes = b"".join(np.clip(p + 0.5, 0, 255).astype(np.uint8).tobytes() for p in (y, half(u), half(v)))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + planes)


@pytest.fixture(scope="module")
def camera_browser(browser, shared_images, shared_weights, tmp_path_factory):
    """A second Chromium of the session's Playwright whose camera is the clip (a second sync Playwright in
    one process fails in a full run)."""
    clip = tmp_path_factory.mktemp("camera") / "people.y4m"
    make_clip(shared_images / "jetson_humans_0.jpg", clip)
    flags = CHROMIUM_FLAGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                              f"--use-file-for-fake-video-capture={clip}"]
    camera = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=flags)
    yield camera
    camera.close()


@pytest.fixture(scope="module")
def video_server(shared_weights):
    """The module's app server: one stream runs at a time, the next is told its place."""
    from tests.browser.conftest import running_app

    with running_app(extra_env={"PIXELWISE_VIDEO_SLOTS": "1"}) as url:
        yield url


@pytest.fixture(scope="module")
def model(shared_weights):
    from ops.segmentation.pipeline import load_model

    return load_model(SMALLEST, "cpu")


LAST_FRAME = """older => {
    const images = [...document.querySelectorAll('[data-testid="stImage"]')];
    const last = images.find(i => /640×480/.test(i.innerText));
    if (!last || last.querySelector('img').src === older) return null;
    const table = last.closest('[data-testid="stVerticalBlock"]').querySelector('table');
    return {src: last.querySelector('img').src, caption: last.innerText,
            table: table ? table.innerText : ''};
}"""

FPS_ABOVE_ZERO = """label => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
    m.innerText.includes(label) && parseFloat(m.querySelector('[data-testid="stMetricValue"]').innerText) > 0)"""

VIDEO_FRAME = """() => {
    const video = document.querySelector('video');
    if (!video || !video.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 480;
    canvas.getContext('2d').drawImage(video, 0, 0, 640, 480);
    return canvas.toDataURL('image/png');
}"""


def _last_frame(page, older: str | None = None, timeout: float = 120):
    """The frame the server shows (its PNG; a newer one than `older`'s address), its caption and table, read
    together then downloaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = page.wait_for_function(LAST_FRAME, arg=older, timeout=timeout * 1000).json_value()
        older = shown["src"]
        response = page.request.get(shown["src"])
        if response.ok:  # an older run's image may already be gone: read the newest again
            return np.asarray(Image.open(io.BytesIO(response.body())).convert("RGB")), shown
    raise AssertionError("no labelled frame was shown")


def _segment_as_the_stream(frame: np.ndarray, model) -> np.ndarray:
    """ops' labels of a picture, computed on the CPU threads a stream labels with (video_threads): the thread
    count only reorders float sums, but a pixel on a tie could flip between counts."""
    from ops.segmentation.pipeline import segment_in_process
    from ops.segmentation.video_threads import stream_threads, use_threads

    labels = []

    def segment():
        use_threads(stream_threads())
        labels.append(segment_in_process(Image.fromarray(frame), model, size=SIZE).labels)

    worker = threading.Thread(target=segment)
    worker.start()
    worker.join(120)
    return labels[0]


ONE_THREAD = {"en": "CPU (1 thread)", "zh": "CPU（1 个线程）"}


@pytest.mark.parametrize("lang, start, stop, fps_label", [
    ("en", "Start", "Stop", "Frames labelled per second"),
    ("zh", "开始", "停止", "每秒标注帧数"),
])
def test_the_camera_is_segmented_live_and_a_frame_matches_ops(camera_browser, video_server, model, lang, start,
                                                             stop, fps_label):
    from ops.segmentation.video_frame import labels_digest

    context = camera_browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{video_server}/live_demo?live-demo.source=video&live-demo.model={SMALLEST}&lang={lang}")
        player = page.frame_locator('iframe[title*="streamlit_webrtc"]').first
        player_frame = page.locator('iframe[title*="streamlit_webrtc"]').first
        player.get_by_role("button", name=re.compile(start, re.I)).click(timeout=120_000)

        # the shown frame rate rises above zero
        page.wait_for_function(FPS_ABOVE_ZERO, arg=fps_label, timeout=120_000)

        # the labels of the frame the server shows equal ops' labels of that very picture
        shown = {"src": None}
        for _ in range(10):  # the table is redrawn just before the picture: read until both are of one frame
            frame, shown = _last_frame(page, older=shown["src"])
            assert frame.shape == (HEIGHT, WIDTH, 3)
            direct = _segment_as_the_stream(frame, model)
            assert shown["caption"].strip().endswith(labels_digest(direct)), shown["caption"]
            people = int((direct == PERSON).sum())
            if str(people) in shown["table"]:
                break
        assert people > 0.1 * direct.size  # the photo's two players are found
        # the device line names the stream's own thread count (video_threads), in the page's language
        assert ONE_THREAD[lang] in page.locator('[data-testid="stMain"]').inner_text()
        assert f"person\t{people}\t" in shown["table"] or f"人\t{people}\t" in shown["table"], shown["table"]

        # the video the page plays is the segmented frame: the people painted, the grass as it was
        url = player_frame.element_handle().content_frame().wait_for_function(VIDEO_FRAME, timeout=30_000).json_value()
        played = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"))
        change = np.abs(played.astype(np.float32) - frame.astype(np.float32)).mean(-1)
        assert change[direct == PERSON].mean() > 3 * change[direct == 0].mean() + 10

        assert_no_exception(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.get_by_role("heading", name=re.compile("Live video|实时视频")).first.evaluate(
            "heading => heading.scrollIntoView({block: 'start'})")  # the controls, the video and its figures
        # between two ticks of the live figures (during one, Streamlit dims the elements it redraws)
        page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
        page.screenshot(path=str(SCREENSHOTS / f"live_video_running_{lang}.png"), full_page=False)

        # Stop ends the stream: the page goes back to asking for Start
        player.get_by_role("button", name=re.compile(stop, re.I)).click()
        page.locator('[data-testid="stMetric"]', has_text=fps_label).first.wait_for(state="detached",
                                                                                   timeout=60_000)
        assert_no_exception(page)
    finally:
        context.close()


RUNNING = "Frames labelled per second"
WAITING = "ahead of yours"


def _open_and_start(page, url: str) -> None:
    page.goto(f"{url}/live_demo?live-demo.source=video&live-demo.model={SMALLEST}")
    _player(page).get_by_role("button", name=re.compile("start", re.I)).click(timeout=120_000)


def _player(page):
    return page.frame_locator('iframe[title*="streamlit_webrtc"]').first


def _shows(page, words: str, timeout: float = 90):
    """Wait until the page shows `words`; if it never does, fail with what it shows instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    main = page.locator('[data-testid="stMain"]')
    try:
        main.get_by_text(words).first.wait_for(timeout=timeout * 1000)
    except PlaywrightTimeout:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "live_video_slot_failure.png"))
        shown = main.inner_text()[-1500:]
        raise AssertionError(f"{words!r} not shown in {timeout:g} s; the page shows:\n{shown}") from None


def test_one_slot_the_second_stream_is_told_its_place_and_stop_or_a_closed_tab_frees_the_slot(camera_browser,
                                                                                           video_server):
    contexts = [camera_browser.new_context(viewport={"width": 1400, "height": 1400}) for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        _open_and_start(first, video_server)
        _shows(first, RUNNING)
        _open_and_start(second, video_server)
        _shows(second, "1 stream is ahead of yours")
        assert first.locator('[data-testid="stMain"]').get_by_text(RUNNING).count()  # the waiting one took nothing

        _player(first).get_by_role("button", name=re.compile("stop", re.I)).click()
        _shows(second, RUNNING, timeout=30)  # the freed slot goes to the next at once

        # now the first starts again and waits; the second's tab closes and the first gets the slot
        _player(first).get_by_role("button", name=re.compile("start", re.I)).click()
        _shows(first, WAITING)
        contexts[1].close()
        _shows(first, RUNNING, timeout=30)
        assert_no_exception(first)
    finally:
        for context in contexts:
            context.close()


def test_without_a_camera_the_page_says_so_and_the_photo_sources_keep_working(page, video_server):
    """The session's Chromium has no camera at all (no fake device): Start fails in the player."""
    page.goto(f"{video_server}/live_demo?live-demo.source=video&live-demo.model={SMALLEST}")
    player = page.frame_locator('iframe[title*="streamlit_webrtc"]').first
    player.get_by_role("button", name=re.compile("start", re.I)).click(timeout=120_000)
    player.get_by_text(re.compile("NotFoundError")).first.wait_for(timeout=30_000)
    assert "NotFoundError means this device has no camera" in page.locator('[data-testid="stMain"]').inner_text()
    assert RUNNING not in page.locator('[data-testid="stMain"]').inner_text()  # no stream, no figures
    assert_no_exception(page)
    page.locator('[data-testid="stMain"]').get_by_text("Sample", exact=True).first.click()
    page.get_by_role("heading", name=re.compile("^1\\.")).first.wait_for(timeout=120_000)  # a photo segmented
    assert_no_exception(page)
