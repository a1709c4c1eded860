"""Lesson: per-pixel cross-entropy. Edit the true labels and the class scores; see every pixel's loss,
the mean, one pixel's softmax, and PyTorch computing the same thing.

The grids, the loss map, the mean and the softmax are computed and drawn in the browser
(pages/components/pixel_loss*.js): no round trip per edit. They live in an st.fragment that hears the
browser's state about 500 ms after the last change, keeps it in session state and the URL (a teacher shares
an example by link), and prints the live check against PyTorch. The classifier preset is computed here.
"""

import numpy as np
import streamlit as st

from ops.patches import CLASSES, classifier_example, per_pixel_cross_entropy
from ops.patches.loss_check import loss_check
from pages import classroom_ui, navigation, practice_pictures, state, ui
from pages.components.pixel_loss import component_data, pixel_loss_lesson
from pages.components.state_sync import state_sync
from pages.lesson_start import lesson_start

SLUG = "per-pixel-loss"
COMPONENT = "per-pixel-loss.component"
SYNC = "per-pixel-loss.sync"  # the tiny component that passes the lesson's state to the server
ROW, COL, LABELS = "per-pixel-loss.row", "per-pixel-loss.col", "per-pixel-loss.labels"
LOGITS = tuple(f"per-pixel-loss.logits.{name}" for name in CLASSES)
STAMP = "per-pixel-loss.stamp"  # session_state: bumped whenever the server replaces the browser's grids
_REFUSED = "per-pixel-loss.refused_from_browser"  # session_state: what the browser sent that was not kept
_PRESET_FAILED = "per-pixel-loss.preset_failed"  # session_state: why the classifier preset could not load


def default_logits() -> np.ndarray:
    """The example's scores: the true class gets 3, the others 0, except four pixels where the "network" is
    wrong or unsure."""
    logits = np.zeros((len(CLASSES), 4, 4))
    for r, row in enumerate(state.setting(LABELS).default):
        for c, label in enumerate(row):
            logits[label, r, c] = 3.0
    logits[:, 1, 1] = [2.5, 0.0, 1.0]  # a cow pixel that looks like sky
    logits[:, 2, 3] = [0.0, 0.5, 2.0]  # grass called cow
    logits[:, 3, 0] = [0.8, 1.0, 0.0]  # unsure between sky and grass
    logits[:, 0, 3] = [6.0, 0.0, 0.0]  # very sure and right
    return logits


def example() -> dict:
    """The lesson's example as the browser holds a state (its Reset preset)."""
    return {"labels": state.setting(LABELS).default, "logits": default_logits().tolist(),
            "row": state.setting(ROW).default, "col": state.setting(COL).default}


@st.cache_data(show_spinner=False)
def _classifier_crop():
    return classifier_example(rows=4, cols=4)


def current_state() -> dict:
    """The lesson's state as the browser holds it, from session state (filled from the URL first)."""
    return {"labels": st.session_state[LABELS], "logits": [st.session_state[key] for key in LOGITS],
            "row": st.session_state[ROW], "col": st.session_state[COL]}


def accepted(sent: dict) -> tuple[dict, list[str]]:
    """The browser's values that a link may carry, decoded as if read from a URL, and the keys refused; grids
    the loss cannot use together (a label 7, sizes that differ) are refused as a whole."""
    items = [(ROW, sent.get("row")), (COL, sent.get("col")), (LABELS, sent.get("labels"))]
    logits = sent.get("logits")
    whole = isinstance(logits, list) and len(logits) == len(LOGITS)
    items += list(zip(LOGITS, logits)) if whole else []
    values, refused = state.from_browser((key, key, value) for key, value in items)
    refused += [] if whole else list(LOGITS)
    grids = [LABELS, *LOGITS]
    if all(key in values for key in grids):
        try:
            per_pixel_cross_entropy([values[key] for key in LOGITS], values[LABELS])
        except ValueError:
            refused += grids
    for key in refused:
        values.pop(key, None)
    return values, refused


def absorb() -> None:
    """The browser sent its state (debounced): keep what a link may carry, name what it may not."""
    values, refused = accepted(st.session_state[SYNC].get("state") or {})
    st.session_state.update(values)
    st.session_state[_REFUSED] = refused


def load_preset() -> None:
    """The browser asked for the patch classifier's scores: a real crop, computed here, sent back as new grids."""
    if st.session_state[COMPONENT].get("preset") != "classifier":
        return
    try:
        logits, labels = _classifier_crop()
    except (ValueError, RuntimeError, OSError) as error:
        st.session_state[_PRESET_FAILED] = ui.error_text(error)
        return
    st.session_state[LABELS] = labels.tolist()
    for key, channel in zip(LOGITS, logits):
        st.session_state[key] = channel.tolist()
    st.session_state[STAMP] = st.session_state.get(STAMP, 0) + 1


def render() -> None:
    lesson_start(SLUG, practice_pictures.per_pixel_loss)
    for key, channel in zip(LOGITS, default_logits()):
        state.init_setting(key, channel.tolist())
    try:
        per_pixel_cross_entropy([st.session_state[key] for key in LOGITS], st.session_state[LABELS])
    except ValueError as error:  # a link whose grids do not fit together: the example instead, and why
        ui.bad_input(ui.t("per_pixel_loss.js.link_refused", error=ui.error_text(error)))
        fallback = example()
        st.session_state[LABELS] = fallback["labels"]
        for key, channel in zip(LOGITS, fallback["logits"]):
            st.session_state[key] = channel
    names = [ui.t(f"class.{c}") for c in CLASSES]
    failed = st.session_state.pop(_PRESET_FAILED, None)
    data = component_data(current_state(), example(), names, st.session_state.get(STAMP, 0),
                          ui.t("per_pixel_loss.js.classifier_failed", error=failed) if failed else None)
    # outside the fragment: it never sends its state itself (the fragment's state_sync does), so a push never
    # resends it; its "classifier's scores" button is a trigger that reruns the page with the new grids
    pixel_loss_lesson(data, key=COMPONENT, on_preset=load_preset)
    torch_code()
    lesson()
    ui.text(SLUG, "after")
    navigation.link("full-resolution-cost")


def torch_code() -> None:
    """The PyTorch calls the check below makes: the same for every state, so outside the fragment (a push
    resends only what changes)."""
    st.subheader(ui.t("per_pixel_loss.same_pytorch"))
    ui.text(SLUG, "torch")
    st.code(
        "import torch.nn.functional as F\n"
        "# logits: N×C×H×W scores, labels: N×H×W class indices\n"
        "loss_map = F.cross_entropy(logits, labels, reduction='none')   # N×H×W, one loss per pixel\n"
        "loss = F.cross_entropy(logits, labels)                          # their mean: what training minimises",
        language="python",
    )


@st.fragment
def lesson() -> None:
    """PyTorch's check of what the component shows; reruns alone when the browser's state arrives."""
    state_sync(SLUG, key=SYNC, on_change=absorb)
    refused = st.session_state.pop(_REFUSED, [])
    if refused:
        ui.bad_input(ui.t("per_pixel_loss.js.refused", keys=", ".join(refused)))

    logits = np.asarray([st.session_state[key] for key in LOGITS], dtype=float)
    labels = np.asarray(st.session_state[LABELS], dtype=float)
    check = loss_check(logits, labels)  # numpy against PyTorch, once per state (a class repeats states)
    difference = check.max_difference
    check_a, check_b = st.columns(2)
    check_a.metric(ui.t("per_pixel_loss.pytorch_s_mean_loss"), f"{check.torch_mean:.4f}")
    check_b.metric(ui.t("per_pixel_loss.largest_difference_from_loss_map"), f"{difference:.1e}")
    if difference < 1e-9:
        st.success(ui.t("per_pixel_loss.pytorch_computes_exactly_loss_map"), icon=":material/check_circle:")
    else:
        st.error(ui.t("per_pixel_loss.pytorch_disagrees_loss_map_above"))
    state.share_state()
    classroom_ui.remember_lesson(SLUG)  # a fragment rerun skips the shell's call: a following class sees the edit


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
