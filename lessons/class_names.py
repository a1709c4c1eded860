"""Class names as students read them, and counts in words ("3 cows", "牛 × 3").

The models' own spellings (Pascal VOC's 'tvmonitor', COCO's 'N/A') stay the ids; the words are the
catalog's `class.<id>` (the name) and `class.<id>.plural` entries, and `count.one` / `count.many`
put a count and a name together in each language's own order.
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
    shown = display_name(name, lang)
    if count == 1:
        return i18n.t("count.one", lang, name=shown)
    plural = i18n.t(class_key(name) + ".plural", lang)
    if plural.startswith("class."):  # a name the catalog does not know
        plural = shown + "s"
    return i18n.t("count.many", lang, name=shown, count=count, plural=plural)
