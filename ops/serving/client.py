"""segment() through the model server: the photo goes to Ray Serve over HTTP, the labels come back.

Chosen by ops.segmentation.front.segment() when $PIXELWISE_SERVE_URL is set (e.g. http://127.0.0.1:8000). Each
model is its own Serve application at <url>/<model name>. Only plain HTTP from the standard library:
the app's replicas need no Ray installed. A full queue (HTTP 503) raises ModelServerBusy, an unreachable
or broken server ModelServerUnavailable; the page decides whether and when to retry.

Every wait is bounded (issue 19: a server that accepts and never answers held a photo for ~30 minutes):
connecting takes at most CONNECT_TIMEOUT_S, a whole request (send, wait, read) at most its deadline
(REQUEST_DEADLINE_S, or what is left of the photo's own deadline, ops.segmentation.photo_job), a reply may
not be larger than reply_limit() of the photo, and only http:// and https:// URLs are opened.
"""

import http.client
import json
import time
from urllib.parse import urlsplit

import numpy as np
from PIL import Image

from ops.segmentation.registry import ModelSpec
from ops.segmentation.results import Latency, Segmentation
from ops.serving.addresses import serve_url
from ops.serving.errors import ModelServerBusy, ModelServerUnavailable
from ops.serving.wire import BadPayload, decode_result, encode_photo

CONNECT_TIMEOUT_S = 3.0  # a model server on the cluster's network answers a connect in milliseconds
REQUEST_DEADLINE_S = 30.0  # one send, the server's batch on a busy CPU and the reply; longer: the page says so
TIMEOUT_S = REQUEST_DEADLINE_S  # the name earlier callers pass
ROUTES_LIMIT_BYTES = 1 << 20  # Serve's routes table is a few hundred bytes
REPLY_SLACK_BYTES = 1 << 20  # the .npz headers and the small arrays (input size, timings)
CHUNK_BYTES = 1 << 16


class _TooLarge(Exception):
    pass


def reply_limit(pixels: int, classes: int = 256, keep_scores: bool = True) -> int:
    """The most bytes a segmentation of `pixels` pixels can take: labels (≤ 8 bytes), confidence and the
    coarse map (4 + 4), the scores (4 per class) when asked for, twice over (the model's input size may be
    larger than the photo), and some slack."""
    per_pixel = 16 + (4 * classes if keep_scores else 0)
    return REPLY_SLACK_BYTES + 2 * max(1, int(pixels)) * per_pixel


def _request(url: str, method: str, body: bytes | None, headers: dict, deadline_s: float, limit: int,
             model: str) -> tuple[int, bytes]:
    """(status, body) of one HTTP request, every wait bounded: connect ≤ CONNECT_TIMEOUT_S, the whole
    exchange ≤ deadline_s, the body ≤ limit bytes. ModelServerUnavailable for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelServerUnavailable(f"{url}: only http:// and https:// model servers", model=model)
    end = time.monotonic() + deadline_s
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = kind(parts.hostname, parts.port, timeout=min(CONNECT_TIMEOUT_S, deadline_s))
    try:
        connection.connect()
        sock = connection.sock  # the response reads from it even after the connection lets go of it
        sock.settimeout(max(0.05, end - time.monotonic()))
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise _TooLarge()
        chunks, size = [], 0
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no whole answer within {deadline_s:.0f} s")
            sock.settimeout(left)
            chunk = response.read1(CHUNK_BYTES) if hasattr(response, "read1") else response.read(CHUNK_BYTES)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise _TooLarge()
            chunks.append(chunk)
        return response.status, b"".join(chunks)
    except _TooLarge:
        raise ModelServerUnavailable(f"{url}: answer larger than {limit} bytes", model=model) from None
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as error:
        raise ModelServerUnavailable(f"{url}: {error}", model=model) from error
    finally:
        connection.close()


def served_models(url: str | None = None, timeout: float = 10.0) -> list[str]:
    """The registry models the server has an application for, best first (Serve's /-/routes table)."""
    from ops.segmentation.registry import MODELS

    url = url or serve_url()
    status, body = _request(f"{url}/-/routes", "GET", None, {}, timeout, ROUTES_LIMIT_BYTES, "")
    try:
        if status != 200:
            raise ValueError(f"answered {status}")
        routes = json.loads(body)
        prefixes = [str(prefix) for prefix in routes]
    except (ValueError, TypeError) as error:
        raise ModelServerUnavailable(f"{url}/-/routes: {error}", model="") from error
    names = [prefix.strip("/") for prefix in prefixes if prefix.strip("/") in MODELS]
    return sorted(names, key=lambda name: -MODELS[name].quality)


def post_photo(url: str, model: str, pixels: np.ndarray, size: int | None = None, keep_scores: bool = False,
               timeout: float = REQUEST_DEADLINE_S, classes: int = 256) -> dict:
    """Send H×W×3 uint8 pixels to <url>/<model>; the answer's arrays (labels, confidence, coarse, ...).

    timeout: the whole request's deadline in seconds (connecting alone: at most CONNECT_TIMEOUT_S)."""
    query = f"?keep_scores={int(bool(keep_scores))}" + (f"&size={int(size)}" if size else "")
    pixel_count = max(int(pixels.shape[0]) * int(pixels.shape[1]), int(size or 0) ** 2)
    status, body = _request(f"{url}/{model}{query}", "POST", encode_photo(pixels),
                            {"Content-Type": "application/octet-stream"}, min(timeout, REQUEST_DEADLINE_S),
                            reply_limit(pixel_count, classes, keep_scores), model)
    if status == 503:
        raise ModelServerBusy(f"{url}/{model} answered 503", model=model)
    if status != 200:
        raise ModelServerUnavailable(f"{url}/{model} answered {status}", model=model)
    try:
        return decode_result(body)
    except BadPayload as error:
        raise ModelServerUnavailable(str(error), model=model) from error


def segment_remote(image: Image.Image, spec: ModelSpec, *, size: int | None = None, keep_scores: bool = True,
                   latency: Latency | None = None, url: str | None = None) -> Segmentation:
    """A Segmentation like segment()'s, computed by the model server (semantic models only)."""
    latency = latency or Latency()
    start = time.perf_counter()
    answer = post_photo(url or serve_url(), spec.name, np.asarray(image.convert("RGB")), size, keep_scores,
                        classes=len(spec.classes))
    round_trip_ms = (time.perf_counter() - start) * 1000
    latency.forward_ms = float(answer["forward_ms"]) if "forward_ms" in answer else round_trip_ms
    latency.wait_ms = max(0.0, round_trip_ms - latency.forward_ms)  # transfer + queue + batching window
    width, height = (int(v) for v in answer["input_size"])
    return Segmentation(
        labels=answer["labels"].astype(np.int64), classes=list(spec.classes), scores=answer.get("scores"),
        confidence=answer["confidence"], coarse=answer.get("coarse"), model=spec.name, task=spec.task,
        device=f"serve:{answer['device']}" if "device" in answer else "serve", image_size=tuple(image.size),
        input_size=(width, height), latency=latency)
