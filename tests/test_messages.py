"""The message catalogs: complete in every language, every key the code uses exists, and adding a
language is adding files."""

import ast
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lessons import i18n
from lessons.catalog import LESSONS
from tests import english_leaks

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lessons").rglob("*.py")])
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def used_keys(helper: str = "t") -> set[str]:
    """Every literal key passed to ui.t / t / i18n.t (helper "tn": the plural helpers) in the app's code."""
    keys = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == helper:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    keys.add(first.value)
    return keys


@pytest.mark.parametrize("lang", [code for code in i18n.languages() if code != "en"])
def test_every_language_has_every_english_key_with_the_same_placeholders(lang):
    english, other = i18n.messages("en"), i18n.messages(lang)
    missing = sorted(set(english) - set(other))
    assert not missing, f"{lang} lacks {len(missing)} keys: {missing[:10]}"
    wrong = {key: (i18n.placeholders(english[key]), i18n.placeholders(other[key])) for key in english
             if i18n.placeholders(english[key]) != i18n.placeholders(other[key])}
    assert not wrong, f"{lang} placeholders differ from English: {wrong}"


def test_every_key_the_code_uses_is_in_the_english_catalog():
    missing = sorted(used_keys() - set(i18n.messages("en")))
    assert not missing, missing


@pytest.mark.parametrize("lang", [code for code in i18n.languages() if code != "en"])
def test_every_language_has_every_english_plural_with_its_own_number_of_forms(lang):
    english, other, forms = i18n.plurals("en"), i18n.plurals(lang), i18n.plural_forms(lang)
    missing = sorted(set(english) - set(other))
    assert not missing, f"{lang} lacks {len(missing)} plural entries: {missing[:10]}"
    wrong = [key for key in english if len(other[key]) != forms
             or any(i18n.placeholders(text) != i18n.placeholders(english[key][-1]) for text in other[key])]
    assert not wrong, f"{lang}: plural entries with the wrong number of forms or placeholders: {wrong}"


def test_every_english_plural_has_two_forms_and_says_its_count():
    """The count is the field `n` or `count` (what i18n.t chooses the form by); the singular may word it."""
    for key, forms in i18n.plurals("en").items():
        assert len(forms) == 2 and {"n", "count"} & i18n.placeholders(forms[1]), key


def test_every_plural_key_the_code_uses_is_in_the_english_catalog():
    missing = sorted(used_keys("tn") - set(i18n.plurals("en")))
    assert not missing, missing


def test_a_plural_entry_said_with_t_is_given_its_count():
    """ui.t / i18n.t choose a plural's form by `n` or `count`: without one the reader gets the general form."""
    plurals, offenders = i18n.plurals("en"), []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "t":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and first.value in plurals and not (
                        {"n", "count"} & {keyword.arg for keyword in node.keywords}):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {first.value}")
    assert not offenders, offenders


def test_every_lesson_title_and_group_is_in_the_catalog():
    from lessons.catalog import GROUPS

    english = i18n.messages("en")
    assert all(lesson.title_key in english for lesson in LESSONS)
    assert all(key in english for key in GROUPS.values())


def test_no_words_in_pages_or_ops():
    """pages/ and ops/ hold no Chinese and no inline two-language pairs: words live in lessons/."""
    offenders = []
    for path in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "ops").rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        if CJK.search(text):
            offenders.append(f"{path.relative_to(ROOT)}: CJK text")
        for node in ast.walk(ast.parse(text)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "t"):
                continue
            if len([a for a in node.args[:2] if isinstance(a, (ast.Constant, ast.JoinedStr))]) == 2:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: t() with two texts")
    assert not offenders, offenders


def test_no_private_streamlit_internals_anywhere():
    """Only public Streamlit API: no streamlit.runtime imports, no frame walking, no patching Streamlit."""
    offenders = []
    for path in sorted(p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and p != Path(__file__)):
        text = path.read_text(encoding="utf-8")
        for pattern in ("streamlit.runtime", "sys._getframe", "PagesManager", "monkeypatch.setattr(st"):
            if pattern in text:
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not offenders, offenders


def test_fill_keeps_braces_that_name_no_parameter():
    assert i18n.fill("$\\frac{1}{2}$ at {row}", {"row": 3}) == "$\\frac{1}{2}$ at 3"
    assert i18n.fill("{loss:.3f} nats", {"loss": 0.12345}) == "0.123 nats"


def test_a_missing_translation_falls_back_to_english(tmp_path, monkeypatch):
    stub = _stub_language(tmp_path, {"language.name": "Stubbish", "app.presenter_mode": "Stub presenter"})
    monkeypatch.setenv("PIXELWISE_LESSON_DIR", str(stub))
    assert i18n.languages()["xx"] == "Stubbish"
    assert i18n.t("app.presenter_mode", "xx") == "Stub presenter"
    assert i18n.t("app.share_example", "xx") == i18n.t("app.share_example", "en")


def test_adding_a_language_is_adding_files(tmp_path):
    """A stub language made in a temporary folder appears in the picker and is used, English filling gaps."""
    stub = _stub_language(tmp_path, {"language.name": "Stubbish", "lesson.segmentation.title": "Stub segmentation"})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "xx"
    at.switch_page(next(lesson.page for lesson in LESSONS if lesson.slug == "segmentation"))
    import os

    os.environ["PIXELWISE_LESSON_DIR"] = str(stub)
    try:
        at.run()
    finally:
        del os.environ["PIXELWISE_LESSON_DIR"]
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Stub segmentation"
    picker = at.selectbox(key="language_picker")
    assert "Stubbish" in picker.options
    assert at.slider[0].label == i18n.t("segmentation.space_between_two_cows_pixels", "en")


def _stub_language(tmp_path: Path, entries: dict) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "figures"))
    (folder / "xx").mkdir()
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
    for key, text in entries.items():
        lines += [f'msgid "{key}"', f'msgstr "{text}"', ""]
    (folder / "xx" / "messages.po").write_text("\n".join(lines), encoding="utf-8")
    return folder


SHOWN_CODE = sorted([*(ROOT / "lessons" / "figures").glob("*.py"), *(ROOT / "pages").glob("*.py")])


def test_no_english_word_is_written_into_a_figure_builder_or_a_page():
    """Titles, hover texts, trace names, labels and st.* texts in lessons/figures/ and pages/ come from the
    catalogs: a literal English word there would stay English in every other language."""
    found = [leak for path in SHOWN_CODE for leak in english_leaks.leaks(path)]
    assert len(SHOWN_CODE) > 30 and not found, found


PLANTS = {  # where a word can hide: (file, text in it, the same with an English word planted)
    "hover": ("lessons/figures/grids.py", 'hovertemplate=hover.cell(lang, "%{z}"),',
              'hovertemplate="value %{z}<extra></extra>",'),
    "layout title": ("lessons/figures/label_maps.py", 'fig.update_layout(title={"text": title,',
                     'fig.update_layout(title={"text": f"Labels of {title}",'),
    "trace name": ("lessons/figures/receptive_field.py", 'name=labels["random"],', 'name="random init",'),
    "st text": ("pages/lesson_start.py", "ui.title(slug)", 'ui.title(slug)\n    st.caption("Loading the model")'),
    "widget label": ("pages/own_network.py", 'placeholder=ui.t("own_network.typed_names_example")',
                     'placeholder="sky, grass, cow"'),
}


@pytest.mark.parametrize("where", PLANTS)
def test_the_english_check_catches_a_planted_word(tmp_path, where):
    """The check above can fail: an English word planted in a copy of a clean module is found and named."""
    relative, clean, planted = PLANTS[where]
    source = ROOT / relative
    text = source.read_text(encoding="utf-8")
    assert clean in text and english_leaks.leaks(source) == [], "the plant site moved: update PLANTS"
    copy = tmp_path / source.name
    copy.write_text(text.replace(clean, planted, 1), encoding="utf-8")
    found = english_leaks.leaks(copy)
    assert found and all(source.name in leak for leak in found), found


def test_symbols_units_and_placeholders_are_not_english_words():
    assert english_leaks.english_words("row %{y}, col %{x}: %{z:.3f}<extra></extra>") == ["row", "col"]
    assert english_leaks.english_words("%{customdata} · {value:.2f} mIoU, 12 ms, RGB <b>{name}</b>") == []
