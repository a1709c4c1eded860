"""The receptive-field lesson: field table (recurrence, autograd after upsampling), animation, effective
field, the stack shared with the cost lesson through the URL, bad input."""

import base64
import json

import numpy as np

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from lessons.catalog import BY_SLUG
from ops.layer_stack import STACK_PRESETS, conv, encode_stack, receptive_field

SLUG = "receptive-field"


def text_of(name):
    return encode_stack(list(STACK_PRESETS[name].layers))


def figures(at):
    return [json.loads(chart.proto.spec) for chart in lesson(at).get("plotly_chart")]


def grid(z):
    """A heatmap's z from the figure JSON (plotly sends numpy arrays as typed base64 'bdata')."""
    if isinstance(z, dict):
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(
            [int(n) for n in z["shape"].split(",")])
    return np.asarray(z, dtype=float)


def test_opens_with_the_linear_growth_of_stacked_convs():
    at = open_page(SLUG)
    assert_no_exception(at)
    table = lesson(at).dataframe[1].value
    assert list(table["field r (px)"]) == [1, 3, 5, 7, 9, 11, 13, 15, 15]  # seven 3×3 convs, then a 1×1
    assert set(table["computed by"]) == {"recurrence"}
    animation, effective, depth = figures(at)
    assert len(animation["frames"]) == 9
    assert animation["layout"]["updatemenus"][0]["buttons"][0]["label"].endswith("Play")
    assert len(animation["layout"]["sliders"][0]["steps"]) == 9
    last = grid(animation["frames"][-1]["data"][0]["z"])
    assert np.isfinite(last).sum() == 15 * 15
    assert grid(animation["frames"][1]["data"][0]["z"])[15:18, 15:18].tolist() == [[1, 1, 1], [1, 0, 1], [1, 1, 1]]
    metric = {m.label: m.value for m in lesson(at).metric}
    assert metric["Theoretical square"] == "15 × 15 px"


def test_a_preset_with_upsampling_is_measured_by_autograd_and_says_so():
    at = open_page(SLUG)
    at.button(key=f"{SLUG}.preset.unet").click().run()
    assert_no_exception(at)
    table = lesson(at).dataframe[1].value
    expected = receptive_field(list(STACK_PRESETS["unet"].layers))
    assert list(table["field r (px)"]) == [row.size for row in expected]
    assert "autograd (gradient support)" in set(table["computed by"])
    assert any("gradient" in i.value and "autograd" in i.value for i in lesson(at).info)
    assert at.query_params["stack"] == text_of("unet")


def test_the_stack_is_shared_with_the_cost_lesson():
    at = open_page("full-resolution-cost")
    at.button(key="full-resolution-cost.preset.down-up").click().run()
    # the link to this lesson carries the stack in its URL (pages/stack_editor.py link): follow it
    at = open_page(SLUG, query={"stack": at.query_params["stack"]})
    assert_no_exception(at)
    assert len(lesson(at).dataframe[1].value) == len(STACK_PRESETS["down-up"].layers) + 1
    assert at.query_params["stack"] == text_of("down-up")


def test_the_link_carries_grid_and_pixel():
    at = open_page(SLUG, query={"stack": encode_stack([conv(3, 4)] * 3), f"{SLUG}.grid": "16",
                                f"{SLUG}.row": "2", f"{SLUG}.col": "3"})
    assert_no_exception(at)
    animation = figures(at)[0]
    assert animation["data"][1]["x"] == [3] and animation["data"][1]["y"] == [2]
    final = grid(animation["frames"][-1]["data"][0]["z"])
    assert final.shape == (16, 16)
    rows, cols = np.nonzero(np.isfinite(final))
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (0, 5, 0, 6)  # 7×7 around (2, 3), clipped


def test_bad_link_values_fall_back_with_a_note():
    at = open_page(SLUG, query={f"{SLUG}.grid": "17", "stack": "nonsense", f"{SLUG}.row": "-4"})
    assert_no_exception(at)
    assert any("could not be used" in i.value for i in lesson(at).info)
    assert at.select_slider(key=f"{SLUG}.grid").value == 32


def test_a_bad_edit_keeps_the_last_valid_stack():
    at = open_page(SLUG)
    at.session_state[f"{SLUG}.layers.0"] = {"edited_rows": {0: {"dilation": 99}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_no_exception(at)
    assert any("dilation must be from 1 to 16" in w.value for w in lesson(at).warning)
    assert list(lesson(at).dataframe[1].value["field r (px)"])[-1] == 15


def test_the_page_reads_in_chinese():
    at = open_page(SLUG, query={"lang": "zh"})
    assert_no_exception(at)
    assert at.title[0].value == i18n.t(BY_SLUG[SLUG].title_key, "zh")
    assert any("感受野" in m.value for m in at.markdown)
