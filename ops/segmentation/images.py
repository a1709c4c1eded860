"""Turn whatever a student uploads into a safe RGB photo for the model, or a clear message why not.

Everything happens in memory: the upload's bytes are read through BytesIO and never written to disk.
The pixel count is checked from the file header BEFORE any pixel is decoded, so a small file that
claims to be 100 000 × 100 000 pixels (a decompression bomb) is refused without using the memory.
"""

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ops.errors import UserFacingError

MAX_SIDE = 1024  # the model sees at most this many pixels along the longer side
MAX_PIXELS = 50_000_000  # refuse files that would decode to more pixels than this (a 50-megapixel photo)
MAX_FILE_SIDE = 20_000  # refuse absurd sides even when the pixel count is small (1 × 20 000 000 strips)
MIN_SIDE = 16  # smaller than this there is nothing to segment
MAX_ASPECT = 10  # longer side / shorter side
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "BMP": "BMP", "TIFF": "TIFF", "GIF": "GIF",
           "MPO": "JPEG"}  # MPO: phones' multi-picture JPEG; the first picture is an ordinary JPEG
EXTENSIONS = ["jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif"]


class BadImage(UserFacingError, ValueError):
    """An upload we cannot use; its message key (image.*) says why in words a student understands."""


def _open(data: bytes) -> Image.Image:
    if not data:
        raise BadImage("image.empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage("image.bomb", max_megapixels=MAX_PIXELS / 1e6) from None
    except UnidentifiedImageError:
        raise BadImage("image.not_an_image") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise BadImage("image.unreadable", error=str(error)) from None
    if image.format not in FORMATS:
        raise BadImage("image.unsupported_format", format=str(image.format))
    return image


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise BadImage("image.too_many_pixels", width=width, height=height, megapixels=width * height / 1e6,
                       max_megapixels=MAX_PIXELS / 1e6)
    if max(width, height) > MAX_FILE_SIDE:
        raise BadImage("image.side_too_long", width=width, height=height, max_side=MAX_FILE_SIDE)
    if min(width, height) < MIN_SIDE:
        raise BadImage("image.too_small", width=width, height=height, min_side=MIN_SIDE)
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise BadImage("image.too_thin", width=width, height=height, max_aspect=MAX_ASPECT)


def _to_rgb(image: Image.Image, notes: list) -> Image.Image:
    """Any Pillow mode as 8-bit RGB: deep images rescaled, transparency flattened onto white."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        if mode.startswith("I;16") or (mode == "I" and values.max(initial=0) > 255):
            top = 65535.0 if values.max(initial=0) > 255 else 255.0
            notes.append(("image_note.scaled_16_bit", {}))
        else:
            top = max(float(values.max(initial=0)), 1e-12) if mode == "F" else 255.0
            if mode == "F":
                notes.append(("image_note.scaled_float", {}))
        grey = np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey).convert("RGB")
    if mode == "CMYK":
        notes.append(("image_note.cmyk", {}))
        return image.convert("RGB")
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if has_alpha:
        notes.append(("image_note.transparent", {}))
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode in ("L", "1"):
        notes.append(("image_note.greyscale", {}))
    return image.convert("RGB") if mode != "RGB" else image


def _finish(image: Image.Image, max_side: int, notes: list, original=None) -> Image.Image:
    """EXIF orientation, RGB conversion and downscaling, for an image whose size was already checked."""
    original = original or image.size
    try:
        orientation = image.getexif().get(0x0112, 1)
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block must not lose the photo  # noqa: BLE001
        orientation, upright = 1, image
    if orientation not in (1, None):
        notes.append(("image_note.exif_upright", {}))
        if orientation in (5, 6, 7, 8):  # a quarter turn swaps width and height
            original = (original[1], original[0])
    rgb = _to_rgb(upright, notes)
    if max(rgb.size) > max_side:
        scale = max_side / max(rgb.size)
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.LANCZOS)
        notes.append(("image_note.downscaled", {"width": original[0], "height": original[1],
                                                "new_width": size[0], "new_height": size[1]}))
    rgb.info = {"notes": notes, "original_size": original}
    return rgb


def decode_upload(data: bytes, max_side: int = MAX_SIDE) -> Image.Image:
    """Uploaded bytes -> an RGB PIL image whose longer side is at most `max_side`.

    Accepts JPEG, PNG, WebP, BMP, TIFF and GIF (first frame of an animation); respects EXIF orientation;
    converts 16-bit, CMYK, palette, greyscale and transparent images. Raises BadImage with a clear message
    for empty, truncated, non-image, oversized (checked before decoding) or degenerate files. The result's
    `info` holds "notes" (what was converted, for the page: (message key, params) pairs of
    lessons/<lang>/messages.po) and "original_size" (width, height).
    """
    image = _open(data)
    notes: list[tuple[str, dict]] = []
    _check_size(*image.size)
    frames = getattr(image, "n_frames", 1)
    if frames > 1:
        image.seek(0)
        notes.append(("image_note.first_frame", {"frames": frames}))
    original = image.size
    if image.format in ("JPEG", "MPO") and max(image.size) > 2 * max_side:
        image.draft("RGB", (max_side, max_side))  # decode at 1/2, 1/4 or 1/8 scale: faster, less memory
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise BadImage("image.truncated", error=str(error)) from None
    except MemoryError:
        raise BadImage("image.out_of_memory") from None
    return _finish(image, max_side, notes, original)


def load_image(source, max_side: int = MAX_SIDE) -> Image.Image:
    """A path, bytes, PIL image or H×W×3 uint8 array as the same safe RGB image as decode_upload."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return decode_upload(bytes(source), max_side)
    if isinstance(source, np.ndarray):
        array = source
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        if array.ndim != 3 or array.shape[2] not in (3, 4):
            raise BadImage("image.array_shape", shape="×".join(map(str, array.shape)))
        if array.dtype != np.uint8:
            finite = np.nan_to_num(array.astype(np.float64), nan=0.0, posinf=1.0, neginf=0.0)
            scale = 255.0 if finite.max(initial=0) <= 1.0 else 1.0
            array = np.clip(finite * scale + 0.5, 0, 255).astype(np.uint8)
        source = Image.fromarray(array)
    if isinstance(source, Image.Image):
        _check_size(*source.size)
        notes: list[tuple[str, dict]] = []
        if getattr(source, "n_frames", 1) > 1:
            source.seek(0)
        return _finish(source, max_side, notes)
    with open(source, "rb") as file:  # a path
        return decode_upload(file.read(), max_side)
