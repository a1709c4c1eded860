"""The upsampling page in AppTest: what the server hands the browser component (state from the URL, words
in the chosen language, prose, palette, presenter mode), what it keeps of the state the browser sends back,
and the live PyTorch check and code it prints for that state. The drawing itself is tested in Chromium
(tests/browser/test_upsampling_browser.py)."""

import json

import pytest

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from lessons.figures import palette
from pages.upsampling_explorer import accepted

COMPONENT = "pixelwise.upsampling"


def _data(at) -> dict:
    """The JSON the page sent to the component."""
    [element] = [e for e in at.get("bidi_component") if e.proto.component_name == COMPONENT]
    return json.loads(element.proto.json)


def _code(at) -> str:
    return " ".join(c.value for c in at.code)


def test_page_opens_with_the_notes_example_and_a_live_torch_check():
    at = open_page("upsampling")
    assert_no_exception(at)
    data = _data(at)
    assert data["initial"]["op"] == "bilinear" and data["initial"]["grid"] == [[1, 2], [3, 4]]
    assert data["initial"]["encoder"] == [[1, 2, 6, 3], [3, 5, 2, 1], [1, 2, 2, 1], [7, 3, 4, 8]]
    assert data["words"]["upsampling.input_grid"] == "Input grid"
    assert data["words"]["upsampling.js.output_grid"] == "Output grid"
    assert data["words"]["upsampling.formula_sum"] == i18n.t("upsampling.formula_sum", "en")  # unfilled: {fields}
    assert data["palette"]["highlight"] == palette.HIGHLIGHT and len(data["palette"]["heatmap"]) >= 2
    assert data["texts"]["op-bilinear"] and not data["presenting"]
    assert any("matches torch.nn.functional.interpolate ✓" in s.value for s in at.success)
    assert 'F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)' in _code(at)
    assert not lesson(at).get("plotly_chart")  # the server draws no figure of the explorer any more


def test_url_state_opens_the_same_example():
    at = open_page("upsampling", query={"upsampling.op": "bicubic", "upsampling.scale": "3",
                                        "upsampling.align_corners": "1", "upsampling.grid": "5,2;3,-4"})
    assert_no_exception(at)
    initial = _data(at)["initial"]
    assert (initial["op"], initial["scale"], initial["align_corners"]) == ("bicubic", 3, True)
    assert initial["grid"] == [[5, 2], [3, -4]]
    assert len(initial["encoder"]) == 6 and len(initial["encoder"][0]) == 6  # (H·s)×(W·s) follows the input
    assert 'mode="bicubic", align_corners=True' in _code(at) and "[5, 2], [3, -4]" in _code(at)


def test_bad_url_values_fall_back_to_defaults_with_a_note():
    at = open_page("upsampling", query={"upsampling.op": "magic", "upsampling.grid": "1,2;3,1e999",
                                        "upsampling.scale": "7"})
    assert_no_exception(at)
    initial = _data(at)["initial"]
    assert (initial["op"], initial["scale"], initial["grid"]) == ("bilinear", 2, [[1, 2], [3, 4]])
    note = " ".join(i.value for i in at.info)
    assert i18n.t("ui.some_settings_link_could_not", "en") in note
    assert "upsampling.op" in note and "upsampling.grid" in note and "upsampling.scale" in note


def test_what_the_browser_sends_is_kept_only_where_a_link_could_carry_it():
    values, refused = accepted({"op": "nearest", "grid": [[1, 2], [3, 4.5]], "scale": 4, "align_corners": True,
                                "row": 3, "kernel": [[0, 1], [1, 0]]})
    assert refused == []
    assert values == {"upsampling.op": "nearest", "upsampling.grid": [[1, 2], [3, 4.5]], "upsampling.scale": 4,
                      "upsampling.align_corners": True, "upsampling.row": 3, "upsampling.kernel": [[0, 1], [1, 0]]}
    bad = {"op": "xx", "scale": 5, "grid": [[1, 2e6]], "kernel": [[1] * 6] * 6, "encoder": [[float("nan")]],
           "stride": 9, "align_corners": "maybe", "dilation": "two"}
    values, refused = accepted(bad)
    assert values == {} and sorted(refused) == sorted(bad)


@pytest.mark.parametrize("name, function", [("nearest", "interpolate"), ("bed_of_nails", "conv_transpose2d"),
                                            ("max_unpool", "max_unpool2d"), ("transposed_conv", "conv_transpose2d")])
def test_the_state_the_browser_sent_drives_the_torch_check_and_the_link(name, function):
    at = open_page("upsampling")
    at.session_state["upsampling.op"] = name  # what absorb() keeps from the browser's debounced state
    at.session_state["upsampling.grid"] = [[5, 2], [3, 4]]
    at.run()
    assert_no_exception(at)
    assert any(f"matches torch.nn.functional.{function} ✓" in s.value for s in at.success), name
    assert "[5, 2], [3, 4]" in _code(at)
    assert _data(at)["initial"]["grid"] == [[5, 2], [3, 4]]  # a reload starts from the kept state
    assert at.query_params["upsampling.grid"] == "5,2;3,4" and at.query_params["upsampling.op"] == name


def test_impossible_transposed_conv_settings_give_a_working_page():
    at = open_page("upsampling", query={"upsampling.op": "transposed_conv", "upsampling.padding": "6",
                                        "upsampling.grid": "1"})
    assert_no_exception(at)  # the check falls back to settings that work; the browser says why
    assert any("conv_transpose2d" in s.value for s in at.success)


def test_chinese_and_presenter_mode_reach_the_component():
    at = open_page("upsampling", query={"lang": "zh", "present": "1"})
    assert_no_exception(at)
    data = _data(at)
    assert data["words"]["upsampling.input_grid"] == i18n.t("upsampling.input_grid", "zh") != "Input grid"
    assert data["words"]["operator.bilinear"] == i18n.t("operator.bilinear", "zh")
    assert data["presenting"] is True
