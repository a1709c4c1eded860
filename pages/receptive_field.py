"""Lesson: how far does one output pixel see? Theoretical field, its growth, and the effective field."""

import streamlit as st

from lessons.figures.receptive_field import depth_growth_figure, effective_field_figure, field_growth_figure
from ops.layer_stack import (
    StackError,
    decode_stack,
    encode_stack,
    field_growth,
    measured,
    receptive_field,
)
from pages import figcache, practice_pictures, stack_editor, state, ui
from pages.lesson_start import lesson_start
from pages.shell import run_app

SLUG = "receptive-field"
TRIALS = 8


@st.cache_data(max_entries=64, show_spinner=False)
def field_table(text: str):
    return receptive_field(decode_stack(text))


@st.cache_data(max_entries=64, show_spinner=False)
def growth(text: str, grid: int, row: int, col: int):
    return field_growth(decode_stack(text), grid, (row, col))


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
    return figcache.figure(f"{SLUG}.effective", (text, TRIALS), lambda: effective_field_figure(erf, labels))


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


def render() -> None:
    lesson_start(SLUG, practice_pictures.receptive_field)

    stack_editor.init()

    st.subheader(ui.t("receptive_field.layer_stack"))
    layers = stack_editor.editor(SLUG)
    text = encode_stack(layers)

    # ------------------------------------------------------------------------------- the table
    st.subheader(ui.t("receptive_field.receptive_field_every_layer"))
    ui.text(SLUG, "table")
    try:
        with st.spinner(ui.t("receptive_field.measuring_fields_after_upsampling_autograd")):
            rows = field_table(text)
    except StackError as error:
        rows = None
        ui.bad_input(error)
    if rows:
        how = {False: ui.t("receptive_field.recurrence"), True: ui.t("receptive_field.autograd_gradient_support")}
        names = {
            "layer": ui.t("receptive_field.layer"),
            "size": ui.t("receptive_field.field_r_px"),
            "jump": ui.t("receptive_field.jump_j_px"),
            "start": ui.t("receptive_field.start_px"),
            "how": ui.t("receptive_field.computed"),
        }
        table = [
            {
                "#": i,
                names["layer"]: stack_editor.layer_name(row.layer) if row.layer else ui.t("receptive_field.input"),
                names["size"]: row.size,
                names["jump"]: row.jump_value,
                names["start"]: row.start if row.start == row.start else None,
                names["how"]: how[row.measured],
            }
            for i, row in enumerate(rows)
        ]
        number = st.column_config.NumberColumn
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                names["size"]: number(format="%d", help=ui.t("receptive_field.side_square_input_pixels_one")),
                names["jump"]: number(format="%g", help=ui.t("receptive_field.input_pixels_between_two_neighbouring")),
                names["start"]: number(format="%g", help=ui.t("receptive_field.centre_unit_0_s_field")),
            },
        )
        if any(row.measured for row in rows):
            st.info(ui.t("receptive_field.upsampling_layers_shrink_jump_how"), icon=":material/functions:")

    # ------------------------------------------------------------------------------- the animation
    @st.fragment
    def animation() -> None:
        """Grid size and pixel rerun only this part (the effective field below stays as it is)."""
        st.subheader(ui.t("receptive_field.watch_one_pixel_s_field"))
        ui.text(SLUG, "growth")
        grid_column, row_column, col_column = st.columns(3)
        grid_column.select_slider(
            ui.t("receptive_field.input_grid_side_pixels"), state.choices(f"{SLUG}.grid"), key=f"{SLUG}.grid"
        )
        grid = st.session_state[f"{SLUG}.grid"]
        row_column.slider(ui.t("receptive_field.pixel_row"), 0, int(state.setting(f"{SLUG}.row").hi), key=f"{SLUG}.row")
        col_column.slider(
            ui.t("receptive_field.pixel_column"), 0, int(state.setting(f"{SLUG}.col").hi), key=f"{SLUG}.col"
        )
        row = min(st.session_state[f"{SLUG}.row"], grid - 1)
        col = min(st.session_state[f"{SLUG}.col"], grid - 1)
        if (row, col) != (st.session_state[f"{SLUG}.row"], st.session_state[f"{SLUG}.col"]):
            st.caption(ui.t("receptive_field.grid_following_pixel", grid=grid, row=row, col=col))
        try:
            frames = growth(text, grid, row, col)
        except StackError as error:
            frames = None
            ui.bad_input(ui.t("receptive_field.grid_stack_cannot_run", grid=grid) + ui.error_text(error))
        if frames:
            titles = []
            for i, entry in enumerate(frames.rows):
                seen = int(frames.masks[i].any(axis=0).sum())
                name = stack_editor.layer_name(entry.layer) if entry.layer else ui.t("receptive_field.input_pixel")
                titles.append(
                    ui.t(
                        "receptive_field.after_layer_sees_pixels_theory",
                        i=i,
                        frames_rows=len(frames.rows) - 1,
                        name=name,
                        seen=seen,
                        size=entry.size,
                        jump_value=entry.jump_value,
                    )
                )
            labels = {
                "play": ui.t("receptive_field.play"),
                "pause": ui.t("receptive_field.pause"),
                "step": ui.t("receptive_field.after_layer"),
                "colorbar": ui.t("receptive_field.joined_layer"),
                "x": ui.t("receptive_field.input_column"),
                "y": ui.t("receptive_field.input_row"),
            }
            ui.chart(
                figcache.figure(
                    f"{SLUG}.animation",
                    (text, grid, row, col),
                    lambda: field_growth_figure(frames, titles, labels, (row, col)),
                ),
                key=f"{SLUG}.animation",
                export="receptive-field",
            )
            st.caption(ui.t("receptive_field.input_grid_every_cell_input"))
        ui.share_state()  # a fragment rerun does not reach the end of the page: keep the link up to date

    animation()

    # ------------------------------------------------------------------------------- effective field
    st.subheader(ui.t("receptive_field.effective_receptive_field"))
    ui.text(SLUG, "effective")
    bar = st.progress(0.0, text=ui.t("receptive_field.measuring_effective_field_autograd"))
    try:
        erf = measured_effective_field(text, TRIALS, bar)
        bar.progress(0.9, text=ui.t("receptive_field.measuring_width_against_depth"))
        points = depth_points(16, TRIALS)
    except StackError as error:
        erf = points = None
        ui.bad_input(error)
    finally:
        bar.empty()
    if erf:
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
    if points:
        ui.text(SLUG, "depth")
        ui.chart(depth_chart(points), key=f"{SLUG}.depth", export="receptive-field-depth")

    ui.text(SLUG, "after")
    stack_editor.link("full-resolution-cost")
    ui.link("things-and-stuff")
    ui.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    run_app()
