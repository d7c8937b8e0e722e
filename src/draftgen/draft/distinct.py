"""How much two drafts share: their template clauses (clauses with no digits
that are not the sheet's own text), for the distinctness test and benchmark."""

from __future__ import annotations

import re
from itertools import combinations

from draftgen.sheet.model import FactSheet

_SPLIT = re.compile(r"[，。；：！？\n]")
_MARKUP = re.compile(r"^[#*\s—-]+|[*]+")
_PLACEHOLDER = re.compile(r"【待补充：[^】]*】")
# 一是 / （一） / 一、: numbering is not wording
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


def template_clauses(markdown: str, facts: FactSheet) -> list[str]:
    """Clauses of a draft that the templates and phrase bank wrote."""
    sheet = [facts.town, *(text for _, text in facts.texts())]
    out = []
    for raw in _SPLIT.split(_PLACEHOLDER.sub("", markdown)):
        clause = _ORDINAL.sub("", _MARKUP.sub("", raw).strip())
        if len(clause) < 2 or re.search(r"[0-9]", clause) or clause.startswith("【待补充"):
            continue
        if any(clause in text or (len(text) >= 4 and text in clause) for text in sheet):
            continue
        out.append(clause)
    return out


def shared_fraction(a: list[str], b: list[str]) -> float:
    """Share of template clauses two drafts have in common."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / ((len(sa) + len(sb)) / 2)


def pairwise(drafts: list[list[str]]) -> list[float]:
    return [shared_fraction(a, b) for a, b in combinations(drafts, 2)]
