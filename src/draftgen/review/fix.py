"""`draftgen check --fix`: the mechanical fixes — half-width punctuation in Chinese text,
doubled punctuation — written into a copy of the draft: as Word tracked changes in a
DOCX (the writer accepts or rejects each), plainly in a Markdown or text copy."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from draftgen.formats.read import is_word_file, open_word, text_lines, text_paragraphs
from draftgen.text.typography import chinese_punctuation

_DOUBLED = re.compile(r"([，。；：、！？])\1+")


def fixed(text: str) -> str:
    """The text with half-width punctuation beside Chinese made full-width and doubled marks single."""
    return _DOUBLED.sub(r"\1", chinese_punctuation(text))


@dataclass
class FixResult:
    data: bytes
    paragraphs: int  # how many paragraphs changed


def fix_file(path: Path) -> FixResult:
    """A fixed copy of the draft at ``path`` (the file itself is not touched)."""
    if is_word_file(path):
        return _fix_docx(path)
    lines = text_lines(path)
    out = [fixed(line) for line in lines]
    return FixResult("\n".join(out).encode("utf-8"), sum(a != b for a, b in zip(lines, out, strict=True)))


def _fix_docx(path: Path) -> FixResult:
    from draftgen.formats.tracked import Editor

    document = open_word(path)
    editor = Editor(track=True)
    changed = 0
    for paragraph in text_paragraphs(document):
        old = Editor.text(paragraph)
        new = fixed(old)
        if new != old and editor.rewrite(paragraph, new):
            changed += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return FixResult(buffer.getvalue(), changed)
