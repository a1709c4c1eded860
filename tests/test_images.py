"""Uploads: every kind of bad or unusual file gets a clear BadImage message or a correct RGB conversion.

All files are built in memory; nothing is read from or written to disk.
"""

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from ops.segmentation.images import MAX_SIDE, BadImage, decode_upload, load_image
from tests.english import english


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims width × height pixels (its pixel data is a few bytes): a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def photo(width=64, height=48) -> Image.Image:
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 // (width - 1), y * 255 // (height - 1), np.full_like(x, 90)], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))


def test_zero_bytes():
    with pytest.raises(BadImage) as error:
        decode_upload(b"")
    assert "empty" in english(error.value)


def test_text_is_not_an_image():
    with pytest.raises(BadImage) as error:
        decode_upload(b"name,value\ncow,3\n")
    assert "not an image" in english(error.value)


def test_truncated_jpeg():
    data = encode(photo(256, 256), "JPEG", quality=95)
    with pytest.raises(BadImage) as error:
        decode_upload(data[: len(data) // 2])
    assert "truncated" in english(error.value)


def test_decompression_bomb_is_refused_before_any_pixel_is_decoded(monkeypatch):
    def must_not_decode(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)
    data = png_header_only(60_000, 60_000)
    assert len(data) < 200
    with pytest.raises(BadImage) as error:
        decode_upload(data)
    assert "refused before decoding" in english(error.value)


def test_too_many_pixels_names_the_size_with_its_numbers_formatted_by_the_catalog():
    with pytest.raises(BadImage) as error:
        decode_upload(png_header_only(8000, 7000))  # 56 megapixels: under Pillow's bomb limit, over ours
    assert error.value.key == "image.too_many_pixels" and error.value.params["megapixels"] == 56.0
    assert english(error.value).startswith("The image is 8000 × 7000 pixels (56 megapixels), more than the 50 ")


def test_huge_side_with_few_pixels():
    with pytest.raises(BadImage) as error:
        decode_upload(png_header_only(25_000, 16))
    assert "side longer" in english(error.value)


def test_too_small_and_too_thin():
    with pytest.raises(BadImage) as error:
        decode_upload(encode(photo(8, 8), "PNG"))
    assert "at least 16" in english(error.value)
    with pytest.raises(BadImage) as error:
        decode_upload(encode(Image.new("RGB", (2000, 100)), "PNG"))
    assert "10 times" in english(error.value)


def test_unsupported_format():
    with pytest.raises(BadImage) as error:
        decode_upload(encode(photo(), "PPM"))
    assert "not supported" in english(error.value)


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "TIFF", "WEBP"])
def test_lossless_formats_round_trip(fmt):
    original = photo()
    options = {"lossless": True} if fmt == "WEBP" else {}
    decoded = decode_upload(encode(original, fmt, **options))
    assert decoded.mode == "RGB" and decoded.size == original.size
    assert np.array_equal(np.asarray(decoded), np.asarray(original))


def test_jpeg_close_to_original():
    decoded = decode_upload(encode(photo(), "JPEG", quality=95))
    assert np.abs(np.asarray(decoded, dtype=int) - np.asarray(photo(), dtype=int)).mean() < 3


def test_sixteen_bit_is_scaled_not_clipped():
    ramp = np.linspace(0, 65535, 64 * 32).reshape(32, 64).astype(np.uint16)
    decoded = decode_upload(encode(Image.fromarray(ramp), "PNG"))
    values = np.asarray(decoded)
    assert values.shape == (32, 64, 3)
    assert values[0, 0, 0] == 0 and values[-1, -1, 0] == 255
    assert abs(int(values[16, 0, 0]) - 128) <= 2  # the middle of the ramp is mid-grey, not white
    assert "16-bit" in " ".join(map(english, decoded.info["notes"]))


def test_cmyk_red_becomes_rgb_red():
    cmyk = Image.new("CMYK", (32, 32), (0, 255, 255, 0))
    decoded = np.asarray(decode_upload(encode(cmyk, "JPEG", quality=95)), dtype=int)
    assert decoded[16, 16, 0] > 200 and decoded[16, 16, 1] < 60 and decoded[16, 16, 2] < 60


def test_palette_keeps_its_colours():
    original = photo().convert("P", palette=Image.ADAPTIVE, colors=16)
    decoded = decode_upload(encode(original, "PNG"))
    assert np.array_equal(np.asarray(decoded), np.asarray(original.convert("RGB")))


def test_transparent_pixels_become_white():
    rgba = np.zeros((32, 32, 4), dtype=np.uint8)
    rgba[:, :16] = (200, 10, 10, 255)  # opaque red on the left, fully transparent on the right
    decoded = np.asarray(decode_upload(encode(Image.fromarray(rgba, "RGBA"), "PNG")))
    assert tuple(decoded[5, 5]) == (200, 10, 10)
    assert tuple(decoded[5, 25]) == (255, 255, 255)


def test_palette_with_transparency():
    palette = Image.new("P", (32, 32), 1)
    palette.putpalette([0, 0, 0, 0, 120, 0] + [0] * 762)
    palette.paste(0, (0, 0, 16, 32))
    decoded = np.asarray(decode_upload(encode(palette, "PNG", transparency=0)))
    assert tuple(decoded[5, 5]) == (255, 255, 255) and tuple(decoded[5, 25]) == (0, 120, 0)


def test_greyscale_becomes_three_equal_channels():
    grey = Image.fromarray(np.arange(32 * 32, dtype=np.uint8).reshape(32, 32) % 200)
    decoded = np.asarray(decode_upload(encode(grey, "PNG")))
    assert decoded.shape == (32, 32, 3)
    assert np.array_equal(decoded[..., 0], decoded[..., 2]) and np.array_equal(decoded[..., 0], np.asarray(grey))


def test_animated_gif_uses_the_first_frame():
    frames = [Image.new("RGB", (32, 32), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    decoded = decode_upload(data)
    assert tuple(np.asarray(decoded)[10, 10]) == (255, 0, 0)
    assert "first frame of 3" in map(english, decoded.info["notes"])


def test_exif_orientation_turns_the_photo_upright():
    sideways = np.zeros((40, 80, 3), dtype=np.uint8)
    sideways[:, :40] = (255, 0, 0)  # red on the left, blue on the right
    sideways[:, 40:] = (0, 0, 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    decoded = decode_upload(encode(Image.fromarray(sideways), "JPEG", quality=95, exif=exif))
    assert decoded.size == (40, 80) and decoded.info["original_size"] == (40, 80)  # now portrait
    top, bottom = np.asarray(decoded, dtype=int)[5, 20], np.asarray(decoded, dtype=int)[75, 20]
    assert top[0] > 200 and top[2] < 60  # the left (red) half is on top after a clockwise turn
    assert bottom[2] > 200 and bottom[0] < 60


def test_large_photos_are_downscaled_to_the_max_side():
    decoded = decode_upload(encode(photo(3000, 1500), "JPEG"))
    assert decoded.size == (MAX_SIDE, MAX_SIDE // 2)
    assert decoded.info["original_size"] == (3000, 1500)
    assert decode_upload(encode(photo(300, 200), "PNG"), max_side=100).size == (100, 67)
    big = decode_upload(encode(photo(4000, 3000), "JPEG"))  # decoded at reduced scale (JPEG draft), then resized
    assert big.size == (1024, 768) and big.info["original_size"] == (4000, 3000)
    assert "from 4000 × 3000" in english(big.info["notes"][-1])


def test_load_image_accepts_arrays_and_pil_images():
    assert load_image(np.zeros((20, 30, 3), dtype=np.uint8)).size == (30, 20)
    assert load_image(np.ones((20, 30), dtype=np.float32)).getpixel((0, 0)) == (255, 255, 255)
    assert load_image(photo().convert("L")).mode == "RGB"
    with pytest.raises(BadImage):
        load_image(np.zeros((4, 4, 7)))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise_anything_but_bad_image(data):
    try:
        image = decode_upload(data)
    except BadImage as error:
        assert english(error)
    else:
        assert image.mode == "RGB"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 400), st.sampled_from(["PNG", "JPEG", "GIF", "BMP", "WEBP"]))
def test_any_truncation_of_a_real_file_gives_an_image_or_a_message(cut, fmt):
    data = encode(photo(), fmt)
    try:
        image = decode_upload(data[: min(cut, len(data))])
    except BadImage as error:
        assert english(error)
    else:
        assert image.mode == "RGB" and image.size == (64, 48)
