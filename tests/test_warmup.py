"""The warm-up thread fills the very caches the pages read, once per process."""

import pytest

from harness.apptest import assert_no_exception, open_page
from lessons.figures.sliding_window_sweep import sweep
from ops.layer_stack.measured import TRIALS, measured_depth_growth, measured_effective_field
from ops.patches import trained_patch_classifier
from ops.patches.lesson_pass import picture_and_scores
from pages import sliding_window, state, warmup
from pages.components import layer_stack


@pytest.fixture(scope="module")
def warmed():
    return warmup.run()  # in this thread: what the background thread does at server start


@pytest.mark.slow
def test_warm_up_fills_the_caches(warmed):
    assert not set(name for name, _ in warmup.steps()) - set(warmed), "every step finished"
    assert warmup.done.is_set()
    image, size = state.setting("sliding-window.image").default, state.setting("sliding-window.size").default
    assert trained_patch_classifier.cache_contains()
    assert picture_and_scores.cache_contains(image, size)
    assert sweep.cache_contains(image, size)  # the animation's data, language-free
    assert measured_effective_field.cache_contains(layer_stack.DEFAULT, TRIALS)  # the stack the page opens with
    assert measured_depth_growth.cache_contains(16, TRIALS)


@pytest.mark.slow
def test_a_page_after_warm_up_reads_the_warm_figures(warmed):
    image, size = state.setting("sliding-window.image").default, state.setting("sliding-window.size").default
    warm = sweep(image, size)
    net = trained_patch_classifier()
    at = open_page("sliding-window")
    assert_no_exception(at)
    assert sweep(image, size) is warm  # none built: the page sent the warm data
    assert sliding_window.classifier() is net  # the page's classifier is the one the thread loaded
    erf = measured_effective_field(layer_stack.DEFAULT, TRIALS)
    at = open_page("receptive-field")
    assert_no_exception(at)
    assert measured_effective_field(layer_stack.DEFAULT, TRIALS) is erf  # shown at once, not measured again
    assert not [b for b in at.button if b.key == "receptive-field.measure_button"], "no 'measure' button: it is warm"


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
