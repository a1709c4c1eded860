"""What travels between the page and the model server: a photo as .npy bytes, a segmentation as .npz.

Raw uint8 pixels (not JPEG) so the server sees exactly the pixels segment() would have seen in-process,
which is what makes the labels identical. Both directions refuse anything that is not what they expect.
"""

import io

import numpy as np

from ops.segmentation.images import MAX_PIXELS


class BadPayload(ValueError):
    """Bytes that are not a photo (request) or not a segmentation (answer)."""


def encode_photo(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(pixels, dtype=np.uint8), allow_pickle=False)
    return buffer.getvalue()


def decode_photo(data: bytes) -> np.ndarray:
    """H×W×3 uint8 pixels from encode_photo's bytes; BadPayload for anything else."""
    try:
        pixels = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as error:  # a truncated or foreign body: np.load raises several kinds
        raise BadPayload(f"not a .npy photo: {error}") from error
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 3 or 0 in pixels.shape:
        raise BadPayload(f"expected H×W×3 uint8 pixels, got {pixels.dtype} {pixels.shape}")
    if pixels.shape[0] * pixels.shape[1] > MAX_PIXELS:
        raise BadPayload(f"{pixels.shape[1]}×{pixels.shape[0]} is more than {MAX_PIXELS} pixels")
    return pixels


def encode_result(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in arrays.items() if v is not None})
    return buffer.getvalue()


def decode_result(data: bytes) -> dict:
    """The arrays of an answer (scores absent when not asked for); BadPayload when it is not one."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            result = {name: archive[name] for name in archive.files}
    except Exception as error:
        raise BadPayload(f"not a segmentation answer: {error}") from error
    missing = {"labels", "confidence", "batch_size"} - set(result)
    if missing:
        raise BadPayload(f"answer lacks {sorted(missing)}")
    return result
