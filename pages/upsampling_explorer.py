"""Upsampling operators: edit a grid, pick one of the six operators, watch each output cell being made.

The explorer computes and draws in the browser (pages/components/upsampling*.js): no round trip per
edit. An st.fragment below it hears the browser's state about 500 ms after the last change (through the
tiny state_sync component, so that its reruns never resend the explorer), keeps it in session state and
the URL (a teacher shares an example by link), and prints the live check against PyTorch and the
ready-to-copy code. The gradient view needs autograd, so it runs here, on demand.
"""

import numpy as np
import streamlit as st

from ops.upsampling import OPERATORS, transposed_via_gradient
from ops.upsampling.explorer import ExplorerSettings, default_encoder_map, live_check
from pages import classroom_ui, navigation, practice_pictures, state, ui
from pages.components.state_sync import state_sync
from pages.components.upsampling import STATE_KEYS, upsampling_explorer
from pages.lesson_start import lesson_start

SLUG = "upsampling"
COMPONENT = "upsampling.component"
SYNC = "upsampling.sync"  # the tiny component that passes the explorer's state to the server
GRADIENT = "upsampling.views.gradient_on"
_REFUSED = "upsampling.refused_from_browser"  # session_state: keys whose browser value was refused


def current_state() -> dict:
    """The explorer's state as the browser holds it, from session state (filled from the URL first)."""
    grid = st.session_state["upsampling.grid"]
    scale = st.session_state["upsampling.scale"]
    state.init_setting("upsampling.encoder", default_encoder_map(len(grid), len(grid[0]), scale))
    values = {key: st.session_state[f"upsampling.{key}"] for key in STATE_KEYS}
    values["align_corners"] = bool(values["align_corners"])
    return values


def accepted(sent: dict) -> tuple[dict, list[str]]:
    """The browser's values that a link may carry, decoded as if read from a URL, and the keys refused."""
    return state.from_browser((key, f"upsampling.{key}", sent[key]) for key in STATE_KEYS if key in sent)


def absorb() -> None:
    """The browser sent its state (debounced): keep what a link may carry, name what it may not."""
    values, refused = accepted(st.session_state[SYNC].get("state") or {})
    st.session_state.update(values)
    st.session_state[_REFUSED] = refused


def render() -> None:
    lesson_start(SLUG, practice_pictures.upsampling)
    upsampling_explorer(current_state(), key=COMPONENT)
    st.subheader(ui.t("upsampling.js.checked_title"))  # outside the fragment: a push resends only what changes
    explorer()
    ui.text(SLUG, "after")
    navigation.link("receptive-field")


@st.fragment
def explorer() -> None:
    """What the server adds to the browser's explorer; reruns alone when the browser sends its state."""
    state_sync("upsampling", key=SYNC, on_change=absorb)
    refused = st.session_state.pop(_REFUSED, [])
    if refused:
        ui.bad_input(ui.t("upsampling.js.refused", keys=", ".join(refused)))
    session = st.session_state
    name = session["upsampling.op"]
    grid = session["upsampling.grid"]
    settings = ExplorerSettings(
        scale=session["upsampling.scale"],
        align_corners=bool(session["upsampling.align_corners"]),
        pooled_from=session["upsampling.encoder"],
        kernel=session["upsampling.kernel"],
        stride=session["upsampling.stride"],
        padding=session["upsampling.padding"],
        output_padding=session["upsampling.output_padding"],
        dilation=session["upsampling.dilation"],
    )
    live = live_check(name, grid, settings)  # PyTorch, live, for the state the browser last sent (once per state)
    check = live.check
    if check.matches:
        difference = "0.0" if check.max_difference == 0 else f"{check.max_difference:.2g}"
        st.success(ui.t("upsampling.matches_max_diff", torch_function=check.torch_function,
                        shown_difference=difference), icon=":material/verified:")
    else:
        st.error(ui.t("upsampling.differs_from_max_diff", torch_function=check.torch_function,
                      difference=check.max_difference))
    st.caption(ui.t("upsampling.same_computation_pytorch_ready_copy"))
    st.code(live.code, language="python", wrap_lines=True)
    if name == "transposed_conv":
        gradient_view(np.asarray(grid, dtype=float), live.params)
    state.share_state()
    classroom_ui.remember_lesson(SLUG)  # a fragment rerun skips the shell's call: a following class sees the edit


def gradient_view(grid: np.ndarray, params: dict) -> None:
    """The gradient view: autograd on the server, so only when asked for."""
    st.markdown(f"**{ui.t('upsampling.views.gradient.title')}**")
    ui.text(SLUG, "views-gradient")
    if not st.toggle(ui.t("upsampling.js.gradient_toggle"), key=GRADIENT):
        return
    kernel = np.asarray(params["kernel"], dtype=float)
    s, p, op, d = params["stride"], params["padding"], params["output_padding"], params["dilation"]
    gradient = transposed_via_gradient(grid, kernel, s, p, op, d)  # torch.autograd
    stamps = OPERATORS["transposed_conv"](grid, **params)[0][0]
    st.caption(ui.t("upsampling.views.gradient.grid", rows=gradient.shape[0], cols=gradient.shape[1]))
    st.dataframe(np.round(gradient, 4), hide_index=False)
    difference = float(np.max(np.abs(gradient - stamps)))
    if difference < 1e-9:
        st.success(ui.t("upsampling.views.gradient.match", difference=f"{difference:.1e}"), icon=":material/verified:")
    else:
        st.error(ui.t("upsampling.views.differs_from_stamps", difference=f"{difference:.1e}"))
    st.caption(ui.t("upsampling.views.gradient.code"))
    st.code(gradient_code(grid, kernel, gradient.shape, s, p, op, d), language="python", wrap_lines=True)


def _literal(values: np.ndarray) -> str:
    return repr(np.asarray(values, dtype=float).round(4).tolist())


def gradient_code(grid, kernel, out_shape, s, p, op, d) -> str:
    return (
        "import torch\nimport torch.nn.functional as F\n\n"
        f"y = torch.tensor({_literal(grid)})[None, None]\n"
        f"k = torch.tensor({_literal(kernel)})[None, None]\n"
        f"x = torch.zeros(1, 1, {out_shape[0]}, {out_shape[1]}, requires_grad=True)\n"
        f"z = F.conv2d(x, k, stride={s}, padding={p}, dilation={d})\n"
        "z.backward(F.pad(y, (0, z.shape[3] - y.shape[3], 0, z.shape[2] - y.shape[2])))\n"
        f"print(x.grad[0, 0])  # == F.conv_transpose2d(y, k, stride={s}, padding={p}, output_padding={op}, "
        f"dilation={d})[0, 0]"
    )


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
