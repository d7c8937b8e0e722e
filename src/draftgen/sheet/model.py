"""The fact sheet as the rest of draftgen sees it: typed dataclasses, past the loader
(:mod:`draftgen.sheet.validation` builds them; raw dicts stop there)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from draftgen.text.numbers import NUMBER, Change, Number, change_of, dec, growth_rate, one_decimal, point_change


@dataclass(frozen=True)
class Quantity:
    value: Number | None
    unit: str = ""
    approx: str | None = None


@dataclass(frozen=True)
class Indicator:
    name: str
    value: Number | None
    unit: str = ""
    previous: Number | None = None
    growth: Number | None = None
    previous_growth: Number | None = None
    note: str | None = None
    approx: str | None = None
    estimate: bool = False
    target: Number | None = None
    rank: str | None = None
    as_of: str | None = None
    base: Number | None = None
    base_name: str | None = None

    @property
    def is_rate(self) -> bool:
        """A rate (unit %) changes by percentage points, not by a growth rate."""
        return self.unit in ("%", "％")


@dataclass(frozen=True)
class WorkItem:
    title: str | None
    facts: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    effect: str | None = None
    rank: str | None = None
    #: last year's promise carried over by ``init --from``: this year's draft must answer it
    from_plan: bool = False


@dataclass(frozen=True)
class TopicWork:
    topic: str
    items: tuple[WorkItem, ...] = ()


@dataclass(frozen=True)
class Project:
    name: str
    topic: str = "项目建设"
    investment: Quantity | None = None
    status: str | None = None
    progress: str | None = None
    stage: str | None = None
    measures: tuple[str, ...] = ()
    effect: str | None = None


@dataclass(frozen=True)
class ProblemItem:
    text: str
    topic: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Target:
    name: str
    value: Number | None = None
    unit: str = ""
    growth: Number | None = None
    note: str | None = None


@dataclass(frozen=True)
class PlanWork:
    topic: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plans:
    thinking: str | None = None
    targets: tuple[Target, ...] = ()
    work: tuple[PlanWork, ...] = ()


@dataclass(frozen=True)
class FactSheet:
    """A validated fact sheet."""

    town: str
    year: int
    division: str = "镇"
    superior: str | None = None
    province: str | None = None
    setting: str | None = None
    period: str = "annual"
    cutoff_month: int | None = None
    theme: str | None = None
    date: str | None = None
    #: which wording the writer chose (第 N 种说法): the draft's seed is the town's and year's plus N − 1
    wording: int | None = None
    honors: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    work: tuple[TopicWork, ...] = ()
    projects: tuple[Project, ...] = ()
    problems: tuple[ProblemItem, ...] = ()
    plans: Plans = field(default_factory=Plans)
    source: str = ""
    warnings: tuple[str, ...] = ()

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every piece of the writer's own wording in the sheet, with where it stands."""
        for where, text in (("theme", self.theme), ("plans › thinking", self.plans.thinking)):
            if text:
                yield where, text
        for honor in self.honors:
            yield "honors", honor
        for ind in self.indicators:
            yield f"indicators › {ind.name}", ind.name
        for work in self.work:
            for item in work.items:
                for text in (item.title, *item.measures, *item.facts, item.effect, item.rank):
                    if text:
                        yield f"work › {work.topic}", text
        for project in self.projects:
            for text in (project.name, *project.measures, project.progress, project.effect):
                if text:
                    yield f"projects › {project.name}", text
        for problem in self.problems:
            yield "problems", problem.text
            if problem.detail:
                yield "problems", problem.detail
        for target in self.plans.targets:
            yield f"plans › targets › {target.name}", target.name
        for plan in self.plans.work:
            for line in plan.items:
                yield f"plans › work › {plan.topic}", line

    @property
    def superior_level(self) -> str | None:
        """区, 县, 市 or 旗: the level of the superior, read from its name."""
        if not self.superior:
            return None
        last = self.superior[-1]
        return last if last in "区县市旗州盟" else None

    @property
    def cutoff(self) -> int:
        return self.cutoff_month or (6 if self.period == "half-year" else 12)


def is_half(facts: FactSheet, form: str) -> bool:
    """Whether a draft speaks of the half year: the half-year form, or a half-year sheet
    drafted as a thematic or highlights report (an annual draft stays annual)."""
    return form == "half-year" or (facts.period == "half-year" and form in ("thematic", "highlights"))


def indicator_change(ind: Indicator) -> Change | None:
    """The change to print for an indicator: given growth first, else computed."""
    if ind.growth is not None:
        # a growth given to two decimals (13.88) is written to one, as the office writes rates
        given = dec(ind.growth)
        places = given.as_tuple().exponent
        return change_of(one_decimal(given) if isinstance(places, int) and places < -1 else given, points=False)
    if ind.value is None or ind.previous is None:
        return None
    if ind.is_rate:
        return change_of(point_change(ind.value, ind.previous), points=True)
    rate = growth_rate(ind.value, ind.previous)
    return None if rate is None else change_of(rate, points=False)


def growth_percent(ind: Indicator) -> float | None:
    """Growth as a plain number, for conditions on wording (None for rates)."""
    change = indicator_change(ind)
    if change is None or change.points:
        return None
    return float(change.magnitude) * change.direction


#: a plan item that is a growth target (增长6.5%) is held to its figure, not as an item
TARGET_GROWTH = re.compile(rf"增长(?P<g>{NUMBER.pattern})[%％]")


@dataclass(frozen=True)
class Promise:
    """One thing last year's plan promised: an item, or a target for an indicator."""

    text: str
    where: str
    indicator: str | None = None
    growth: float | None = None
    value: float | None = None
    unit: str = ""
