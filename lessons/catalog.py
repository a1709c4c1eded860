"""The lecture as a path: every lesson page, in teaching order.

One table read by app.py (navigation), the home page (the map) and the tests
(every page opens), so adding a lesson is one line here plus its page file.
A page whose file does not exist yet is shown as "not built yet".

A page's URL is its file's stem (/sliding_window): see pages/__init__.py for why that matters on a
fresh server. The slug names the lesson's Markdown and its widget keys.
"""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Lesson:
    slug: str  # url path and Markdown file name
    page: str  # page file, relative to the project root
    group: str  # navigation section (English key; translated by GROUPS)
    title: dict  # language -> title
    icon: str = ":material/school:"

    @property
    def url_path(self) -> str:
        return Path(self.page).stem

    @property
    def built(self) -> bool:
        return (ROOT / self.page).exists()


GROUPS = {
    "Start": {"en": "Start", "zh": "开始"},
    "From patches to pixels": {"en": "From patches to pixels", "zh": "从图块到像素"},
    "Upsampling": {"en": "Upsampling", "zh": "上采样"},
    "Beyond semantic": {"en": "Beyond semantic", "zh": "超越语义分割"},
    "Labs": {"en": "Labs", "zh": "实验"},
}

LESSONS = [
    Lesson("home", "pages/lecture_map.py", "Start", {"en": "Lecture map", "zh": "课程地图"}, ":material/map:"),
    Lesson("segmentation", "pages/segmentation_basics.py", "Start",
           {"en": "What segmentation is", "zh": "什么是分割"}, ":material/palette:"),
    Lesson("sliding-window", "pages/sliding_window.py", "From patches to pixels",
           {"en": "Sliding window vs fully convolutional", "zh": "滑动窗口与全卷积"}, ":material/crop_free:"),
    Lesson("per-pixel-loss", "pages/per_pixel_loss.py", "From patches to pixels",
           {"en": "Per-pixel cross-entropy", "zh": "逐像素交叉熵"}, ":material/functions:"),
    Lesson("full-resolution-cost", "pages/full_resolution_cost.py", "From patches to pixels",
           {"en": "Downsample, then upsample", "zh": "先下采样，再上采样"}, ":material/compress:"),
    Lesson("upsampling", "pages/upsampling_explorer.py", "Upsampling",
           {"en": "Upsampling operators", "zh": "上采样算子"}, ":material/open_in_full:"),
    Lesson("receptive-field", "pages/receptive_field.py", "Upsampling",
           {"en": "Receptive field", "zh": "感受野"}, ":material/center_focus_strong:"),
    Lesson("things-and-stuff", "pages/things_and_stuff.py", "Beyond semantic",
           {"en": "Things & stuff, instances", "zh": "物体与背景，实例"}, ":material/pets:"),
    Lesson("live-demo", "pages/live_demo.py", "Labs",
           {"en": "Live segmentation demo", "zh": "实时分割演示"}, ":material/photo_camera:"),
    Lesson("fcn-lab", "pages/fcn_lab.py", "Labs",
           {"en": "FCN training lab", "zh": "FCN 训练实验"}, ":material/model_training:"),
]

BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}
