"""The editable layer stack shared by the full-resolution-cost and receptive-field lessons.

The stack lives in the URL under the page-independent key `stack` (compact text, see
ops/layer_stack/layers.py), so both lessons show the same stack and a teacher's link carries it.
The data editor keeps a stable key per baseline: its edits are applied to a baseline kept in
session state, never fed back in as its own data; a preset, a link or the other page changing the
stack starts a new baseline (and a new key).
"""

import pandas as pd
import streamlit as st

from ops.layer_stack import (
    DEFAULT_PRESET,
    KINDS,
    STACK_PRESETS,
    Layer,
    StackError,
    check_stack,
    decode_stack,
    encode_stack,
)
from ops.layer_stack.layers import LIMITS, PARAMETERS
from pages import state, ui

KEY = "stack"  # no page prefix: both lessons share it, in the URL too
DEFAULT = encode_stack(list(STACK_PRESETS[DEFAULT_PRESET].layers))
COLUMNS = ("layer", "kernel", "stride", "dilation", "padding", "channels")
NEW_ROW = {"layer": "conv", "kernel": 3, "stride": 1, "dilation": 1, "padding": 1, "channels": 64}


def kind_name(kind: str) -> str:
    return ui.t(f"layer_kind.{kind}")


def layer_name(layer: Layer) -> str:
    """Readable, translated: 'conv 3×3 s1 p1 → 64'."""
    return f"{ui.t(f'layer_short.{layer.kind}')} {layer.settings()}".strip()


def current_layers() -> list[Layer]:
    """The shared stack (always valid: only checked stacks are stored)."""
    return decode_stack(st.session_state[KEY])


def init() -> None:
    ui.init_state(KEY, DEFAULT, decode=state.STACK.decode)


def _rows(layers: list[Layer]) -> list[dict]:
    rows = []
    for layer in layers:
        used = PARAMETERS.get(layer.kind, ())
        rows.append(
            {"layer": layer.kind, **{name: (getattr(layer, name) if name in used else None) for name in COLUMNS[1:]}}
        )
    return rows


def _apply(rows: list[dict], edits: dict) -> list[dict]:
    """The data editor's recorded edits applied to the baseline rows (Streamlit's own semantics)."""
    rows = [dict(row) for row in rows]
    for index, change in (edits.get("edited_rows") or {}).items():
        if 0 <= int(index) < len(rows):
            rows[int(index)].update(change)
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    rows = [row for i, row in enumerate(rows) if i not in deleted]
    for added in edits.get("added_rows") or []:
        rows.append({**NEW_ROW, **{k: v for k, v in added.items() if k in COLUMNS and v is not None}})
    return rows


def _layers(rows: list[dict]) -> list[Layer]:
    layers = []
    for i, row in enumerate(rows):
        kind = row.get("layer")
        if kind not in KINDS:
            raise StackError("stack.choose_kind", layer=i + 1)
        values = {name: row.get(name) for name in COLUMNS[1:]}
        for name, value in values.items():  # unused parameters may be blank
            if name not in PARAMETERS.get(kind, ()) and (value is None or value != value):
                values[name] = 1
        layers.append(Layer(kind, **values))
    return check_stack(layers)


def _load(text: str) -> None:
    st.session_state[KEY] = text


def preset_buttons(slug: str) -> None:
    """One button per preset (keyboard-friendly), and which preset the stack is now."""
    text = st.session_state[KEY]
    columns = st.columns(len(STACK_PRESETS))
    for column, (name, preset) in zip(columns, STACK_PRESETS.items()):
        preset_text = encode_stack(list(preset.layers))
        column.button(
            ui.t(f"preset.{name}"),
            key=f"{slug}.preset.{name}",
            on_click=_load,
            args=(preset_text,),
            width="stretch",
            type="primary" if preset_text == text else "secondary",
        )


def editor(slug: str) -> list[Layer]:
    """Preset buttons and the editable stack; returns the stack to use (the last valid one)."""
    preset_buttons(slug)
    text = st.session_state[KEY]
    state_key = f"_stack_editor.{slug}"
    base, version, synced = st.session_state.get(state_key, (text, 0, text))
    if text != synced:  # changed by a preset, a link or the other lesson: start from it
        base, version, synced = text, version + 1, text
    widget_key = f"{slug}.layers.{version}"
    rows = _rows(decode_stack(base))
    edits = st.session_state.get(widget_key)
    problem = None
    if edits:
        try:
            new_text = encode_stack(_layers(_apply(rows, edits)))
            if new_text != text:
                text = synced = st.session_state[KEY] = new_text
        except StackError as error:
            problem = ui.error_text(error)
    st.session_state[state_key] = (base, version, synced)

    number = st.column_config.NumberColumn
    config = {
        "layer": st.column_config.SelectboxColumn(
            ui.t("stack_editor.layer"),
            options=list(KINDS),
            format_func=kind_name,
            required=True,
            default="conv",
            width="medium",
        ),
        "kernel": number(
            ui.t("stack_editor.kernel_k"),
            min_value=LIMITS["kernel"][0],
            max_value=LIMITS["kernel"][1],
            step=1,
            default=3,
            help=ui.t("stack_editor.window_side_k_k"),
        ),
        "stride": number(ui.t("stack_editor.stride_s"), min_value=1, max_value=LIMITS["stride"][1], step=1, default=1),
        "dilation": number(
            ui.t("stack_editor.dilation_d"),
            min_value=1,
            max_value=LIMITS["dilation"][1],
            step=1,
            default=1,
            help=ui.t("stack_editor.conv_only_gaps_between_taps"),
        ),
        "padding": number(
            ui.t("stack_editor.padding_p"), min_value=0, max_value=LIMITS["padding"][1], step=1, default=1
        ),
        "channels": number(
            ui.t("stack_editor.channels_out"),
            min_value=1,
            max_value=LIMITS["channels"][1],
            step=1,
            default=64,
            help=ui.t("stack_editor.conv_transposed_conv_only"),
        ),
    }
    st.data_editor(
        pd.DataFrame(rows, columns=list(COLUMNS)),
        key=widget_key,
        num_rows="dynamic",
        column_config=config,
        width="stretch",
        hide_index=False,
    )
    st.caption(ui.t("stack_editor.edit_cell_double_click_or"))
    if problem:
        ui.bad_input(ui.t("stack_editor.change_cannot_used_so_page") + problem)
    return decode_stack(text)


def link(slug: str) -> None:
    """A link to the other layer-stack lesson that carries the stack (and language, presenter mode) in its
    URL: Streamlit drops query parameters set during the first run after a page switch, so without this the
    address bar would lose the stack until the next interaction."""
    from lessons.catalog import BY_SLUG
    from pages.shell import lesson_page

    lesson = BY_SLUG[slug]
    query = {KEY: st.session_state[KEY]} if st.session_state[KEY] != DEFAULT else {}
    if ui.lang() != "en":
        query["lang"] = ui.lang()
    if ui.presenting():
        query["present"] = "1"
    st.page_link(lesson_page(slug), label=ui.lesson_title(slug), icon=lesson.icon, query_params=query or None)
