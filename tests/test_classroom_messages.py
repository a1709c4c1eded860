"""Every message key the class store raises is in both catalogs, with the placeholders its params fill."""

import inspect
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ops.classroom import ClassroomError, ClassStore, errors
from ops.classroom.exercise_source import Unreadable
from tests import classroom_standin

ROOT = Path(__file__).resolve().parent.parent


def _catalog(lang):
    with open(ROOT / "lessons" / lang / "messages.po", "rb") as f:
        # a plural entry (msgid_plural) by its key and its general form, as lessons.i18n.messages lists it
        return {_key(m.id): m.string if isinstance(m.string, str) else m.string[-1] for m in read_po(f) if m.id}


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


ERROR_KEYS = sorted({cls.key for _, cls in inspect.getmembers(errors, inspect.isclass)
                     if issubclass(cls, ClassroomError)})


@pytest.mark.parametrize("key", [*ERROR_KEYS, Unreadable().message])
def test_each_key_is_in_both_languages_with_the_same_placeholders(key):
    en, zh = _catalog("en"), _catalog("zh")
    assert en.get(key) and zh.get(key), key
    assert _fields(en[key]) == _fields(zh[key])


def test_every_classroom_entry_has_the_same_placeholders_in_both_languages():
    en, zh = _catalog("en"), _catalog("zh")
    ours = [k for k in en if k.startswith("classroom.")]
    assert ours and all(k in zh and _fields(en[k]) == _fields(zh[k]) for k in ours)


def _raised_errors(tmp_path):
    """Make the store raise each error it can, through its public API."""
    store = ClassStore(f"sqlite:///{tmp_path / 'c.sqlite3'}", generator=classroom_standin)
    code, key = store.create_class()
    student = store.join(code)
    question = store.push(code, key, classroom_standin.LESSON, seed=1)
    calls = [lambda: store.state("ZZZZZZZZ"), lambda: store.push(code, "bad", "x", 1),
             lambda: store.submit(code, "nobody", question, "1"), lambda: store.submit(code, student, 99, "1"),
             lambda: store.verdict_for(code, student, question), lambda: store.submit(code, student, question, ""),
             lambda: store.submit(code, student, question, "9" * 999), lambda: store.join(code, "n" * 99),
             lambda: store.push(code, key, "nope", 1), lambda: store.follow(code, key, "x", {"q": "v" * 5000})]
    found = []
    for call in calls:
        with pytest.raises(ClassroomError) as error:
            call()
        found.append(error.value)
    store.reveal(code, key, question)
    for call in (lambda: store.submit(code, student, question, "1"), lambda: store.end(code, key),
                 lambda: store.join(code)):
        try:
            call()
        except ClassroomError as error:
            found.append(error)
    store.close()
    with ClassStore(f"sqlite:///{tmp_path / 'missing' / 'c.sqlite3'}") as dead, pytest.raises(ClassroomError) as e:
        dead.create_class()
    return [*found, e.value]


def test_each_raised_error_formats_in_both_languages(tmp_path):
    raised = _raised_errors(tmp_path)
    assert len({type(e) for e in raised}) >= 12
    for lang in ("en", "zh"):
        catalog = _catalog(lang)
        for error in raised:
            catalog[error.key].format(**error.params)  # KeyError if a placeholder has no param


def test_no_words_in_a_language_inside_ops_classroom():
    cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
    for path in (ROOT / "ops" / "classroom").rglob("*.py"):
        assert not cjk.search(path.read_text(encoding="utf-8")), path
