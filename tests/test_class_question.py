"""Issue 20: a class question is drawn with its settings in words (never raw keys), in the student's language,
and a cell question's answer lies on the grid a phone taps."""

import re

import numpy as np
import pytest

from ops import exercises
from pages import class_question as cq
from pages import ui

KINDS = [(lesson, kind) for lesson, table in exercises.LESSON_KINDS.items() for kind in table
         if lesson != "live-demo"]  # the live demo's exercise needs segmentation weights
RAW = re.compile(r"[_{}\[\]']|\b(kind|patch_size|output_padding|align_corners|op|True|False)\b")


def _exercise(lesson, kind, seed, level):
    return exercises.generate(lesson, seed, level=level, kind=kind)


@pytest.mark.parametrize("lesson,kind", KINDS)
@pytest.mark.parametrize("level", exercises.LEVELS)
def test_settings_are_words_in_both_languages(lesson, kind, level):
    for seed in (0, 7, 123):
        ex = _exercise(lesson, kind, seed, level)
        for lang in ("en", "zh"):
            with ui.as_viewer(lang):
                lines = cq.settings_in_words(ex)
            for line in lines:
                assert not RAW.search(line), f"{kind} ({lang}): a raw key or value in {line!r}"
                if lang == "zh":  # (the catalog may add a name's English in brackets: 最大反池化（Max Unpooling）)
                    bare = re.sub(r"（[^）]*）", "", line)
                    assert not re.search(r"[A-Za-z]{2,}", bare), f"{kind}: English in Chinese: {line!r}"
        if "layers" in ex.params:
            assert len(lines) >= len(ex.params["layers"]), f"{kind}: every layer is said"


def test_a_layer_and_an_upsampling_setting_read_as_a_person_writes_them():
    ex = _exercise("upsampling", "upsample-cell", 0, "easy")
    with ui.as_viewer("en"):
        assert cq._layer(2, {"kind": "conv", "kernel": 3, "stride": 2, "dilation": 1}) == \
            "Layer 2: 3×3 convolution, stride 2, dilation 1"
        assert cq._layer(1, [5, 1]) == "Layer 1: 5×5 convolution, 1 channel"
        assert cq._layer(1, [5, 8]) == "Layer 1: 5×5 convolution, 8 channels"
        [line] = cq.settings_in_words(ex)
        assert "align corners off" in line and "scale ×" in line
    with ui.as_viewer("zh"):
        assert cq._layer(1, [5, 8]) == "第 1 层：5×5 卷积，8 个通道"


@pytest.mark.parametrize("lesson,kind", KINDS)
def test_a_cell_question_is_answered_on_its_one_tappable_grid(lesson, kind):
    for level in exercises.LEVELS:
        ex = _exercise(lesson, kind, 5, level)
        with ui.as_viewer("en"):
            grids = cq.grids(ex)
        tappable = [g for g in grids if g["tap"]]
        if ex.answer_type != "cell":
            assert not tappable
            continue
        assert len(tappable) == 1, kind
        rows, cols = np.asarray(tappable[0]["values"]).shape
        r, c = ex.answer
        assert 0 <= r < rows and 0 <= c < cols, f"{kind}: the answer {ex.answer} is not on the tappable grid"
        for mistake in ex.mistakes:  # a tap can give every known mistake's cell too
            if mistake.value is not None:
                assert 0 <= mistake.value[0] < rows and 0 <= mistake.value[1] < cols


def test_answers_read_in_the_students_language():
    choice = _exercise("segmentation", "pixel-label", 1, "easy")
    cell = _exercise("per-pixel-loss", "worst-pixel", 1, "easy")
    with ui.as_viewer("zh"):
        assert cq.answer_words(choice, "grass") == "草地"
        assert cq.answer_words(cell, "2, 3") == "第 2 行，第 3 列"
        assert cq.answer_words(cell, "not a cell") == "not a cell"  # the student's own text, as typed
    with ui.as_viewer("en"):
        message, hint = cq.verdict_words(choice, "sky")
        assert message == "Not quite: sky is not the answer." and hint
