"""The live demo's model: 16 photos at once through Ray Serve (batched) vs in-process one at a time.

Starts a local Ray (loopback HTTP, one CPU for the model replica, one torch thread on each side so the
comparison is like for like) and shuts it down at the end. Prints images/s of each, the batch sizes
Serve formed, and whether every photo's labels are identical. With --fault: 16 students keep sending
photos (retrying with backoff, as the page does) while the Serve replica is killed with SIGKILL; prints
what the students saw and how many photos were lost. With --contention N: the same burst beside N busy
processes at nice 0 (a class's app replicas, a browser), once with Ray's default worker nice 15 and once
with this project's nice 0 (ops/serving/local_ray.py), beside its floor: the same batch in a plain process
beside the same load.

    .venv/bin/python bench/bench_serving.py --model espnetv2_s_2.0_pascal_384x384 [--fault] [--contention 3]
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
IMAGES = ROOT.parent / "shared" / "images"
os.environ.setdefault("PIXELWISE_WEIGHTS", str(ROOT.parent / "shared" / "weights"))

from harness.local_server import free_port  # noqa: E402


def _photos(count: int) -> list[np.ndarray]:
    files = sorted(IMAGES.glob("*.jpg"))
    if not files:
        raise SystemExit(f"needs the photos in {IMAGES}")
    return [np.asarray(Image.open(files[i % len(files)]).convert("RGB")) for i in range(count)]


def _with_retry(send, deadline_s: float = 60.0):
    """What the page does: retry busy/unavailable with exponential backoff; (answer, errors seen)."""
    from ops.serving.errors import ServingError

    seen, delay, start = [], 0.2, time.monotonic()
    while True:
        try:
            return send(), seen
        except ServingError as error:
            seen.append(error.key)
            if time.monotonic() - start > deadline_s:
                return None, seen
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def compare(url: str, model: str, photos: list[np.ndarray]) -> None:
    import torch

    from ops.segmentation.front import segment
    from ops.segmentation.pipeline import load_model
    from ops.serving.client import post_photo

    torch.set_num_threads(1)
    loaded = load_model(model, "cpu")
    segment(Image.fromarray(photos[0]), loaded)  # warm
    start = time.perf_counter()
    local = [segment(Image.fromarray(p), loaded, keep_scores=False).labels for p in photos]
    local_s = time.perf_counter() - start
    post_photo(url, model, photos[0])  # warm the replica
    start = time.perf_counter()
    with ThreadPoolExecutor(len(photos)) as pool:
        served = list(pool.map(lambda p: post_photo(url, model, p), photos))
    serve_s = time.perf_counter() - start
    same = all(np.array_equal(a["labels"], b) for a, b in zip(served, local))
    print(f"in-process, one at a time: {len(photos) / local_s:.2f} images/s ({local_s:.1f} s)")
    print(f"Ray Serve, {len(photos)} at once: {len(photos) / serve_s:.2f} images/s ({serve_s:.1f} s); "
          f"batch sizes {sorted({int(a['batch_size']) for a in served})}; labels identical: {same}", flush=True)


def fault(url: str, model: str, photos: list[np.ndarray], seconds: float = 30.0) -> None:
    from ops.serving.client import post_photo

    with urllib.request.urlopen(f"{url}/{model}", timeout=10) as response:
        pid = int(response.read().decode().split("pid ")[1])
    until = time.monotonic() + seconds
    kill_at = time.monotonic() + seconds / 4

    def student(index: int):
        sent, lost, errors, slowest = 0, 0, [], 0.0
        while time.monotonic() < until:
            start = time.monotonic()
            answer, seen = _with_retry(lambda: post_photo(url, model, photos[index], timeout=30))
            sent += 1
            lost += answer is None
            errors += seen
            slowest = max(slowest, time.monotonic() - start)
        return sent, lost, errors, slowest

    with ThreadPoolExecutor(len(photos) + 1) as pool:
        futures = [pool.submit(student, i) for i in range(len(photos))]
        time.sleep(max(0.0, kill_at - time.monotonic()))
        os.kill(pid, signal.SIGKILL)
        print(f"killed the Serve replica (pid {pid}) with SIGKILL", flush=True)
        results = [f.result() for f in futures]
    keys = [k for r in results for k in r[2]]
    print(f"photos sent {sum(r[0] for r in results)}, lost {sum(r[1] for r in results)}; errors the page showed "
          f"(then retried): {{busy: {keys.count('serving.busy')}, unavailable: {keys.count('serving.unavailable')}}}; "
          f"longest wait for one photo {max(r[3] for r in results):.1f} s", flush=True)


def _burst(url: str, model: str, photos: list[np.ndarray]) -> tuple[float, int]:
    """(seconds until the last answer, photos with no answer within the client's 30 s deadline)."""
    from ops.serving.client import post_photo
    from ops.serving.errors import ServingError

    def send(photo) -> bool:
        try:
            post_photo(url, model, photo, timeout=30)
            return True
        except ServingError:
            return False

    start = time.perf_counter()
    with ThreadPoolExecutor(len(photos)) as pool:
        answered = list(pool.map(send, photos))
    return time.perf_counter() - start, answered.count(False)


def contention(model: str, photos: list[np.ndarray], busy: int) -> None:
    import torch
    from ray import serve

    from ops.segmentation.pipeline import load_model
    from ops.serving.batch import segment_batch
    from ops.serving.local_ray import start_local_ray
    from ops.serving.serve_app import deploy

    def beside_load(work):
        load = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
        try:
            time.sleep(1)
            return work()
        finally:
            for process in load:
                process.kill()
                process.wait()

    torch.set_num_threads(1)
    loaded = load_model(model, "cpu")
    segment_batch(loaded, photos[:1])  # warm

    def floor() -> float:
        start = time.perf_counter()
        segment_batch(loaded, photos)
        return time.perf_counter() - start

    floor_s = beside_load(floor)
    figures = []
    for niceness in (15, 0):
        ray = start_local_ray(num_cpus=1, worker_niceness=niceness)
        try:
            url = deploy([model], free_port(), num_cpus=1, threads=1)
            _burst(url, model, photos[:1])  # warm the replica
            figures.append((niceness, *beside_load(lambda: _burst(url, model, photos))))
        finally:
            serve.shutdown()
            ray.shutdown()
    line = " | ".join(f"worker nice {n}: {s:.1f} s, {lost} unanswered in 30 s" for n, s, lost in figures)
    print(f"{len(photos)} photos at once beside {busy} busy processes: {line} | floor (one batch in a plain "
          f"process): {floor_s:.1f} s", flush=True)


def main() -> None:
    from ops.serving.local_ray import start_local_ray
    from ops.serving.serve_app import deploy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="espnetv2_s_2.0_pascal_384x384")
    parser.add_argument("--photos", type=int, default=16)
    parser.add_argument("--fault", action="store_true")
    parser.add_argument("--contention", type=int, default=0, metavar="N",
                        help="only the burst beside N busy processes, at worker nice 15 and 0")
    args = parser.parse_args()
    if args.contention:
        return contention(args.model, _photos(args.photos), args.contention)
    ray = start_local_ray(num_cpus=1)
    try:
        url = deploy([args.model], free_port(), num_cpus=1, threads=1)
        photos = _photos(args.photos)
        compare(url, args.model, photos)
        if args.fault:
            fault(url, args.model, photos)
    finally:
        from ray import serve

        serve.shutdown()
        ray.shutdown()


if __name__ == "__main__":
    main()
