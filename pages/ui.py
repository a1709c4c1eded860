"""Small Streamlit helpers shared by every page: language, lesson text, messages.

Pages stay thin: widgets and layout. Anything computed lives in ops/, any figure in lessons/figures/.
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


def link(slug: str, label: str | None = None) -> None:
    """A link to another lesson by its slug (works for lessons not built yet too)."""
    from pages.shell import lesson_page

    lesson = BY_SLUG[slug]
    target = lesson_page(slug)
    st.page_link(target, label=label or lesson_title(slug), icon=lesson.icon, query_params=_carried())


# ---------------------------------------------------------------------------
# Lesson state in the URL (TensorFlow Playground style): a teacher shares a preset by link.
#
# What a lesson's link can carry is declared once, in pages/state.py. Pattern for a page:
#     state.init(SLUG)                                                    # first thing
#     st.selectbox(ui.t("upsampling.operator"), options, key="upsampling.op")  # no value= / index=
#     ...
#     ui.share_state()                                                    # at the end of the page
# A bad or hand-edited value in the URL falls back to the default with a note on the page.

_SHARED = "_url_keys"  # session_state: keys that live in the URL
_BAD = "_url_bad"  # session_state: URL values that were refused, shown once


def parse_plain(raw: str, default, choices=None, lo=None, hi=None):
    """A URL's text as a value of the default's type (bool, int, float, str) within choices or bounds."""
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(raw)
    if isinstance(default, int):
        value = int(raw)
    elif isinstance(default, float):
        value = float(raw)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(raw)
    else:
        value = raw
    if choices is not None and value not in choices:
        raise ValueError(raw)
    if lo is not None and value < lo or hi is not None and value > hi:
        raise ValueError(raw)
    return value


def init_state(key: str, default, *, choices=None, lo=None, hi=None, decode=None):
    """Give a widget (or any lesson value) its starting value: from the URL if valid, else `default`.

    `decode` turns the URL string into a value (raise ValueError when it is not usable), for
    values that are not plain str/int/float/bool, such as grids (see encode_grid/decode_grid).
    """
    st.session_state.setdefault(_SHARED, {})[key] = default
    if key in st.session_state:
        return st.session_state[key]
    value = default
    raw = st.query_params.get(key)
    if raw is not None:
        try:
            value = decode(raw) if decode else parse_plain(raw, default, choices, lo, hi)
        except (ValueError, TypeError, OverflowError):
            st.session_state.setdefault(_BAD, []).append(key)
    st.session_state[key] = value
    return value


def encode_grid(values) -> str:
    """A 2-D grid as URL text: rows split by ';', cells by ','. [[1,2],[3,4]] -> '1,2;3,4'."""
    return ";".join(",".join(f"{float(v):g}" for v in row) for row in values)


def decode_grid(text: str, max_side: int = 16) -> list[list[float]]:
    """Inverse of encode_grid; raises ValueError for ragged, empty, non-finite or oversized grids."""
    rows = [[float(cell) for cell in row.split(",")] for row in text.split(";")]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("grid must be rectangular")
    if len(rows) > max_side or len(rows[0]) > max_side:
        raise ValueError("grid too large")
    if any(v != v or abs(v) > 1e6 for r in rows for v in r):
        raise ValueError("grid values must be finite numbers")
    return rows


def share_state() -> None:
    """Write the lesson state that differs from its defaults into the URL; note refused URL values."""
    from pages.state import SETTINGS

    page = st.session_state.get("_page_slug")
    for key, default in st.session_state.get(_SHARED, {}).items():
        scope = key.split(".")[0] if "." in key else None
        if key not in st.session_state or (scope is not None and scope != page):
            continue  # another page's state stays out of this page's link
        encode = SETTINGS[key].encode if key in SETTINGS else str
        text = encode(st.session_state[key])
        if text == encode(default):  # defaults stay out of the link: short URLs for the usual case
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != text:
            st.query_params[key] = text
    bad = st.session_state.pop(_BAD, [])
    if bad:
        st.info(t("ui.some_settings_link_could_not") + ", ".join(sorted(set(bad))), icon=":material/link_off:")


# ---------------------------------------------------------------------------
# Presenter mode and charts: readable from the back of a classroom.

PRESENTER_CSS = """
<style>
html { font-size: 21px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
    display: none;
}
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.2rem 2rem 3rem 2rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
[data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3rem; }
[data-testid="stDataFrame"] { zoom: 1.5; }  /* the editable grids are drawn on a canvas: fonts cannot reach it */
</style>
"""


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
                bad_input(str(error))
            finally:
                bar.empty()


def share_link() -> None:
    """The current page's URL, lesson state included, with a copy button (st.code has one)."""
    from urllib.parse import urlencode

    url = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    if query:
        url = f"{url}?{query}"
    st.caption(t("ui.share_example_link_opens_exactly"))
    st.code(url, language=None, wrap_lines=True)


def presenter_bar(slug: str) -> None:
    """Previous / next lesson and exit, at the top of the page while presenting.

    PageUp / PageDown trigger them, which is what a presentation clicker sends.
    """
    from lessons.catalog import LESSONS
    from pages.shell import lesson_page

    order = [lesson.slug for lesson in LESSONS]
    here = order.index(slug) if slug in order else 0
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    back, forward, leave, live = st.columns([1, 1, 1, 1])
    if here > 0 and back.button(
        t("ui.previous_lesson"), icon=":material/arrow_back:", shortcut="pageup", key="present.previous"
    ):
        st.switch_page(lesson_page(order[here - 1]), query_params=_carried())
    if here < len(order) - 1 and forward.button(
        t("ui.next_lesson"), icon=":material/arrow_forward:", shortcut="pagedown", key="present.next"
    ):
        st.switch_page(lesson_page(order[here + 1]), query_params=_carried())
    leave.button(
        t("ui.leave_presenter_mode"),
        icon=":material/close_fullscreen:",
        key="present.leave",
        on_click=_leave_presenter_mode,
    )
    if live.button(t("classui.start_sidebar"), icon=":material/groups:", key="present.class"):
        from pages.classroom_ui import start_class

        start_class()


def _carried() -> dict:
    """What travels to another lesson: the settings that belong to no lesson (language, presenter mode, the
    layer stack two lessons share)."""
    return {k: v for k, v in st.query_params.to_dict().items() if "." not in k} or None


def _leave_presenter_mode() -> None:
    # A callback runs before the script, the only moment a widget's key may be set.
    st.session_state["present"] = False
    st.query_params.pop("present", None)
