"""Formulations by year: in which years' reports a candidate is used, and whether
its use rises or falls — the raw material for the dated year markers in
``years.yaml``. A report's year comes from its file name (``2023年工作总结.docx``,
``石门乡-2023.txt``) or, failing that, from its title (first line)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from draftgen.mining.segment import SLOT
from draftgen.mining.sources import Source, documents

_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?![0-9])")
_TITLE_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})\s*年")


class _Dated(Protocol):
    kind: str
    text: str
    years: dict[int, int]
    trend: str


def year_of(source: Source, text: str) -> int | None:
    """The report's year: from the file name, else from the first non-empty line."""
    found = _YEAR.search(source.path.stem)
    if found:
        return int(found.group(1))
    title = next((line for line in text.splitlines() if line.strip()), "")
    found = _TITLE_YEAR.search(title)
    return int(found.group(1)) if found else None


def _matcher(cand: _Dated) -> re.Pattern[str]:
    pieces = [re.escape(p) for p in cand.text.split(SLOT)]
    return re.compile("[^，。；！？\n]{1,16}?".join(pieces))


def by_year(candidates: Iterable[_Dated], sources: list[Source]) -> Counter[int]:
    """Sets ``years`` (year → reports using it) and ``trend`` on each formulation and frame;
    returns the number of reports per year (an empty counter when no year was found)."""
    cands = [c for c in candidates if c.kind != "heading"]
    matchers = [None if c.kind == "formulation" else _matcher(c) for c in cands]
    reports: Counter[int] = Counter()
    for source, text in documents(sources):
        year = year_of(source, text)
        if year is None:
            continue
        reports[year] += 1
        for cand, matcher in zip(cands, matchers, strict=True):
            if (cand.text in text) if matcher is None else bool(matcher.search(text)):
                cand.years[year] = cand.years.get(year, 0) + 1
    for cand in cands:
        cand.trend = _trend(cand.years, reports)
    return reports


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
