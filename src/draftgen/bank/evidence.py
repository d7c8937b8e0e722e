"""What a fact sheet can support: the headline trend the wording follows, and the counts,
ranks and targets met that praise must be earned by (the lexicon's :class:`Evidence`).
Drafting chooses wording by it; ``check`` holds an edited draft to it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from draftgen.bank.lexicon import Evidence, unmet
from draftgen.bank.phrasebank import Entry
from draftgen.sheet.model import FactSheet, Project, WorkItem, growth_percent
from draftgen.text.numbers import FIGURE, NUMBER
from draftgen.text.patterns import CJK, around_slots

#: an amount of money in a fact (投入资金320万元, 发放救助金2136万元)
_MONEY = re.compile(rf"{FIGURE}\s*[余多]?[万亿]?元")
#: four Chinese characters: a claim's word that a problem may also say
_FOUR_CHINESE = re.compile(rf"[{CJK}]{{4}}")
#: an honour that is a listing (入选…名单, 列为…试点), not an award: no 表彰 is claimed of it
_LISTING = ("入选", "列为", "列入", "纳入", "名单", "试点", "创建对象")


def is_award(honor: str) -> bool:
    """Whether an honour is an award (获评, 荣获, 被评为) rather than a place on a list."""
    return not any(word in honor for word in _LISTING)


def _texts(items: Iterable[WorkItem], projects: Iterable[Project]) -> list[str]:
    texts = [t for item in items for t in (item.title or "", *item.facts, *item.measures, item.effect or "")]
    texts += [t for p in projects for t in (p.name, p.progress or "", *p.measures, p.effect or "")]
    return [t for t in texts if t]


def passage_evidence(base: Evidence, items: list[WorkItem], projects: list[Project], figures: int,
                     honors: Iterable[str] = ()) -> Evidence:
    """What the facts of one passage (a section's items and projects, or the whole sheet)
    support, over ``base`` (the draft's trend and growth)."""
    texts = _texts(items, projects)
    honors = list(honors)
    return dataclasses.replace(
        base, projects=len(projects), items=len(items), figures=figures,
        done=sum(p.status == "done" for p in projects),
        started=sum(p.status in ("done", "ongoing") for p in projects),
        money=any(_MONEY.search(t) for t in texts) or any(
            p.investment is not None and p.investment.value is not None for p in projects),
        effects=sum(1 for i in items if i.effect) + sum(1 for p in projects if p.effect),
        honor_count=len(honors), awards=sum(is_award(h) for h in honors),
        facts="\n".join(texts))


def trend_of(growth: float | None) -> str | None:
    """``rise``, ``fall`` or ``flat``, as ``when: {trend: …}`` names it."""
    if growth is None:
        return None
    return "rise" if growth > 0 else "fall" if growth < 0 else "flat"


def trends_of(growth: float | None, previous_growth: float | None) -> set[str]:
    """What ``when: {trend: …}`` may name: a rise after last year's fall is also a ``recovery``;
    ``unknown`` where no indicator has a change."""
    trend = trend_of(growth)
    found = {trend} if trend else {"unknown"}  # (figures with no change to judge them by)
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
    base = Evidence(
        trends=trends, growth=growth, all_rise=bool(rates) and all(g > 0 for g in rates),
        rank=any(ind.rank for ind in facts.indicators),
        targets_met=bool(with_target) and all(
            ind.value is not None and ind.target is not None and ind.value >= ind.target for ind in with_target),
        honors=bool(facts.honors), problems="\n".join(p.text for p in facts.problems))
    figures = sum(len(NUMBER.findall(t)) for t in texts) + sum(1 for i in facts.indicators if i.value is not None)
    return passage_evidence(base, [item for work in facts.work for item in work.items], list(facts.projects),
                            figures, facts.honors)


def licence_unmet(entry: Entry, evidence: Evidence, topic: str | None = None,
                  features: frozenset[str] = frozenset()) -> str | None:
    """Why the facts of a passage (its ``evidence``, the ``topic`` it speaks of and that topic's
    lexicon ``features``) do not license ``entry``'s claim, in Chinese; None when they do. An
    entry without a licence is not licensed (default-deny)."""
    if entry.licence is None:
        return "这条表述没有写明要什么事实撑腰"
    needs = dict(entry.licence)
    topics = needs.pop("topics", None)
    if topics and topic not in topics:
        return f"它只用于{'、'.join(topics)}"
    wanted = needs.pop("features", None)
    if wanted and not set(wanted) & features:
        return "它说的不是这个领域的事"
    said = contradicted(entry.text, evidence.problems)
    if said:
        return f"事实表的问题部分说的正相反（“{said}”）"
    return unmet(needs, evidence)


def contradicted(text: str, problems: str) -> str | None:
    """Four characters of a claim's own words that the sheet's problems also say (干部队伍 in
    干部队伍结构进一步优化 against 干部队伍年龄偏大): the claim speaks of what the sheet calls a
    problem, so it is not written as a result."""
    if not problems:
        return None
    for piece in around_slots(text):
        for i in range(len(piece) - 3):
            window = piece[i:i + 4]
            if _FOUR_CHINESE.fullmatch(window) and window in problems:
                return window
    return None


def figures_of(items: Iterable[WorkItem], projects: Iterable[Project]) -> int:
    """How many figures a passage's facts carry (what its praise may rest on)."""
    projects = list(projects)
    texts = [f for item in items for f in item.facts] + [p.progress or "" for p in projects]
    return sum(len(NUMBER.findall(t)) for t in texts) + sum(
        1 for p in projects if p.investment and p.investment.value is not None)


def earned(entry: Entry, evidence: Evidence) -> str:
    """What in the facts licensed ``entry``'s claim, in Chinese (for provenance)."""
    needs = dict(entry.licence or ())
    said: list[str] = []
    counts = {"items_min": (evidence.items, "项工作"), "projects_min": (evidence.projects, "个项目"),
              "started_min": (evidence.started, "个开工或建成的项目"), "done_min": (evidence.done, "个建成的项目"),
              "figures_min": (evidence.figures, "个数字"), "honors_min": (evidence.honor_count, "项荣誉"),
              "awards_min": (evidence.awards, "项表彰")}
    said += [f"{have}{what}" for key, (have, what) in counts.items() if key in needs]
    if "trend" in needs or "growth_min" in needs:
        said.append(f"主要指标增长{evidence.growth:g}%" if evidence.growth is not None else "主要指标的走势")
    flags = {"all_rise": "各项指标都在增长", "rank": "有排名", "targets_met": "目标全部完成",
             "honors": "有上级给的荣誉", "money": "事实里有资金数额", "effect": "事实里写了成效"}
    said += [words for key, words in flags.items() if needs.get(key)]
    words = [str(w) for w in needs.get("words") or () if str(w) in evidence.facts]
    if words:
        said.append(f"事实里提到“{words[0]}”")
    if needs.get("topics"):
        said.append(f"领域是{'、'.join(needs['topics'])}")
    return "、".join(said) if said else "不断言什么"
