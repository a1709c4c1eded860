"""segment(): the one front that decides where a photo is segmented, in this process or on the model server.

With $PIXELWISE_SERVE_URL set, a semantic model runs on the model server (ops.serving.client); instance
models and an already loaded model always run here (ops.segmentation.pipeline). Both build the same
Segmentation (ops.segmentation.results), so callers never know which one answered.
"""

from ops.segmentation.pipeline import SCORE_THRESHOLD, LoadedModel, decode_timed, segment_in_process
from ops.segmentation.registry import ModelSpec, spec_for
from ops.segmentation.results import Latency, Segmentation
from ops.serving.addresses import serve_url
from ops.serving.client import segment_remote, served_models


def remote_spec(model=None) -> ModelSpec | None:
    """The model the server should run for `model` (a name, a spec, a LoadedModel or None), or None: run here.

    With no model named, the server's best model is asked for (an HTTP call): ModelServerUnavailable when
    the server cannot be reached."""
    if isinstance(model, LoadedModel) or not serve_url():
        return None
    spec = spec_for(model if model is not None else (served_models() or [None])[0])
    return spec if spec.task == "semantic" else None  # instance models stay in-process


def segment(image, model=None, device: str | None = None, *, size: int | None = None, half: bool = False,
            keep_scores: bool = True, score_threshold: float = SCORE_THRESHOLD) -> Segmentation:
    """Label every pixel of a photo, here or on the model server (see segment_in_process for the arguments).

    On the model server device and half are the server's; it may raise ModelServerBusy/Unavailable.
    """
    spec = remote_spec(model)
    if spec is None:
        return segment_in_process(image, model, device, size=size, half=half, keep_scores=keep_scores,
                                  score_threshold=score_threshold)
    latency = Latency()
    image = decode_timed(image, latency)
    return segment_remote(image, spec, size=size, keep_scores=keep_scores, latency=latency)
