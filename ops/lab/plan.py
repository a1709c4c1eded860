"""What a page reads from a lab training plan, wherever it trains: one base for both kinds of plan.

A plan trains one decoder (the page's single training) or several with the same budget (the comparison).
TrainingPlan (ops.lab.train) trains here, one epoch per step() once it holds a training slot; RemotePlan
(ops.lab.remote_plan) has the Ray cluster train every decoder at once and only reads what arrives. The page
calls the same few members on either and never asks which it has (ops.lab.plan_factory chooses).
"""

from ops.errors import UserFacingError


class TrainingStopped(UserFacingError):
    """An epoch failed here (out of GPU memory, an operation missing on this device): the plan stopped."""

    key = "fcn_lab.training_stopped"

    def __init__(self, error: str):
        super().__init__(self.key, error=error)


class Plan:
    """Members shared by every plan. Subclasses set dataset, settings, decoders, stopped and runs (decoder ->
    a run with history, settings, previews, finished, parameters, checkerboard()) and say when they are
    complete, finished and which run is current."""

    stops_between_epochs = False  # True: Stop acts after the epoch under way (its work is kept)

    @property
    def epochs_done(self) -> int:
        return sum(len(run.history) for run in self.runs.values())

    @property
    def epochs_total(self) -> int:
        return len(self.decoders) * self.settings.epochs

    @property
    def errors(self) -> list[UserFacingError]:
        """What went wrong, for the page to say once the plan has finished (first one first)."""
        return []

    @property
    def slots(self) -> int:
        """How many trainings this server runs at once (the number the waiting message gives)."""
        return 0

    def ahead(self) -> int | None:
        """Trainings ahead of this one while it waits for a slot; None when it may train."""
        return None

    @property
    def started(self) -> bool:
        """Something is training (the progress bar names the current run), not only waiting to."""
        return self.epochs_done > 0

    def step(self, on_batch=None):
        """Advance by one epoch where this process trains; a plan trained elsewhere only reads (None)."""
        return None

    def stop(self) -> None:
        raise NotImplementedError
