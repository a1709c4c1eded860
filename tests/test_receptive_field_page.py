"""The receptive-field lesson on the server: what it sends the browser component (the stack from the link,
presets, words, grid and pixel), the effective field measured on demand, the stack shared with the cost
lesson, bad links, and the component's edits checked again by the server."""

import json
from types import SimpleNamespace

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from lessons.catalog import BY_SLUG
from ops.layer_stack import STACK_PRESETS, conv, encode_stack
from ops.layer_stack.measured import measured_effective_field
from pages.components import layer_stack

SLUG = "receptive-field"


def text_of(name):
    return encode_stack(list(STACK_PRESETS[name].layers))


def component_data(at) -> dict:
    """The layer-stack component's data (the lesson's state_sync component beside it carries only a channel)."""
    (component,) = [c for c in lesson(at).get("bidi_component") if c.proto.component_name == "pixelwise.layer_stack"]
    return json.loads(component.proto.json)


def test_the_component_gets_the_stack_presets_and_the_words():
    at = open_page(SLUG)
    assert_no_exception(at)
    data = component_data(at)
    assert data["mode"] == "field" and data["stack"] == text_of("all-conv")
    assert data["presets"] == {name: text_of(name) for name in STACK_PRESETS}
    assert (data["grid"], data["row"], data["col"]) == (32, 16, 16) and data["grids"] == [16, 24, 32, 48, 64]
    assert data["words"]["receptive_field.field_r_px"] == "field r (px)"
    assert data["words"]["stack.value_out_of_range"].startswith("Layer {layer} ({kind}): {name} must be from")
    assert all(not value.startswith(("receptive_field.", "layer_stack.", "stack")) for value in data["words"].values())
    assert not lesson(at).get("dataframe")  # the tables are drawn in the browser now


def test_the_effective_field_is_measured_when_asked_and_then_shown():
    text = encode_stack([conv(3, 4)] * 2)
    at = open_page(SLUG, query={"stack": text})
    assert_no_exception(at)
    assert not measured_effective_field.cache_contains(text, 8)
    assert not lesson(at).metric
    at.button(key=f"{SLUG}.measure_button").click().run()
    assert_no_exception(at)
    metric = {m.label: m.value for m in lesson(at).metric}
    assert metric["Theoretical square"] == "5 × 5 px"
    assert measured_effective_field.cache_contains(text, 8)
    assert len(lesson(at).get("plotly_chart")) == 2  # the effective field and the width against depth
    at = open_page(SLUG, query={"stack": text})  # measured once per server: shown at once from now on
    assert {m.label: m.value for m in lesson(at).metric}["Theoretical square"] == "5 × 5 px"


def test_the_link_carries_stack_grid_and_pixel():
    text = encode_stack([conv(3, 4)] * 3)
    at = open_page(SLUG, query={"stack": text, f"{SLUG}.grid": "16", f"{SLUG}.row": "2", f"{SLUG}.col": "3"})
    assert_no_exception(at)
    data = component_data(at)
    assert (data["stack"], data["grid"], data["row"], data["col"]) == (text, 16, 2, 3)
    assert at.query_params["stack"] == text


def test_the_stack_is_shared_with_the_cost_lesson_by_its_link():
    at = open_page(SLUG, query={"stack": text_of("down-up")})
    links = [link for link in lesson(at).get("page_link") if link.proto.page == "full_resolution_cost"]
    assert links and f"stack={text_of('down-up')}" in str(links[0].proto)


def test_bad_link_values_fall_back_with_a_note():
    at = open_page(SLUG, query={f"{SLUG}.grid": "17", "stack": "nonsense", f"{SLUG}.row": "-4"})
    assert_no_exception(at)
    assert any("could not be used" in i.value for i in lesson(at).info)
    data = component_data(at)
    assert (data["stack"], data["grid"], data["row"]) == (text_of("all-conv"), 32, 16)


def test_the_server_checks_what_the_browser_sends(monkeypatch):
    """The component's debounced edit is applied only where ops accepts it (the browser is not trusted)."""
    state = {"stack": text_of("all-conv"), f"{SLUG}.grid": 32, f"{SLUG}.row": 16}
    monkeypatch.setattr(layer_stack, "st", SimpleNamespace(session_state=state))
    settings = {"grid": f"{SLUG}.grid", "row": f"{SLUG}.row"}
    good = encode_stack([conv(5, 8)] * 2)
    state["k"] = {"edit": {"stack": good, "grid": 16, "row": 3}}
    layer_stack._received("k", settings)
    assert (state["stack"], state[f"{SLUG}.grid"], state[f"{SLUG}.row"]) == (good, 16, 3)
    state["k"] = {"edit": {"stack": "c3s1d99p1n4", "grid": 17, "row": 99}}
    layer_stack._received("k", settings)
    assert (state["stack"], state[f"{SLUG}.grid"], state[f"{SLUG}.row"]) == (good, 16, 3)


def test_the_page_reads_in_chinese():
    at = open_page(SLUG, query={"lang": "zh"})
    assert_no_exception(at)
    assert at.title[0].value == i18n.t(BY_SLUG[SLUG].title_key, "zh")
    assert any("感受野" in m.value for m in at.markdown)
    assert component_data(at)["words"]["layer_stack.add_layer"] == i18n.t("layer_stack.add_layer", "zh")
