"""The shared grid editor on its own (AppTest of a one-editor script): rounded cell text keeps the exact
value, a page's `validate` rule gets a message naming the grid, and replace_grid gives the editor a
fresh key so edits made on the old grid are dropped."""

import numpy as np
from streamlit.testing.v1 import AppTest


def _script():
    import numpy as np
    import streamlit as st

    from pages import grid_input

    def small(values):
        if np.any(values > 5):
            raise ValueError("values must be at most 5")
        return values

    def preset():
        grid_input.replace_grid("demo.grid", [[0.5, 0.25], [0.125, 1 / 3]])

    st.button("preset", key="demo.preset", on_click=preset)
    grid = grid_input.grid_editor("demo.grid", [[1.0, 2.0], [3.0, 4.0]], label="Demo grid", validate=small,
                                  resizable=False, buttons=False, cell_format=".1f")
    st.session_state["demo.sum"] = float(grid.sum())


def _open() -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    return at


def _edit(at, editor, row, col, text):
    at.session_state[editor] = {"edited_rows": {row: {str(col): text}}, "added_rows": [], "deleted_rows": []}
    at.run()


def _grid(at) -> np.ndarray:
    return np.asarray(at.session_state["demo.grid"])


def test_cells_shown_rounded_keep_their_exact_values_until_edited():
    at = _open()
    at.button(key="demo.preset").click().run()
    assert not at.exception
    np.testing.assert_array_equal(_grid(at), [[0.5, 0.25], [0.125, 1 / 3]])  # shown as 0.2, 0.1, 0.3
    _edit(at, "demo.grid.editor.1", 0, 0, "2")
    np.testing.assert_array_equal(_grid(at), [[2.0, 0.25], [0.125, 1 / 3]])


def test_a_broken_validate_rule_names_the_grid_and_keeps_the_last_valid_grid():
    at = _open()
    _edit(at, "demo.grid.editor", 1, 1, "9")
    assert not at.exception
    assert any("Demo grid: values must be at most 5" in w.value and "last valid grid" in w.value for w in at.warning)
    np.testing.assert_array_equal(_grid(at), [[1, 2], [3, 4]])
    _edit(at, "demo.grid.editor", 1, 1, "")
    assert any("every cell needs a number" in w.value for w in at.warning)


def test_replace_grid_starts_a_fresh_editor_and_drops_old_edits():
    at = _open()
    _edit(at, "demo.grid.editor", 0, 0, "5")
    assert _grid(at)[0, 0] == 5
    at.button(key="demo.preset").click().run()
    assert "demo.grid.editor" not in at.session_state  # the old editor's edits are gone with its key
    _edit(at, "demo.grid.editor.1", 1, 0, "4")
    np.testing.assert_array_equal(_grid(at), [[0.5, 0.25], [4.0, 1 / 3]])
