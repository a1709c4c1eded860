"""The sliding-window animation as a browser component: the picture and the scores of the one fully
convolutional pass are sent once; the window, its patch and each pass's label are drawn in the browser
(sliding_window_math.js, sliding_window_view.js), so stepping and playing cost the server nothing."""

from pages import ui
from pages.components import register

WORDS = ("sliding_window.input_image_pale_repeated_edge", "sliding_window.output_each_centre_pixel_s",
         "sliding_window.forward_pass_pixel_row_col", "sliding_window.play", "sliding_window.pause",
         "sliding_window.forward_pass", "sliding_window.not_computed_yet", "sliding_window.window",
         "sliding_window.image_edge")


def sweep_player(key: str, sweep: dict, class_names: list[str]):
    """Mount the animation for `sweep` (lessons/figures/sliding_window_sweep.sweep_data)."""
    data = dict(sweep, class_names=class_names, words={word: ui.t(word) for word in WORDS}, present=ui.presenting())
    mount = register("sliding_window", js=("sliding_window_math.js", "view_kit.js", "sliding_window_view.js"),
                     css=("sliding_window_view.css",))
    return mount(key=key, data=data, height="content")
