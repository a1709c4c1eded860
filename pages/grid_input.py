"""An editable grid of numbers for any lesson: st.data_editor with validation, resize, reset and random.

Why it is built this way:
- The editor's data is a *baseline* kept in session state, changed only by reset / random / resize
  or a page's preset (replace_grid), or a new URL. The editor's return value is never fed back in as
  its own data, which would make every second edit revert (a known st.data_editor trap); its key stays
  stable until replace_grid gives it a fresh one, which drops edits made on the old baseline (a keyed
  editor keeps its edits across value changes otherwise, and would reapply them to the new grid).
- Cells are text, so anything a student types (a word, an empty cell, "nan", "1e999") reaches us and
  gets a clear message naming the cell, while the lesson keeps using the last valid grid. A page's
  `validate` callback adds its own rules (e.g. class indices) the same way.
- The valid grid lives in session state under the lesson's key and in the URL (state.encode_grid), so a
  shared link opens the same grid.

Usage on a page::

    grid = grid_input.grid_editor("upsampling.grid", [[1, 2], [3, 4]], max_side=8)
    ...
    state.share_state()  # pages/state.py declares the grid and how the URL writes it

A fixed-size grid with the page's own rules and presets instead of the size controls and buttons::

    labels = grid_input.grid_editor("lesson.labels", DEFAULT, resizable=False, buttons=False,
                                    validate=check_labels, label_style="caption")
    grid_input.replace_grid("lesson.labels", preset)  # in a button callback
"""

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from pages import state, ui

LIMIT = 1e6  # larger magnitudes are refused: they only hide the numbers we want to see


def _editor_key(key: str) -> str:
    """`<key>.editor`, then `<key>.editor.<n>` after the n-th replace_grid (a fresh editor)."""
    version = st.session_state.get(_version_key(key), 0)
    return f"{key}.editor" + (f".{version}" if version else "")


def _version_key(key: str) -> str:
    return f"{key}.version"


def _base_key(key: str) -> str:
    return f"{key}.base"


def replace_grid(key: str, grid) -> None:
    """Set a grid from code (reset, random, resize, or a page that must fit it to another grid).

    Call it before the editor is drawn in this run, or from a widget callback.
    """
    grid = [[float(v) for v in row] for row in np.asarray(grid, dtype=float)]
    st.session_state[key] = grid
    st.session_state[_base_key(key)] = grid
    st.session_state.pop(_editor_key(key), None)
    st.session_state[_version_key(key)] = st.session_state.get(_version_key(key), 0) + 1  # a fresh editor


def resized(grid, rows: int, cols: int, fill: float = 0.0) -> list[list[float]]:
    """The grid cropped or padded with `fill` to rows × cols (what is kept stays in place)."""
    out = np.full((rows, cols), fill)
    old = np.asarray(grid, dtype=float)
    r, c = min(rows, old.shape[0]), min(cols, old.shape[1])
    out[:r, :c] = old[:r, :c]
    return out.tolist()


def random_grid(rows: int, cols: int, low: int = 0, high: int = 9, seed: int | None = None) -> list[list[float]]:
    """Small whole numbers: easy to read in the cells and to follow in the formulas."""
    rng = np.random.default_rng(seed)
    return rng.integers(low, high + 1, size=(rows, cols)).astype(float).tolist()


def _cell_text(value: float, cell_format: str = "g") -> str:
    return f"{value:{cell_format}}"


def parse_cells(table, baseline=None, cell_format: str = "g") -> tuple[list[list[float]] | None, list[str]]:
    """The edited table as floats, or (None, problems) naming each unusable cell in plain words.

    A cell still showing its `baseline` text keeps the baseline's exact value (the text may be rounded).
    """
    rows = table.values.tolist() if hasattr(table, "values") else list(table)
    grid, problems = [], []
    for r, row in enumerate(rows):
        values = []
        for c, cell in enumerate(row):
            text = "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell).strip()
            if baseline is not None and text == _cell_text(baseline[r][c], cell_format):
                values.append(baseline[r][c])
                continue
            try:
                value = float(text.replace(",", "."))
                if math.isfinite(value) and abs(value) <= LIMIT:  # the usual case: no message to write
                    values.append(value)
                    continue
            except ValueError:
                pass
            where = ui.t("grid.row_column", r=r, c=c)
            if text == "":
                problems.append(ui.t("grid.empty_every_cell_needs_number", where=where))
                continue
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                problems.append(ui.t("grid.not_number", where=where, text=text[:20]))
                continue
            if not math.isfinite(value):
                problems.append(ui.t("grid.not_finite_number", where=where, text=text[:20]))
            elif abs(value) > LIMIT:
                problems.append(ui.t("grid.too_large_keep_values_within", where=where, text=text[:20], LIMIT=LIMIT))
            values.append(value)
        grid.append(values)
    return (None, problems) if problems else (grid, [])


def _decoder(max_side: int):
    def decode(text: str):
        grid = state.decode_grid(text, max_side=max_side)
        if any(abs(v) > LIMIT for row in grid for v in row):
            raise ValueError("value too large")
        return grid

    return decode


def grid_editor(
    key: str,
    default=None,
    *,
    max_side: int | None = None,
    label: str = "",
    low: int = 0,
    high: int = 9,
    resizable: bool = True,
    square: bool = False,
    help: str | None = None,
    buttons: bool = True,
    validate: Callable[[np.ndarray], np.ndarray] | None = None,
    label_style: str = "bold",
    cell_width: int | str = "small",
    cell_format: str = "g",
) -> np.ndarray:
    """Draw the editor and return the last valid grid as a 2-D float array.

    `key` holds the valid grid (a list of rows) in session state and the URL; `max_side` bounds the
    size; `low`/`high` the random button's values; `square` keeps rows == columns (kernels);
    `resizable`/`buttons` show the size controls and the Reset/Random buttons. `validate` gets the
    parsed grid and returns it checked, or raises ValueError with a message for the student.
    `label_style` is "bold" (a heading) or "caption"; `cell_width` is "small"/"medium"/"large" or
    pixels; `cell_format` how cells show their numbers (".1f": one decimal; the exact value is kept).
    """
    declared = state.SETTINGS.get(key)  # pages/state.py: a lesson grid's default and largest side
    max_side = max_side or (declared.grid_side if declared else 8)
    default = [[float(v) for v in row] for row in (declared.default_value() if default is None else default)]
    state.init_state(key, default, decode=_decoder(max_side))
    grid = st.session_state[key]
    if _base_key(key) not in st.session_state or np.shape(st.session_state[_base_key(key)]) != np.shape(grid):
        st.session_state[_base_key(key)] = grid  # first run, or a grid that arrived from the URL / a page

    rows, cols = np.shape(grid)
    if label and label_style == "caption":
        st.caption(label, help=help)
    elif label:
        st.markdown(f"**{label}**", help=help)
    if resizable:
        _size_controls(key, rows, cols, max_side, square)
    base = st.session_state[_base_key(key)]
    table = pd.DataFrame(
        [[_cell_text(v, cell_format) for v in row] for row in base], columns=[str(c) for c in range(cols)]
    )
    config = {str(c): st.column_config.TextColumn(str(c), width=cell_width, alignment="right") for c in range(cols)}
    edited = st.data_editor(
        table, key=_editor_key(key), column_config=config, num_rows="fixed", width="content", hide_index=False
    )
    parsed, problems = parse_cells(edited, base, cell_format)
    if parsed is not None and validate is not None:
        try:
            parsed = [[float(v) for v in row] for row in np.asarray(validate(np.asarray(parsed)), dtype=float)]
        except ValueError as error:
            problems = [ui.error_text(error)]
    if problems:
        shown = "; ".join(problems[:4]) + (ui.t("grid.more", problems=len(problems) - 4) if len(problems) > 4 else "")
        named = f"{label}: {shown}" if label else shown
        ui.bad_input(ui.t("grid.still_using_last_valid_grid", named=named))
    elif parsed != grid:
        st.session_state[key] = parsed
    if buttons:
        _buttons(key, default, low, high)
    return np.asarray(st.session_state[key], dtype=float)


def _size_controls(key: str, rows: int, cols: int, max_side: int, square: bool) -> None:
    def on_resize(which: str) -> None:
        r = st.session_state[f"{key}.rows"] if which in ("rows", "side") else rows
        c = st.session_state[f"{key}.cols"] if which == "cols" else (r if square else cols)
        replace_grid(key, resized(st.session_state[key], r, c))

    if square:
        st.session_state[f"{key}.rows"] = rows
        st.number_input(
            ui.t("grid.size_rows_columns"), 1, max_side, step=1, key=f"{key}.rows", on_change=on_resize, args=("side",)
        )
        return
    st.session_state[f"{key}.rows"] = rows  # follow the grid (reset, random, URL) before drawing
    st.session_state[f"{key}.cols"] = cols
    left, right = st.columns(2)
    left.number_input(ui.t("grid.rows"), 1, max_side, step=1, key=f"{key}.rows", on_change=on_resize, args=("rows",))
    right.number_input(
        ui.t("grid.columns"), 1, max_side, step=1, key=f"{key}.cols", on_change=on_resize, args=("cols",)
    )


def _buttons(key: str, default, low: int, high: int) -> None:
    def on_reset() -> None:
        replace_grid(key, default)

    def on_random() -> None:
        rows, cols = np.shape(st.session_state[key])
        replace_grid(key, random_grid(rows, cols, low, high))

    left, right = st.columns(2)
    left.button(
        ui.t("grid.reset"), icon=":material/restart_alt:", key=f"{key}.reset", on_click=on_reset, width="stretch"
    )
    right.button(
        ui.t("grid.random"), icon=":material/casino:", key=f"{key}.random", on_click=on_random, width="stretch"
    )
