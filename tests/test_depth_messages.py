"""Every message key the transposed-convolution views and ops.instances raise exists in both catalogs,
with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["ops/upsampling/view_checks.py", "ops/upsampling/conv_matrix.py", "ops/upsampling/zero_insert.py",
           "ops/instances/inference.py"]


def catalog(lang: str) -> dict:
    with open(ROOT / "lessons" / lang / "messages.po", "rb") as f:
        # a plural entry (msgid_plural) by its key and its general form, as lessons.i18n.messages lists it
        return {_key(m.id): m.string if isinstance(m.string, str) else m.string[-1] for m in read_po(f) if m.id}


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def raised_keys() -> set:
    keys = set()
    for source in SOURCES:
        keys |= set(re.findall(r'"((?:upsampling\.views|instances)\.error\.\w+)"', (ROOT / source).read_text()))
    return keys


def test_sources_raise_keys():
    assert {"upsampling.views.error.stride", "upsampling.views.error.empty", "instances.error.no_weights"} <= \
        raised_keys()


@pytest.mark.parametrize("key", sorted(raised_keys()) + ["instances.class.disc", "instances.panoptic.pq",
                                                          "upsampling.views.matrix.not_inverse"])
def test_key_in_both_languages_with_same_placeholders(key):
    en, zh = catalog("en"), catalog("zh")
    assert en.get(key) and zh.get(key), key
    assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key]))
