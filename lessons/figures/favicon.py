"""The app's icon, drawn here: a 4×4 grid of labelled pixels in the palette's class colours.

Why not a Material icon or an emoji as page_icon: the browser then fetches the icon from a font CDN, and a
class on a LAN without internet (or a strict firewall) would see a request fail on every page. An image is
served by the app itself.
"""

from functools import cache

from PIL import Image, ImageDraw

from lessons.figures.palette import OKABE_ITO, hex_to_rgb

LABELS = ((2, 2, 2, 2), (2, 1, 1, 2), (3, 1, 1, 3), (3, 3, 3, 3))  # sky, a cow, grass: the lecture's picture


@cache
def favicon(size: int = 64) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    cell, gap = size // 4, max(1, size // 32)
    for r, row in enumerate(LABELS):
        for c, label in enumerate(row):
            box = (c * cell + gap, r * cell + gap, (c + 1) * cell - gap - 1, (r + 1) * cell - gap - 1)
            draw.rectangle(box, fill=(*hex_to_rgb(OKABE_ITO[[5, 1, 2, 3][label]]), 255))
    return image


@cache
def data_url(size: int = 64) -> str:
    """The icon as a data: URL. Why: an image page_icon is a media file that the browser fetched again after
    every script run (one HTTP request per debounced push of every student); a data: URL costs no request."""
    import base64
    import io

    buffer = io.BytesIO()
    favicon(size).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
