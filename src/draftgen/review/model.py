"""What the checker reads: a draft as located blocks (what it reports is a :class:`~draftgen.findings.Finding`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from draftgen.bank.phrasebank import PhraseBank, load_bank
from draftgen.formats.document import HEADING, SIGNATURE, Block

PLAN_HEADING = re.compile(r"打算|计划|思路|安排|重点工作|工作重点|下半年|下一步|下一阶段|下阶段")


@dataclass
class Located:
    """A block with where it stands: its heading path, and the year it speaks of."""

    block: Block
    path: tuple[str, ...]
    year: int
    in_plan: bool
    index: int  # 1-based among the draft's blocks

    @property
    def text(self) -> str:
        return self.block.text


@dataclass
class Draft:
    """A draft to check."""

    source: str
    markdown: bool
    blocks: list[Located] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    year: int = 0
    form: str = "annual"
    facts: Any = None
    #: the phrase bank it is checked against: the user's ``--phrasebank`` folder over the shipped one
    bank: PhraseBank | None = None

    @property
    def phrases(self) -> PhraseBank:
        """The bank given, or the shipped one."""
        return self.bank if self.bank is not None else load_bank()

    def where(self, item: Located) -> str:
        path = " › ".join(p[:24] for p in item.path) or "开头"
        if self.markdown and item.block.line:
            return f"第{item.block.line}行（{path}）"
        if item.block.where:
            return f"{path} › {item.block.where}"
        kind = "（标题）" if item.block.kind == HEADING else ""
        return f"{path} › 第{item.index}段{kind}"


def locate(blocks: list[Block], year: int, form: str) -> list[Located]:
    """Heading paths, and which year each block speaks of (the plan speaks of the next)."""
    out: list[Located] = []
    path: list[str] = []
    in_plan = False
    parts = 0
    for index, block in enumerate(blocks, start=1):
        if block.kind == HEADING:
            level = max(1, block.level)
            path = [*path[: level - 1], block.text]
            if level == 1:
                parts += 1
                # 聚焦2025年目标任务… (a thematic plan part) names the next year; the first part is
                # the work done, whatever its heading says (一、2023年重点工作情况) or stands before it
                in_plan = parts > 1 and (bool(PLAN_HEADING.search(block.text)) or f"{year + 1}年" in block.text)
        speaks_of = year + 1 if in_plan and form != "half-year" else year
        where = ("落款",) if block.kind == SIGNATURE else tuple(path if block.kind != HEADING else path[:-1])
        out.append(Located(block, where, speaks_of, in_plan, index))
    return out


def excerpt(text: str, start: int, end: int, pad: int = 8) -> str:
    """The offending text with a little context."""
    left = max(0, start - pad)
    right = min(len(text), end + pad)
    # never cut a figure in two (…同比增长7 of 7.3%)
    while left > 0 and text[left - 1] in _FIGURE and text[left] in _FIGURE:
        left -= 1
    while right < len(text) and text[right - 1] in _FIGURE and text[right] in _FIGURE + "%％":
        right += 1
    return text[left:right]


_FIGURE = "0123456789."
