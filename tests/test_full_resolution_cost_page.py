"""The full-resolution-cost lesson on the server: the browser component gets the stack, the image size and
the words; the link carries both; bad links fall back. The cost table itself is computed in the browser
(tests/browser/test_layer_stack_browser.py reads it; test_layer_stack_math_vs_torch.py checks its numbers)."""

import json

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from lessons.catalog import BY_SLUG
from ops.layer_stack import STACK_PRESETS, encode_stack

SLUG = "full-resolution-cost"


def text_of(name):
    return encode_stack(list(STACK_PRESETS[name].layers))


def component_data(at) -> dict:
    """The layer-stack component's data (the lesson's state_sync component beside it carries only a channel)."""
    (component,) = [c for c in lesson(at).get("bidi_component") if c.proto.component_name == "pixelwise.layer_stack"]
    return json.loads(component.proto.json)


def test_opens_with_the_full_resolution_preset():
    at = open_page(SLUG)
    assert_no_exception(at)
    data = component_data(at)
    assert data["mode"] == "cost" and data["stack"] == text_of("all-conv")
    assert data["size"] == 256 and data["sizes"] == [32, 64, 128, 224, 256, 512, 1024]
    assert data["words"]["full_resolution_cost.total_flops_one_image"] == "Total FLOPs (one image)"
    assert not lesson(at).get("plotly_chart") and not lesson(at).get("dataframe")  # drawn in the browser


def test_the_link_carries_the_stack_and_the_size():
    at = open_page(SLUG, query={"stack": text_of("unet"), f"{SLUG}.size": "64"})
    assert_no_exception(at)
    data = component_data(at)
    assert (data["stack"], data["size"]) == (text_of("unet"), 64)
    links = [link for link in lesson(at).get("page_link") if link.proto.page == "receptive_field"]
    assert links and f"stack={text_of('unet')}" in str(links[0].proto)


def test_a_garbled_link_falls_back_to_the_default_with_a_note():
    at = open_page(SLUG, query={"stack": "c3s1d1p1n64-zz", f"{SLUG}.size": "99999"})
    assert_no_exception(at)
    assert any("could not be used" in i.value for i in lesson(at).info)
    data = component_data(at)
    assert (data["stack"], data["size"]) == (text_of("all-conv"), 256)


def test_the_page_reads_in_chinese():
    at = open_page(SLUG, query={"lang": "zh"})
    assert_no_exception(at)
    assert at.title[0].value == i18n.t(BY_SLUG[SLUG].title_key, "zh")
    assert any("全分辨率" in m.value for m in at.markdown)
    assert component_data(at)["words"]["preset.unet"] == i18n.t("preset.unet", "zh")
