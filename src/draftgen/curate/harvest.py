"""Harvest: the sentences and headings a writer wrote or rewrote in a draft,
proposed as phrase-bank candidates with a guessed role and topic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from draftgen.bank.phrasebank import PhraseBank
from draftgen.formats.document import HEADING, PARAGRAPH, TITLE, Block
from draftgen.formats.read import read_blocks
from draftgen.text.numbers import NUMBER
from draftgen.text.patterns import AFTER_SENTENCE, ITEM_LABEL, around_slots
from draftgen.text.segment import SLOT, mask_text


@dataclass
class Harvested:
    text: str
    role: str
    topic: str | None
    context: str

    def as_dict(self, number: int, source: str) -> dict[str, Any]:
        data: dict[str, Any] = {"id": f"harvest.{number:03d}", "role": self.role}
        if self.topic:
            data["topic"] = self.topic
        data.update({"text": self.text, "status": "candidate", "source": source, "context": self.context})
        return data


def _figureless(sentence: str) -> str:
    """The sentence with each figure replaced by one mark (the one number pattern)."""
    return "\ue003" + NUMBER.sub("\ue003", sentence)


def _sentences(block: Block) -> list[str]:
    if block.kind != PARAGRAPH:
        return [block.text.strip()]
    return [s.strip() for s in AFTER_SENTENCE.split(block.text) if s.strip()]


def _generated(sentence: str, patterns: list[re.Pattern[str]]) -> bool:
    """Every clause is either a bank formulation or carries figures (facts)."""
    clauses = [c for c in re.split(r"[，；。：]", ITEM_LABEL.sub("", sentence)) if c]
    return all(re.search(r"[0-9]", c) or any(p.fullmatch(c) for p in patterns) for c in clauses)


def _patterns(bank: PhraseBank) -> list[re.Pattern[str]]:
    out = []
    for entry in bank.entries.values():
        for clause in re.split(r"[，；。：]", entry.text):
            if clause:
                pieces = [re.escape(p) for p in around_slots(clause)]
                out.append(re.compile(".{1,20}?".join(pieces)))
    return out


def _guess_topic(text: str, bank: PhraseBank) -> str | None:
    best, score = None, 0
    for topic in bank.topics.values():
        words = [topic.name, topic.label, topic.short, *topic.aliases, *topic.keywords]
        hits = sum(1 for w in words if w and w in text)
        if hits > score:
            best, score = topic.name, hits
    return best


def _part(heading: str) -> str:
    if re.search(r"问题|不足|困难|短板", heading):
        return "problems"
    if re.search(r"打算|计划|思路|安排|重点工作", heading):
        return "plan"
    return "work"


def harvest(edited: Path, bank: PhraseBank, draft: Path | None = None) -> list[Harvested]:
    """What the writer wrote: sentences of ``edited`` not in ``draft`` (or, without a
    draft, not explained by the bank and the facts)."""
    blocks = read_blocks(edited)
    original: set[str] | None = None
    if draft is not None:
        original = {s for b in read_blocks(draft) for s in _sentences(b)}
        # a sentence where only a figure changed is the draft's wording, not a new phrase
        original |= {_figureless(s) for s in original}
    patterns = _patterns(bank) if original is None else []
    found: list[Harvested] = []
    part = "opening"
    for index, block in enumerate(blocks):
        if block.kind == HEADING and block.level == 1:
            part = _part(block.text)
        if block.kind == TITLE:
            continue
        if block.where and not re.search(r"[。！？；]$", block.text):
            continue  # a table's labels and figures, not a formulation
        for sentence in _sentences(block):
            if original is not None:
                if sentence in original or _figureless(sentence) in original:
                    continue
            elif _generated(sentence, patterns):
                continue
            text = ITEM_LABEL.sub("", mask_text(sentence).replace("\ue002", SLOT)).strip()
            if len(text.replace(SLOT, "")) < 4:
                continue
            found.append(Harvested(text, _guess_role(block, part, index), _guess_topic(sentence, bank), sentence))
    return found


def _guess_role(block: Block, part: str, index: int) -> str:
    if block.kind == HEADING:
        return "heading.plan" if part == "plan" else "heading.work" if block.level >= 2 else "part.work"
    if part == "opening" or index <= 1:
        return "opening.result"
    if part == "problems":
        return "problems.intro"
    if part == "plan":
        return "measure"
    return "measure"
