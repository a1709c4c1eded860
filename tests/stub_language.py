"""A stub language for tests: every English message and lesson section in a made-up script, so that any
English left on a page in that language is a word the catalogs do not supply (issue 20).

The stub keeps every placeholder of the English text (so the same values fill it) and says everything
else as "ẋ" and a number, which no English-word check mistakes for a word."""

import re
import shutil
from pathlib import Path

from lessons import i18n

ROOT = Path(__file__).resolve().parent.parent
CODE = "xx"
STUB = "ẋ"
_FIELD = re.compile(r"\{\w+(?::[^{}]*)?\}")


def stub_text(english: str, number: int = 0) -> str:
    """'Input {w}×{h} at {loss:.3f}' -> 'ẋ7 {w} {h} {loss:.3f}': the fields, no words; the entry's number
    keeps the options of a select box apart."""
    return " ".join([f"{STUB}{number}", *_FIELD.findall(english)])


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def make(tmp_path: Path, name: str = "Stubbish") -> Path:
    """A copy of lessons/ (words only) with the stub language added; point PIXELWISE_LESSON_DIR at it."""
    folder = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "figures"))
    (folder / CODE).mkdir()
    plurals = i18n.plurals("en")
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"',
             '"Plural-Forms: nplurals=1; plural=0;\\n"', ""]
    for number, (key, english) in enumerate(i18n.messages("en").items()):
        text = name if key == "language.name" else stub_text(english, number)
        lines.append(f"msgid {_po_string(key)}")
        if key in plurals:
            lines += [f"msgid_plural {_po_string(key)}", f"msgstr[0] {_po_string(text)}", ""]
        else:
            lines += [f"msgstr {_po_string(text)}", ""]
    (folder / CODE / "messages.po").write_text("\n".join(lines), encoding="utf-8")
    for prose in (ROOT / "lessons" / "en").glob("*.md"):  # every section, its markers kept
        kept = [line if line.startswith("<!--") else STUB for line in prose.read_text(encoding="utf-8").splitlines()]
        (folder / CODE / prose.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder
