"""Live demo speed: the page's whole pipeline vs the bare network, and images per second per model.

1. One photo (scikit-image's 512×512 astronaut, bundled) through everything the page runs per photo —
   decode the uploaded bytes, preprocess, forward, postprocess (class map at the photo's size,
   confidence, coarse scores) — against the bare model forward on the same input tensor and device.
   The two are timed alternately, round after round, and the ratio of the medians is printed
   (goal: <= 1.10 at 512 px on the CPU).
2. Images per second through segment() for every registry model whose weights are present; with
   --random-too, the torchvision models whose weights are absent run with random weights (same
   architecture, same cost: fine for throughput, meaningless labels; marked as such).
On a CUDA machine both run on the GPU too (forward synchronised), in float32 and half precision.

    .venv/bin/python bench/bench_live_demo.py [--rounds 15] [--size 512] [--random-too] [--budget 20]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED_WEIGHTS = ROOT.parent / "shared" / "weights"

import os  # noqa: E402

if "PIXELWISE_WEIGHTS" not in os.environ and SHARED_WEIGHTS.is_dir():
    os.environ["PIXELWISE_WEIGHTS"] = str(SHARED_WEIGHTS)

import torch  # noqa: E402

from ops.device import available_devices, device_name, synchronize  # noqa: E402
from ops.segmentation.front import segment  # noqa: E402
from ops.segmentation.images import decode_upload  # noqa: E402
from ops.segmentation.pipeline import bare_forward, load_model, preprocess  # noqa: E402
from ops.segmentation.registry import MODELS, available_models  # noqa: E402
from ops.segmentation.samples import sample_bytes  # noqa: E402


def page_pipeline(data: bytes, loaded, size: int):
    """What the page runs per photo: decode the uploaded bytes, then segment (as pages/live_demo.py)."""
    start = time.perf_counter()
    image = decode_upload(data)
    decode_ms = (time.perf_counter() - start) * 1000
    result = segment(image, loaded, size=size, keep_scores=False)
    result.latency.decode_ms = decode_ms
    return result


def timed(fn, device: str) -> float:
    synchronize(device)
    start = time.perf_counter()
    fn()
    synchronize(device)
    return time.perf_counter() - start


def ratio_bench(name: str, device: str, half: bool, size: int, rounds: int) -> None:
    data = sample_bytes("astronaut")
    loaded = load_model(name, device, half)
    image = decode_upload(data)
    x = preprocess(loaded.spec, image, size).to(device, dtype=loaded.dtype)
    for _ in range(2):  # warm both paths
        page_pipeline(data, loaded, size)
        with torch.inference_mode():
            bare_forward(loaded, x)
    whole, bare = [], []
    for _ in range(rounds):
        whole.append(timed(lambda: page_pipeline(data, loaded, size), device))
        with torch.inference_mode():
            bare.append(timed(lambda: bare_forward(loaded, x), device))
    result = page_pipeline(data, loaded, size)
    w, b = statistics.median(whole), statistics.median(bare)
    stages = ", ".join(f"{k} {v:.1f}" for k, v in result.latency.as_dict().items())
    print(f"  {name} on {device_name(device)}{' fp16' if half else ''}, input {x.shape[3]}×{x.shape[2]}, {rounds} "
          f"alternating rounds:\n"
          f"    median: whole page pipeline {w * 1000:.1f} ms vs bare forward {b * 1000:.1f} ms -> ratio {w / b:.3f}\n"
          f"    best:   whole page pipeline {min(whole) * 1000:.1f} ms vs bare forward {min(bare) * 1000:.1f} ms "
          f"-> ratio {min(whole) / min(bare):.3f}   (best-of is the least disturbed by other processes)\n"
          f"    stages of one run, ms: {stages}")


def throughput(spec, device: str, half: bool, random_weights: bool, budget_s: float) -> None:
    data = sample_bytes("astronaut")
    image = decode_upload(data)
    try:
        loaded = load_model(spec.name, device, half, random_weights=random_weights)
    except Exception as error:  # noqa: BLE001 - report and go on with the next model
        print(f"  {spec.name:34s} {device}: could not load ({error})")
        return
    segment(image, loaded, keep_scores=False)  # warm
    times, started = [], time.perf_counter()
    while len(times) < 2 or (time.perf_counter() - started < budget_s and len(times) < 50):
        times.append(timed(lambda: segment(image, loaded, keep_scores=False), device))
    median = statistics.median(times)
    result = segment(image, loaded, keep_scores=False)
    note = "random weights" if random_weights else "real weights"
    size = f"{result.input_size[0]}×{result.input_size[1]}"
    print(f"  {spec.name:34s} {device}{' fp16' if half else '     '} input {size}"
          f"  {1 / median:7.2f} images/s  ({median * 1000:8.1f} ms median of {len(times)}; {note})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--size", type=int, default=512, help="network input side for the ratio (square for ESPNetv2)")
    parser.add_argument("--random-too", action="store_true", help="torchvision models without weights: random weights")
    parser.add_argument("--budget", type=float, default=15.0, help="seconds of timing per model for throughput")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    devices = available_devices()
    present = available_models()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads; devices: {', '.join(devices)}")
    if not present:
        print("no weights present: set PIXELWISE_WEIGHTS (ESPNetv2 checkpoints are in ../shared/weights)")
        return
    print(f"1. whole page pipeline vs bare forward, 512×512 photo (astronaut), network input {args.size} px")
    for device in devices:
        ratio_bench(present[0].name, device, False, args.size, args.rounds)
        if device.startswith("cuda"):
            ratio_bench(present[0].name, device, True, args.size, args.rounds)
    if args.skip_throughput:
        return
    print("2. images per second through segment() (512×512 photo, each model at its own input size)")
    for device in devices:
        for spec in MODELS.values():
            if spec.present:
                throughput(spec, device, False, False, args.budget)
            elif args.random_too and spec.family == "torchvision":
                throughput(spec, device, False, True, args.budget)
            if device.startswith("cuda") and (spec.present or args.random_too and spec.family == "torchvision"):
                throughput(spec, device, True, not spec.present, args.budget)


if __name__ == "__main__":
    main()
