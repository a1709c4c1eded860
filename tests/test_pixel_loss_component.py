"""The per-pixel loss component's words: every catalog key its JavaScript asks for is in the English catalog
(and so, by tests/test_messages.py, in every language) and among the words the page sends it; so is every
loss.error.* key the browser's math may raise."""

import re
from pathlib import Path

from lessons import i18n
from pages.components import pixel_loss

FOLDER = Path(pixel_loss.__file__).resolve().parent
KEY = re.compile(r"""\b(?:w|t)\(\s*["']([a-z_]+\.[A-Za-z0-9_.\-]+)["']""")
RAISED = re.compile(r"""new LossError\(\s*["']([a-z_.]+)["']""")


def test_the_scans_find_keys_and_would_catch_a_missing_one():
    assert KEY.findall('w("per_pixel_loss.loss") + t("grid.not_number", {x})') == ["per_pixel_loss.loss",
                                                                                  "grid.not_number"]
    assert RAISED.findall('throw new LossError("loss.error.labels_range", { top })') == ["loss.error.labels_range"]
    assert "per_pixel_loss.no_such_key" not in pixel_loss.words("en")


def test_every_key_the_component_uses_is_sent_and_in_the_catalog():
    used = set()
    for name in pixel_loss.JS:
        text = (FOLDER / name).read_text(encoding="utf-8")
        used |= set(KEY.findall(text)) | set(RAISED.findall(text))
    assert len(used) > 25, used  # the scan sees the component's words
    assert {"loss.error.size_mismatch", "per_pixel_loss.js.loss_grid", "grid.row_column"} <= used
    english = i18n.messages("en")
    sent = pixel_loss.words("en")
    assert sorted(used - set(english)) == []
    assert sorted(used - set(sent)) == []
    assert pixel_loss.words("zh")["per_pixel_loss.js.loss_grid"] == i18n.t("per_pixel_loss.js.loss_grid", "zh")
