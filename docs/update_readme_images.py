"""Refresh the pictures the README shows from the browser tests' screenshots.

    .venv/bin/python -m pytest tests/browser/test_screenshots.py   # writes screenshots/<lang>-<lesson>.png
    .venv/bin/python docs/update_readme_images.py                   # copies and shrinks them into docs/

Every image the README names is listed here, so none can go missing or stale without this script noticing.
"""

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
# README picture -> the screenshot it is made from, and the width it is shown at
IMAGES = {
    "docs/screenshot.png": ("en-home.png", 1200),
    "docs/upsampling.png": ("en-upsampling.png", 1200),
}
MAX_HEIGHT = 1500  # the top of a tall page is what a newcomer needs to see


def main() -> int:
    missing = [source for source, _ in IMAGES.values() if not (SCREENSHOTS / source).exists()]
    if missing:
        print("missing screenshots (run tests/browser/test_screenshots.py first):", ", ".join(missing))
        return 1
    for target, (source, width) in IMAGES.items():
        with Image.open(SCREENSHOTS / source) as shot:
            shot = shot.convert("RGB")
            shot = shot.crop((0, 0, shot.width, min(shot.height, int(MAX_HEIGHT * shot.width / width))))
            shot = shot.resize((width, round(shot.height * width / shot.width)), Image.LANCZOS)
            shot.save(ROOT / target, optimize=True)
        print(f"{target} <- screenshots/{source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
