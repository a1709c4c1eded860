"""The FCN lab page: opens, trains a tiny network epoch by epoch, stops on request, compares decoders."""

from harness.apptest import assert_no_exception, lesson, open_page

TINY = {"fcn-lab.train_images": "8", "fcn-lab.val_images": "8", "fcn-lab.batch": "8"}


def _metrics(at) -> dict:
    return {m.label: m.value for m in lesson(at).metric}


def _chart_count(at) -> int:
    return len(lesson(at).get("plotly_chart"))


def test_the_page_opens_with_the_data_gallery_and_no_training_yet():
    at = open_page("fcn-lab", query=TINY)
    assert_no_exception(at)
    assert _chart_count(at) == 1  # the gallery
    assert not lesson(at).metric
    assert any("Press **Train**" in i.value for i in lesson(at).info)


def test_a_tiny_training_run_completes_and_shows_its_curve():
    at = open_page("fcn-lab", query={**TINY, "fcn-lab.epochs": "2"})
    at.button(key="fcn-lab.train").click().run()  # each run of the page trains one epoch
    assert_no_exception(at)
    assert _metrics(at)["Epochs"] == "1 / 2"
    assert any("training…" in c.value for c in at.caption)
    at.run()
    assert_no_exception(at)
    assert _metrics(at)["Epochs"] == "2 / 2"
    assert any(c.value.startswith("done") for c in at.caption)
    assert _chart_count(at) == 3  # gallery, loss and mIoU curves, prediction strip
    assert 0 <= float(_metrics(at)["Validation mIoU"]) <= 1
    at.run()
    assert _metrics(at)["Epochs"] == "2 / 2", "a finished run stays put, and stays in the session"


def test_stop_ends_training_between_epochs_and_keeps_the_result():
    at = open_page("fcn-lab", query={**TINY, "fcn-lab.epochs": "5"})
    at.button(key="fcn-lab.train").click().run()
    at.button(key="fcn-lab.stop.single").click().run()
    assert_no_exception(at)
    at.run()
    assert _metrics(at)["Epochs"] == "1 / 5"
    assert any(c.value.startswith("stopped early") for c in at.caption)
    assert not [b for b in at.button if b.key == "fcn-lab.stop.single"]


def test_the_comparison_trains_every_decoder_and_reports_the_checkerboard():
    at = open_page("fcn-lab", query={**TINY, "fcn-lab.compare_epochs": "1"})
    at.button(key="fcn-lab.compare").click().run()
    for _ in range(6):
        at.run()
    assert_no_exception(at)
    table = lesson(at).dataframe[0].value
    assert len(table) == 6 and "checkerboard score" in table.columns
    assert set(table["epochs"]) == {1}
    assert table.set_index("decoder").loc["Transposed conv k3 s2", "parameters"] > \
        table.set_index("decoder").loc["Nearest neighbour", "parameters"]
    assert _chart_count(at) == 4  # gallery, curves, predictions side by side, flat-patch maps


def test_bad_link_values_fall_back_to_defaults_with_a_note():
    at = open_page("fcn-lab", query={**TINY, "fcn-lab.decoder": "bicubic", "fcn-lab.epochs": "999"})
    assert_no_exception(at)
    assert at.selectbox(key="fcn-lab.decoder").value == "bilinear"
    assert at.slider(key="fcn-lab.epochs").value == 6
    assert any("could not be used" in i.value for i in lesson(at).info)


def test_the_page_reads_in_chinese():
    at = open_page("fcn-lab", query={**TINY, "lang": "zh"})
    assert_no_exception(at)
    assert at.button(key="fcn-lab.train").label == "训练"
    assert any("合成场景" in m.value for m in at.markdown)
