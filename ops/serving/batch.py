"""One forward pass for a batch of photos: the model server's work, with the same code as segment().

Photos whose network input has the same shape are stacked into one tensor (ESPNetv2's square input:
always one stack); each result is then built by the pipeline's own postprocessing, so a photo's labels
are the ones segment() gives in-process. No Ray here: tests and the bench call it directly too.
"""

import time

import numpy as np
import torch
from PIL import Image

from ops.device import synchronize
from ops.segmentation.pipeline import LoadedModel, forward, preprocess, semantic_result


def segment_batch(loaded: LoadedModel, photos: list[np.ndarray], sizes: list[int | None] | None = None,
                  keep_scores: list[bool] | None = None) -> list[dict]:
    """For each H×W×3 uint8 photo: labels, confidence, coarse (and scores), batch size, forward ms."""
    if loaded.spec.task != "semantic":
        raise ValueError(f"{loaded.spec.name} is a {loaded.spec.task} model; the server batches semantic ones")
    sizes = sizes or [None] * len(photos)
    keep_scores = keep_scores or [False] * len(photos)
    images = [Image.fromarray(p, "RGB") for p in photos]
    inputs = [preprocess(loaded.spec, image, size) for image, size in zip(images, sizes)]
    groups: dict[tuple, list[int]] = {}
    for index, x in enumerate(inputs):
        groups.setdefault(tuple(x.shape), []).append(index)
    answers: list[dict | None] = [None] * len(photos)
    for members in groups.values():
        x = torch.cat([inputs[i] for i in members]).to(loaded.device, dtype=loaded.dtype)
        start = time.perf_counter()
        with loaded.lock, torch.inference_mode():
            logits, coarse = forward(loaded, x)
            synchronize(loaded.device)
        forward_ms = (time.perf_counter() - start) * 1000
        for row, i in enumerate(members):
            result = semantic_result(loaded.spec, (logits[row:row + 1], coarse[row:row + 1]), images[i].size,
                                      keep_scores[i])
            answers[i] = {"labels": result.labels.astype(np.uint8 if len(result.classes) <= 256 else np.int64),
                          "confidence": result.confidence, "coarse": result.coarse, "scores": result.scores,
                          "input_size": np.array(result.input_size), "batch_size": len(members),
                          "forward_ms": forward_ms, "device": loaded.device}
    return answers
