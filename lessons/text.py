"""Read lesson text from lessons/<lang>/<slug>.md, split into named sections.

A teacher edits plain Markdown. A file is cut into sections by marker lines
``<!-- section: name -->``; text before the first marker is the section "intro".
A missing translation falls back to English, so a half-translated lesson still reads.
"""

import re
from functools import lru_cache
from pathlib import Path

from lessons.i18n import DEFAULT_LANGUAGE, lesson_folder

_MARKER = re.compile(r"^<!--\s*section:\s*([\w-]+)\s*-->\s*$", re.MULTILINE)


def parse_sections(markdown: str) -> dict[str, str]:
    """Split Markdown on section markers into {name: text}."""
    parts = _MARKER.split(markdown)
    sections = {"intro": parts[0].strip()} if parts[0].strip() else {}
    for name, body in zip(parts[1::2], parts[2::2]):
        sections[name] = body.strip()
    return sections


@lru_cache(maxsize=64)
def _read(folder: str, slug: str, lang: str) -> dict[str, str]:
    path = Path(folder) / lang / f"{slug}.md"
    return parse_sections(path.read_text(encoding="utf-8")) if path.exists() else {}


def lesson_sections(slug: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All sections of a lesson in `lang`, English filling any gap."""
    folder = lesson_folder()
    merged = dict(_read(folder, slug, DEFAULT_LANGUAGE))
    if lang != DEFAULT_LANGUAGE:
        merged.update(_read(folder, slug, lang))
    return merged


def section(slug: str, name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """One section's Markdown ('' if the lesson has no such section)."""
    return lesson_sections(slug, lang).get(name, "")
