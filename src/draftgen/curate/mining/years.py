"""Formulations by year: in which years' reports a candidate is used, and whether
its use rises or falls — the raw material for the dated year markers in
``years.yaml``. A report's year comes from its file name (``2023年工作总结.docx``,
``石门乡-2023.txt``) or, failing that, from its title (first line); the reports of
each year that use a candidate are counted in the workers (:func:`count.dated`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from draftgen.curate.mining.sources import Source

_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?![0-9])")
# the first line that is not blank (lines as str.splitlines cuts them)
_FIRST_LINE = re.compile(r"[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*\S[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*")
_TITLE_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})\s*年")


class _Listed(Protocol):
    kind: str
    key: int
    years: dict[int, int]
    trend: str


def year_of(source: Source, text: str) -> int | None:
    """The report's year: from the file name, else from the first non-empty line."""
    found = _YEAR.search(source.path.stem)
    if found:
        return int(found.group(1))
    title = _FIRST_LINE.search(text)
    found = title and _TITLE_YEAR.search(title[0])
    return int(found.group(1)) if found else None


@dataclass
class Dated:
    """Reports per year, and per key the reports of each year that hold it."""

    reports: dict[int, int] = field(default_factory=dict)
    uses: dict[int, dict[int, int]] = field(default_factory=dict)

    def update(self, other: Dated) -> None:
        for year, n in other.reports.items():
            self.reports[year] = self.reports.get(year, 0) + n
        for key, years in other.uses.items():
            mine = self.uses.setdefault(key, {})
            for year, n in years.items():
                mine[year] = mine.get(year, 0) + n


def apply(candidates: Iterable[_Listed], dated: Dated) -> dict[int, int]:
    """Sets ``years`` (year → reports using it) and ``trend`` on each formulation and frame
    from the counts of the dated reports; returns the number of reports per year, by year
    (empty when no report's year was found)."""
    reports = Counter(dated.reports)
    for cand in candidates:
        if cand.kind != "heading":
            cand.years = dict(sorted(dated.uses.get(cand.key, {}).items()))
            cand.trend = _trend(cand.years, reports)
    return dict(sorted(reports.items()))


def _trend(used: dict[int, int], reports: Counter[int]) -> str:
    """rising / falling when the share of reports using it in the later half of the years
    differs by half from the earlier half (at least two years with reports); else steady."""
    years = sorted(reports)
    if len(years) < 2:
        return "steady"
    half = len(years) // 2
    early, late = years[:half], years[len(years) - half:]

    def share(part: list[int]) -> float:
        return sum(used.get(y, 0) for y in part) / sum(reports[y] for y in part)

    before, after = share(early), share(late)
    if after >= before * 1.5 and after - before >= 0.2:
        return "rising"
    if before >= after * 1.5 and before - after >= 0.2:
        return "falling"
    return "steady"
