"""segment() through the model server: the photo goes to Ray Serve over HTTP, the labels come back.

Chosen by ops.segmentation.front.segment() when $PIXELWISE_SERVE_URL is set (e.g. http://127.0.0.1:8000). Each
model is its own Serve application at <url>/<model name>. Only plain HTTP from the standard library:
the app's replicas need no Ray installed. A full queue (HTTP 503) raises ModelServerBusy, an unreachable
or broken server ModelServerUnavailable; the page decides whether and when to retry.
"""

import http.client
import time
import urllib.error
import urllib.request

import numpy as np
from PIL import Image

from ops.segmentation.registry import ModelSpec
from ops.segmentation.results import Latency, Segmentation
from ops.serving.addresses import serve_url
from ops.serving.errors import ModelServerBusy, ModelServerUnavailable
from ops.serving.wire import BadPayload, decode_result, encode_photo

TIMEOUT_S = 60.0  # a whole batch on a busy CPU server; longer than this and the page should say so


def served_models(url: str | None = None, timeout: float = 10.0) -> list[str]:
    """The registry models the server has an application for, best first (Serve's /-/routes table)."""
    import json

    from ops.segmentation.registry import MODELS

    url = url or serve_url()
    try:
        with urllib.request.urlopen(f"{url}/-/routes", timeout=timeout) as response:
            routes = json.loads(response.read())
    except (TimeoutError, urllib.error.URLError, ConnectionError, http.client.HTTPException, ValueError) as error:
        raise ModelServerUnavailable(f"{url}/-/routes: {error}", model="") from error
    names = [prefix.strip("/") for prefix in routes if prefix.strip("/") in MODELS]
    return sorted(names, key=lambda name: -MODELS[name].quality)


def post_photo(url: str, model: str, pixels: np.ndarray, size: int | None = None, keep_scores: bool = False,
               timeout: float = TIMEOUT_S) -> dict:
    """Send H×W×3 uint8 pixels to <url>/<model>; the answer's arrays (labels, confidence, coarse, ...)."""
    query = f"?keep_scores={int(bool(keep_scores))}" + (f"&size={int(size)}" if size else "")
    request = urllib.request.Request(f"{url}/{model}{query}", data=encode_photo(pixels), method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        if error.code == 503:
            raise ModelServerBusy(f"{url}/{model} answered 503", model=model) from error
        raise ModelServerUnavailable(f"{url}/{model} answered {error.code}", model=model) from error
    except (TimeoutError, urllib.error.URLError, ConnectionError, http.client.HTTPException) as error:
        raise ModelServerUnavailable(f"{url}/{model}: {error}", model=model) from error
    try:
        return decode_result(body)
    except BadPayload as error:
        raise ModelServerUnavailable(str(error), model=model) from error


def segment_remote(image: Image.Image, spec: ModelSpec, *, size: int | None = None, keep_scores: bool = True,
                   latency: Latency | None = None, url: str | None = None) -> Segmentation:
    """A Segmentation like segment()'s, computed by the model server (semantic models only)."""
    latency = latency or Latency()
    start = time.perf_counter()
    answer = post_photo(url or serve_url(), spec.name, np.asarray(image.convert("RGB")), size, keep_scores)
    round_trip_ms = (time.perf_counter() - start) * 1000
    latency.forward_ms = float(answer["forward_ms"]) if "forward_ms" in answer else round_trip_ms
    latency.wait_ms = max(0.0, round_trip_ms - latency.forward_ms)  # transfer + queue + batching window
    width, height = (int(v) for v in answer["input_size"])
    return Segmentation(
        labels=answer["labels"].astype(np.int64), classes=list(spec.classes), scores=answer.get("scores"),
        confidence=answer["confidence"], coarse=answer.get("coarse"), model=spec.name, task=spec.task,
        device=f"serve:{answer['device']}" if "device" in answer else "serve", image_size=tuple(image.size),
        input_size=(width, height), latency=latency)
