"""Every word the app shows, one gettext catalog per language: lessons/<lang>/messages.po.

Why gettext PO files read with Babel: PO is the format translators and their tools (Poedit, Weblate,
Crowdin) already know, it carries a comment per entry (we put the English text there for translators),
and Babel is the well-kept Python library that reads it without a compile step. Message ids are dotted
keys (``upsampling.operator``), not English sentences, so a teacher can reword the English in
lessons/en/messages.po without touching Python. Placeholders are named Python format fields
(``{row}``, ``{loss:.3f}``).

Adding a language is adding files: lessons/<code>/messages.po (its ``language.name`` entry names it in
the picker) and, optionally, the lesson Markdown beside it. Whatever it lacks falls back to English.
"""

import gettext
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral
from pathlib import Path

from babel.messages.pofile import read_po

LESSON_DIR = Path(__file__).resolve().parent
CATALOG = "messages.po"
DEFAULT_LANGUAGE = "en"
_LESSON_FOLDER = str(LESSON_DIR)
_FIELD = re.compile(r"\{(\w+)(?::([^{}]*))?\}")


def lesson_dir() -> Path:
    """Where the words live; PIXELWISE_LESSON_DIR points elsewhere (tests add a stub language there)."""
    return Path(lesson_folder())


def lesson_folder() -> str:
    """lesson_dir() as text, without building a Path: every translated word asks for it (a Path per word was
    a fifth of a component's rerun)."""
    return os.environ.get("PIXELWISE_LESSON_DIR") or _LESSON_FOLDER


@dataclass(frozen=True)
class _Words:
    """One language's catalog as read: its messages (a plural entry by its last form, the general plural),
    its plural entries with all their forms, and its plural rule."""

    singular: dict[str, str]
    plural: dict[str, tuple[str, ...]]
    forms: int
    rule: str


@lru_cache(maxsize=16)
def _read(folder: str, lang: str) -> _Words:
    path = Path(folder) / lang / CATALOG
    if not path.is_file():
        return _Words({}, {}, 2, "(n != 1)")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    singular, plural = {}, {}
    for message in catalog:
        if isinstance(message.id, tuple):
            if all(message.string):  # a half-translated plural falls back to English whole
                plural[message.id[0]] = tuple(message.string)
                singular[message.id[0]] = message.string[-1]
        elif message.id and message.string:
            singular[message.id] = message.string
    return _Words(singular, plural, catalog.num_plurals, catalog.plural_expr)


def _catalog(folder: str, lang: str) -> dict[str, str]:
    return _read(folder, lang).singular


@lru_cache(maxsize=16)
def _rule(expression: str):
    """The header's C plural expression as a function n -> form index (the standard library's parser)."""
    return gettext.c2py(expression)


def messages(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """{key: text} of one language's catalog, exactly as written (no English filled in); a plural entry
    appears by its last form, so that completeness checks see every key."""
    return _catalog(lesson_folder(), lang)


def plurals(lang: str = DEFAULT_LANGUAGE) -> dict[str, tuple[str, ...]]:
    """{key: (form 0, form 1, ...)} of one language's plural entries (msgid_plural / msgstr[i])."""
    return _read(lesson_folder(), lang).plural


def plural_forms(lang: str = DEFAULT_LANGUAGE) -> int:
    """How many forms the language's Plural-Forms header declares (en 2, zh 1)."""
    return _read(lesson_folder(), lang).forms


def languages() -> dict[str, str]:
    """{code: own name} of every language that has a catalog, English first.

    Read once per folder, like the catalogs: every translated word asks for it, and a folder walk per word
    was half of a loaded server's time (bench/profile_summary.py). A new language needs a restart."""
    return dict(_languages(lesson_folder()))


@lru_cache(maxsize=16)
def _languages(folder: str) -> tuple[tuple[str, str], ...]:
    codes = sorted(p.parent.name for p in Path(folder).glob(f"*/{CATALOG}"))
    codes.sort(key=lambda code: code != DEFAULT_LANGUAGE)
    return tuple((code, _catalog(folder, code).get("language.name", code)) for code in codes)


def placeholders(text: str) -> set[str]:
    """The named fields of a message: 'output[{row}, {col}]' -> {'row', 'col'}."""
    return {match.group(1) for match in _FIELD.finditer(text)}


def fill(text: str, params: dict) -> str:
    """Put the parameters into their fields; braces that name no parameter (LaTeX, code) stay as they are."""
    if not params:
        return text

    def replace(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2)
        if name not in params:
            return match.group(0)
        return format(params[name], spec or "")

    return _FIELD.sub(replace, text)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The message `key` in `lang`, English where that language lacks it, the key itself if nobody has it.
    A parameter that is itself Words (ops/words.py: a model's title) is said in `lang` too. A plural entry
    (msgid_plural) takes its form from the count passed as `n` or `count`: ops and pages that pass a count
    under that name get the right plural without knowing the entry is one."""
    if params:
        count = params.get("n", params.get("count"))
        if count is not None and (type(count) is int or isinstance(count, Integral)) and _is_plural(key, lang):
            return tn(key, int(count), lang, **{name: value for name, value in params.items() if name != "n"})
    text = messages(lang).get(key) or messages(DEFAULT_LANGUAGE).get(key) or key
    return fill(text, _said(params, lang)) if params else text


def _is_plural(key: str, lang: str) -> bool:
    folder = lesson_folder()
    return key in _read(folder, lang).plural or key in _read(folder, DEFAULT_LANGUAGE).plural


def say(words, lang: str = DEFAULT_LANGUAGE) -> str:
    """ops' Words (a key, its values, and the count `n` of a plural entry) in `lang`."""
    if words.n is not None:
        return tn(words.key, words.n, lang, **words.params)
    return t(words.key, lang, **words.params)


_PLAIN = frozenset({str, int, float})


def _said(params: dict, lang: str) -> dict:
    """The parameters with every Words value said in `lang` (duck-typed: lessons does not import ops)."""
    if all(type(value) in _PLAIN for value in params.values()):  # the usual case, checked cheaply
        return params
    return {name: say(value, lang) if hasattr(value, "key") and hasattr(value, "n") else value
            for name, value in params.items()}


def tn(key: str, n: int, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The plural entry `key` in `lang` chosen for the count n by the language's Plural-Forms ('1 student',
    '2 students'; Chinese has one form), {n} and the other fields filled in; English where the language
    lacks the entry (with English's rule); an entry with no plural forms is said as it is."""
    for language in (lang, DEFAULT_LANGUAGE):
        words = _read(lesson_folder(), language)
        forms = words.plural.get(key)
        if forms:
            index = _rule(words.rule)(n)
            text = forms[index] if 0 <= index < len(forms) else forms[-1]
            return fill(text, {**_said(params, lang), "n": n})
    return t(key, lang, **params, n=n)
