"""Exports: HTML always works offline; PNG/GIF render every frame through a local Chromium."""

import io
import shutil

import plotly.graph_objects as go
import pytest
from PIL import Image

from lessons.figures.export import ExportUnavailable, frame_figures, to_gif, to_html, to_png
from tests.english import english


def _animation(n=3):
    fig = go.Figure(go.Heatmap(z=[[0, 1], [2, 3]]), frames=[
        go.Frame(data=[go.Heatmap(z=[[k, 1], [2, 3]])], name=str(k)) for k in range(n)])
    fig.update_layout(height=300)
    return fig


def test_frames_become_complete_static_figures():
    stills = list(frame_figures(_animation(3)))
    assert [s.data[0].z[0][0] for s in stills] == [0, 1, 2]
    assert all(not s.frames for s in stills)


def test_html_is_standalone():
    html = to_html(_animation()).decode()
    assert "<title>Pixelwise</title>" in html
    assert "Plotly.newPlot" in html
    assert '<script src="http' not in html  # plotly.js is inlined, not fetched: works offline
    assert len(html) > 1_000_000


needs_browser = pytest.mark.skipif(shutil.which("chromium") is None,
                                   reason="PNG/GIF export needs Debian's chromium (.ci/run installs it)")


@needs_browser
def test_gif_has_one_image_per_frame():
    seen = []
    gif = to_gif(_animation(3), width=300, height=200, progress=lambda d, t: seen.append((d, t)))
    image = Image.open(io.BytesIO(gif))
    assert image.format == "GIF" and image.n_frames == 3
    assert seen[-1] == (3, 3)


@needs_browser
def test_png_of_a_static_figure():
    png = to_png(go.Figure(go.Bar(y=[1, 2])), width=320, height=240)
    assert Image.open(io.BytesIO(png)).size == (320, 240)


def test_missing_browser_is_a_clear_message(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    with pytest.raises(ExportUnavailable) as caught:
        to_png(go.Figure())
    assert "Chrome or Chromium" in english(caught.value)
