"""A lab training as a Ray task: epochs streamed back as they finish, cancellable from the page.

With $PIXELWISE_RAY_ADDRESS set, the FCN lab can hand its training to the cluster instead of the
Streamlit process. The task is a generator (an ObjectRefGenerator): it yields each EpochRecord as soon
as the epoch ends, then the trained weights. A daemon thread in the app drains it into `records`, so a
page rerun only reads what has arrived; `cancel()` is ray.cancel on the generator.

    training = submit_training(TrainSettings(decoder="bilinear", epochs=6), n_train=512, n_val=128)
    training.records[-1].val_miou; training.finished; training.cancel()
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

import ray

from ops.lab.train import EpochRecord, TrainSettings
from ops.serving.addresses import ray_address
from ops.serving.errors import RemoteTrainingCancelled, ServingError

ROOT = Path(__file__).resolve().parents[2]


def connect(address: str | None = None) -> None:
    """Join the Ray cluster at `address` (default $PIXELWISE_RAY_ADDRESS) once per process."""
    if not ray.is_initialized():
        ray.init(address=address or ray_address(), namespace="pixelwise", log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})


@ray.remote(num_returns="streaming", num_cpus=1, max_retries=0)
def _train(settings: TrainSettings, n_train: int, n_val: int, data_seed: int, threads: int):
    import torch

    from ops.lab.scenes import make_dataset
    from ops.lab.train import Trainer

    torch.set_num_threads(threads)
    trainer = Trainer(make_dataset(n_train=n_train, n_val=n_val, seed=data_seed), settings)
    while not trainer.finished:
        yield trainer.run_epoch()
    state = {k: v.detach().cpu() for k, v in trainer.model.state_dict().items()}
    yield {"state_dict": state, "previews": trainer.previews, "parameters": trainer.parameters}


@dataclass
class RemoteTraining:
    """What the page keeps in its session: the records so far, the end result, or the error."""

    generator: object
    records: list[EpochRecord] = field(default_factory=list)
    result: dict | None = None
    error: ServingError | None = None

    def __post_init__(self):
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        try:
            for ref in self.generator:
                item = ray.get(ref)
                if isinstance(item, EpochRecord):
                    self.records.append(item)
                else:
                    self.result = item
        except (ray.exceptions.TaskCancelledError, ray.exceptions.RayTaskError) as error:
            cancelled = isinstance(error, ray.exceptions.TaskCancelledError) or "KeyboardInterrupt" in str(error)
            self.error = RemoteTrainingCancelled(str(error)) if cancelled else ServingError(str(error))
        except ray.exceptions.RayError as error:
            self.error = ServingError(str(error))

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the training ends (tests, scripts); True when it has."""
        self._thread.join(timeout)
        return self.finished

    def cancel(self) -> None:
        ray.cancel(self.generator)


def submit_training(settings: TrainSettings, n_train: int = 512, n_val: int = 128, data_seed: int = 0,
                    threads: int = 1, address: str | None = None) -> RemoteTraining:
    """Start a lab training on the cluster; the data set is made there from its seed (nothing to upload)."""
    connect(address)
    return RemoteTraining(_train.remote(settings, n_train, n_val, data_seed, threads))
