"""Live video speed: frames of a real photo through the very per-frame path a stream uses.

Each stream is an ops.segmentation.video_stream.VideoStream (its work-queue slot, its LatestFrameProcessor,
frame_work with the page's draw, lessons/figures/live_views.video_picture), fed by a "camera" thread that
offers a 640×480 frame every 1/--camera-fps seconds, as streamlit-webrtc's callback does. Printed per
stream: frames labelled per second, frames dropped (older than the newest), and capture → overlay latency
p50/p95 (offer to overlay ready: the network's and the browser's own delays are not in it). Streams run
at once on one shared model, as sessions of one server do.

    .venv/bin/python bench/bench_video.py --model espnetv2_s_0.5_pascal_256x256 --size 256 --seconds 20
    .venv/bin/python bench/bench_video.py --model espnetv2_s_0.5_pascal_256x256 --size 256 --streams 2
    .venv/bin/python bench/bench_video.py --model espnetv2_s_2.0_pascal_384x384 --size 512 --device cuda

Goals: >= 15 frames/s at 256 px with the smallest ESPNetv2 on the CPU, latency <= 150 ms; >= 30 frames/s
at 512 px on a GPU (float16 there, where the model allows).
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
if "PIXELWISE_WEIGHTS" not in os.environ and (SHARED / "weights").is_dir():
    os.environ["PIXELWISE_WEIGHTS"] = str(SHARED / "weights")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import ops  # noqa: E402,F401  (first: sets the OpenMP wait policy before torch loads)
from lessons.figures import live_views  # noqa: E402
from ops import work_queue  # noqa: E402
from ops.device import best_device, device_name  # noqa: E402
from ops.segmentation.pipeline import load_model  # noqa: E402
from ops.segmentation.registry import spec_for  # noqa: E402
from ops.segmentation.samples import sample_bytes  # noqa: E402
from ops.segmentation.video_frame import FrameSettings, frame_precision, video_models  # noqa: E402
from ops.segmentation.video_stream import VideoStream  # noqa: E402

PHOTO = SHARED / "images" / "jetson_humans_0.jpg"


def camera_frame(width: int = 640, height: int = 480) -> np.ndarray:
    """A real photo as a webcam frame (../shared's people photo, else the bundled astronaut)."""
    import io

    source = Image.open(PHOTO) if PHOTO.exists() else Image.open(io.BytesIO(sample_bytes("astronaut")))
    return np.asarray(source.convert("RGB").resize((width, height), Image.BILINEAR)).copy()


def run(model_name: str, size: int, seconds: float, streams: int, device: str, camera_fps: float,
        view: str) -> list:
    spec = spec_for(model_name)
    if not video_models([spec]):
        raise SystemExit(f"{model_name} is an instance model: live video runs semantic models only")
    half, _ = frame_precision(spec, device)
    model = load_model(spec.name, device, half)
    settings = FrameSettings(model=model, size=size, opacity=0.6, view=view)
    queue = work_queue.WorkQueue(slots={"video": streams})
    running = [VideoStream(device, live_views.video_picture, queue=queue) for _ in range(streams)]
    frame = camera_frame()
    warm = VideoStream(device, live_views.video_picture, queue=work_queue.WorkQueue())
    warm.configure(settings)
    for _ in range(3):  # first calls pay for lazy initialisation: not part of the figures
        warm.processor._work(frame)
    for stream in running:
        stream.configure(settings)
    stop = threading.Event()

    def camera(stream: VideoStream) -> None:
        period, next_at = 1.0 / camera_fps, time.perf_counter()
        while not stop.is_set():
            stream.offer(frame.copy(), time.perf_counter())
            next_at += period
            time.sleep(max(0.0, next_at - time.perf_counter()))

    threads = [threading.Thread(target=camera, args=(s,), daemon=True) for s in running]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    results = [(stream.stats(), stream.processor.processed) for stream in running]
    stop.set()
    for thread in threads:
        thread.join(2)
    for stream in running:
        stream.stop()
    latencies = [s.processor._latencies for s in running]  # the figures of the whole run, not a window
    return [(stats, processed / seconds, np.percentile(list(lat), [50, 95]) if lat else (float("nan"),) * 2)
            for (stats, processed), lat in zip(results, latencies)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="espnetv2_s_0.5_pascal_256x256")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--streams", type=int, default=1)
    parser.add_argument("--device", default=None, help="cuda, mps or cpu (default: the best present)")
    parser.add_argument("--camera-fps", type=float, default=30)
    parser.add_argument("--view", default="final")
    parser.add_argument("--threads", type=int, default=None, help="torch's CPU threads (default: torch's own)")
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    device = args.device or best_device()
    half, _ = frame_precision(spec_for(args.model), device)
    print(f"{args.model} at {args.size} px on {device_name(device)}{' float16' if half else ''}, "
          f"{args.streams} stream(s) of a {args.camera_fps:g} frames/s camera, {args.seconds:g} s, "
          f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})")
    for k, (stats, fps, (p50, p95)) in enumerate(run(args.model, args.size, args.seconds, args.streams, device,
                                                     args.camera_fps, args.view), 1):
        print(f"stream {k}: {fps:5.1f} frames/s labelled, {stats.dropped} of {stats.offered} frames dropped, "
              f"capture -> overlay p50 {p50:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
