"""Turn lesson figures into files for slides: standalone HTML, PNG, and animated GIF.

HTML needs nothing: plotly.js is embedded, so the file works offline in a classroom.
PNG and GIF are rendered by kaleido in a local Chrome/Chromium (no network); where no browser is
installed, `ExportUnavailable` says so and the HTML export still works.
"""

import io
import os
import shutil
import threading
from collections.abc import Callable, Iterator

import plotly.graph_objects as go
from PIL import Image

from ops.errors import UserFacingError

_RENDER_LOCK = threading.Lock()  # one headless browser at a time per server process


class ExportUnavailable(UserFacingError):
    """Raised when PNG/GIF rendering is not possible on this machine (no Chrome/Chromium); the page says its
    message key in the reader's language."""


def to_html(fig: go.Figure, title: str = "Pixelwise") -> bytes:
    """A self-contained HTML file (plotly.js inlined) that plays the animation offline."""
    html = fig.to_html(include_plotlyjs=True, full_html=True, auto_play=False,
                       config={"displaylogo": False})
    return html.replace("<head>", f"<head><title>{title}</title>", 1).encode("utf-8")


def frame_figures(fig: go.Figure) -> Iterator[go.Figure]:
    """Each animation frame as a complete static figure (the figure itself if it has no frames)."""
    if not fig.frames:
        yield fig
        return
    for frame in fig.frames:
        still = go.Figure(fig)
        still.frames = ()
        targets = frame.traces if frame.traces is not None else range(len(frame.data))
        for index, trace in zip(targets, frame.data):
            still.data[index].update(trace.to_plotly_json())
        if frame.layout is not None:
            still.update_layout(frame.layout.to_plotly_json())
        still.update_layout(sliders=[], updatemenus=[])
        yield still


def _browser_path() -> str | None:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("google-chrome") \
        or shutil.which("chrome") or shutil.which("chromium-browser")


def render_pngs(figures: list[go.Figure], width: int = 900, height: int = 600, scale: float = 1.0,
                progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """Render figures to PNG bytes with kaleido, reporting progress(done, total)."""
    browser = _browser_path()
    if browser is None:
        raise ExportUnavailable("export.no_browser")
    os.environ.setdefault("BROWSER_PATH", browser)
    import kaleido

    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    images = []
    with _RENDER_LOCK:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            for done, figure in enumerate(figures, start=1):
                images.append(kaleido.calc_fig_sync(figure, opts=opts))
                if progress:
                    progress(done, len(figures))
        except Exception as error:  # kaleido/choreographer raise several types for a missing browser
            raise ExportUnavailable("export.render_failed", error=str(error)) from error
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return images


def to_png(fig: go.Figure, width: int = 900, height: int | None = None) -> bytes:
    """A static figure (or an animation's first frame) as PNG."""
    return render_pngs([next(frame_figures(fig))], width, height or fig.layout.height or 600)[0]


def to_gif(fig: go.Figure, width: int = 900, height: int | None = None, frame_ms: int = 700,
           progress: Callable[[int, int], None] | None = None) -> bytes:
    """An animated GIF with one image per animation frame, looping forever."""
    pngs = render_pngs(list(frame_figures(fig)), width, height or fig.layout.height or 600,
                       progress=progress)
    frames = [Image.open(io.BytesIO(png)).convert("RGB") for png in pngs]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=frame_ms,
                   loop=0, optimize=True)
    return buffer.getvalue()
