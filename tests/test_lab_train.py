"""Training the lab FCN on CPU: it learns, it is reproducible, it stops when asked."""

import numpy as np
import pytest
import torch

from ops.lab import DECODERS, Trainer, TrainingPlan, TrainSettings, make_dataset, train_fcn
from ops.lab.metrics import confusion_matrix, mean_iou

DATA = make_dataset(n_train=96, n_val=24, seed=0)
TINY = TrainSettings(epochs=2, batch_size=16, width=8, device="cpu")


@pytest.fixture(scope="module")
def trained():
    return train_fcn(DATA, "bilinear", epochs=4, batch_size=16, learning_rate=0.006, device="cpu")


def test_a_short_run_lowers_the_loss_and_beats_chance_by_far(trained):
    first, last = trained.history[0], trained.history[-1]
    assert last.train_loss < 0.6 * first.batch_losses[0]
    assert last.val_loss < first.val_loss
    # chance: the best constant answer (the most common class everywhere)
    majority = torch.full_like(DATA.val_masks, int(DATA.train_masks.flatten().mode().values))
    chance = mean_iou(confusion_matrix(majority, DATA.val_masks, DATA.num_classes))
    assert chance < 0.15 and last.val_miou > 0.6 > 4 * chance


def test_reported_scores_are_those_of_the_models_own_predictions(trained):
    predicted = trained.predict(DATA.val_images)
    confusion = confusion_matrix(torch.from_numpy(predicted), DATA.val_masks, DATA.num_classes)
    assert mean_iou(confusion) == pytest.approx(trained.history[-1].val_miou)
    assert np.array_equal(trained.previews[-1], predicted[:trained.preview_count])


def test_same_settings_give_the_same_curve():
    a = train_fcn(DATA, "transposed_k3s2", settings=TINY)
    b = train_fcn(DATA, "transposed_k3s2", settings=TINY)
    assert [r.batch_losses for r in a.history] == [r.batch_losses for r in b.history]
    assert [r.val_miou for r in a.history] == [r.val_miou for r in b.history]
    c = train_fcn(DATA, "transposed_k3s2", settings=TINY, seed=1)
    assert c.history[0].batch_losses != a.history[0].batch_losses


def test_an_interrupted_epoch_is_rolled_back_and_repeats_exactly():
    """A page rerun can interrupt an epoch midway (inside on_batch); the next call must not notice."""
    reference = Trainer(DATA, TINY)
    reference.run_epoch()

    class Interrupted(Exception):
        pass

    def interrupt(done, total, loss):
        if done == 3:
            raise Interrupted

    trainer = Trainer(DATA, TINY)
    with pytest.raises(Interrupted):
        trainer.run_epoch(interrupt)
    assert trainer.history == []
    record = trainer.run_epoch()
    assert record.batch_losses == reference.history[0].batch_losses
    assert record.val_miou == reference.history[0].val_miou


def test_should_stop_and_target_miou_end_training_early():
    calls = []
    run = train_fcn(DATA, "nearest", settings=TINY, epochs=5, on_epoch=calls.append,
                    should_stop=lambda: len(calls) >= 1)
    assert len(run.history) == 1 and calls == run.history and not run.finished
    run = train_fcn(DATA, "nearest", settings=TINY, epochs=5, target_miou=0.0)
    assert len(run.history) == 1


def test_on_batch_reports_every_batch():
    seen = []
    Trainer(DATA, TINY).run_epoch(lambda done, total, loss: seen.append((done, total)))
    assert seen == [(i, 6) for i in range(1, 7)]  # 96 images in batches of 16


def test_a_plan_trains_every_decoder_with_the_same_budget_and_matches_single_runs():
    plan = TrainingPlan(DATA, TrainSettings(epochs=1, batch_size=32, width=8, device="cpu"), tuple(DECODERS))
    steps = 0
    while not plan.finished:
        plan.step()
        steps += 1
    assert steps == plan.epochs_total == plan.epochs_done == len(DECODERS)
    assert plan.step() is None and plan.complete
    alone = train_fcn(DATA, "max_unpool", settings=plan.settings)
    assert plan.runs["max_unpool"].history[0].batch_losses == alone.history[0].batch_losses


def test_a_stopped_plan_keeps_what_it_trained():
    plan = TrainingPlan(DATA, TINY, ("nearest", "bilinear"))
    plan.step()
    plan.stop()
    assert plan.finished and not plan.complete and plan.step() is None
    assert plan.epochs_done == 1 and len(plan.runs["nearest"].history) == 1
    assert "bilinear" not in plan.runs, "a stopped plan starts nothing new"


def test_impossible_settings_are_refused():
    with pytest.raises(ValueError):
        Trainer(DATA, TrainSettings(epochs=0, device="cpu"))
    with pytest.raises(ValueError):
        TrainingPlan(DATA, TINY, ())
