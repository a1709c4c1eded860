"""Live video speed: frames of a real photo through the very per-frame path a stream uses.

Each stream is an ops.segmentation.video_stream.VideoStream (its work-queue slot, its LatestFrameProcessor,
frame_work with the page's draw, lessons/figures/live_views.video_picture), fed by a "camera" thread that
offers a 640×480 frame every 1/--camera-fps seconds, as streamlit-webrtc's callback does. Printed per
stream: frames labelled per second, frames dropped (older than the newest), and capture → overlay latency
p50/p95 (offer to overlay ready: the network's and the browser's own delays are not in it), and the
process's CPU time per labelled frame (all threads and cores: what a frame costs, which a busy machine
changes much less than it changes frames/s). Streams run at once on one shared model, as sessions of one
server do. The load average is printed beside each row: figures taken on a busy machine are not idle ones.

Side by side in one run: each stream's labelling thread on torch's process-wide thread count (`torch`, how
streams ran before ops/segmentation/video_threads.py) and on its own count (`1`, the default now), for one
stream and for two at once. --threads and --streams take comma lists; every combination is run in turn.

    .venv/bin/python bench/bench_video.py --model espnetv2_s_0.5_pascal_256x256 --size 256 --seconds 15
    .venv/bin/python bench/bench_video.py --size 384 --threads torch,1,2 --streams 1
    .venv/bin/python bench/bench_video.py --model espnetv2_s_2.0_pascal_384x384 --size 512 --device cuda --threads torch

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
from ops.segmentation.video_threads import use_threads  # noqa: E402

PHOTO = SHARED / "images" / "jetson_humans_0.jpg"


def camera_frame(width: int = 640, height: int = 480) -> np.ndarray:
    """A real photo as a webcam frame (../shared's people photo, else the bundled astronaut)."""
    import io

    source = Image.open(PHOTO) if PHOTO.exists() else Image.open(io.BytesIO(sample_bytes("astronaut")))
    return np.asarray(source.convert("RGB").resize((width, height), Image.BILINEAR)).copy()


def run(model, size: int, seconds: float, streams: int, device: str, camera_fps: float, view: str,
        threads: int | None) -> list:
    """One measurement: `streams` streams at once, each labelling on `threads` threads (None: torch's)."""
    settings = FrameSettings(model=model, size=size, opacity=0.6, view=view)
    queue = work_queue.WorkQueue(slots={"video": streams})
    running = [VideoStream(device, live_views.video_picture, queue=queue, threads=threads) for _ in range(streams)]
    frame = camera_frame()
    warm = VideoStream(device, live_views.video_picture, queue=work_queue.WorkQueue(), threads=threads)
    warm.configure(settings)
    def warm_up() -> None:  # first calls pay for lazy initialisation, per thread count: not in the figures
        use_threads(threads)
        for _ in range(3):
            warm.processor._work(frame)

    warming = threading.Thread(target=warm_up)
    warming.start()
    warming.join()
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
    cpu_before = time.process_time()
    time.sleep(seconds)
    results = [(stream.stats(), stream.processor.processed) for stream in running]
    cpu_s = time.process_time() - cpu_before
    stop.set()
    for thread in threads:
        thread.join(2)
    for stream in running:
        stream.stop()
    latencies = [s.processor._latencies for s in running]  # the figures of the whole run, not a window
    threads_used = [stream.latest.threads if stream.latest is not None else 0 for stream in running]
    cpu_ms = 1000 * cpu_s / max(1, sum(processed for _, processed in results))  # all cores, all threads
    return [(stats, processed / seconds, np.percentile(list(lat), [50, 95]) if lat else (float("nan"),) * 2, used,
             cpu_ms) for (stats, processed), lat, used in zip(results, latencies, threads_used)]


def _threads(text: str) -> int | None:
    return None if text.strip() == "torch" else int(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="espnetv2_s_0.5_pascal_256x256")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--streams", default="1,2", help="streams at once, a comma list (default 1,2)")
    parser.add_argument("--device", default=None, help="cuda, mps or cpu (default: the best present)")
    parser.add_argument("--camera-fps", type=float, default=30)
    parser.add_argument("--view", default="final")
    parser.add_argument("--memory-format", default="contiguous",
                        help="the model's weights as loaded (contiguous) and/or channels_last, a comma list: an "
                             "option measured, not what the app does")
    parser.add_argument("--threads", default="torch,1",
                        help="each stream's labelling threads, a comma list: torch (the process-wide count, as "
                             "before) or a number (the stream's own, video_threads); default torch,1")
    args = parser.parse_args()
    import torch  # after ops (its OpenMP wait policy)

    device = args.device or best_device()
    spec = spec_for(args.model)
    if not video_models([spec]):
        raise SystemExit(f"{args.model} is an instance model: live video runs semantic models only")
    half, _ = frame_precision(spec, device)
    model = load_model(spec.name, device, half)
    print(f"{args.model} at {args.size} px on {device_name(device)}{' float16' if half else ''}, "
          f"a {args.camera_fps:g} frames/s 640x480 camera per stream, {args.seconds:g} s a row, "
          f"{os.cpu_count()} cores, torch's process-wide threads {torch.get_num_threads()}")
    print(f"{'streams':>7}  {'threads':<10} {'stream':>6}  {'frames/s':>8}  {'dropped':>13}  {'p50 ms':>6}  "
          f"{'p95 ms':>6}  {'CPU ms/frame':>12}  load")
    for memory_format in args.memory_format.split(","):
        model.module.to(memory_format=getattr(torch, memory_format + ("_format" if memory_format == "contiguous"
                                                                      else "")))
        if memory_format != "contiguous":
            print(f"(weights {memory_format})")
        for streams in (int(n) for n in args.streams.split(",")):
            for threads in (_threads(t) for t in args.threads.split(",")):
                _rows(run(model, args.size, args.seconds, streams, device, args.camera_fps, args.view, threads),
                      streams, threads)


def _rows(rows: list, streams: int, threads: int | None) -> None:
    load = os.getloadavg()[0]
    for k, (stats, fps, (p50, p95), used, cpu_ms) in enumerate(rows, 1):
        label = f"torch ({used})" if threads is None else f"own ({used})"
        print(f"{streams:>7}  {label:<10} {k:>6}  {fps:8.1f}  {stats.dropped:>5} of {stats.offered:<5}  "
              f"{p50:6.0f}  {p95:6.0f}  {cpu_ms:12.1f}  {load:.1f}", flush=True)


if __name__ == "__main__":
    main()
