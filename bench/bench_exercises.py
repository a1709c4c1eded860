"""Exercise engine speed: generating an exercise and checking a typed answer, per lesson and kind.

A page builds its exercise on every rerun (the seed is in the URL), so generate + check must stay far
below a rerun's budget. Times are medians over --seeds seeds (both levels), single-threaded torch.
The live demo's kind runs a segmentation network once per photo (cached): its first call is printed apart.

    .venv/bin/python bench/bench_exercises.py [--seeds 50]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch

from ops import exercises


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"load average {os.getloadavg()[0]:.2f}; {args.seeds} seeds per kind")
    print(f"{'lesson':22} {'kind':22} {'first ms':>9} {'generate ms':>12} {'check µs':>9}")
    for lesson in exercises.LESSON_KINDS:
        for kind in exercises.kinds(lesson):
            start = time.perf_counter()
            try:
                exercises.generate(lesson, 0, kind=kind)
            except exercises.ExerciseUnavailable as missing:
                print(f"{lesson:22} {kind:22} unavailable ({missing.key})")
                continue
            first = (time.perf_counter() - start) * 1000
            gen, check = [], []
            for seed in range(args.seeds):
                start = time.perf_counter()
                ex = exercises.generate(lesson, seed, exercises.LEVELS[seed % 2], kind)
                gen.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                ex.check("1,25")
                check.append((time.perf_counter() - start) * 1e6)
            print(f"{lesson:22} {kind:22} {first:9.1f} {statistics.median(gen):12.2f} {statistics.median(check):9.1f}")


if __name__ == "__main__":
    main()
