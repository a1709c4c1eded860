"""The lecture as a path: every lesson page, in teaching order.

One table read by app.py (navigation), the home page (the map) and the tests
(every page opens), so adding a lesson is one line here plus its page file.
A page whose file does not exist yet is shown as "not built yet".

A page's URL is its file's stem (/sliding_window): see pages/__init__.py for why that matters on a
fresh server. The slug names the lesson's Markdown, its widget keys and its title in the message
catalogs (lesson.<slug>.title in lessons/<lang>/messages.po).
"""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Lesson:
    slug: str  # url path and Markdown file name
    page: str  # page file, relative to the project root
    group: str  # navigation section (a key of GROUPS)
    icon: str = ":material/school:"

    @property
    def title_key(self) -> str:
        return f"lesson.{self.slug}.title"

    @property
    def url_path(self) -> str:
        return Path(self.page).stem

    @property
    def module(self) -> str:
        """The page's module, whose render() draws it: pages/sliding_window.py -> pages.sliding_window."""
        return ".".join(Path(self.page).with_suffix("").parts)

    @property
    def built(self) -> bool:
        return (ROOT / self.page).exists()


GROUPS = {  # navigation section -> its message key
    "Start": "group.start",
    "From patches to pixels": "group.from_patches_to_pixels",
    "Upsampling": "group.upsampling",
    "Beyond semantic": "group.beyond_semantic",
    "Labs": "group.labs",
}

LESSONS = [
    Lesson("home", "pages/lecture_map.py", "Start", ":material/map:"),
    Lesson("segmentation", "pages/segmentation_basics.py", "Start", ":material/palette:"),
    Lesson("sliding-window", "pages/sliding_window.py", "From patches to pixels", ":material/crop_free:"),
    Lesson("per-pixel-loss", "pages/per_pixel_loss.py", "From patches to pixels", ":material/functions:"),
    Lesson("full-resolution-cost", "pages/full_resolution_cost.py", "From patches to pixels", ":material/compress:"),
    Lesson("upsampling", "pages/upsampling_explorer.py", "Upsampling", ":material/open_in_full:"),
    Lesson("receptive-field", "pages/receptive_field.py", "Upsampling", ":material/center_focus_strong:"),
    Lesson("things-and-stuff", "pages/things_and_stuff.py", "Beyond semantic", ":material/pets:"),
    Lesson("live-demo", "pages/live_demo.py", "Labs", ":material/photo_camera:"),
    Lesson("fcn-lab", "pages/fcn_lab.py", "Labs", ":material/model_training:"),
    Lesson("own-network", "pages/own_network.py", "Labs", ":material/upload_file:"),
]

BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}
