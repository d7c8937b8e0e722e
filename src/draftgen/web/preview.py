"""A draft as the workbench shows it: HTML blocks with where each came from, the
placeholders marked and listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from draftgen.api import DraftResult, blocks_with_sources
from draftgen.formats.document import HEADING, PARAGRAPH, SIGNATURE, SUBTITLE, TITLE, Block

_TAGS = {TITLE: "h1", SUBTITLE: "p", SIGNATURE: "p", PARAGRAPH: "p"}


@dataclass
class Preview:
    html: str
    #: each placeholder with the number of the block it stands in (the same number as the HTML's data-block)
    placeholders: list[dict[str, Any]] = field(default_factory=list)


def render_preview(result: DraftResult) -> Preview:
    blocks, notes = blocks_with_sources(result.marked, result.picks, result.facts, result.licences())
    parts: list[str] = []
    placeholders: list[dict[str, Any]] = []
    for i, (block, note) in enumerate(zip(blocks, notes, strict=True)):
        tag = f"h{min(block.level + 1, 4)}" if block.kind == HEADING else _TAGS.get(block.kind, "p")
        inner = []
        for run in block.runs:
            text = escape(run.text)
            if run.placeholder:
                placeholders.append({"text": run.text, "block": i})
                inner.append(f'<mark class="placeholder">{text}</mark>')
            elif run.bold:
                inner.append(f"<strong>{text}</strong>")
            else:
                inner.append(text)
        parts.append(f'<{tag} class="{_css(block)}" data-block="{i}" title="{escape(note)}">{"".join(inner)}</{tag}>')
    return Preview("\n".join(parts), placeholders)


def _css(block: Block) -> str:
    return f"{block.kind} level-{block.level}" if block.kind == HEADING else block.kind
