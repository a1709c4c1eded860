"""Take a tall screenshot of every lesson in every language, and refresh the pictures the README shows.

    .venv/bin/python docs/update_readme_images.py            # screenshots/<lang>-<lesson>[-phone].png, docs/*.png
    .venv/bin/python docs/update_readme_images.py --readme   # only the pages the README shows

It starts the app with the README's command (harness/local_server.py) and drives Debian's Chromium
(harness/chromium.py), so the pictures are what a visitor sees. The suite does not take these pictures:
every page is opened by tests/browser/test_every_page.py; looking at them is a person's job. Each lesson is
taken at desktop width (1400 px) and at a phone's (390 px, `-phone`), in every language.
Every image the README names is listed here, so none can go missing or stale without this script noticing.
"""

import argparse
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.chromium import SCREENSHOTS, assert_no_exception, launch, screenshot, settle, tall_screenshot  # noqa: E402
from harness.local_server import serve  # noqa: E402
from lessons.catalog import LESSONS  # noqa: E402
from lessons.i18n import languages  # noqa: E402

# README picture -> the screenshot it is made from, and the width it is shown at
IMAGES = {
    "docs/screenshot.png": ("en-home.png", 1200),
    "docs/upsampling.png": ("en-upsampling.png", 1200),
}
MAX_HEIGHT = 1500  # the top of a tall page is what a newcomer needs to see


def take_screenshots(names: set[str] | None = None) -> list[Path]:
    """Tall screenshots of the lessons (all, or those whose '<lang>-<slug>' is in `names`)."""
    from playwright.sync_api import sync_playwright

    taken = []
    with serve(start_timeout=90) as (url, _), sync_playwright() as pw:
        browser = launch(pw)
        desktop = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
        for lang in languages():
            for lesson in LESSONS:
                name = f"{lang}-{lesson.slug}"
                if names is not None and name not in names:
                    continue
                path = "/" if lesson.slug == "home" else f"/{lesson.url_path}"
                widths = [(desktop, "")] + ([(phone, "-phone")] if names is None else [])  # the README's: desktop
                for page, suffix in widths:
                    page.goto(f"{url}{path}?lang={lang}")
                    settle(page, timeout=120_000)
                    assert_no_exception(page)
                    shot = screenshot(page, name + suffix) if suffix else tall_screenshot(page, name, height=3000)
                    taken.append(shot)
                    print(f"screenshots/{name}{suffix}.png")
        browser.close()
    return taken


def shrink_for_readme() -> None:
    for target, (source, width) in IMAGES.items():
        with Image.open(SCREENSHOTS / source) as shot:
            shot = shot.convert("RGB")
            shot = shot.crop((0, 0, shot.width, min(shot.height, int(MAX_HEIGHT * shot.width / width))))
            shot = shot.resize((width, round(shot.height * width / shot.width)), Image.LANCZOS)
            shot.save(ROOT / target, optimize=True)
        print(f"{target} <- screenshots/{source}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="only the pages the README shows")
    args = parser.parse_args(argv)
    take_screenshots({Path(source).stem for source, _ in IMAGES.values()} if args.readme else None)
    shrink_for_readme()
    return 0


if __name__ == "__main__":
    sys.exit(main())
