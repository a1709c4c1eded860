"""The warm-up thread fills the very caches the pages read, once per process."""

import pytest

from harness.apptest import assert_no_exception, open_page
from lessons import i18n
from ops.layer_stack.measured import measured_depth_growth, measured_effective_field
from ops.patches import trained_patch_classifier
from pages import figcache, receptive_field, sliding_window, state, warmup
from pages.components import layer_stack


def _names(name: str) -> set[str]:
    """The languages the figure `name` is cached in (presenter mode off)."""
    return {key[2] for key in figcache.FIGURES.keys() if key[0] == name and not key[3]}


@pytest.fixture(scope="module")
def warmed():
    return warmup.run()  # in this thread: what the background thread does at server start


@pytest.mark.slow
def test_warm_up_fills_the_caches(warmed):
    assert not set(name for name, _ in warmup.steps()) - set(warmed), "every step finished"
    assert warmup.done.is_set()
    image, size = state.setting("sliding-window.image").default, state.setting("sliding-window.size").default
    assert trained_patch_classifier.cache_contains()
    assert sliding_window.picture_and_scores.cache_contains(image, size)
    assert sliding_window.sweep.cache_contains(image, size)  # the animation's data, language-free
    assert measured_effective_field.cache_contains(layer_stack.DEFAULT, receptive_field.TRIALS)
    assert measured_depth_growth.cache_contains(16, receptive_field.TRIALS)
    every = set(i18n.languages())
    for name in ("receptive-field.effective", "receptive-field.depth"):
        assert _names(name) == every, name


@pytest.mark.slow
def test_a_page_after_warm_up_reads_the_warm_figures(warmed):
    image, size = state.setting("sliding-window.image").default, state.setting("sliding-window.size").default
    warm = sliding_window.sweep(image, size)
    net = trained_patch_classifier()
    at = open_page("sliding-window")
    assert_no_exception(at)
    assert sliding_window.sweep(image, size) is warm  # none built: the page sent the warm data
    assert sliding_window.classifier() is net  # the page's classifier is the one the thread trained
    effective = {key for key in figcache.FIGURES.keys() if key[0] == "receptive-field.effective"}
    assert_no_exception(open_page("receptive-field"))
    assert {key for key in figcache.FIGURES.keys() if key[0] == "receptive-field.effective"} == effective


def test_start_runs_once_per_process_unless_switched_off(monkeypatch):
    started = []
    monkeypatch.setattr(warmup, "run", lambda: started.append(1))
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setenv("PIXELWISE_WARMUP", "0")
    assert warmup.start() is False  # switched off (tests/conftest.py does this for the test processes)
    monkeypatch.delenv("PIXELWISE_WARMUP")
    assert warmup.start() is True and warmup.start() is False
    for thread in __import__("threading").enumerate():
        if thread.name == "pixelwise-warmup":
            thread.join(5)
    assert started == [1]
