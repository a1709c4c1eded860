"""Sliding window vs fully convolutional: measured times, their ratio, and the theoretical FLOP ratio.

For 64 and 128 px pastures, on every available device (cuda > mps > cpu), in one run: the sliding
window with one patch per call (one forward pass per pixel, as the lesson describes it) and with 256
patches stacked per call (the same forward passes and FLOPs, less per-call overhead), the fully
convolutional pass, each the median of several runs, the measured speed-up of each against it, and
the FLOP ratio counted analytically (tested against torch.utils.flop_counter). Load average is printed before and
after: other work on a shared machine slows every figure.

    .venv/bin/python bench/bench_sliding_window.py [--sizes 64 128] [--repeats 5] [--sliding-repeats 3]
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from ops.device import available_devices, device_name  # noqa: E402
from ops.patches import (  # noqa: E402
    fully_conv_predict,
    lesson_image,
    sliding_window_cost,
    sliding_window_predict,
    trained_patch_classifier,
)

BATCHED = 256


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[64, 128])
    parser.add_argument("--repeats", type=int, default=5, help="fully-convolutional passes timed (median)")
    parser.add_argument("--sliding-repeats", type=int, default=3, help="sliding-window runs timed (median)")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {os.cpu_count()} CPU cores, torch threads {torch.get_num_threads()}, "
          f"load average {load()}")
    net = trained_patch_classifier()
    print(f"patch classifier: {net.patch_size}×{net.patch_size} patch, "
          f"{sum(p.numel() for p in net.parameters())} parameters\n")
    for device in available_devices():
        print(f"== {device}: {device_name(device)}")
        print(f"{'size':>6}{'passes':>8}{'sliding 1/call':>16}{f'sliding {BATCHED}/call':>18}{'fully conv':>12}"
              f"{'ratio 1/call':>14}{f'ratio {BATCHED}/call':>16}{'FLOP ratio':>12}{'max |diff|':>12}")
        warm = lesson_image("pasture", 32).tensor
        sliding_window_predict(net, warm, device=device, patches_per_call=BATCHED)  # warm-up: library set-up
        fully_conv_predict(net, warm, device=device)
        for size in args.sizes:
            image = lesson_image("pasture", size).tensor
            ones = [sliding_window_predict(net, image, device=device) for _ in range(args.sliding_repeats)]
            batches = [sliding_window_predict(net, image, device=device, patches_per_call=BATCHED)
                       for _ in range(args.sliding_repeats)]
            one = sorted(ones, key=lambda p: p.seconds)[len(ones) // 2]  # the median run
            batched = sorted(batches, key=lambda p: p.seconds)[len(batches) // 2]
            fulls = [fully_conv_predict(net, image, device=device) for _ in range(args.repeats)]
            full = statistics.median(f.seconds for f in fulls)
            cost = sliding_window_cost(net, size, size)
            difference = (one.scores - fulls[0].scores).abs().max().item()
            print(f"{size:>4}px{one.forward_passes:>8}{one.seconds:>15.3f}s{batched.seconds:>17.3f}s{full:>11.4f}s"
                  f"{one.seconds / full:>13.0f}×{batched.seconds / full:>15.1f}×{cost.flop_ratio:>11.2f}×"
                  f"{difference:>12.1e}")
        print()
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
