"""The one way any command reads a draft or a report: a Word file as the writer left it
(tracked changes accepted), Markdown, or plain text.

``check``, ``extract``, ``harvest`` and the workbench read blocks here; mining reads plain
text here; ``update`` and ``check --fix`` open a Word file here to edit its paragraphs.
Which suffix is read how, the size limit of a text file and its decoding are said once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from draftgen.errors import InputFileError
from draftgen.formats.docx_package import DEFAULT_LIMITS, WORD_MAGIC, WORD_SUFFIXES, Limits, is_word_file, open_docx

if TYPE_CHECKING:  # Markdown's parser is imported only to read Markdown
    from draftgen.formats.document import Block

__all__ = [
    "DEFAULT_LIMITS",
    "WORD_MAGIC",
    "WORD_SUFFIXES",
    "Limits",
    "ReadDraft",
    "is_word_file",
    "markdown_blocks",
    "open_word",
    "plain_text",
    "read_blocks",
    "read_draft",
    "text_lines",
    "text_paragraphs",
    "word_text",
]

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
# ** first: the scan is faster so, and no line start matches both
_MD_MARKUP = re.compile(r"\*\*|^(?:#+\s*|-{3,}\s*$)", re.M)


@dataclass
class ReadDraft:
    """A draft as read: its blocks and, of a Word file, its comments."""

    source: str  # the file's name
    markdown: bool  # a text file: places are its lines, not paragraphs
    blocks: list[Block]
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)


def read_draft(path: Path, limits: Limits = DEFAULT_LIMITS, *, comments: bool = True) -> ReadDraft:
    """The draft at ``path``: a Word file as edited, Markdown, or plain text (one paragraph
    a line, headings by their numbers). ``comments``: a Word file's comments are read too
    (through python-docx's document; without them the file is read directly, faster)."""
    if not path.exists():
        raise InputFileError(f"找不到文件“{path}”，请检查路径是否正确。")
    if is_word_file(path):
        from draftgen.formats.docx_reader import document_blocks, read_docx

        if not comments:
            return ReadDraft(path.name, markdown=False, blocks=read_docx(path, limits))
        document = open_word(path, limits)  # once: for the text and for the comments
        return ReadDraft(path.name, markdown=False, blocks=document_blocks(document),
                         comments=[(c.author or "", c.text) for c in document.comments])
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from draftgen.formats.docx_reader import read_plain_text

        text = _text_file(path, limits)
        blocks = read_plain_text(text) if suffix == ".txt" else markdown_blocks(text)
        return ReadDraft(path.name, markdown=True, blocks=blocks)
    raise InputFileError(f"“{path.name}”不是 .docx、.md 或 .txt 文件。")


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a draft's Markdown text (a file's, or one draftgen made in this process for ``update``)."""
    from draftgen.formats.document import parse_markdown

    return parse_markdown(text)


def read_blocks(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """The blocks of the draft at ``path`` (:func:`read_draft` without the comments)."""
    return read_draft(path, limits, comments=False).blocks


def _text_file(path: Path, limits: Limits) -> str:
    size = path.stat().st_size
    if size > limits.total_mb * 1_000_000:
        raise InputFileError(f"“{path.name}”有 {size // 1_000_000} MB，超过上限 {limits.total_mb} MB："
                             "报告不会这么大。如确是合订的大文件，请拆分后再检查，"
                             "或在检查配置里调高 limits.total_mb。")
    return _decoded(path.read_bytes(), path.name)


def _decoded(data: bytes, name: str) -> str:
    """A text file's bytes as text: UTF-8 with or without a BOM, UTF-16, or GB18030, as the
    fact sheet is read (``name`` for the message when it is none of them)."""
    from draftgen.sheet.yamlio import decode  # YAML's parser is not wanted for reading a Word file

    return decode(data, name)[0]


def open_word(path: Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A Word file opened with python-docx, for the commands that edit it (``update``, ``--fix``)
    or read its comments where they stand."""
    return open_docx(path, limits)


def text_paragraphs(document: Any) -> list[Any]:
    """The paragraphs of an opened Word document that carry text, in document order
    (tables' and text boxes' included): what ``update`` aligns with the drafts."""
    from draftgen.formats.tracked import Editor

    return [p for p in document.element.body.iter() if p.tag.endswith("}p") and Editor.text(p).strip()]


def text_lines(path: Path) -> list[str]:
    """A text draft's lines as they stand (for ``check --fix`` to mend one by one)."""
    return _decoded(path.read_bytes(), path.name).split("\n")


def plain_text(data: bytes, name: str, *, markup: bool = True) -> str:
    """The text of a .txt or .md file's bytes (all of them, or a portion), without Markdown
    markup (``markup``: take it out)."""
    text = _decoded(data, name)
    return _MD_MARKUP.sub("", text) if markup and Path(name).suffix.lower() == ".md" else text


def word_text(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """A Word file's text, one block a line (for mining)."""
    from draftgen.formats.docx_reader import read_docx

    return "\n".join(block.text for block in read_docx(path, limits))
