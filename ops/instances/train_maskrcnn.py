"""Train the small Mask R-CNN on touching-things scenes, deterministically from a seed, on one CPU core.

    python -m ops.instances.train_maskrcnn --seed 0 --out ops/instances/weights/maskrcnn_scenes_seed0.pt
    python -m ops.instances.train_maskrcnn --seed 0 --out OUT --init START.pt --first-step 3000 --hard 0.5
    python -m ops.instances.train_maskrcnn --seed 0 --levels 2 --init ONE_LEVEL.pt --out OUT   # + a stride-2 level
    python -m ops.instances.train_maskrcnn --seed 0 --backbone pyramid --iterations 5000 --hard 0.25 --out OUT

Every batch is generated on the fly from (seed, "train", index), so no data set is stored and the same
seed gives the same scenes, the same initial weights and therefore the same checkpoint. `--init` starts
from an earlier checkpoint and `--first-step` continues its stream of scenes (new scenes, not the ones it
saw); `--hard` is the share of each batch drawn with every thing touching another of its own class. Every
`--save-every` steps a resume file (weights, optimiser, schedule, random state) is written beside OUT, and
`--resume` continues from it bit-identically, so a long run survives being stopped. The checkpoint is a
bare state_dict (loads with torch.load(..., weights_only=True)); a JSON log beside it records the settings
and the losses, which a retrain with the same seed reproduces.
"""

import argparse
import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch

from ops.instances.model import BACKBONES, build_maskrcnn
from ops.lab.instance_scenes import InstanceScene, make_instance_scene, recolour, render
from ops.lab.scenes import THINGS, TRIANGLE


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 0
    iterations: int = 3000
    batch: int = 8
    lr: float = 2e-3
    weight_decay: float = 1e-4
    log_every: int = 50
    first_step: int = 0  # where in the seed's stream of scenes the batches start
    hard: float = 0.0  # share of each batch with touching=1, same_class=1 (crowds of one class)
    warmup: float = 0.1  # share of the steps the one-cycle schedule spends rising
    init: str = ""  # checkpoint to start from ("" = fresh weights from the seed)
    levels: int = 1  # feature levels: 1 (stride 4) or 2 (stride 2 and 4, see model.build_maskrcnn)
    backbone: str = "small"  # "small" or "pyramid" (residual + FPN, always two levels)
    triangles: float = 0.0  # share of the crowded scenes redrawn as crowds of triangles (the class counted worst)


def to_input(image: np.ndarray) -> torch.Tensor:
    """H×W×3 float image in 0..1 to the 3×H×W tensor Mask R-CNN takes."""
    return torch.from_numpy(np.ascontiguousarray(np.asarray(image, np.float32).transpose(2, 0, 1)))


def to_target(scene: InstanceScene) -> dict:
    """The scene's truth in torchvision's detection format (labels 1..3, boxes x1 y1 x2 y2, uint8 masks)."""
    labels = np.array([THINGS.index(int(c)) + 1 for c in scene.labels], np.int64)
    return {"boxes": torch.from_numpy(scene.boxes()).reshape(-1, 4), "labels": torch.from_numpy(labels),
            "masks": torch.from_numpy(scene.instances.astype(np.uint8))}


def batch_at(seed: int, step: int, size: int, hard: float = 0.0, triangles: float = 0.0) -> tuple[list, list]:
    """The batch of `step`: its last round(hard × size) scenes are crowds (every thing touching its own class),
    and the first round(triangles × that) of those crowds are redrawn with every thing a triangle."""
    n_hard = int(round(hard * size))
    n_triangles = int(round(triangles * n_hard))
    scenes = []
    for i in range(size):
        crowd = i >= size - n_hard
        scene = make_instance_scene(seed, step * size + i, "train",
                                    **({"touching": 1.0, "same_class": 1.0} if crowd else {}))
        if crowd and i - (size - n_hard) < n_triangles:
            scene = as_triangles(scene)
        scenes.append(scene)
    return [to_input(s.image) for s in scenes], [to_target(s) for s in scenes]


def as_triangles(scene: InstanceScene) -> InstanceScene:
    """The same crowd with every thing a triangle: same places and turns, a triangle's size and colour."""
    rng = np.random.default_rng(scene.background_seed + (2,))
    shapes = [s if s.kind == TRIANGLE else
              recolour(rng, replace(s, kind=TRIANGLE, radius=s.radius * 1.25)) for s in scene.shapes]
    return render(shapes, scene.background_seed)


def init_weights(model: torch.nn.Module, path: str, log=print) -> list[str]:
    """Load a checkpoint's tensors whose names and shapes match; the rest (a two-level network's new layers
    when starting from a one-level checkpoint) keep their fresh values. Returns, and logs, the names left fresh."""
    own = model.state_dict()
    loaded = {k: v for k, v in torch.load(path, map_location="cpu", weights_only=True).items()
              if k in own and own[k].shape == v.shape}
    fresh = sorted(set(own) - set(loaded))
    model.load_state_dict(loaded, strict=False)
    if fresh:
        log(json.dumps({"init_fresh": fresh}))
    return fresh


def train(settings: TrainSettings, log=print, resume: Path | None = None,
          save_every: int = 0) -> tuple[torch.nn.Module, list[dict]]:
    """The trained network (eval mode) and its loss log; torch's thread count and determinism flag are
    restored afterwards, so a test or a notebook calling this keeps its own settings. With `resume`, the
    state is saved there every `save_every` steps and, when the file exists, training continues from it."""
    threads, deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        return _train(settings, log, resume, save_every)
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)


def _train(settings: TrainSettings, log, resume: Path | None, save_every: int) -> tuple[torch.nn.Module, list[dict]]:
    torch.manual_seed(settings.seed)
    model = build_maskrcnn(levels=settings.levels, backbone=settings.backbone)
    if settings.init:
        init_weights(model, settings.init, log)
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, settings.lr, total_steps=settings.iterations,
                                                   pct_start=settings.warmup)
    history, running, done, start = [], {}, 0, time.perf_counter()
    if resume is not None and resume.is_file():
        state = torch.load(resume, map_location="cpu", weights_only=False)
        if state["settings"] != asdict(settings):
            raise ValueError(f"{resume} was written with other settings: {state['settings']}")
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        torch.set_rng_state(state["rng"])
        history, done = state["history"], state["step"]
        log(json.dumps({"resumed_at": done}))
    for step in range(done, settings.iterations):
        images, targets = batch_at(settings.seed, settings.first_step + step, settings.batch, settings.hard,
                                   settings.triangles)
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
        if resume is not None and save_every and (step + 1) % save_every == 0 and step + 1 < settings.iterations:
            state = {"settings": asdict(settings), "model": model.state_dict(), "optimiser": optimiser.state_dict(),
                     "schedule": schedule.state_dict(), "rng": torch.get_rng_state(), "history": history,
                     "step": step + 1}
            torch.save(state, resume.with_suffix(".tmp"))
            resume.with_suffix(".tmp").replace(resume)  # never a half-written resume file
    model.eval()
    return model, history


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=TrainSettings.iterations)
    parser.add_argument("--batch", type=int, default=TrainSettings.batch)
    parser.add_argument("--lr", type=float, default=TrainSettings.lr)
    parser.add_argument("--first-step", type=int, default=0)
    parser.add_argument("--hard", type=float, default=0.0)
    parser.add_argument("--warmup", type=float, default=TrainSettings.warmup)
    parser.add_argument("--init", type=Path, default=None, help="start from a checkpoint (matching tensors only)")
    parser.add_argument("--levels", type=int, choices=(1, 2), default=1)
    parser.add_argument("--backbone", choices=BACKBONES, default="small")
    parser.add_argument("--triangles", type=float, default=0.0, help="share of the crowds drawn as triangles")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--log-every", type=int, default=TrainSettings.log_every)
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--resume", action="store_true", help="continue from OUT's .resume file if there is one")
    args = parser.parse_args(argv)
    settings = TrainSettings(seed=args.seed, iterations=args.iterations, batch=args.batch, lr=args.lr,
                             first_step=args.first_step, hard=args.hard, warmup=args.warmup, log_every=args.log_every,
                             init=str(args.init) if args.init else "",
                             levels=2 if args.backbone == "pyramid" else args.levels, backbone=args.backbone,
                             triangles=args.triangles)
    resume = args.out.with_suffix(".resume")
    if resume.is_file() and not args.resume:
        raise SystemExit(f"{resume} exists: pass --resume to continue it, or delete it to start over")
    model, history = train(settings, log=lambda line: print(line, flush=True), resume=resume,
                           save_every=args.save_every)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out)
    log = {"settings": asdict(settings), "architecture": {"levels": settings.levels, "backbone": settings.backbone},
           "torch": torch.__version__,
           "history": history}
    args.out.with_suffix(".json").write_text(json.dumps(log, indent=1) + "\n")
    resume.unlink(missing_ok=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
