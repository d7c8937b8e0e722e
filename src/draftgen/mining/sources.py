"""Reports as plain text, one document at a time (.txt, .md, .docx; folders walked)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from draftgen.errors import InputFileError
from draftgen.writers.docx_package import is_word_file
from draftgen.yamlio import decode

SUFFIXES = (".txt", ".md", ".docx", ".dotx")
_MD_MARKUP = re.compile(r"^(?:#+\s*|-{3,}\s*$)|\*\*", re.M)


@dataclass(frozen=True)
class Source:
    path: Path
    size: int


def collect(paths: list[Path]) -> list[Source]:
    """The files to read, in a stable order; a missing path is an error."""
    found: list[Source] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES and not is_word_file(path):
                raise InputFileError(f"“{path}”不是 .txt、.md 或 .docx 文件。")
            files = [path]
        else:
            raise InputFileError(f"找不到“{path}”，请检查路径是否正确。")
        found += [Source(p, p.stat().st_size) for p in files]
    if not found:
        raise InputFileError("没有找到可读的报告（.txt、.md 或 .docx）。")
    return found


def read_text(source: Source) -> str:
    """A report's text, one paragraph a line."""
    path = source.path
    if is_word_file(path):
        from draftgen.writers.docx_reader import read_docx

        return "\n".join(block.text for block in read_docx(path))
    text, _ = decode(path.read_bytes(), path.name)
    if path.suffix.lower() == ".md":
        text = _MD_MARKUP.sub("", text)
    return text


def documents(sources: list[Source]) -> Iterator[tuple[Source, str]]:
    for source in sources:
        yield source, read_text(source)
