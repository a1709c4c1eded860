"""Train the sliding-window lesson's patch classifier and write the checkpoint the app ships.

    python -m ops.patches.make_checkpoint --seed 0 --out ops/patches/weights/patch_classifier_seed0.pt

Why a committed checkpoint: training takes seconds on an idle laptop but a minute or more on a busy
2-core server or in every test process; the app and the tests load these 60 KB instead. Training is
seeded and runs on one CPU thread (several threads add the gradients' partial sums in an order that
changes from run to run), so this script remakes the same weights (tests/test_patches.py
checks that, and that the file's sha256 is the one in weights/SHA256SUMS).
"""

import argparse
import hashlib
from pathlib import Path

import torch

from ops.patches.patch_network import train_patch_classifier


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one summation order: the same weights on every run of the same machine
    try:
        net, report = train_patch_classifier(args.seed)
    finally:
        torch.set_num_threads(threads)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    state = {name: tensor.detach().clone().contiguous() for name, tensor in net.state_dict().items()}
    torch.save(state, args.out)
    print(f"{args.out}: {report.steps} steps, final loss {report.final_loss:.4f}, "
          f"held-out pixel accuracy {report.pixel_accuracy:.4f}, sha256 {sha256(args.out)}")


if __name__ == "__main__":
    main()
