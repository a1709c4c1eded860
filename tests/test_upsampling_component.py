"""The upsampling component's words: every catalog key its JavaScript asks for is in the English catalog (and
so, by tests/test_messages.py, in every language) and is among the words the page sends it."""

import re
from pathlib import Path

from lessons import i18n
from pages.components import upsampling

FOLDER = Path(upsampling.__file__).resolve().parent
KEY = re.compile(r"""\b(?:w|t)\(\s*["']([a-z_]+\.[A-Za-z0-9_.\-]+)["']""")


def keys_in(text: str) -> set[str]:
    return set(KEY.findall(text))


def test_the_scan_finds_keys_and_would_catch_a_missing_one():
    assert keys_in('w("upsampling.input_grid") + t("grid.not_number", {x})') == {"upsampling.input_grid",
                                                                               "grid.not_number"}
    assert "upsampling.no_such_key" not in upsampling.words("en")


def test_every_key_the_component_uses_is_sent_and_in_the_catalog():
    used = set()
    for name in upsampling.JS:
        used |= keys_in((FOLDER / name).read_text(encoding="utf-8"))
    assert len(used) > 40, used  # the scan sees the component's words
    english = i18n.messages("en")
    sent = upsampling.words("en")
    assert sorted(used - set(english)) == []
    assert sorted(used - set(sent)) == []
    assert sent["upsampling.js.output_grid"] == "Output grid"
    assert upsampling.words("zh")["upsampling.js.output_grid"] == i18n.t("upsampling.js.output_grid", "zh")
