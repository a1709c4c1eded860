"""What every page says and shows: the language, the lesson's words and messages, and its charts.

Pages stay thin: widgets and layout. Anything computed lives in ops/, any figure in lessons/figures/.
The lesson state in the URL is pages/state.py's, links between lessons pages/navigation.py's, and the
frame around a lesson (sidebar, presenter bar, share link) pages/shell.py's.
"""

import threading
from contextlib import contextmanager

import streamlit as st

from lessons import i18n
from lessons.catalog import BY_SLUG
from lessons.text import DEFAULT_LANGUAGE, section

_viewer = threading.local()  # set by as_viewer() in a thread without a session (the warm-up thread)


@contextmanager
def as_viewer(language: str, present: bool = False):
    """Inside this block lang() and presenting() answer `language` / `present` without a session, so the
    warm-up thread (pages/warmup.py) can build the very figures a session of that language would."""
    _viewer.lang, _viewer.present = language, present
    try:
        yield
    finally:
        del _viewer.lang, _viewer.present


def lang() -> str:
    """The language the user chose ('en' or 'zh'); kept in the URL as ?lang=."""
    forced = getattr(_viewer, "lang", None)
    if forced is not None:
        return forced
    chosen = st.session_state.get("lang")
    known = i18n.languages()
    if chosen not in known:
        chosen = st.query_params.get("lang", DEFAULT_LANGUAGE)
        if chosen not in known:
            chosen = DEFAULT_LANGUAGE
        st.session_state["lang"] = chosen
    return chosen


def t(key: str, **params) -> str:
    """The message `key` of lessons/<lang>/messages.po in the chosen language, its {fields} filled in."""
    return i18n.t(key, lang(), **params)


def tn(key: str, n: int, **params) -> str:
    """The plural entry `key` for the count n in the chosen language ('1 student', '2 students'), {n} filled in."""
    return i18n.tn(key, n, lang(), **params)


def error_text(error: Exception) -> str:
    """What to tell a person about an error from ops: its message key translated, else its own words."""
    key = getattr(error, "key", None)
    return t(key, **getattr(error, "params", {})) if key else str(error)


def text(slug: str, name: str = "intro") -> None:
    """Render one section of a lesson's Markdown in the chosen language."""
    body = section(slug, name, lang())
    if body:
        st.markdown(body)


def title(slug: str) -> None:
    """The page title from the lesson catalog, in the chosen language."""
    st.title(lesson_title(slug))


def lesson_title(slug: str) -> str:
    return t(BY_SLUG[slug].title_key)


def bad_input(message) -> None:
    """A clear, non-technical message about input we could not use (a text, or an error from ops)."""
    st.warning(message if isinstance(message, str) else error_text(message), icon=":material/warning:")


def not_built(slug: str) -> None:
    """What a lesson that is planned but not written yet shows."""
    title(slug)
    st.info(t("ui.lesson_not_built_yet_lecture"), icon=":material/construction:")


# ---------------------------------------------------------------------------
# Presenter mode and charts: readable from the back of a classroom.

def presenting() -> bool:
    """True when the teacher switched on presenter mode (kept in the URL as ?present=1)."""
    forced = getattr(_viewer, "present", None)
    if forced is not None:
        return forced
    return bool(st.session_state.get("present"))


def style_figure(fig):
    """Apply the app's figure conventions, enlarged for a projector in presenter mode."""
    if presenting():
        fig.update_layout(font={"size": 20}, title_font_size=26, height=int((fig.layout.height or 450) * 1.25))
        fig.update_traces(textfont_size=22, selector={"type": "heatmap"})
    return fig


CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def chart(fig, *, key: str | None = None, export: str | None = None, **kwargs):
    """st.plotly_chart with presenter scaling, a PNG camera button, and optional slide exports.

    `export` names the download files (e.g. "bilinear-animation"); it adds HTML/GIF/PNG downloads.
    """
    if not getattr(fig, "_styled", False):  # a figure from pages/figcache.py is styled when built
        style_figure(fig)
    kwargs.setdefault("width", "stretch")
    event = st.plotly_chart(fig, key=key, config=CHART_CONFIG, **kwargs)
    if export:
        export_buttons(fig, export)
    return event


def export_buttons(fig, name: str) -> None:
    """Download the figure for slides: standalone HTML at once, GIF/PNG rendered on request."""
    from lessons.figures import export as exporter

    with st.popover(t("ui.export_slides"), icon=":material/download:"):
        st.download_button(
            t("ui.interactive_html_works_offline"),
            lambda: exporter.to_html(fig, title=f"Pixelwise: {name}"),  # built on click only
            file_name=f"{name}.html",
            mime="text/html",
            key=f"export.html.{name}",
            on_click="ignore",
        )
        animated = bool(fig.frames)
        label = t("ui.make_animated_gif") if animated else t("ui.make_png")
        if st.button(label, key=f"export.make.{name}"):
            bar = st.progress(0.0, text=t("ui.rendering_frames"))
            try:
                if animated:
                    data = exporter.to_gif(
                        fig,
                        progress=lambda done, total: bar.progress(
                            done / total, text=t("ui.rendering_frame", done=done, total=total)
                        ),
                    )
                    st.download_button(
                        t("ui.download_gif"),
                        data,
                        file_name=f"{name}.gif",
                        mime="image/gif",
                        key=f"export.gif.{name}",
                        on_click="ignore",
                    )
                else:
                    data = exporter.to_png(fig)
                    st.download_button(
                        t("ui.download_png"),
                        data,
                        file_name=f"{name}.png",
                        mime="image/png",
                        key=f"export.png.{name}",
                        on_click="ignore",
                    )
            except exporter.ExportUnavailable as error:
                bad_input(error_text(error))
            finally:
                bar.empty()
