"""Class names as students read them, and counts in words ("1 cow", "3 cows", "牛 × 3").

The models' own spellings (Pascal VOC's 'tvmonitor', COCO's 'N/A') stay the ids; the words are the
catalog's `class.<id>` (the name) and `class.<id>.count`, a gettext plural entry (msgid_plural) with each
language's forms: English "{n} cow" / "{n} cows", Chinese one form "牛 × {n}". A name the catalog does
not know (typed by a user) is counted by `count.unknown` ("cow × 3"), never pluralised by adding "s".
"""

import re

from lessons import i18n


def class_key(name: str) -> str:
    """'teddy bear' -> 'class.teddy_bear', 'N/A' -> 'class.n_a'."""
    return "class." + (re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").lower() or "na")


def display_name(name: str, lang: str = "en") -> str:
    key = class_key(name)
    known = i18n.messages(lang).get(key) or i18n.messages().get(key)
    return known or name


def count_phrase(name: str, count: int, lang: str = "en") -> str:
    """'1 cow', '3 cows', '2 people'; in Chinese '牛 × 3'."""
    key = class_key(name) + ".count"
    if key in i18n.plurals(lang) or key in i18n.plurals():
        return i18n.tn(key, count, lang)
    return i18n.tn("count.unknown", count, lang, name=display_name(name, lang))
