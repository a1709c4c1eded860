"""The FCN lab: synthetic scenes, a small encoder–decoder FCN with six decoder choices, its training.

    from ops.lab import make_dataset, train_fcn, DECODERS
    data = make_dataset(n_train=512, n_val=128, seed=0)
    run = train_fcn(data, "bilinear", epochs=8)            # cuda > mps > cpu
    run.history[-1].val_miou, run.parameters, run.checkerboard()[0]
"""

from ops.lab.decoders import DECODERS
from ops.lab.fcn import build_fcn, count_parameters
from ops.lab.metrics import checkerboard_score, confusion_matrix, mean_iou, pixel_accuracy
from ops.lab.scenes import CLASSES, STUFF, THINGS, SceneDataset, make_dataset, make_scene
from ops.lab.train import EpochRecord, Trainer, TrainingPlan, TrainSettings, train_fcn

__all__ = ["DECODERS", "build_fcn", "count_parameters", "checkerboard_score", "confusion_matrix", "mean_iou",
           "pixel_accuracy", "CLASSES", "STUFF", "THINGS", "SceneDataset", "make_dataset", "make_scene",
           "EpochRecord", "Trainer", "TrainingPlan", "TrainSettings", "train_fcn"]
