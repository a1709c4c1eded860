"""The upsampling lesson's browser component: what the server sends it, and the mount command.

The browser computes and draws every figure of the explorer (upsampling_math.js, grid_widget.js,
upsampling_view.js); the server only hands it the starting state, the words of the chosen language, the
lesson's prose sections and the palette, and hears the state back about 500 ms after the last edit.
"""

from plotly.colors import sequential

from lessons import i18n
from lessons.figures import palette
from lessons.text import section
from pages import ui
from pages.components import register

JS = ("upsampling_math.js", "grid_widget.js", "upsampling_view.js")
CSS = ("upsampling.css",)
WORD_PREFIXES = ("upsampling.", "operator.", "grid.", "list.")
SECTIONS = ("op-bed_of_nails", "op-nearest", "op-bilinear", "op-bicubic", "op-max_unpool",
            "op-transposed_conv", "tie-rule", "compare", "notes", "checkerboard", "views-intro",
            "views-zero-insertion", "views-matrix", "views-one-d")
MAX_MATRIX_CELLS = 36  # C and Cᵀ are drawn with their numbers up to this many output cells
STATE_KEYS = ("op", "scale", "align_corners", "stride", "padding", "output_padding", "dilation", "row", "col",
              "grid", "kernel", "encoder")


def words() -> dict[str, str]:
    """Every catalog entry the component may show, unfilled ({fields} stay for the browser to fill)."""
    keys = [k for k in i18n.messages("en") if k.startswith(WORD_PREFIXES)]
    return {key: ui.t(key) for key in keys}


def component_data(initial: dict) -> dict:
    """Everything the browser needs: the state to start from, words, prose, palette and presenter mode."""
    return {
        "initial": initial,
        "words": words(),
        "texts": {name: section("upsampling", name, ui.lang()) for name in SECTIONS},
        "palette": {"heatmap": list(sequential.Cividis), "highlight": palette.HIGHLIGHT,
                    "contributor": palette.CONTRIBUTOR},
        "presenting": ui.presenting(),
        "maxMatrixCells": MAX_MATRIX_CELLS,
    }


def upsampling_explorer(initial: dict, *, key: str, on_change) -> dict | None:
    """Mount the explorer; returns the last state the browser sent (None before its first edit)."""
    mount = register("upsampling", JS, CSS)
    result = mount(key=key, data=component_data(initial), on_state_change=on_change)
    return result.get("state") if hasattr(result, "get") else getattr(result, "state", None)
