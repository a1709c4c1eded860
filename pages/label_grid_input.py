"""A small editable grid of numbers (labels or scores) whose value lives in the URL.

Pattern (see the common Streamlit note): the editor is always fed the same baseline from session
state, under a stable key, and its return value becomes the grid's value; it is never fed back in as
its own data. A valid edit replaces the value; an invalid one (empty cell, out of range, not a whole
number) gets a clear message and the last valid value stays. `set_grid` replaces the baseline (a
preset or a reset) and gives the editor a fresh key so its pending edits are dropped.
"""

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from pages import ui


CELL_WIDTH = 56  # screen pixels per column: a 4-column grid with its row numbers fits a third of the page


def _base_key(key: str) -> str:
    return f"{key}.base"


def _editor_key(key: str) -> str:
    return f"{key}.editor.{st.session_state.get(f'{key}.version', 0)}"


def set_grid(key: str, values) -> None:
    """Replace a grid's value and baseline (call from a button callback or before the editor is drawn)."""
    grid = [[float(v) for v in row] for row in np.asarray(values, dtype=float)]
    st.session_state[key] = grid
    st.session_state[_base_key(key)] = grid
    st.session_state[f"{key}.version"] = st.session_state.get(f"{key}.version", 0) + 1


def grid_input(key: str, label: str, validate: Callable[[np.ndarray], np.ndarray], *, lo: float, hi: float,
               step: float, number_format: str = "%g") -> np.ndarray:
    """Draw the editor for the grid in st.session_state[key] and return its current valid value.

    `validate` returns the checked array or raises ValueError with a message for the student.
    """
    base = st.session_state.setdefault(_base_key(key), st.session_state[key])
    frame = pd.DataFrame(base, columns=[str(c) for c in range(len(base[0]))])
    column = st.column_config.NumberColumn(min_value=lo, max_value=hi, step=step, format=number_format,
                                           required=True, width=CELL_WIDTH)
    st.caption(label)
    edited = st.data_editor(frame, key=_editor_key(key), num_rows="fixed", width="content",
                            column_config={name: column for name in frame.columns})
    try:
        values = edited.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            raise ValueError(ui.t("every cell needs a number", "每个格子都需要一个数字"))
        if np.any(np.abs(values) > 1e6):
            raise ValueError(ui.t("numbers must be at most a million in size", "数字的绝对值不能超过一百万"))
        checked = validate(values)
    except ValueError as error:
        ui.bad_input(ui.t(f"{label}: {error}. The last valid grid is used.",
                          f"{label}：{error}。仍使用上一个有效的网格。"))
        return np.asarray(st.session_state[key], dtype=float)
    st.session_state[key] = [[float(v) for v in row] for row in checked]
    return np.asarray(checked, dtype=float)
