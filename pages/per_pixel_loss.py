"""Lesson: per-pixel cross-entropy. Edit the true labels and the class scores; see every pixel's loss,
the mean, one pixel's softmax, and PyTorch computing the same thing."""

import numpy as np
import streamlit as st

from lessons.figures.pixel_loss import loss_map_figure, softmax_figure
from ops.patches import CLASSES, classifier_example, per_pixel_cross_entropy, torch_cross_entropy, validate_labels
from pages import figcache, grid_input, navigation, practice_pictures, state, ui
from pages.lesson_start import lesson_start

SLUG = "per-pixel-loss"
DEFAULT_LABELS = state.setting("per-pixel-loss.labels").default
# true class gets 3, others 0, except four pixels where the "network" is wrong or unsure
DEFAULT_LOGITS = np.zeros((3, 4, 4))


@st.cache_data(show_spinner=False)
def _classifier_crop():
    return classifier_example(rows=4, cols=4)


def render() -> None:
    for _r, _row in enumerate(DEFAULT_LABELS):
        for _c, _label in enumerate(_row):
            DEFAULT_LOGITS[_label, _r, _c] = 3.0
    DEFAULT_LOGITS[:, 1, 1] = [2.5, 0.0, 1.0]  # a cow pixel that looks like sky
    DEFAULT_LOGITS[:, 2, 3] = [0.0, 0.5, 2.0]  # grass called cow
    DEFAULT_LOGITS[:, 3, 0] = [0.8, 1.0, 0.0]  # unsure between sky and grass
    DEFAULT_LOGITS[:, 0, 3] = [6.0, 0.0, 0.0]  # very sure and right

    LABEL_KEY = "per-pixel-loss.labels"
    LOGIT_KEYS = [f"per-pixel-loss.logits.{name}" for name in CLASSES]
    # fixed-size grids: the page's buttons replace them all at once; 56 px cells fit three grids side by side
    GRID_STYLE = {"max_side": 8, "resizable": False, "buttons": False, "label_style": "caption", "cell_width": 56}

    def use_classifier() -> None:
        logits, labels = _classifier_crop()
        grid_input.replace_grid(LABEL_KEY, labels)
        for key, channel in zip(LOGIT_KEYS, logits):
            grid_input.replace_grid(key, channel)

    def reset() -> None:
        grid_input.replace_grid(LABEL_KEY, DEFAULT_LABELS)
        for key, channel in zip(LOGIT_KEYS, DEFAULT_LOGITS):
            grid_input.replace_grid(key, channel)

    lesson_start(SLUG, practice_pictures.per_pixel_loss)
    names = [ui.t(f"class.{c}") for c in CLASSES]

    buttons = st.columns([3, 2, 3])
    buttons[0].button(
        ui.t("per_pixel_loss.use_patch_classifier_s_scores"),
        icon=":material/smart_toy:",
        on_click=use_classifier,
        key="per-pixel-loss.classifier",
        help=ui.t("per_pixel_loss.4_4_crop_generated_pasture"),
    )
    buttons[1].button(
        ui.t("per_pixel_loss.reset_example"), icon=":material/restart_alt:", on_click=reset, key="per-pixel-loss.reset"
    )

    st.subheader(ui.t("per_pixel_loss.input_true_labels_class_scores"))
    legend = ", ".join(f"{k} = {name}" for k, name in enumerate(names))
    labels = grid_input.grid_editor(
        LABEL_KEY,
        label=ui.t("per_pixel_loss.input_1_true_label_per", legend=legend),
        validate=lambda values: validate_labels(values, len(CLASSES)),
        **GRID_STYLE,
    )
    st.markdown(ui.t("per_pixel_loss.input_2_class_scores_logits"))
    score_columns = st.columns(len(CLASSES))
    channels = []
    for column, key, channel, name in zip(score_columns, LOGIT_KEYS, DEFAULT_LOGITS, names):
        with column:
            channels.append(
                grid_input.grid_editor(
                    key, channel, label=ui.t("per_pixel_loss.score", name=name), cell_format=".1f", **GRID_STYLE
                )
            )

    try:
        if len({c.shape for c in channels} | {labels.shape}) != 1:
            raise ValueError(ui.t("per_pixel_loss.label_grid_three_score_grids"))
        logits = np.stack(channels)
        result = per_pixel_cross_entropy(logits, labels)
    except ValueError as error:
        ui.bad_input(ui.t("per_pixel_loss.these_grids_cannot_compared_press", error=ui.error_text(error)))
        state.share_state()
        st.stop()

    height, width = labels.shape
    FONT = 20 if ui.presenting() else 14  # figure text: larger on a projector

    @st.fragment
    def loss_and_softmax() -> None:
        """The chosen pixel reruns only this part (the grids and PyTorch's check stay as they are)."""
        st.subheader(ui.t("per_pixel_loss.output_loss_every_pixel"))
        ui.text(SLUG, "loss")
        pick_row, pick_col, mean_column = st.columns([1, 1, 2])
        pick_row.number_input(ui.t("per_pixel_loss.chosen_pixel_row"), 0, 7, step=1, key="per-pixel-loss.row")
        pick_col.number_input(ui.t("per_pixel_loss.chosen_pixel_column"), 0, 7, step=1, key="per-pixel-loss.col")
        row, col = st.session_state["per-pixel-loss.row"], st.session_state["per-pixel-loss.col"]
        if row >= height or col >= width:
            ui.bad_input(
                ui.t("per_pixel_loss.pixel_outside_grid_showing_last", row=row, col=col, height=height, width=width)
            )
            row, col = min(row, height - 1), min(col, width - 1)
        mean_column.metric(
            ui.t("per_pixel_loss.mean_loss_over_all_pixels"),
            f"{result.mean:.4f}",
            help=ui.t("per_pixel_loss.number_training_minimises_nats_natural"),
        )

        inputs = (labels.shape, labels.tobytes(), logits.shape, logits.tobytes(), row, col)  # what the figures show
        left, right = st.columns(2)
        with left:
            ui.chart(
                figcache.figure("per-pixel-loss.map", inputs, lambda: loss_map_figure(
                    result.loss_map,
                    (row, col),
                    ui.t("per_pixel_loss.output_per_pixel_loss_log"),
                    ui.t("per_pixel_loss.loss"),
                    font_size=FONT,
                )),
                key="per-pixel-loss.map",
                export="per-pixel-loss-map",
            )
        with right:
            true_class = int(result.labels[row, col])
            probabilities = result.softmax_at(row, col)
            ui.chart(
                figcache.figure("per-pixel-loss.softmax", inputs, lambda: softmax_figure(
                    probabilities,
                    names,
                    true_class,
                    ui.t(
                        "per_pixel_loss.softmax_pixel_row_col_loss",
                        row=row,
                        col=col,
                        probabilities_true_class=probabilities[true_class],
                        row_col=result.loss_map[row, col],
                    ),
                    ui.t("per_pixel_loss.probability"),
                    ui.t("per_pixel_loss.true_class"),
                    font_size=FONT,
                )),
                key="per-pixel-loss.softmax",
                export="per-pixel-loss-softmax",
            )
        state.share_state()  # a fragment rerun does not reach the end of the page: keep the link up to date

    loss_and_softmax()

    st.subheader(ui.t("per_pixel_loss.same_pytorch"))
    ui.text(SLUG, "torch")
    st.code(
        "import torch.nn.functional as F\n"
        "# logits: N×C×H×W scores, labels: N×H×W class indices\n"
        "loss_map = F.cross_entropy(logits, labels, reduction='none')   # N×H×W, one loss per pixel\n"
        "loss = F.cross_entropy(logits, labels)                          # their mean: what training minimises",
        language="python",
    )
    reference = torch_cross_entropy(logits, labels)
    difference = float(np.max(np.abs(reference - result.loss_map)))
    check_a, check_b = st.columns(2)
    check_a.metric(ui.t("per_pixel_loss.pytorch_s_mean_loss"), f"{reference.mean():.4f}")
    check_b.metric(ui.t("per_pixel_loss.largest_difference_from_loss_map"), f"{difference:.1e}")
    if difference < 1e-9:
        st.success(ui.t("per_pixel_loss.pytorch_computes_exactly_loss_map"), icon=":material/check_circle:")
    else:
        st.error(ui.t("per_pixel_loss.pytorch_disagrees_loss_map_above"))
    ui.text(SLUG, "after")
    navigation.link("full-resolution-cost")
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
