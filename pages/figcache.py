"""Figures built once per server for each (inputs, language, presenter mode), shared by every session.

An edit rebuilds only the figures whose inputs it changed; a static figure is built once per server
(by the warm-up thread, pages/warmup.py, before the first student asks). `figure()` keys the figure by
its name, the inputs the caller lists, the language and presenter mode: a figure must depend on nothing
else (translated words come through ui.t, which follows the language in the key).

    fig = figcache.figure("things.semantic", (gap,), lambda: label_map_figure(...))
    ui.chart(fig, key=...)

The figure is shared: never change it after it is built (ui.chart does not restyle it; st.plotly_chart
only reads it).
"""

from ops.memo import SharedCache
from pages import ui

FIGURES = SharedCache(maxsize=512)


def key(name: str, inputs: tuple) -> tuple:
    return (name, inputs, ui.lang(), ui.presenting())


def figure(name: str, inputs: tuple, build):
    """The cached figure `name` for `inputs` in the current language and presenter mode."""

    def styled():
        fig = ui.style_figure(build())
        fig._styled = True  # plotly figures accept underscore attributes
        return fig

    return FIGURES.get(key(name, inputs), styled)
