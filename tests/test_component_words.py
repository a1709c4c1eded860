"""Every catalog key the layer-stack and sliding-window components' JavaScript asks for is sent to it by
its Python wrapper and is in every language's catalog (a missing one would show the bare key)."""

import re
from pathlib import Path

import pytest

from lessons import i18n
from pages.components import layer_stack, sliding_window

COMPONENTS = Path(__file__).resolve().parent.parent / "pages" / "components"
ASKED = re.compile(r"""\bw\(\s*["']([a-z_][a-z0-9_.\-]*)["']""")


@pytest.mark.parametrize(("script", "words"), [("layer_stack_view.js", layer_stack.WORDS),
                                               ("sliding_window_view.js", sliding_window.WORDS)])
def test_every_word_the_script_asks_for_is_sent_and_translated(script, words):
    asked = set(ASKED.findall((COMPONENTS / script).read_text(encoding="utf-8")))
    assert len(asked) > 8, "the scan finds the script's words"
    assert asked - set(words) == set(), "asked for but not sent"
    for lang in i18n.languages():
        catalog = i18n.messages(lang)
        assert [key for key in words if key not in catalog] == [], lang
