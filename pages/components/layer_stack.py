"""The layer-stack component: the editable stack and its figures computed in the browser (layer_stack_math.js,
layer_stack_view.js), shared by the receptive-field and full-resolution-cost lessons.

The browser answers every edit itself; the server hears the stack ≈ 500 ms after the student pauses
(state value `edit`), checks it with ops, and keeps it in session state and the URL key `stack`.
"""

import streamlit as st

from ops.layer_stack import STACK_PRESETS, StackError, decode_stack, encode_stack
from ops.layer_stack.layers import KINDS
from pages import state, ui
from pages.components import register
from pages.components.state_sync import state_sync

STACK = "stack"  # no page prefix: both lessons share it, in the URL too
DEFAULT = encode_stack(list(STACK_PRESETS["all-conv"].layers))
PRESETS = {name: encode_stack(list(preset.layers)) for name, preset in STACK_PRESETS.items()}

# every message the component shows (translated here, filled in by the browser)
WORDS = (
    [f"preset.{name}" for name in STACK_PRESETS]
    + [f"layer_kind.{kind}" for kind in KINDS]
    + [f"layer_short.{kind}" for kind in KINDS]
    + [
        "stack.value_empty", "stack.value_not_a_number", "stack.value_not_whole", "stack.value_out_of_range",
        "stack.unknown_kind", "stack.pool_padding", "stack.unpool_without_pool", "stack.unpool_size_mismatch",
        "stack.outputs_nothing", "stack.output_too_large", "stack.empty", "stack.too_many_layers",
        "stack.unpool_channels", "stack.text_empty", "stack.token_unreadable", "stack.field_too_large_for_probe",
        "stack.field_too_large",
        "stack_editor.layer", "stack_editor.kernel_k", "stack_editor.stride_s", "stack_editor.dilation_d",
        "stack_editor.padding_p", "stack_editor.channels_out", "stack_editor.change_cannot_used_so_page",
        "receptive_field.receptive_field_every_layer", "receptive_field.recurrence",
        "receptive_field.autograd_gradient_support", "receptive_field.layer", "receptive_field.field_r_px",
        "receptive_field.jump_j_px", "receptive_field.start_px", "receptive_field.computed",
        "receptive_field.watch_one_pixel_s_field", "receptive_field.input_grid_side_pixels",
        "receptive_field.pixel_row", "receptive_field.pixel_column", "receptive_field.play", "receptive_field.pause",
        "receptive_field.after_layer", "receptive_field.joined_layer", "receptive_field.input",
        "receptive_field.input_pixel", "receptive_field.after_layer_sees_pixels_theory",
        "receptive_field.grid_stack_cannot_run", "receptive_field.upsampling_layers_shrink_jump_how",
        "full_resolution_cost.input_image_side_pixels_square", "full_resolution_cost.cost_every_layer_pixels",
        "full_resolution_cost.image_grows", "full_resolution_cost.total_compute_gflops_log_scale",
        "full_resolution_cost.activation_memory_mib_log_scale", "full_resolution_cost.input_side_pixels",
        "full_resolution_cost.total_flops_one_image", "full_resolution_cost.activation_memory_float32",
        "full_resolution_cost.output_channels_height_width", "full_resolution_cost.layer",
        "full_resolution_cost.output_c_h_w", "full_resolution_cost.share_flops",
        "full_resolution_cost.activations_mib", "full_resolution_cost.your_stack",
        "full_resolution_cost.input_size_stack_cannot_run",
        "layer_stack.presets", "layer_stack.editor_help", "layer_stack.add_layer", "layer_stack.field_of_layer",
        "layer_stack.move_up", "layer_stack.move_down", "layer_stack.remove_layer", "layer_stack.growth_px",
        "layer_stack.field_chart_title", "layer_stack.grid_label", "layer_stack.grid_help",
        "layer_stack.parameters", "layer_stack.parameters_total",
    ]
)


def _mount():
    return register("layer_stack", js=("layer_stack_math.js", "view_kit.js", "layer_stack_view.js"),
                    css=("layer_stack_view.css",))


def init() -> None:
    """The shared stack from the link (a bad one falls back to the default with a note)."""
    state.init_state(STACK, DEFAULT, decode=state.STACK.decode)


def _words() -> dict[str, str]:
    return {key: ui.t(key) for key in WORDS}


def _received(key: str, settings: dict[str, str]) -> None:
    """The browser's debounced edit: checked again here (the browser is not trusted), then kept in session
    state, from where state.share_state() writes the link."""
    edit = (st.session_state.get(key) or {}).get("edit") or {}
    try:
        st.session_state[STACK] = encode_stack(decode_stack(edit.get("stack")))
    except StackError:
        pass
    for name, setting_key in settings.items():
        value = edit.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                st.session_state[setting_key] = state.setting(setting_key).decode(str(value))
            except (ValueError, TypeError):
                pass


def layer_stack(slug: str, mode: str, settings: dict[str, str]):
    """Mount the component for lesson `slug` (mode "field" or "cost"), outside the lesson's fragment; `settings`
    maps the component's values (grid, row, col / size) to the lesson's URL settings they are kept in."""
    key = f"{slug}.layer_stack"
    values = {name: st.session_state[setting_key] for name, setting_key in settings.items()}
    data = {
        "channel": key,
        "mode": mode,
        "stack": st.session_state[STACK],
        "default_stack": DEFAULT,
        "presets": PRESETS,
        "words": _words(),
        "present": ui.presenting(),
        "grid": values.get("grid"), "row": values.get("row"), "col": values.get("col"), "size": values.get("size"),
        "grids": state.choices(settings["grid"]) if "grid" in settings else [],
        "sizes": state.choices(settings["size"]) if "size" in settings else [],
    }
    return _mount()(key=key, data=data, height="content")


def layer_stack_sync(slug: str, settings: dict[str, str]) -> None:
    """In the lesson's fragment: hand the server the component's debounced edits (pages/components/state_sync.py)."""
    key = f"{slug}.layer_stack.sync"
    state_sync(f"{slug}.layer_stack", key=key, name="edit", on_change=lambda: _received(key, settings))


def link(slug: str) -> None:
    """A link to the other layer-stack lesson that carries the stack (and language, presenter mode) in its
    URL: Streamlit drops query parameters set during the first run after a page switch, so without this the
    address bar would lose the stack until the next interaction."""
    from lessons.catalog import BY_SLUG
    from pages.navigation import lesson_page

    lesson = BY_SLUG[slug]
    query = {STACK: st.session_state[STACK]} if st.session_state[STACK] != DEFAULT else {}
    if ui.lang() != "en":
        query["lang"] = ui.lang()
    if ui.presenting():
        query["present"] = "1"
    st.page_link(lesson_page(slug), label=ui.lesson_title(slug), icon=lesson.icon, query_params=query or None)
