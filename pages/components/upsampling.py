"""The upsampling lesson's browser component: what the server sends it, and the mount command.

The browser computes and draws every figure of the explorer (upsampling_math.js, grid_widget.js,
upsampling_view.js); the server only hands it the starting state, the words of the chosen language, the
lesson's prose sections and the palette. The state comes back about 500 ms after the last edit through
`state_sync`, a tiny component of its own inside the lesson's fragment (state_sync.js says why).
"""

from functools import cache

from plotly.colors import sequential

from lessons import i18n
from lessons.figures import palette
from lessons.text import section
from pages import ui
from pages.components import register

JS = ("upsampling_math.js", "grid_widget.js", "view_kit.js", "upsampling_view.js")
CSS = ("view_kit.css", "upsampling.css")
WORD_PREFIXES = ("upsampling.", "operator.", "grid.", "list.")
SECTIONS = ("op-bed_of_nails", "op-nearest", "op-bilinear", "op-bicubic", "op-max_unpool",
            "op-transposed_conv", "tie-rule", "compare", "notes", "checkerboard", "views-intro",
            "views-zero-insertion", "views-matrix", "views-one-d")
MAX_MATRIX_CELLS = 36  # C and Cᵀ are drawn with their numbers up to this many output cells
PALETTE = {"heatmap": list(sequential.Cividis), "highlight": palette.HIGHLIGHT, "contributor": palette.CONTRIBUTOR}
STATE_KEYS = ("op", "scale", "align_corners", "stride", "padding", "output_padding", "dilation", "row", "col",
              "grid", "kernel", "encoder")


@cache
def words(lang: str) -> dict[str, str]:
    """Every catalog entry the component may show, unfilled ({fields} stay for the browser to fill); read
    once per language and process (a catalog changes only with a restart), like the catalogs themselves."""
    return {key: i18n.t(key, lang) for key in i18n.messages("en") if key.startswith(WORD_PREFIXES)}


@cache
def texts(lang: str) -> dict[str, str]:
    """The lesson's prose sections the component shows, once per language and process."""
    return {name: section("upsampling", name, lang) for name in SECTIONS}


def component_data(initial: dict) -> dict:
    """Everything the browser needs: the state to start from, words, prose, palette and presenter mode."""
    return {
        "initial": initial,
        "words": words(ui.lang()),
        "texts": texts(ui.lang()),
        "palette": PALETTE,
        "presenting": ui.presenting(),
        "maxMatrixCells": MAX_MATRIX_CELLS,
    }


def upsampling_explorer(initial: dict, *, key: str) -> None:
    """Mount the explorer (outside any fragment: it never sends, so no rerun resends it)."""
    register("upsampling", JS, CSS)(key=key, data=component_data(initial))
