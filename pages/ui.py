"""Small Streamlit helpers shared by every page: language, lesson text, messages.

Pages stay thin: widgets and layout. Anything computed lives in ops/, any figure in lessons/figures/.
"""

import streamlit as st

from lessons.catalog import BY_SLUG
from lessons.text import DEFAULT_LANGUAGE, LANGUAGES, section

# slug -> st.Page, filled by app.py on every run so pages can link to each other
PAGES: dict = {}


def lang() -> str:
    """The language the user chose ('en' or 'zh'); kept in the URL as ?lang=."""
    chosen = st.session_state.get("lang")
    if chosen not in LANGUAGES:
        chosen = st.query_params.get("lang", DEFAULT_LANGUAGE)
        if chosen not in LANGUAGES:
            chosen = DEFAULT_LANGUAGE
        st.session_state["lang"] = chosen
    return chosen


def t(en: str, zh: str | None = None) -> str:
    """Inline translation for short UI strings (labels, captions)."""
    return zh if (zh and lang() == "zh") else en


def text(slug: str, name: str = "intro") -> None:
    """Render one section of a lesson's Markdown in the chosen language."""
    body = section(slug, name, lang())
    if body:
        st.markdown(body)


def title(slug: str) -> None:
    """The page title from the lesson catalog, in the chosen language."""
    lesson = BY_SLUG[slug]
    st.title(lesson.title.get(lang(), lesson.title["en"]))


def lesson_title(slug: str) -> str:
    lesson = BY_SLUG[slug]
    return lesson.title.get(lang(), lesson.title["en"])


def bad_input(message: str) -> None:
    """A clear, non-technical message about input we could not use."""
    st.warning(message, icon=":material/warning:")


def not_built_page(slug: str):
    """A stand-in page for a lesson that is planned but not written yet."""

    def page():
        title(slug)
        st.info(t("This lesson is not built yet. It is on the lecture map so you can see where it fits.",
                  "这一课还没有完成。它出现在课程地图上，方便你看到它在整个课程中的位置。"),
                icon=":material/construction:")

    page.__name__ = "not_built_" + slug.replace("-", "_")
    return page


def link(slug: str, label: str | None = None) -> None:
    """A link to another lesson by its slug (works for lessons not built yet too)."""
    lesson = BY_SLUG[slug]
    target = PAGES.get(slug, lesson.page)
    st.page_link(target, label=label or lesson_title(slug), icon=lesson.icon)


# ---------------------------------------------------------------------------
# Lesson state in the URL (TensorFlow Playground style): a teacher shares a preset by link.
#
# Pattern for a page:
#     ui.init_state("upsampling.op", "bilinear", choices=list(OPERATORS))
#     st.selectbox("Operator", options, key="upsampling.op")     # no value= / index=
#     ...
#     ui.share_state()                                           # at the end of the page
# A bad or hand-edited value in the URL falls back to the default with a note on the page.

_SHARED = "_url_keys"  # session_state: keys that live in the URL
_BAD = "_url_bad"  # session_state: URL values that were refused, shown once


def _parse(raw: str, default, choices, lo, hi):
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
    st.session_state.setdefault(_SHARED, {})[key] = decode is None
    if key in st.session_state:
        return st.session_state[key]
    value = default
    raw = st.query_params.get(key)
    if raw is not None:
        try:
            value = decode(raw) if decode else _parse(raw, default, choices, lo, hi)
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


def share_state(encoders: dict | None = None) -> None:
    """Write this page's lesson state into the URL, and say so if a URL value was refused.

    `encoders` maps a key to a function turning its value into URL text (e.g. encode_grid).
    """
    encoders = encoders or {}
    for key in st.session_state.get(_SHARED, {}):
        if key in st.session_state:
            value = st.session_state[key]
            text = encoders[key](value) if key in encoders else str(value)
            if st.query_params.get(key) != text:
                st.query_params[key] = text
    bad = st.session_state.pop(_BAD, [])
    if bad:
        st.info(t("Some settings in the link could not be used and were reset to their defaults: ",
                  "链接中的部分设置无法使用，已恢复为默认值：") + ", ".join(sorted(set(bad))),
                icon=":material/link_off:")
