"""FCN lab speed: time to reach validation mIoU ≥ 0.90 per decoder and device, and training throughput.

The default lab task (512 training / 128 validation scenes, seed 0, the page's default settings) is
trained with every decoder on every available device (cuda > mps > cpu), stopping at the first epoch
whose validation mIoU reaches the target. Wall time includes validation after each epoch, as a student
waits for it on the page; scene generation is timed separately. Then the same run with 1 thread and with
all threads, side by side, to show what torch.set_num_threads buys on this CPU.
Load average is printed before and after: other work on a shared machine slows every figure.

    .venv/bin/python bench/bench_lab.py [--target 0.9] [--epochs 6] [--decoders bilinear nearest]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from ops.device import available_devices, device_name  # noqa: E402
from ops.lab import DECODERS, TrainSettings, make_dataset, train_fcn  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def time_to_target(data, decoder: str, device: str, target: float, settings: TrainSettings):
    start = time.perf_counter()
    run = train_fcn(data, decoder, settings=settings, device=device, target_miou=target)
    wall = time.perf_counter() - start
    reached = run.history[-1].val_miou >= target
    steady = [r.images_per_s for r in run.history[1:]] or [run.history[0].images_per_s]
    return run, wall, reached, statistics.median(steady)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", type=float, default=0.90)
    parser.add_argument("--epochs", type=int, default=TrainSettings().epochs, help="budget per run")
    parser.add_argument("--decoders", nargs="*", default=list(DECODERS))
    args = parser.parse_args()
    settings = TrainSettings(epochs=args.epochs)

    print(f"torch {torch.__version__}, {os.cpu_count()} CPU cores, torch threads {torch.get_num_threads()}, "
          f"load average {load()}")
    start = time.perf_counter()
    data = make_dataset(512, 128, seed=0)
    print(f"scene generation: 640 scenes in {time.perf_counter() - start:.2f} s\n")

    for device in available_devices():
        print(f"== {device}: {device_name(device)}  (target val mIoU ≥ {args.target}, budget {args.epochs} epochs)")
        print(f"{'decoder':<18}{'reached':>8}{'epochs':>8}{'seconds':>9}{'final mIoU':>12}{'images/s':>10}"
              f"{'params':>9}{'checker':>9}")
        train_fcn(make_dataset(32, 8), "bilinear", device=device, epochs=1)  # warm-up: one-time library set-up
        results = {decoder: time_to_target(data, decoder, device, args.target, settings) for decoder in args.decoders}
        reference = results.get("bilinear", next(iter(results.values())))[1]
        for decoder, (run, wall, reached, speed) in results.items():
            print(f"{decoder:<18}{'yes' if reached else 'NO':>8}{len(run.history):>8}{wall:>9.1f}"
                  f"{run.history[-1].val_miou:>12.3f}{speed:>10.0f}{run.parameters:>9,}{run.checkerboard()[0]:>9.4f}"
                  f"   ({wall / reference:.2f}× bilinear's time)")
        print()

    print("== CPU threads, side by side (bilinear, one epoch each, after a warm-up epoch)")
    threads_before = torch.get_num_threads()
    speeds = {}
    for threads in sorted({1, threads_before}):
        torch.set_num_threads(threads)
        run = train_fcn(data, "bilinear", settings=settings, device="cpu", epochs=2)
        speeds[threads] = run.history[-1].images_per_s
        print(f"{threads} thread(s): {speeds[threads]:.0f} images/s")
    torch.set_num_threads(threads_before)
    if len(speeds) > 1:
        print(f"{threads_before} threads are {speeds[threads_before] / speeds[1]:.2f}× one thread")
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
