"""What a fact sheet can support: the headline trend the wording follows, and the counts,
ranks and targets met that praise must be earned by (the lexicon's :class:`Evidence`).
Drafting chooses wording by it; ``check`` holds an edited draft to it."""

from __future__ import annotations

from draftgen.bank.lexicon import Evidence
from draftgen.sheet.model import FactSheet, growth_percent
from draftgen.text.numbers import NUMBER


def trend_of(growth: float | None) -> str | None:
    """``rise``, ``fall`` or ``flat``, as ``when: {trend: …}`` names it."""
    if growth is None:
        return None
    return "rise" if growth > 0 else "fall" if growth < 0 else "flat"


def trends_of(growth: float | None, previous_growth: float | None) -> set[str]:
    """What ``when: {trend: …}`` may name: a rise after last year's fall is also a ``recovery``."""
    trend = trend_of(growth)
    found = {trend} if trend else set()
    if trend == "rise" and previous_growth is not None and previous_growth < 0:
        found.add("recovery")
    return found


def headline_growth(facts: FactSheet) -> tuple[float | None, float | None]:
    """The first indicator with a change: (its growth, last year's growth) — what the
    draft's overall wording (稳中有进, 承压前行) follows."""
    headline = next((ind for ind in facts.indicators if growth_percent(ind) is not None), None)
    if headline is None:
        return None, None
    previous = float(headline.previous_growth) if headline.previous_growth is not None else None
    return growth_percent(headline), previous


def sheet_evidence(facts: FactSheet) -> Evidence:
    """What the whole sheet supports (for reviewing a draft against its facts)."""
    growth, previous = headline_growth(facts)
    trends = trends_of(growth, previous)
    return draft_evidence(facts, frozenset(trends), growth)


def draft_evidence(facts: FactSheet, trends: frozenset[str], growth: float | None) -> Evidence:
    """What the whole sheet supports: the headline trend, counts, ranks, targets met."""
    rates = [g for g in (growth_percent(ind) for ind in facts.indicators) if g is not None]
    with_target = [ind for ind in facts.indicators if ind.target is not None and ind.value is not None]
    texts = [f for work in facts.work for item in work.items for f in item.facts]
    return Evidence(
        trends=trends, growth=growth, all_rise=bool(rates) and all(g > 0 for g in rates),
        projects=len(facts.projects), items=sum(len(w.items) for w in facts.work),
        figures=sum(len(NUMBER.findall(t)) for t in texts) + sum(1 for i in facts.indicators if i.value is not None),
        rank=any(ind.rank for ind in facts.indicators),
        targets_met=bool(with_target) and all(
            ind.value is not None and ind.target is not None and ind.value >= ind.target for ind in with_target),
        honors=bool(facts.honors))
