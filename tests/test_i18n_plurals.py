"""Counts in words: gettext plural entries read with Babel, chosen by each language's Plural-Forms."""

import shutil
from pathlib import Path

import pytest

from lessons import i18n

ROOT = Path(__file__).resolve().parent.parent
KEY = "classroom.tally.wrong_answer_count"


def test_english_has_two_forms_and_chooses_by_the_count():
    assert i18n.plural_forms("en") == 2
    assert i18n.tn(KEY, 1, "en", text="cow") == "cow (1 student)"
    assert i18n.tn(KEY, 2, "en", text="cow") == "cow (2 students)"
    assert i18n.tn(KEY, 0, "en", text="cow") == "cow (0 students)"


def test_chinese_has_one_form_for_every_count():
    assert i18n.plural_forms("zh") == 1
    assert i18n.tn(KEY, 1, "zh", text="牛") == "牛（1 名学生）"
    assert i18n.tn(KEY, 5, "zh", text="牛") == "牛（5 名学生）"


def test_t_gives_a_plural_entry_its_form_by_the_count_passed_as_n_or_count():
    """Code that passes `count=` (ops' errors, older pages) gets the right form once the entry is a plural."""
    assert i18n.t(KEY, "en", text="cow", count=1) == "cow (1 student)"
    assert i18n.t(KEY, "en", text="cow", n=2) == "cow (2 students)"
    assert i18n.messages("en")[KEY] == "{text} ({n} students)"  # listed by its general form


def test_tn_of_an_entry_without_plural_forms_says_it_and_an_unknown_key_is_itself():
    assert i18n.tn("app.presenter_mode", 3, "en") == i18n.t("app.presenter_mode", "en")
    assert i18n.tn("no.such.key", 3, "en") == "no.such.key"


def _stub(tmp_path: Path, header: str, body: str) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "figures"))
    (folder / "xx").mkdir()
    (folder / "xx" / "messages.po").write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"{header}\\n"\n\n{body}', encoding="utf-8")
    return folder


def test_a_language_with_three_forms_uses_its_own_rule(tmp_path, monkeypatch):
    """A Polish-like rule (1, 2-4, 5+) picks msgstr[0], [1] or [2]: the header decides, not English's rule."""
    rule = ("Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
    body = (f'msgid "{KEY}"\nmsgid_plural "{KEY}"\n'
            'msgstr[0] "{text}: {n} one"\nmsgstr[1] "{text}: {n} few"\nmsgstr[2] "{text}: {n} many"\n')
    monkeypatch.setenv("PIXELWISE_LESSON_DIR", str(_stub(tmp_path, rule, body)))
    assert i18n.plural_forms("xx") == 3
    said = [i18n.tn(KEY, n, "xx", text="a") for n in (1, 3, 5, 22, 12)]
    assert said == ["a: 1 one", "a: 3 few", "a: 5 many", "a: 22 few", "a: 12 many"]


@pytest.mark.parametrize("body", [
    "",  # the language lacks the entry
    f'msgid "{KEY}"\nmsgid_plural "{KEY}"\nmsgstr[0] "{{text}} uno"\nmsgstr[1] ""\n',  # half translated
], ids=["missing", "half-translated"])
def test_a_missing_plural_falls_back_to_english_with_englishs_rule(tmp_path, monkeypatch, body):
    monkeypatch.setenv("PIXELWISE_LESSON_DIR", str(_stub(tmp_path, "Plural-Forms: nplurals=2; plural=(n != 1);", body)))
    assert i18n.tn(KEY, 1, "xx", text="cow") == "cow (1 student)"
    assert i18n.tn(KEY, 4, "xx", text="cow") == "cow (4 students)"


def test_the_pages_helper_speaks_the_viewers_language():
    from pages import ui

    with ui.as_viewer("zh"):
        assert ui.tn(KEY, 2, text="牛") == "牛（2 名学生）"
    with ui.as_viewer("en"):
        assert ui.tn(KEY, 1, text="cow") == "cow (1 student)"


def test_class_counts_come_from_plural_entries_never_from_adding_s():
    from lessons.class_names import count_phrase

    assert [count_phrase("cow", n) for n in (1, 3)] == ["1 cow", "3 cows"]
    assert count_phrase("person", 2) == "2 people" and count_phrase("sheep", 4) == "4 sheep"
    assert count_phrase("cow", 1, "zh") == "牛 × 1" and count_phrase("cow", 3, "zh") == "牛 × 3"
    assert count_phrase("blorb", 2) == "blorb × 2"  # a typed name: counted, not given an English plural


def test_every_countable_class_name_has_a_count_entry():
    english = i18n.messages("en")
    names = [key for key in english if key.startswith("class.") and key.count(".") == 1]
    stuff = {"class.sky", "class.grass", "class.background"}  # counted as regions, never as things
    missing = [key for key in names if key + ".count" not in i18n.plurals("en") and key not in stuff]
    assert len(names) > 50 and not missing, missing
