"""What was known when: the dated political calendar (congresses, plenums, campaigns, plan
periods, the year's framings) is the phrase bank's ``year.marker`` entries with their ``since``
dates; this module reads a text's dated wording against it and a draft's writing date.

A report written in December 2024 names the third plenum (July 2024) and not the fourth
(October 2025); one written in July 2024 names neither the third plenum nor the year's framing
that came with it. Plenums are often written in a run (二十届二中、三中全会): each is read out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from draftgen.bank.phrasebank import Entry

#: a run of one congress's plenums: 十九届四中、五中全会, 二十届二中、三中全会, 二十届三中全会
_PLENUMS = re.compile(r"(十九|二十)届((?:[一二三四五六七八九]中[、和及]?)+)全会")
_ONE = re.compile(r"[一二三四五六七八九]中")
#: a party congress as a marker (党的二十大), and as it stands in a guiding line (二十大)
_CONGRESS = re.compile(r"党的(十九|二十|二十一)大")
_CONGRESS_IN = re.compile(r"(?:十九|二十|二十一)大")
#: every plenum of a congress so far (二十届历次全会): names none in particular
ALL_PLENUMS = "历次全会"


def plenums_in(text: str) -> list[str]:
    """Each plenum ``text`` names, written out whole (二十届二中、三中全会 → 二十届二中全会, 二十届三中全会)."""
    out = []
    for run in _PLENUMS.finditer(text):
        out += [f"{run.group(1)}届{one.group()}全会" for one in _ONE.finditer(run.group(2))]
    return out


@dataclass(frozen=True)
class Calendar:
    """The bank's dated markers: what each names and the day it happened or was announced."""

    #: marker text → ISO date
    dates: dict[str, str]

    @classmethod
    def of(cls, markers: Iterable[Entry]) -> Calendar:
        return cls({e.text: e.since for e in markers if e.since})

    def named(self, text: str) -> list[tuple[str, str]]:
        """The dated markers ``text`` names, with their dates (a plenum in a run counts)."""
        found = [(m, d) for m, d in self.dates.items() if m in text]
        found += [(p, self.dates[p]) for p in plenums_in(text) if p in self.dates and (p, self.dates[p]) not in found]
        return found

    def too_new(self, text: str, written: str) -> tuple[str, str] | None:
        """The first marker ``text`` names that came after ``written`` (ISO date), with its date."""
        return next(((m, d) for m, d in self.named(text) if d > written), None)

    def latest_plenum(self, written: str) -> str | None:
        """The last plenum held by ``written``."""
        held = [(d, m) for m, d in self.dates.items() if plenums_in(m) == [m] and d <= written]
        return max(held)[1] if held else None

    def latest_congress(self, written: str) -> str | None:
        """The last party congress held by ``written`` (党的二十大)."""
        held = [(d, m) for m, d in self.dates.items() if _CONGRESS.fullmatch(m) and d <= written]
        return max(held)[1] if held else None

    def behind(self, text: str, written: str) -> str | None:
        """What a guiding line leaves out: the congress held by ``written`` where it names an
        earlier one only (a December 2022 report quoting 党的十九大), or the last plenum held where
        it names plenums but not that one (a December 2024 report quoting 二十届二中全会 only);
        None when it is current, names neither, or says 历次全会."""
        congress = self.latest_congress(written)
        congresses = _CONGRESS_IN.findall(text)
        if congress is not None and congresses and congress.removeprefix("党的") not in congresses:
            return congress
        named = plenums_in(text)
        if not named or ALL_PLENUMS in text:
            return None
        latest = self.latest_plenum(written)
        return latest if latest is not None and latest not in named else None


def date_words(iso: str) -> str:
    """An ISO date as a report writes it: 2024-07-05 → 2024年7月5日."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def writing_date(year: int, half: bool, dated: str | None) -> str:
    """The day a report is taken to be written: the sheet's date, else the end of the year for an
    annual report and the first of July for a half-year one (an event of July may not be known yet)."""
    if dated:
        return dated
    return f"{year}-07-01" if half else f"{year}-12-31"
