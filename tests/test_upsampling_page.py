"""The upsampling explorer in AppTest: it opens, edits change the output, the notes' tables are on it,
bad input is refused with a message while the last valid grid stays, and the URL reopens the example."""

import base64
import json

import numpy as np
import pytest

from harness.apptest import assert_no_exception, open_page
from ops.upsampling import get_operator
from tests.test_upsampling_notes import NOTES_TABLES

EDITOR = "upsampling.grid.editor"


def _chart(at, key: str) -> dict:
    """A plotly chart's figure JSON, found by its widget key."""
    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith("-" + key):
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart with key {key}")


def _array(value) -> np.ndarray:
    """A figure's array: plain nested lists, or plotly's typed-array form {"dtype", "bdata", "shape"}."""
    if isinstance(value, dict):
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return flat.reshape([int(n) for n in str(value.get("shape", len(flat))).split(",")]).astype(float)
    return np.array(value, dtype=float)


def _output(at) -> np.ndarray:
    """The output grid shown in the input → output figure (second heatmap)."""
    return _array(_chart(at, "upsampling.result")["data"][1]["z"])


def _cell_texts(at, key: str, panel: int) -> list[list[str]]:
    return _chart(at, key)["data"][panel]["text"]


def _edit(at, row: int, col: int, text: str):
    at.session_state[EDITOR] = {"edited_rows": {row: {str(col): text}}, "added_rows": [], "deleted_rows": []}
    at.run()
    return at


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_page_opens_with_the_notes_example_and_a_live_torch_check():
    at = open_page("upsampling")
    assert_no_exception(at)
    np.testing.assert_allclose(_output(at), np.array(NOTES_TABLES["bilinear"]), atol=0.005)
    assert any("matches torch.nn.functional.interpolate ✓" in s.value for s in at.success)
    code = " ".join(c.value for c in at.code)
    assert 'F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)' in code


def test_the_notes_tables_appear_on_the_page_every_row():
    at = open_page("upsampling")
    for panel, name in enumerate(["bed_of_nails", "nearest", "bilinear", "bicubic"]):
        expected = [[f"{v:.2f}" for v in row] for row in NOTES_TABLES[name]]
        assert _cell_texts(at, "upsampling.notes", panel) == expected, name


def test_editing_a_cell_changes_the_output_shown():
    at = open_page("upsampling")
    before = _output(at)
    _edit(at, 0, 0, "5")
    assert_no_exception(at)
    after = _output(at)
    expected, _ = get_operator("bilinear")([[5, 2], [3, 4]], scale=2)
    np.testing.assert_allclose(after, expected[0])
    assert not np.allclose(before, after)
    assert at.query_params["upsampling.grid"] in ("5,2;3,4", ["5,2;3,4"])  # the edit is in the share link


@pytest.mark.parametrize("bad, words", [("abc", "not a number"), ("", "empty"), ("nan", "not a finite"),
                                        ("1e999", "not a finite"), ("-inf", "not a finite"), ("1e9", "too large")])
def test_bad_input_gives_a_message_and_keeps_the_last_valid_grid(bad, words):
    at = open_page("upsampling")
    _edit(at, 0, 0, "7")  # a valid edit first: this becomes the last valid grid
    valid = _output(at)
    _edit(at, 1, 1, bad)
    assert_no_exception(at)
    assert words in _warnings(at) and "last valid grid" in _warnings(at)
    np.testing.assert_array_equal(_output(at), valid)


def test_url_state_opens_the_same_example():
    query = {"upsampling.grid": "0,1,2;3,4,5", "upsampling.op": "bicubic", "upsampling.scale": "3",
             "upsampling.align_corners": "True"}
    at = open_page("upsampling", query=query)
    assert_no_exception(at)
    expected, _ = get_operator("bicubic")([[0, 1, 2], [3, 4, 5]], scale=3, align_corners=True)
    np.testing.assert_allclose(_output(at), expected[0])
    shared = {key: at.query_params[key] for key in query}  # what share_state wrote into the link
    assert shared == query
    again = open_page("upsampling", query=shared)
    np.testing.assert_array_equal(_output(again), _output(at))


def test_bad_url_values_fall_back_to_defaults_with_a_note():
    at = open_page("upsampling", query={"upsampling.grid": "1,2;3", "upsampling.op": "lanczos",
                                        "upsampling.scale": "9"})
    assert_no_exception(at)
    np.testing.assert_allclose(_output(at), np.array(NOTES_TABLES["bilinear"]), atol=0.005)
    assert any("could not be used" in i.value for i in at.info)


def test_oversized_url_grid_is_refused():
    big = ";".join(",".join("1" for _ in range(9)) for _ in range(9))
    at = open_page("upsampling", query={"upsampling.grid": big})
    assert _output(at).shape == (4, 4)
    assert any("upsampling.grid" in i.value for i in at.info)


@pytest.mark.parametrize("name", ["bed_of_nails", "nearest", "bicubic", "max_unpool", "transposed_conv"])
def test_every_operator_shows_its_output_check_and_animation(name):
    at = open_page("upsampling", query={"upsampling.op": name})
    assert_no_exception(at)
    assert any("✓" in s.value for s in at.success)
    animation = _chart(at, "upsampling.animation")
    assert animation["frames"] and animation["layout"]["sliders"][0]["steps"]
    assert [b["label"] for b in animation["layout"]["updatemenus"][0]["buttons"]] == ["▶ Play", "❚❚ Pause"]


def test_transposed_conv_states_its_output_size_with_numbers():
    at = open_page("upsampling", query={"upsampling.op": "transposed_conv"})
    formula = " ".join(x.value for x in at.latex)
    assert r"(2 - 1)\cdot 2 - 2\cdot 1 + 1\cdot(3 - 1) + 1 + 1 = 4" in formula
    assert "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1" in " ".join(c.value for c in at.code)
    # the stamp animation: one frame per input cell, the last frame's running sum is the output
    animation = _chart(at, "upsampling.animation")
    assert len(animation["frames"]) == 4
    np.testing.assert_allclose(_array(animation["frames"][-1]["data"][0]["z"]), _output(at))


def test_max_unpooling_shows_switches_and_the_tie_rule():
    at = open_page("upsampling", query={"upsampling.op": "max_unpool"})
    assert "first" in " ".join(m.value for m in at.markdown) and "row-major" in " ".join(m.value for m in at.markdown)
    np.testing.assert_array_equal(_output(at), [[0, 0, 2, 0], [0, 1, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]])
    at = open_page("upsampling",
                   query={"upsampling.op": "max_unpool", "upsampling.encoder": "5,5,0,0;5,5,0,0;0,0,0,0;0,0,0,0"})
    assert any("equal maxima" in i.value for i in at.info)  # every window ties here
    np.testing.assert_array_equal(_output(at), [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]])


def test_resize_random_and_reset():
    at = open_page("upsampling")
    at.number_input(key="upsampling.grid.rows").set_value(3).run()
    assert_no_exception(at)
    assert _output(at).shape == (6, 4)
    at.button(key="upsampling.grid.random").click().run()
    assert _output(at).shape == (6, 4)
    at.button(key="upsampling.grid.reset").click().run()
    np.testing.assert_allclose(_output(at), np.array(NOTES_TABLES["bilinear"]), atol=0.005)


def test_edits_are_not_lost_on_the_second_edit():
    """The st.data_editor trap: feeding the editor its own output makes every second edit revert."""
    at = open_page("upsampling", query={"upsampling.op": "nearest"})
    at.session_state[EDITOR] = {"edited_rows": {0: {"0": "9"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.session_state[EDITOR] = {"edited_rows": {0: {"0": "9"}, 1: {"1": "8"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert _output(at)[0, 0] == 9 and _output(at)[3, 3] == 8


def test_compare_all_shows_six_outputs_and_the_checkerboard_counts():
    at = open_page("upsampling")
    assert len(_chart(at, "upsampling.compare")["data"]) == 6
    checker = _chart(at, "upsampling.checkerboard")
    assert checker["data"][0]["text"][0] == ["1", "1", "2", "1", "2", "1", "2", "1", "1"]


def test_chinese_page_opens():
    at = open_page("upsampling", query={"lang": "zh"})
    assert_no_exception(at)
    assert any("上采样" in t.value for t in at.title)


def test_impossible_transposed_conv_settings_give_a_message_and_a_working_page():
    at = open_page("upsampling", query={"upsampling.op": "transposed_conv", "upsampling.padding": "6"})
    assert_no_exception(at)
    assert "cannot be used" in _warnings(at) and "empty" in _warnings(at)
    assert _output(at).shape == (4, 4)  # the settings that always work: k3, s2, p1, output padding 1
    at.number_input(key="upsampling.padding").set_value(0).run()
    assert_no_exception(at)
    assert not at.warning and _output(at).shape == (6, 6)  # (2-1)·2 - 0 + 1·(3-1) + 1 + 1


def test_the_stamp_animation_follows_the_grid_after_another_grid_was_shown():
    """Cached figures are keyed by what they show: a second grid must not get the first grid's animation."""
    first = open_page("upsampling", query={"upsampling.op": "transposed_conv", "upsampling.grid": "1,2,3;4,5,6"})
    assert len(_chart(first, "upsampling.animation")["frames"]) == 6
    at = open_page("upsampling", query={"upsampling.op": "transposed_conv"})
    animation = _chart(at, "upsampling.animation")
    assert len(animation["frames"]) == 4
    np.testing.assert_allclose(_array(animation["frames"][-1]["data"][0]["z"]), _output(at))
