"""Counting touching things: the small Mask R-CNN against connected blobs, on held-out scenes.

    python bench/bench_instances.py --scenes 200 --seed 0
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from ops.instances.evaluate import evaluate, summary_lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("\n".join(summary_lines(evaluate(args.scenes, args.seed, args.threshold))))


if __name__ == "__main__":
    main()
