"""A Plan whose runs train on the Ray cluster (ops.serving.lab_remote), for the FCN lab page.

The page draws it through ops.lab.plan.Plan's members, as it draws an in-process TrainingPlan. Here every
decoder's training is submitted at once (the cluster schedules them), epochs arrive as the tasks stream
them, and `stop()` cancels the tasks. No Ray import here: `submit` is passed in.
"""

from dataclasses import dataclass, field, replace

from ops.lab.fcn import build_fcn
from ops.lab.metrics import checkerboard_score
from ops.lab.plan import Plan
from ops.lab.scenes import SceneDataset
from ops.lab.train import TrainSettings


@dataclass
class RemoteRun:
    """One decoder's training on the cluster, read like a Trainer."""

    remote: object  # ops.serving.lab_remote.RemoteTraining (or anything with records/result/error/finished/cancel)
    settings: TrainSettings
    dataset: SceneDataset
    _model: object = field(default=None, repr=False)

    @property
    def history(self) -> list:
        return list(self.remote.records)

    @property
    def finished(self) -> bool:
        return self.remote.finished

    @property
    def error(self):
        return self.remote.error

    @property
    def previews(self) -> list:
        return list(self.remote.result["previews"]) if self.remote.result else []

    @property
    def parameters(self) -> int:
        return int(self.remote.result["parameters"]) if self.remote.result else 0

    def model(self):
        """The trained network, rebuilt here from the weights the task sent back (CPU)."""
        if self._model is None and self.remote.result:
            s = self.settings
            model = build_fcn(s.decoder, self.dataset.num_classes, skips=s.skips, width=s.width)
            model.load_state_dict(self.remote.result["state_dict"])
            self._model = model.eval()
        return self._model

    def checkerboard(self):
        return checkerboard_score(self.model(), size=self.dataset.train_images.shape[-1], device="cpu")


@dataclass
class RemotePlan(Plan):
    dataset: SceneDataset
    settings: TrainSettings
    decoders: tuple[str, ...]
    submit: object  # submit_training(settings, n_train=, n_val=, data_seed=) -> RemoteTraining
    data_seed: int = 0
    stopped: bool = False

    def __post_init__(self):
        if not self.decoders:
            raise ValueError("a training plan needs at least one decoder")
        n_train, n_val = len(self.dataset.train_images), len(self.dataset.val_images)
        self.runs: dict[str, RemoteRun] = {}
        for name in self.decoders:
            settings = replace(self.settings, decoder=name, device="cpu")
            remote = self.submit(settings, n_train=n_train, n_val=n_val, data_seed=self.data_seed)
            self.runs[name] = RemoteRun(remote, settings, self.dataset)

    @property
    def errors(self) -> list:
        return [run.error for run in self.runs.values() if run.error is not None]

    @property
    def complete(self) -> bool:
        return all(run.finished and run.error is None and len(run.history) == run.settings.epochs
                   for run in self.runs.values())

    @property
    def finished(self) -> bool:
        return self.stopped or all(run.finished for run in self.runs.values())

    @property
    def current(self) -> RemoteRun | None:
        """The first run still training (for the progress text), or None."""
        return next((run for run in self.runs.values() if not run.finished), None)

    def stop(self) -> None:
        """Cancel every task still running; what arrived stays."""
        self.stopped = True
        for run in self.runs.values():
            if not run.finished:
                run.remote.cancel()
