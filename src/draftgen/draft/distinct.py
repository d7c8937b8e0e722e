"""How much two drafts share: their template clauses (clauses with no digits
that are not the sheet's own text), for the distinctness test and benchmark."""

from __future__ import annotations

import re
from itertools import combinations

from draftgen.sheet.model import FactSheet
from draftgen.text.patterns import CLAUSE_ENDS, ITEM_LABEL, PLACEHOLDER, PLACEHOLDER_OPEN

_SPLIT = re.compile(rf"[{CLAUSE_ENDS}\n]")
_MARKUP = re.compile(r"^[#*\s—-]+|[*]+")
# 一是 / （一） / 一、: numbering is not wording


#: the calendar's roles: what a year is, its meetings and campaigns, the same for every town that year
_CALENDAR_ROLES = ("year.stands", "year.guide", "year.campaign")


def template_clauses(markdown: str, facts: FactSheet) -> list[str]:
    """Clauses of a draft that the templates and phrase bank wrote (the sheet's own text, as written
    or as quoted, and the year's calendar wording, which every town of that year shares, are not theirs)."""
    from draftgen.bank.phrasebank import load_bank

    bank = load_bank()
    calendar = [e.text for role in _CALENDAR_ROLES for e in bank.by_role(role) if e.valid_in(facts.year)
                or e.valid_in(facts.year + 1)]
    from draftgen.draft.compose import quoted_problem, situation_parts

    # the sheet's own words also as a draft quotes them (问题 joined by 、, what rose and what fell)
    own = [text for _, text in facts.texts()]
    sheet = [facts.town, *own, *(quoted_problem(text) for text in own), *situation_parts(facts), *calendar]
    out = []
    for raw in _SPLIT.split(PLACEHOLDER.sub("", markdown)):
        clause = ITEM_LABEL.sub("", _MARKUP.sub("", raw).strip())
        if len(clause) < 2 or re.search(r"[0-9]", clause) or clause.startswith(PLACEHOLDER_OPEN):
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
