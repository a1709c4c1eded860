"""The per-pixel loss lesson's browser component: what the server sends it, and the mount command.

The browser computes and draws the loss map, the mean and the chosen pixel's softmax on every edit
(pixel_loss_math.js, grid_widget.js, pixel_loss_view.js); the server hands it the state to start from, the
words of the chosen language, the lesson's "loss" prose, the class colours and the example preset, and hears
the state back about 500 ms after the last edit (state `state`) or a press of the classifier preset
(trigger `preset`: the classifier's scores are computed here).
"""

from functools import cache

from plotly.colors import sequential

from lessons import i18n
from lessons.figures import palette
from lessons.figures.sliding_window_sweep import PASTURE_COLOURS
from lessons.text import section
from pages import ui
from pages.components import register

JS = ("pixel_loss_math.js", "grid_widget.js", "view_kit.js", "pixel_loss_view.js")
CSS = ("view_kit.css", "pixel_loss_view.css")
WORD_PREFIXES = ("per_pixel_loss.", "loss.error.", "grid.")
PALETTE = {"heatmap": list(sequential.Cividis), "highlight": palette.HIGHLIGHT}


@cache
def words(lang: str) -> dict[str, str]:
    """Every catalog entry the component may show, unfilled ({fields} stay for the browser to fill); read
    once per language and process, like the catalogs themselves."""
    return {key: i18n.t(key, lang) for key in i18n.messages("en") if key.startswith(WORD_PREFIXES)}


def component_data(initial: dict, example: dict, class_names: list[str], stamp: int,
                   preset_error: str | None = None) -> dict:
    """Everything the browser needs: the state to start from (and `stamp`, bumped when the server replaced
    it), the example preset, words, prose, class names with their colours, palette and presenter mode."""
    return {
        "initial": initial,
        "stamp": stamp,
        "presets": {"example": example},
        "presetError": preset_error,
        "classes": [{"name": name, "colour": colour} for name, colour in zip(class_names, PASTURE_COLOURS)],
        "words": words(ui.lang()),
        "texts": {"loss": section("per-pixel-loss", "loss", ui.lang())},
        "palette": PALETTE,
        "presenting": ui.presenting(),
    }


def pixel_loss_lesson(data: dict, *, key: str, on_preset):
    """Mount the lesson's component (outside the fragment: its state reaches the server through
    pages/components/state_sync.py); `on_preset` runs when it asks for the classifier's scores."""
    mount = register("pixel_loss", JS, CSS)
    return mount(key=key, data=data, on_preset_change=on_preset, height="content")
