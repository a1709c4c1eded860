"""Counting touching things: the small Mask R-CNN against connected blobs, on held-out scenes, with issue 24's goals.

    python bench/bench_instances.py --scenes 200 --seed 2

Seeds: the network trains on seed 0's "train" split; the score threshold and the quarter rule of Detection.kept
were chosen on seed 1's "test" split (bench/diagnose_instances.py); seeds 2 to 7 were never trained or tuned on
(6 and 7 first measured after the last choice). The lesson and the unit tests show seed 0's "test" split.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from ops.instances.evaluate import evaluate, summary_lines
from ops.instances.inference import SCORE_THRESHOLD, WEIGHTS, load_instance_model

GOALS = {"count accuracy (every class)": 0.92, "mask mAP50": 0.85, "PQ": 0.85}
MAX_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=SCORE_THRESHOLD)
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    torch.set_num_threads(1)
    result = evaluate(args.scenes, args.seed, args.threshold, load_instance_model(args.weights))
    print(f"checkpoint {args.weights.name}, scenes: seed {args.seed} 'test' split")
    print("\n".join(summary_lines(result)))
    reached = {"count accuracy (every class)": min(result.count_accuracy.values()), "mask mAP50": result.map50,
               "PQ": result.pq}
    for name, goal in GOALS.items():
        print(f"goal {name} >= {goal}: {reached[name]:.3f} {'met' if reached[name] >= goal else 'NOT met'}")
    ms = result.seconds_per_scene * 1000
    print(f"goal detect() <= {MAX_MS:.0f} ms per scene: {ms:.1f} ms {'met' if ms <= MAX_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
