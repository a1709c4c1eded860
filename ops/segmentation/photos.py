"""A student's photo, from uploaded bytes to a segmentation, timed stage by stage.

The page keeps only the last result in the session and reruns often (every slider move), so a photo is
known by a digest of its bytes and the model settings: the same photo is not decoded or segmented again.
Nothing is written to disk.
"""

import hashlib
import time
from dataclasses import dataclass

import numpy as np

from ops.segmentation.front import segment
from ops.segmentation.images import decode_upload
from ops.segmentation.results import Segmentation


@dataclass(frozen=True)
class SegmentedPhoto:
    key: str  # photo_key(...) of the bytes and settings it was made from
    pixels: np.ndarray  # H×W×3 uint8, as decoded (EXIF orientation applied)
    result: Segmentation
    notes: tuple  # what decoding converted ("CMYK converted to RGB", ...)
    label: str  # where it came from: a sample's name or the uploaded file's name


def photo_key(data: bytes, model: str, device: str, half: bool) -> str:
    return f"{hashlib.sha1(data).hexdigest()}:{model}:{device}:{int(half)}"


def segment_photo(data: bytes, model, key: str, label: str) -> SegmentedPhoto:
    """Decode (BadImage with a message key when the bytes are no usable photo) and segment, timing both."""
    started = time.perf_counter()
    image = decode_upload(data)
    decode_ms = (time.perf_counter() - started) * 1000
    result = segment(image, model, keep_scores=False)
    result.latency.decode_ms = decode_ms
    return SegmentedPhoto(key, np.asarray(image), result, tuple(image.info.get("notes", [])), label)
