"""make_plan(): the one place that decides where a lab training runs, here or on the Ray cluster.

With $PIXELWISE_RAY_ADDRESS set every decoder's training becomes a Ray task (ops.serving.lab_remote, which
imports Ray, so only then); otherwise the plan trains in this process once it holds one of the server's
training slots (ops.work_queue: never more trainings at once than the cores allow).
"""

from ops import work_queue
from ops.lab.plan import Plan
from ops.lab.remote_plan import RemotePlan
from ops.lab.scenes import SceneDataset
from ops.lab.train import TrainingPlan, TrainSettings
from ops.serving.addresses import ray_address


def make_plan(dataset: SceneDataset, settings: TrainSettings, decoders: tuple[str, ...], data_seed: int = 0,
              queue: work_queue.WorkQueue | None = None) -> Plan:
    """A plan for `decoders` with the same settings; data_seed remakes the data set on the cluster.

    Raises ValueError for impossible settings, and on the cluster RuntimeError/ConnectionError when Ray
    cannot be joined."""
    if ray_address():
        from ops.serving.lab_remote import submit_training

        return RemotePlan(dataset, settings, decoders, submit_training, data_seed=data_seed)
    return TrainingPlan(dataset, settings, decoders, queue=queue or work_queue.QUEUE)
