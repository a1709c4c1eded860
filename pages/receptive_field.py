"""Lesson: how far does one output pixel see? The stack, its field per layer and one pixel's field growing
are computed and drawn in the browser (pages/components/layer_stack.py); the effective field needs autograd
over random networks and stays here, measured on demand."""

import streamlit as st

from lessons.figures.receptive_field import depth_growth_figure, effective_field_figure
from ops.layer_stack import StackError, measured
from pages import figcache, navigation, practice_pictures, state, ui
from pages.components import layer_stack
from pages.lesson_start import lesson_start

SLUG = "receptive-field"
TRIALS = measured.TRIALS
SETTINGS = {"grid": f"{SLUG}.grid", "row": f"{SLUG}.row", "col": f"{SLUG}.col"}
ASKED = f"{SLUG}.measure"  # the stack whose effective field the student asked for


def measured_effective_field(text: str, trials: int, bar):
    """The slow part (autograd over trials × inputs): measured once per stack and server (ops cache the
    warm-up thread fills for the default stack), with a progress bar while it is measured."""

    def progress(done, total):
        bar.progress(
            done / total * 0.9,
            text=ui.t("receptive_field.measuring_effective_field_autograd_initialisation", done=done, total=total),
        )

    return measured.measured_effective_field(text, trials, progress=progress)


def depth_points(max_depth: int, trials: int):
    return measured.measured_depth_growth(max_depth, trials)


def effective_chart(text: str, erf) -> None:
    labels = {
        "effective_title": ui.t("receptive_field.effective_field_mean_output_input"),
        "x": ui.t("receptive_field.input_column"),
        "y": ui.t("receptive_field.input_row"),
        "theoretical_title": ui.t("receptive_field.theoretical_field_pixels_can_matter"),
        "colorbar": ui.t("receptive_field.gradient"),
        "square": ui.t("receptive_field.theoretical_square_2"),
        "inside": ui.t("receptive_field.inside_field"),
        "outside": ui.t("receptive_field.outside"),
    }
    return figcache.figure(f"{SLUG}.effective", (text, TRIALS),
                           lambda: effective_field_figure(erf, labels, lang=ui.lang()))


def depth_chart(points):
    labels = {
        "title": ui.t("receptive_field.stacked_3_3_convs_theoretical"),
        "depth": ui.t("receptive_field.number_3_3_conv_layers"),
        "width": ui.t("receptive_field.width_input_pixels"),
        "theoretical": ui.t("receptive_field.theoretical_side_1_2l"),
        "random": ui.t("receptive_field.effective_width_4_random_relu"),
        "equal": ui.t("receptive_field.effective_width_equal_weights_4"),
        "fit": ui.t("receptive_field.fit_l"),
    }
    return figcache.figure(f"{SLUG}.depth", (16, TRIALS), lambda: depth_growth_figure(points, labels))


def _ask(text: str) -> None:
    st.session_state[ASKED] = text


def effective_section(text: str) -> None:
    """The effective field of the stack the server last heard: shown when measured (the default stack is,
    by the warm-up), else measured when the student asks, with its progress bar."""
    st.subheader(ui.t("receptive_field.effective_receptive_field"))
    ui.text(SLUG, "effective")
    if not (measured.measured_effective_field.cache_contains(text, TRIALS) or st.session_state.get(ASKED) == text):
        st.caption(ui.t("receptive_field.effective_field_on_demand", trials=TRIALS))
        st.button(ui.t("receptive_field.measure_effective_field"), key=f"{SLUG}.measure_button", on_click=_ask,
                  args=(text,), icon=":material/functions:")
        return
    bar = st.progress(0.0, text=ui.t("receptive_field.measuring_effective_field_autograd"))
    try:
        erf = measured_effective_field(text, TRIALS, bar)
    except StackError as error:
        ui.bad_input(error)
        return
    finally:
        bar.empty()
    side = erf.theoretical_side
    columns = st.columns(3)
    columns[0].metric(ui.t("receptive_field.theoretical_square"), f"{side} × {side} px")
    columns[1].metric(ui.t("receptive_field.effective_width_4"), f"{erf.width:.1f} px")
    columns[2].metric(
        ui.t("receptive_field.effective_share_square"),
        f"{erf.fraction:.0%}",
        help=ui.t("receptive_field.fewest_pixels_together_carry_95"),
    )
    ui.chart(effective_chart(text, erf), key=f"{SLUG}.effective", export="effective-receptive-field")
    st.caption(ui.t("receptive_field.input_pixels_output_unit_last", size=erf.size, unit=erf.unit, TRIALS=TRIALS))


@st.fragment
def explorer() -> None:
    """The component (above, outside this fragment) answers every edit in the browser; this fragment reruns
    only when its sync passes the stack on (debounced), to keep the link, the effective field and the link to
    the cost lesson up to date. It holds only what follows the stack: the width-against-depth chart below it
    is the same for every stack, so a push never resends it."""
    layer_stack.layer_stack_sync(SLUG, SETTINGS)
    effective_section(st.session_state[layer_stack.STACK])
    layer_stack.link("full-resolution-cost")
    state.share_state()  # a fragment rerun does not reach the end of the page: keep the link up to date


def depth_section() -> None:
    """Width against depth for stacked 3×3 convs: the same for any stack the student edits."""
    ui.text(SLUG, "depth")
    with st.spinner(ui.t("receptive_field.measuring_width_against_depth")):
        points = depth_points(16, TRIALS)
    ui.chart(depth_chart(points), key=f"{SLUG}.depth", export="receptive-field-depth")
    ui.text(SLUG, "after")
    navigation.link("things-and-stuff")


def render() -> None:
    lesson_start(SLUG, practice_pictures.receptive_field)
    layer_stack.init()
    st.subheader(ui.t("receptive_field.layer_stack"))
    ui.text(SLUG, "table")
    ui.text(SLUG, "growth")
    layer_stack.layer_stack(SLUG, "field", SETTINGS)
    explorer()
    depth_section()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
