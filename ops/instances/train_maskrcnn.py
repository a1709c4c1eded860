"""Train the small Mask R-CNN on touching-things scenes, deterministically from a seed, on one CPU core.

    python -m ops.instances.train_maskrcnn --seed 0 --out ops/instances/weights/maskrcnn_scenes_seed0.pt

Every batch is generated on the fly from (seed, "train", index), so no data set is stored and the same
seed gives the same scenes, the same initial weights and therefore the same checkpoint. The checkpoint
is a bare state_dict (loads with torch.load(..., weights_only=True)); a JSON log beside it records the
settings and the losses, which a retrain with the same seed reproduces.
"""

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ops.instances.model import build_maskrcnn
from ops.lab.instance_scenes import InstanceScene, make_instance_scene
from ops.lab.scenes import THINGS


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 0
    iterations: int = 3000
    batch: int = 8
    lr: float = 2e-3
    weight_decay: float = 1e-4
    log_every: int = 50


def to_input(image: np.ndarray) -> torch.Tensor:
    """H×W×3 float image in 0..1 to the 3×H×W tensor Mask R-CNN takes."""
    return torch.from_numpy(np.ascontiguousarray(np.asarray(image, np.float32).transpose(2, 0, 1)))


def to_target(scene: InstanceScene) -> dict:
    """The scene's truth in torchvision's detection format (labels 1..3, boxes x1 y1 x2 y2, uint8 masks)."""
    labels = np.array([THINGS.index(int(c)) + 1 for c in scene.labels], np.int64)
    return {"boxes": torch.from_numpy(scene.boxes()).reshape(-1, 4), "labels": torch.from_numpy(labels),
            "masks": torch.from_numpy(scene.instances.astype(np.uint8))}


def batch_at(seed: int, step: int, size: int) -> tuple[list, list]:
    scenes = [make_instance_scene(seed, step * size + i, "train") for i in range(size)]
    return [to_input(s.image) for s in scenes], [to_target(s) for s in scenes]


def train(settings: TrainSettings, log=print) -> tuple[torch.nn.Module, list[dict]]:
    """The trained network (eval mode) and its loss log; torch's thread count and determinism flag are
    restored afterwards, so a test or a notebook calling this keeps its own settings."""
    threads, deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        return _train(settings, log)
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)


def _train(settings: TrainSettings, log) -> tuple[torch.nn.Module, list[dict]]:
    torch.manual_seed(settings.seed)
    model = build_maskrcnn()
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, settings.lr, total_steps=settings.iterations,
                                                   pct_start=0.1)
    history, running, start = [], {}, time.perf_counter()
    for step in range(settings.iterations):
        images, targets = batch_at(settings.seed, step, settings.batch)
        losses = model(images, targets)
        total = sum(losses.values())
        optimiser.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimiser.step()
        schedule.step()
        for name, value in losses.items():
            running[name] = running.get(name, 0.0) + value.item()
        if (step + 1) % settings.log_every == 0:
            record = {"step": step + 1, **{k: round(v / settings.log_every, 5) for k, v in running.items()},
                      "seconds": round(time.perf_counter() - start, 1)}
            history.append(record)
            log(json.dumps(record))
            running = {}
    model.eval()
    return model, history


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=TrainSettings.iterations)
    parser.add_argument("--batch", type=int, default=TrainSettings.batch)
    parser.add_argument("--lr", type=float, default=TrainSettings.lr)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    settings = TrainSettings(seed=args.seed, iterations=args.iterations, batch=args.batch, lr=args.lr)
    model, history = train(settings, log=lambda line: print(line, flush=True))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out)
    log = {"settings": asdict(settings), "torch": torch.__version__, "history": history}
    args.out.with_suffix(".json").write_text(json.dumps(log, indent=1) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
