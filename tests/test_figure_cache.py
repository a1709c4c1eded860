"""Cached figures are keyed by what they show: an edit still changes the figure that depends on it, a
figure that does not depend on it stays the very same, and a language switch changes the words."""

import json
import threading
import time

from harness.apptest import assert_no_exception, lesson, open_page
from lessons import i18n
from ops.memo import SharedCache, shared
from pages import figcache, ui


def _specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in lesson(at).get("plotly_chart")]


def test_shared_cache_builds_each_key_once_across_threads():
    cache, calls = SharedCache(maxsize=2), []

    def build():
        calls.append(1)
        time.sleep(0.2)
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(cache.get("k", build))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(g) for g in got}) == 1
    cache.get("a", object)
    cache.get("b", object)
    assert "k" not in cache and cache.keys() == ["a", "b"]  # least recently used evicted past maxsize


def test_a_failed_build_is_not_stored_and_is_tried_again():
    cache = SharedCache()

    def fails():
        raise ValueError("no")

    for _ in range(2):
        try:
            cache.get("k", fails)
        except ValueError:
            pass
    assert "k" not in cache and cache.get("k", lambda: 3) == 3


def test_shared_ignores_the_progress_callback_in_its_key():
    calls = []

    @shared(maxsize=4, ignore=("progress",))
    def square(x, progress=None):
        calls.append(x)
        return x * x

    assert square(3, progress=print) == 9 and square(3, progress=None) == 9 and square(4) == 16
    assert calls == [3, 4] and square.cache_contains(3) and not square.cache_contains(5)


def _titled_figure():
    """A figure whose title is a translated word, cached by figcache (the browser draws the lesson's tables now)."""
    import plotly.graph_objects as go

    title = {"text": ui.t("upsampling.input_1_2_3_4")}
    return figcache.figure("test.titled", (), lambda: go.Figure(layout={"title": title}))


def test_language_and_presenter_mode_are_part_of_the_key():
    with ui.as_viewer("en"):
        english = _titled_figure()
        assert _titled_figure() is english  # built once, then shared
    with ui.as_viewer("zh"):
        chinese = _titled_figure()
    with ui.as_viewer("en", present=True):
        projector = _titled_figure()
    assert chinese is not english and projector is not english
    assert english.layout.title.text == i18n.t("upsampling.input_1_2_3_4", "en")
    assert chinese.layout.title.text == i18n.t("upsampling.input_1_2_3_4", "zh") != english.layout.title.text
    assert projector.layout.font.size == 20 and english.layout.font.size != 20  # styled for the projector once


def test_a_gap_edit_changes_the_figures_and_editing_back_restores_them():
    at = open_page("things-and-stuff")
    default = at.slider(key="things-and-stuff.gap").value
    before = _specs(at)
    at.slider(key="things-and-stuff.gap").set_value(4).run()
    assert_no_exception(at)
    apart = _specs(at)
    assert apart[1] != before[1] and apart[0] != before[0]  # the picture and the semantic map follow the gap
    at.slider(key="things-and-stuff.gap").set_value(default).run()
    assert _specs(at) == before  # the same cached figures as at the start


def test_a_language_switch_changes_the_cached_figures_words():
    english = _specs(open_page("things-and-stuff"))
    chinese = _specs(open_page("things-and-stuff", query={"lang": "zh"}))
    title = i18n.t("things_and_stuff.semantic_segmentation_things_stuff_no", "zh")
    assert english[1]["layout"]["title"]["text"] != chinese[1]["layout"]["title"]["text"]
    assert title in json.dumps(chinese[1], ensure_ascii=False)
    assert english[1]["data"][0]["z"] == chinese[1]["data"][0]["z"]  # same scene, other words
