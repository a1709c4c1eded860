"""Training the lab's FCN one epoch at a time, so a page can show progress and stop between epochs.

`Trainer` owns the model, the optimiser and the history; `run_epoch()` trains on the whole training
split once and then measures the validation split. A Streamlit page calls it once per script run (the
result survives in the session and a Stop button simply stops calling it); scripts and tests call
`train_fcn`, the same loop with callbacks and a stop flag. Loss: per-pixel cross-entropy.
Reproducible: weights come from the seed, and each epoch's batch order from (seed, epoch), so the same
settings give the same curve on the same device, however the epochs are spread over page reruns.
"""

import copy
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

import numpy as np
import torch
import torch.nn.functional as F

from ops.device import best_device, synchronize
from ops.lab.fcn import build_fcn, count_parameters
from ops.lab.metrics import checkerboard_score, confusion_matrix, mean_iou, pixel_accuracy
from ops.lab.plan import Plan, TrainingStopped
from ops.lab.scenes import SceneDataset, to_float
from ops.work_queue import WorkQueue


@dataclass(frozen=True)
class TrainSettings:
    decoder: str = "bilinear"
    skips: bool = True
    epochs: int = 6  # the page's default budget
    batch_size: int = 32
    learning_rate: float = 0.004
    width: int = 16
    seed: int = 0
    device: str | None = None  # None: the best available (cuda > mps > cpu)


@dataclass(frozen=True)
class EpochRecord:
    epoch: int  # 1-based
    batch_losses: tuple[float, ...]  # mean cross-entropy of each training batch
    train_loss: float  # mean over the epoch's batches
    val_loss: float
    val_miou: float
    val_accuracy: float
    seconds: float  # wall time since training started, validation included
    images_per_s: float  # training throughput of this epoch (forward + backward + step)


@dataclass
class Trainer:
    dataset: SceneDataset
    settings: TrainSettings = field(default_factory=TrainSettings)
    preview_count: int = 6  # validation images whose predictions are kept after every epoch

    def __post_init__(self):
        s = self.settings
        if s.epochs < 1 or s.batch_size < 1 or not s.learning_rate > 0:
            raise ValueError("epochs and batch size must be at least 1 and the learning rate positive")
        self.device = s.device or best_device()
        self.model = build_fcn(s.decoder, self.dataset.num_classes, skips=s.skips, width=s.width,
                               seed=s.seed).to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=s.learning_rate)
        steps = s.epochs * self.batches_per_epoch
        # cosine decay to zero over the planned budget: fast early progress, calm final epochs
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda step: 0.5 * (1 + np.cos(np.pi * min(step, steps) / steps)))
        on = self.device
        self._train = (self.dataset.train_images.to(on), self.dataset.train_masks.to(on))
        self._val = (self.dataset.val_images.to(on), self.dataset.val_masks.to(on))
        self.history: list[EpochRecord] = []
        self.previews: list[np.ndarray] = []  # per epoch: preview_count×H×W predicted classes (uint8)
        self.elapsed = 0.0

    @property
    def batches_per_epoch(self) -> int:
        return -(-len(self.dataset.train_images) // self.settings.batch_size)

    @property
    def finished(self) -> bool:
        return len(self.history) >= self.settings.epochs

    @property
    def parameters(self) -> int:
        return count_parameters(self.model)

    def run_epoch(self, on_batch: Callable[[int, int, float], None] | None = None) -> EpochRecord:
        """Train on every training image once, then validate. on_batch(done, total, loss).

        All or nothing: if anything interrupts the epoch (a page rerun raises inside on_batch), the
        model and optimiser are put back as they were, so a later call repeats the same epoch exactly.
        """
        if self.finished:
            raise RuntimeError("this run has used its whole epoch budget")
        saved = self._snapshot()
        try:
            return self._train_one_epoch(on_batch)
        except BaseException:
            self._restore(saved)
            raise

    def _snapshot(self):
        return (copy.deepcopy(self.model.state_dict()), copy.deepcopy(self.optimizer.state_dict()),
                copy.deepcopy(self.scheduler.state_dict()))

    def _restore(self, saved) -> None:
        model, optimizer, scheduler = saved
        self.model.load_state_dict(model)
        self.optimizer.load_state_dict(optimizer)
        self.scheduler.load_state_dict(scheduler)

    def _train_one_epoch(self, on_batch) -> EpochRecord:
        start = time.perf_counter()
        epoch = len(self.history) + 1
        images, masks = self._train
        order = torch.randperm(len(images), generator=torch.Generator().manual_seed(
            self.settings.seed * 100_003 + epoch)).to(self.device)
        self.model.train()
        losses = []
        total = self.batches_per_epoch
        for b in range(total):
            pick = order[b * self.settings.batch_size:(b + 1) * self.settings.batch_size]
            logits = self.model(to_float(images[pick]))
            loss = F.cross_entropy(logits, masks[pick])
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.optimizer.step()
            self.scheduler.step()
            losses.append(loss.item())  # .item() waits for the device: honest timing
            if on_batch:
                on_batch(b + 1, total, losses[-1])
        synchronize(self.device)
        train_seconds = time.perf_counter() - start
        val_loss, confusion, preview = self.evaluate()
        elapsed = self.elapsed + time.perf_counter() - start
        record = EpochRecord(epoch, tuple(losses), float(np.mean(losses)), val_loss, mean_iou(confusion),
                             pixel_accuracy(confusion), elapsed, len(images) / train_seconds)
        self.elapsed = elapsed
        self.history.append(record)
        self.previews.append(preview)
        return record

    @torch.no_grad()
    def evaluate(self, batch_size: int = 128):
        """Validation loss, confusion matrix, and the predictions for the preview images."""
        self.model.eval()
        images, masks = self._val
        k = self.dataset.num_classes
        confusion = torch.zeros(k, k, dtype=torch.long)
        loss_sum, predictions = 0.0, []
        for first in range(0, len(images), batch_size):
            logits = self.model(to_float(images[first:first + batch_size]))
            target = masks[first:first + batch_size]
            loss_sum += float(F.cross_entropy(logits, target, reduction="sum"))
            predicted = logits.argmax(1)
            confusion += confusion_matrix(predicted, target, k)
            if first < self.preview_count:
                predictions.append(predicted[:self.preview_count - first].to(torch.uint8).cpu())
        self.model.train()
        preview = torch.cat(predictions).numpy() if predictions else np.zeros((0,) + tuple(masks.shape[1:]), np.uint8)
        return loss_sum / masks.numel(), confusion, preview

    @torch.no_grad()
    def predict(self, images: torch.Tensor) -> np.ndarray:
        """Class per pixel for uint8 images N×3×H×W."""
        self.model.eval()
        labels = self.model(to_float(images.to(self.device))).argmax(1).to(torch.uint8).cpu().numpy()
        self.model.train()
        return labels

    def checkerboard(self):
        """(score, interior logits) on a flat patch of sky: see ops.lab.metrics.checkerboard_score."""
        return checkerboard_score(self.model, size=self.dataset.train_images.shape[-1], device=self.device)


def train_fcn(dataset: SceneDataset, decoder: str = "bilinear", *, settings: TrainSettings | None = None,
              on_epoch: Callable[[EpochRecord], None] | None = None,
              on_batch: Callable[[int, int, float], None] | None = None,
              should_stop: Callable[[], bool] | None = None, target_miou: float | None = None,
              **overrides) -> Trainer:
    """Train a lab FCN; stops early when should_stop() says so or validation mIoU reaches target_miou.

    Keyword overrides change single settings: train_fcn(data, "nearest", epochs=3, skips=False).
    """
    settings = replace(settings or TrainSettings(), decoder=decoder, **overrides)
    trainer = Trainer(dataset, settings)
    while not trainer.finished:
        if should_stop and should_stop():
            break
        record = trainer.run_epoch(on_batch)
        if on_epoch:
            on_epoch(record)
        if target_miou is not None and record.val_miou >= target_miou:
            break
    return trainer


@dataclass
class TrainingPlan(Plan):
    """Several runs with the same budget, trained here one after another an epoch at a time.

    A page's single training is a plan of one decoder; its comparison is a plan of all six. `step()`
    advances by one epoch so a page can draw between epochs and stop by simply not calling it again.
    Given a work queue, the plan waits for one of the server's training slots (`ahead()`), holds it across
    its epochs and gives it back when it finishes or stops.
    """

    dataset: SceneDataset
    settings: TrainSettings
    decoders: tuple[str, ...]
    stopped: bool = False
    queue: WorkQueue | None = None

    stops_between_epochs = True

    def __post_init__(self):
        if not self.decoders:
            raise ValueError("a training plan needs at least one decoder")
        self.runs: dict[str, Trainer] = {}
        self._errors: list[TrainingStopped] = []
        self.ticket = self.queue.submit("train") if self.queue is not None else None

    def _pending(self) -> str | None:
        """The first decoder whose run is not finished (or not started)."""
        for name in self.decoders:
            run = self.runs.get(name)
            if run is None or not run.finished:
                return name
        return None

    @property
    def current(self) -> Trainer | None:
        """The run that the next step() trains (created on demand), or None when all are finished."""
        name = self._pending()
        if name is not None and name not in self.runs:
            self.runs[name] = Trainer(self.dataset, replace(self.settings, decoder=name))
        return self.runs.get(name) if name is not None else None

    @property
    def complete(self) -> bool:
        """Every run used its whole budget."""
        return self._pending() is None

    @property
    def finished(self) -> bool:
        """Nothing more will be trained: complete, or stopped."""
        return self.stopped or self.complete

    @property
    def errors(self) -> list[TrainingStopped]:
        return list(self._errors)

    @property
    def slots(self) -> int:
        return self.queue.slots("train") if self.queue is not None else 0

    def ahead(self) -> int | None:
        if self.queue is None or self.finished:
            return None
        if self.ticket is None or self.ticket.over:  # dropped while nobody polled it (a tab in the background)
            self.ticket = self.queue.submit("train")
        return None if self.ticket.poll() else self.ticket.position()

    @property
    def started(self) -> bool:
        return not self.finished and self.ahead() is None

    def step(self, on_batch: Callable[[int, int, float], None] | None = None) -> EpochRecord | None:
        """Train the current run for one epoch (holding the slot: never dropped mid-epoch); None when there
        is nothing left to do or the slot is not this plan's yet. An epoch that fails stops the plan and is
        kept in `errors`."""
        run = None if self.stopped or self.ahead() is not None else self.current
        if run is None:
            return None
        try:
            with self.ticket.working() if self.ticket is not None else nullcontext():
                record = run.run_epoch(on_batch)
        except (RuntimeError, ValueError) as error:  # e.g. out of GPU memory, or an op missing on MPS
            self._errors.append(TrainingStopped(error=str(error)))
            self.stop()
            return None
        if self.finished:
            self._give_back()  # the slot goes to the next student in line
        return record

    def stop(self) -> None:
        self.stopped = True
        self._give_back()

    def _give_back(self) -> None:
        if self.ticket is not None:
            self.ticket.cancel()
            self.ticket = None
