"""The block model of a draft, shared by the Markdown and DOCX writers and the
DOCX reader: title, subtitle, headings by level, paragraphs made of runs,
signature lines. The Markdown conventions are in the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_cjk_friendly import cjk_friendly

from draftgen.text.patterns import PLACEHOLDER

TITLE, SUBTITLE, HEADING, PARAGRAPH, SIGNATURE = "title", "subtitle", "heading", "paragraph", "signature"


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look: a lead clause is bold, a placeholder is marked."""

    text: str
    bold: bool = False
    placeholder: bool = False


@dataclass(frozen=True)
class Block:
    """One paragraph-level element of a draft."""

    kind: str
    runs: tuple[Run, ...]
    level: int = 0  # headings: 1 is 一、, 2 is （一）, 3 is 1.
    #: where the block is: Markdown line or DOCX paragraph number (not part of equality)
    line: int | None = field(default=None, compare=False)
    #: DOCX content outside the body text: `表2 第3行第2列`, `文本框1`, `脚注1` (not part of equality)
    where: str | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def normalize_runs(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Placeholders in runs of their own; neighbours with the same look merged."""
    split: list[Run] = []
    for run in runs:
        pos = 0
        for match in PLACEHOLDER.finditer(run.text):
            if match.start() > pos:
                split.append(Run(run.text[pos:match.start()], run.bold))
            split.append(Run(match.group(), run.bold, placeholder=True))
            pos = match.end()
        if pos < len(run.text):
            split.append(Run(run.text[pos:], run.bold))
    merged: list[Run] = []
    for run in split:
        if not run.text:
            continue
        if merged and not run.placeholder and not merged[-1].placeholder and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + run.text, run.bold)
        else:
            merged.append(run)
    return tuple(merged)


def block(kind: str, text: str, level: int = 0) -> Block:
    return Block(kind, normalize_runs([Run(text)]), level)


_PARSER = MarkdownIt("commonmark").use(cjk_friendly)


def parse_markdown(text: str) -> list[Block]:
    """Blocks of a draft written with the draftgen Markdown conventions."""
    blocks: list[Block] = []
    tokens = _PARSER.parse(text)
    heading_level = 0
    in_signature = False
    line: int | None = None
    for i, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + 1
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "hr":
            in_signature = True
        elif token.type == "inline":
            runs = _inline_runs(token.children or [])
            if heading_level == 1:
                blocks.append(Block(TITLE, runs, line=line))
            elif heading_level:
                blocks.append(Block(HEADING, runs, level=heading_level - 1, line=line))
            elif in_signature:
                blocks.append(Block(SIGNATURE, runs, line=line))
            elif blocks and blocks[-1].kind == TITLE and "".join(r.text for r in runs).startswith("——") \
                    and tokens[i - 1].type == "paragraph_open" and len(blocks) == 1:
                blocks.append(Block(SUBTITLE, runs, line=line))
            else:
                blocks.append(Block(PARAGRAPH, runs, line=line))
        elif token.type == "heading_close":
            heading_level = 0
    return blocks


def _inline_runs(children: list) -> tuple[Run, ...]:  # type: ignore[type-arg]
    runs: list[Run] = []
    bold = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type in ("text", "code_inline"):
            runs.append(Run(child.content, bold))
        elif child.type in ("softbreak", "hardbreak"):
            continue  # Chinese lines join without a space
    return normalize_runs(runs)


def to_markdown(blocks: list[Block]) -> str:
    """Blocks back to the draftgen Markdown conventions."""
    out: list[str] = []
    signature_started = False
    for item in blocks:
        text = "".join(f"**{r.text}**" if r.bold else r.text for r in item.runs)
        if item.kind == TITLE:
            out.append(f"# {text}")
        elif item.kind == HEADING:
            out.append(f"{'#' * (item.level + 1)} {text}")
        elif item.kind == SIGNATURE:
            if not signature_started:
                out.append("---")
                signature_started = True
            out.append(text)
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"
