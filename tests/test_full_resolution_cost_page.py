"""The full-resolution-cost lesson: per-layer cost table from ops, presets, editing, URL state, bad input."""

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from lessons.catalog import BY_SLUG
from ops.layer_stack import STACK_PRESETS, conv, encode_stack, layer_costs, max_pool

SLUG = "full-resolution-cost"
EDITOR = f"{SLUG}.layers.0"


def text_of(name):
    return encode_stack(list(STACK_PRESETS[name].layers))


def metrics(at):
    return {m.label: m.value for m in lesson(at).metric}


def edit(at, key, edited=None, added=None, deleted=None):
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    return at.run()


def test_opens_with_the_full_resolution_preset_and_its_costs():
    at = open_page(SLUG)
    assert_no_exception(at)
    costs = layer_costs(list(STACK_PRESETS["all-conv"].layers), 256)
    table = lesson(at).dataframe[1].value
    assert len(table) == len(costs)
    assert list(table["GFLOPs"]) == [c.flops / 1e9 for c in costs]
    assert list(table["activations (MiB)"]) == [c.activation_bytes / 2 ** 20 for c in costs]
    assert metrics(at)["Total FLOPs (one image)"] == f"{sum(c.flops for c in costs) / 1e9:,.2f} GFLOPs"
    assert metrics(at)["Output (channels × height × width)"] == "21 × 256 × 256"
    assert len(lesson(at).get("plotly_chart")) == 1


def test_a_preset_button_changes_the_table_and_the_link():
    at = open_page(SLUG)
    before = metrics(at)["Total FLOPs (one image)"]
    at.button(key=f"{SLUG}.preset.down-up").click().run()
    assert_no_exception(at)
    assert len(lesson(at).dataframe[1].value) == len(STACK_PRESETS["down-up"].layers)
    assert metrics(at)["Total FLOPs (one image)"] != before
    assert at.query_params["stack"] == text_of("down-up")


def test_the_link_carries_the_stack_and_the_size():
    at = open_page(SLUG, query={"stack": text_of("unet"), f"{SLUG}.size": "64"})
    assert_no_exception(at)
    assert len(lesson(at).dataframe[1].value) == len(STACK_PRESETS["unet"].layers)
    assert at.select_slider(key=f"{SLUG}.size").value == 64
    assert metrics(at)["Output (channels × height × width)"] == "2 × 64 × 64"


def test_editing_a_cell_updates_the_costs_and_the_link():
    at = open_page(SLUG)
    edit(at, EDITOR, edited={0: {"kernel": 5, "padding": 2}})
    assert_no_exception(at)
    expected = [conv(5, 64, padding=2)] + list(STACK_PRESETS["all-conv"].layers[1:])
    assert at.query_params["stack"] == encode_stack(expected)
    assert lesson(at).dataframe[1].value["GFLOPs"][0] == layer_costs(expected, 256)[0].flops / 1e9


def test_adding_and_deleting_rows():
    at = open_page(SLUG)
    edit(at, EDITOR, added=[{"layer": "max-pool", "kernel": 2, "stride": 2, "padding": 0}], deleted=[0])
    assert_no_exception(at)
    assert len(lesson(at).dataframe[1].value) == len(STACK_PRESETS["all-conv"].layers)
    assert at.query_params["stack"].endswith("-m2s2p0")


def test_a_bad_edit_is_refused_with_a_message_and_the_last_valid_stack_stays():
    at = open_page(SLUG)
    before = metrics(at)["Total FLOPs (one image)"]
    for bad in ({"kernel": 0}, {"stride": None}, {"channels": float("nan")}):
        edit(at, EDITOR, edited={2: bad})
        assert_no_exception(at)
        assert any("cannot be used" in w.value and "Layer 3" in w.value for w in lesson(at).warning), bad
        assert metrics(at)["Total FLOPs (one image)"] == before
    edit(at, EDITOR, edited={2: {"layer": "up-unpool"}})
    assert any("needs an earlier 2×2 max pool" in w.value for w in lesson(at).warning)


def test_a_stack_that_shrinks_to_nothing_says_so_and_the_chart_stays():
    tiny = encode_stack([conv(3, 8)] + [max_pool(2)] * 6)
    at = open_page(SLUG, query={"stack": tiny, f"{SLUG}.size": "32"})
    assert_no_exception(at)
    assert any("cannot run" in w.value and "would output nothing" in w.value for w in lesson(at).warning)
    assert len(lesson(at).get("plotly_chart")) == 1
    at.select_slider(key=f"{SLUG}.size").set_value(256).run()
    assert not lesson(at).warning and len(lesson(at).dataframe) == 2  # the editor and the cost table


def test_a_garbled_link_falls_back_to_the_default_with_a_note():
    at = open_page(SLUG, query={"stack": "c3s1d1p1n64-zz", f"{SLUG}.size": "99999"})
    assert_no_exception(at)
    assert any("could not be used" in i.value for i in lesson(at).info)
    assert at.select_slider(key=f"{SLUG}.size").value == 256
    assert len(lesson(at).dataframe[1].value) == len(STACK_PRESETS["all-conv"].layers)


def test_the_page_reads_in_chinese():
    at = open_page(SLUG, query={"lang": "zh"})
    assert_no_exception(at)
    assert at.title[0].value == i18n.t(BY_SLUG[SLUG].title_key, "zh")
    assert any("全分辨率" in m.value for m in at.markdown)
