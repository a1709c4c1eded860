"""Figures and device names speak the reader's language: the grid hover ("row 3, col 4") and the CPU's threads."""

import numpy as np
import pytest

from lessons.devices import device_text
from lessons.figures.grids import grid_heatmap
from lessons.figures.label_maps import image_figure, label_map_figure
from lessons.figures.live_views import heatmap_figure
from tests.english_leaks import english_words

BUILDERS = {
    "grid": lambda lang: grid_heatmap(np.eye(3), "t", lang=lang),
    "label map": lambda lang: label_map_figure(np.zeros((2, 2), int), ["牛"], "t", lang=lang),
    "image": lambda lang: image_figure(np.zeros((2, 2, 3), np.uint8), "t", lang=lang),
    "heatmap": lambda lang: heatmap_figure(np.eye(3), "t", "c", hover="概率", lang=lang),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_the_grid_hover_is_in_chinese_in_a_chinese_page(name):
    hover = BUILDERS[name]("zh").data[0].hovertemplate
    assert "第 %{y} 行，第 %{x} 列" in hover
    assert english_words(hover) == [], hover


@pytest.mark.parametrize("name", BUILDERS)
def test_the_grid_hover_names_row_and_column_in_english(name):
    assert "row %{y}, col %{x}" in BUILDERS[name]("en").data[0].hovertemplate


def test_without_a_language_the_hover_shows_numbers_not_english():
    hover = grid_heatmap(np.eye(2), "t").data[0].hovertemplate
    assert hover.startswith("(%{y}, %{x}): %{z}") and english_words(hover) == []


def test_the_cpu_counts_its_threads_in_the_readers_language(monkeypatch):
    monkeypatch.setattr("torch.get_num_threads", lambda: 1)
    assert device_text("cpu", "en") == "CPU (1 thread)"
    monkeypatch.setattr("torch.get_num_threads", lambda: 4)
    assert device_text("cpu", "en") == "CPU (4 threads)"
    assert device_text("cpu", "zh") == "CPU（4 个线程）"
