"""Numbers in a draft against its fact sheet.

Every number in a draft must come from the sheet or be computed from it
(growth from last year's value, a change in percentage points, completion of a
target, the next year, a half-year's month range); every number in the sheet
must appear in the draft (a ``previous`` value may be left to its growth rate).
Used by the tests on every example and form, and later by ``draftgen check``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from draftgen.sheet.model import FactSheet, indicator_change, is_half
from draftgen.text.numbers import FIGURE, NUMBER, Number, completion, dec, growth_rate, point_change
from draftgen.text.patterns import PLACEHOLDER

_TEXT_NUMBER = re.compile(FIGURE)


def number_key(text: str) -> Decimal:
    """A printed number as a value: 5, 5.0 and 5.00 are one number."""
    try:
        return Decimal(text).normalize()
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return Decimal(0)


@dataclass(frozen=True)
class Sourced:
    """A number and where it came from (for messages)."""

    text: str
    where: str
    #: the same fact printed otherwise, which a draft may carry instead (28.69 given, 28.7 written)
    also: str | None = None

    def found_in(self, seen: set[Decimal]) -> bool:
        """Whether a draft whose numbers are ``seen`` carries this one (as written, or otherwise)."""
        return number_key(self.text) in seen or (self.also is not None and number_key(self.also) in seen)


@dataclass
class FidelityReport:
    """What the checker found: numbers that came from nowhere, numbers left out."""

    invented: list[tuple[str, str]] = field(default_factory=list)  # (number, context)
    missing: list[Sourced] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.invented and not self.missing


def _text_numbers(text: str | None, where: str) -> list[Sourced]:
    return [Sourced(m, where) for m in _TEXT_NUMBER.findall(text or "")]


def _value(value: Number | None, where: str) -> list[Sourced]:
    if value is None:
        return []
    return [Sourced(str(abs(dec(value))), where)]


def sheet_numbers(facts: FactSheet, form: str) -> tuple[list[Sourced], list[Sourced]]:
    """(numbers the draft must carry, numbers it may carry besides those)."""
    must: list[Sourced] = [Sourced(str(facts.year), "year")]
    may: list[Sourced] = []
    if is_half(facts, form) and facts.indicators:
        # the cut-off (1—6月) opens the indicator paragraph
        must.append(Sourced(str(facts.cutoff), "cutoff_month"))
    elif facts.cutoff_month or is_half(facts, form):
        may.append(Sourced(str(facts.cutoff), "cutoff_month"))
    if facts.date:
        y, m, d = facts.date.split("-")
        must += [Sourced(str(int(y)), "date"), Sourced(str(int(m)), "date"), Sourced(str(int(d)), "date")]
    for text in (facts.town, facts.superior, facts.province, facts.theme):
        must += _text_numbers(text, "名称")
    for honor in facts.honors:
        must += _text_numbers(honor, "honors")
    for ind in facts.indicators:
        where = f"indicators › {ind.name}"
        must += _text_numbers(ind.name, where) + _text_numbers(ind.note, where)
        must += _value(ind.value, where) + _value(ind.target, where) + _value(ind.previous_growth, where)
        # a growth of 0 is written 与上年持平, without the figure
        # (as the draft writes it: 13.88 given is 13.9 written)
        written = indicator_change(ind) if ind.growth is not None else None
        given = str(abs(dec(ind.growth))) if ind.growth is not None else None
        growth = [Sourced(written.magnitude, where, given)] if written is not None else []
        (may if ind.growth is not None and dec(ind.growth) == 0 else must).extend(growth)
        must += _text_numbers(ind.rank, where) + _text_numbers(ind.as_of, where) + _value(ind.base, where)
        must += _text_numbers(ind.base_name, where)
        previous = _value(ind.previous, where)
        # a previous value may be left to the change computed from it
        (may if indicator_change(ind) is not None else must).extend(previous)
    for work in facts.work:
        for item in work.items:
            for text in (item.title, *item.measures, *item.facts, item.effect, item.rank):
                must += _text_numbers(text, f"work › {work.topic}")
    for project in facts.projects:
        where = f"projects › {project.name}"
        for text in (project.name, *project.measures, project.progress, project.effect):
            must += _text_numbers(text, where)
        if project.investment is not None:
            must += _value(project.investment.value, where)
    for problem in facts.problems:
        must += _text_numbers(problem.text, "problems") + _text_numbers(problem.detail, "problems")
    for target in facts.plans.targets:
        where = f"plans › targets › {target.name}"
        must += _text_numbers(target.name, where) + _text_numbers(target.note, where)
        must += _value(target.value, where) + _value(target.growth, where)
    must += _text_numbers(facts.plans.thinking, "plans › thinking")
    for plan in facts.plans.work:
        for line in plan.items:
            must += _text_numbers(line, f"plans › work › {plan.topic}")
    return must, may


def computed_numbers(facts: FactSheet, form: str) -> list[Sourced]:
    """Numbers a draft may print that are computed from the sheet."""
    out = [Sourced(str(facts.year + 1), "下一年度")]
    if is_half(facts, form):
        out.append(Sourced("1", "1—N月"))
    for ind in facts.indicators:
        where = f"由 {ind.name} 计算"
        if ind.value is not None and ind.previous is not None:
            rate = growth_rate(ind.value, ind.previous)
            if rate is not None:
                out.append(Sourced(str(abs(rate)), where))
            out.append(Sourced(str(abs(point_change(ind.value, ind.previous))), where))
        if ind.value is not None and ind.target is not None:
            share = completion(ind.value, ind.target)
            if share is not None:
                out.append(Sourced(str(abs(share)), where))
        change = indicator_change(ind)
        if change is not None:
            out.append(Sourced(change.magnitude, where))
        if ind.value is not None and ind.base:
            share = completion(ind.value, ind.base)
            if share is not None:
                out.append(Sourced(str(abs(share)), where))
    return out


def allowed_numbers(facts: FactSheet, form: str) -> set[Decimal]:
    """Every number a draft may print: the sheet's own and those computed from it."""
    must, may = sheet_numbers(facts, form)
    sourced = [*must, *may, *computed_numbers(facts, form)]
    return {number_key(s.text) for s in sourced} | {number_key(s.also) for s in sourced if s.also}


def _strip_placeholders(text: str) -> str:
    return PLACEHOLDER.sub("", text)


def check_numbers(text: str, facts: FactSheet, form: str = "annual") -> FidelityReport:
    """Compare the numbers in ``text`` (a draft) with the fact sheet."""
    must, _ = sheet_numbers(facts, form)
    allowed = allowed_numbers(facts, form)
    body = _strip_placeholders(text)
    report = FidelityReport()
    found: set[Decimal] = set()
    for match in NUMBER.finditer(body):
        key = number_key(match.group())
        found.add(key)
        if key not in allowed:
            start, end = max(0, match.start() - 12), match.end() + 12
            report.invented.append((match.group(), body[start:end].replace("\n", " ")))
    seen: set[Decimal] = set()
    for item in must:
        key = number_key(item.text)
        if not item.found_in(found) and key not in seen:
            report.missing.append(item)
            seen.add(key)
    return report
