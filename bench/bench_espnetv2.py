"""Forward latency of each ESPNetv2 checkpoint at 256, 384 and 512 px, measured side by side in one run.

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_espnetv2.py [--device cpu|cuda] [--repeats 7]

Weights come from $PIXELWISE_WEIGHTS or torch's hub cache (tests use ../shared/weights). Cells are
timed round-robin (two warm-up rounds, then `repeats` rounds), so a busy moment slows every cell alike;
prints each cell's median in ms, as a ratio to the fastest median, and its minimum. Never asserted by a test.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "PIXELWISE_WEIGHTS" not in os.environ and (ROOT.parent / "shared" / "weights").is_dir():
    os.environ["PIXELWISE_WEIGHTS"] = str(ROOT.parent / "shared" / "weights")

from ops.device import device_name, synchronize  # noqa: E402
from ops.segmentation.checkpoints import available_checkpoints, checkpoint, load_espnetv2  # noqa: E402

SIZES = (256, 384, 512)


def timed_ms(model, x, device: str) -> float:
    start = time.perf_counter()
    model(x)
    synchronize(device)
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    names = available_checkpoints()
    if not names:
        sys.exit("no ESPNetv2 checkpoint found: set PIXELWISE_WEIGHTS to a folder holding them")
    print(f"ESPNetv2 forward latency, batch 1, float32, {device_name(args.device)}, "
          f"torch {torch.__version__}, median of {args.repeats}")
    models = {name: load_espnetv2(name, args.device) for name in names}
    torch.manual_seed(0)
    inputs = {side: torch.rand(1, 3, side, side, device=args.device) for side in SIZES}
    cells = [(name, side) for name in names for side in SIZES]
    times = {cell: [] for cell in cells}
    with torch.inference_mode():
        for round_ in range(2 + args.repeats):  # two warm-up rounds, then timed rounds
            for name, side in cells:  # round-robin: a busy moment slows every cell alike
                ms = timed_ms(models[name], inputs[side], args.device)
                if round_ >= 2:
                    times[name, side].append(ms)
    results = {cell: statistics.median(t) for cell, t in times.items()}
    best = {cell: min(t) for cell, t in times.items()}
    fastest = min(results.values())
    header = f"{'checkpoint':34} {'params':>8} " + " ".join(f"{f'{s} px: median (×) min':>25}" for s in SIZES)
    print(header)
    for name in names:
        model = checkpoint(name).build()
        params = sum(p.numel() for p in model.parameters())
        row = " ".join(f"{results[name, s]:>9.1f} ({results[name, s] / fastest:>4.1f}×) {best[name, s]:>7.1f}"
                       for s in SIZES)
        print(f"{name:34} {params:>8,} {row}")


if __name__ == "__main__":
    main()
