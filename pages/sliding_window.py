"""Lesson: label every pixel by classifying the patch around it, one forward pass per pixel, or run the
same weights once over the whole image. Same scores; very different cost."""

import streamlit as st

from lessons.devices import device_text
from lessons.figures.sliding_window_sweep import sweep
from ops.device import available_devices
from ops.patches import (
    CLASSES,
    compare_methods,
    lesson_image,
    sliding_window_cost,
    trained_patch_classifier,
)
from ops.patches.lesson_pass import picture_and_scores
from pages import navigation, practice_pictures, state, ui
from pages.components.sliding_window import sweep_player
from pages.lesson_start import lesson_start

SLUG = "sliding-window"
RESULT = "sliding-window.result"


@st.cache_resource(show_spinner=False)
def classifier():
    """Trained once per server (seeded), shared read-only by every session."""
    return trained_patch_classifier()


def render() -> None:
    lesson_start(SLUG, practice_pictures.sliding_window)

    devices = available_devices()

    image_column, size_column, device_column = st.columns([2, 2, 1])
    image_column.selectbox(
        ui.t("sliding_window.image"),
        state.choices("sliding-window.image"),
        key="sliding-window.image",
        format_func=lambda name: ui.t(f"sliding_window.picture.{name}"),
    )
    size_column.select_slider(
        ui.t("sliding_window.image_size_pixels_per_side"),
        state.choices("sliding-window.size"),
        key="sliding-window.size",
    )
    device_column.selectbox(
        ui.t("sliding_window.device_timing"),
        devices,
        key="sliding-window.device",
        format_func=lambda d: f"{d}: {device_text(d, ui.lang())}",
    )
    name, size = st.session_state["sliding-window.image"], st.session_state["sliding-window.size"]
    device = st.session_state["sliding-window.device"]

    with st.spinner(ui.t("sliding_window.training_patch_classifier_once_few")):
        net = classifier()
        _, _, accuracy = picture_and_scores(name, size)
    cost = sliding_window_cost(net, size, size)
    patch = net.patch_size

    st.subheader(ui.t("sliding_window.what_sliding_window_costs"))
    passes, overlap, repeated, ratio = st.columns(4)
    passes.metric(
        ui.t("sliding_window.forward_passes_sliding_window"),
        f"{cost.forward_passes:,}",
        help=ui.t("sliding_window.one_per_pixel_fully_convolutional", size=size),
    )
    overlap.metric(
        ui.t("sliding_window.window_overlap_next"),
        f"{cost.input_overlap:.1%}",
        help=ui.t("sliding_window.share_window_s_pixels_next", patch=patch),
    )
    repeated.metric(
        ui.t("sliding_window.repeated_work"),
        f"{cost.repeated_share:.1%}",
        help=ui.t("sliding_window.share_all_sliding_window_s", neighbour_overlap=cost.neighbour_overlap),
    )
    ratio.metric(
        ui.t("sliding_window.flop_ratio_theory"),
        f"{cost.flop_ratio:.2f}×",
        help=ui.t(
            "sliding_window.sliding_window_fully_convolutional_flops",
            sliding_flops=cost.sliding_flops,
            fully_conv_flops=cost.fully_conv_flops,
        ),
    )

    ui.text(SLUG, "animation")
    sweep_player("sliding-window.sweep", sweep(name, size), [ui.t(f"class.{c}") for c in CLASSES])
    if accuracy is not None:
        st.caption(ui.t("sliding_window.scene_generated_so_its_true", accuracy=accuracy))
    else:
        st.caption(ui.t("sliding_window.classifier_was_trained_only_generated"))

    @st.fragment
    def run_both() -> None:
        """Patches per call and the Run button rerun only this part (the animation above stays as it is)."""
        st.subheader(ui.t("sliding_window.run_both_real"))
        ui.text(SLUG, "run")
        per_call_column, button_column = st.columns([2, 1])
        per_call_column.select_slider(
            ui.t("sliding_window.patches_per_network_call_1"),
            state.choices("sliding-window.per_call"),
            key="sliding-window.per_call",
        )
        per_call = st.session_state["sliding-window.per_call"]
        settings = (name, size, device, per_call)
        if button_column.button(
            ui.t("sliding_window.run_real_sliding_window"),
            type="primary",
            icon=":material/play_arrow:",
            key="sliding-window.run",
        ):
            bar = st.progress(0.0, text=ui.t("sliding_window.sliding_window_starting"))

            def report(done: int, total: int) -> None:
                bar.progress(
                    done / total, text=ui.t("sliding_window.sliding_window_forward_passes", done=done, total=total)
                )

            try:
                result = compare_methods(net, lesson_image(name, size).tensor, device, per_call, progress=report)
                st.session_state[RESULT] = (settings, result)
            except (RuntimeError, ValueError) as error:  # e.g. a GPU out of memory: say so, keep the page working
                ui.bad_input(ui.t("sliding_window.run_failed", device=device, error=error))
            finally:
                bar.empty()

        stored = st.session_state.get(RESULT)
        if stored is not None and stored[0] == settings:
            result = stored[1]
            timings = st.columns(5)
            timings[0].metric(
                ui.t("sliding_window.sliding_window_time"),
                f"{result.sliding.seconds:.3f} s",
                help=ui.t(
                    "sliding_window.forward_passes_calls",
                    forward_passes=result.sliding.forward_passes,
                    calls=result.sliding.calls,
                ),
            )
            timings[1].metric(
                ui.t("sliding_window.fully_convolutional_time"),
                f"{result.fully_conv.seconds * 1000:.2f} ms",
                help=ui.t("sliding_window.one_pass_median_5_runs"),
            )
            timings[2].metric(ui.t("sliding_window.measured_speed_up"), f"{result.measured_speedup:,.1f}×")
            timings[3].metric(ui.t("sliding_window.theoretical_flop_ratio"), f"{result.cost.flop_ratio:.2f}×")
            timings[4].metric(
                ui.t("sliding_window.largest_score_difference"),
                f"{result.max_difference:.1e}",
                help=ui.t("sliding_window.over_every_pixel_class_float32"),
            )
            where = device_text(result.sliding.device, ui.lang())
            st.caption(ui.t("sliding_window.measured", where=where))
        else:
            st.info(ui.t("sliding_window.press_button_time_real_sliding"), icon=":material/timer:")
        state.share_state()  # a fragment rerun does not reach the end of the page: keep the link up to date

    run_both()

    ui.text(SLUG, "after")
    navigation.link("per-pixel-loss")
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
