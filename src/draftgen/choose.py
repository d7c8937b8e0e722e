"""Seeded, non-repeating choice of phrase-bank entries for one draft.

The same facts and seed give the same choices; no entry is used twice in a
draft; sibling headings come from one frame family with distinct lead words.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from draftgen.phrasebank import ROLES, SLOTS, Entry, PhraseBank

PLACEHOLDER = "【待补充：{}】"
# private-use characters: not white space, so no parser trims them away
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKS = re.compile("\ue000(\\d+)\ue001")


def strip_markers(text: str) -> str:
    return _MARKS.sub("", text)


def marker_indices(text: str) -> list[int]:
    return [int(m) for m in _MARKS.findall(text)]


def placeholder(what: str) -> str:
    """The visible mark for a fact the sheet does not give."""
    return PLACEHOLDER.format(what)


def seed_for(town: str, year: int) -> int:
    """A stable seed derived from the town and the year."""
    digest = hashlib.sha256(f"{town}|{year}".encode()).hexdigest()
    return int(digest[:12], 16)


@dataclass(frozen=True)
class Conditions:
    """What entries' ``when`` clauses are tested against."""

    year: int
    growth: float | None = None
    previous_growth: float | None = None
    flags: frozenset[str] = frozenset()
    division: str = "镇"
    period: str = "annual"

    @property
    def trend(self) -> str | None:
        if self.growth is None:
            return None
        return "rise" if self.growth > 0 else "fall" if self.growth < 0 else "flat"

    @property
    def trends(self) -> set[str]:
        """What ``when: {trend: …}`` may name: a rise after last year's fall is
        also a ``recovery``."""
        found = {self.trend} if self.trend else set()
        if self.trend == "rise" and self.previous_growth is not None and self.previous_growth < 0:
            found.add("recovery")
        return found

    def admit(self, entry: Entry) -> bool:
        for key, want in entry.when:
            if key == "growth_min" and (self.growth is None or self.growth < want):
                return False
            if key == "growth_max" and (self.growth is None or self.growth > want):
                return False
            if key == "trend" and not self.trends & set(_as_list(want)):
                return False
            if key == "has" and not set(_as_list(want)) <= self.flags:
                return False
            if key == "division" and self.division not in _as_list(want):
                return False
            if key == "period" and self.period not in _as_list(want):
                return False
        return not ("theme" in entry.slots and "theme" not in self.flags)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


_CLAUSE = re.compile(r"[，。；：！？]")
_LEADING_SLOT = re.compile(r"^(?:\{[^{}]*\})+")


def clauses(text: str) -> list[str]:
    """The clauses of a filled entry (what the distinctness rule compares)."""
    return [c for c in (part.strip() for part in _CLAUSE.split(text)) if len(c) >= 4]


def opening_word(text: str) -> str:
    """The first two characters a reader sees that the entry itself wrote."""
    return _LEADING_SLOT.sub("", text)[:2]


def ending(entry: Entry) -> str:
    """What a two-part heading says after its comma, slots removed: siblings
    must not all end alike (党建引领成效凸显 / 民生保障成效凸显)."""
    tail = entry.text.split("，", 1)[-1]
    return _SLOT.sub("", tail) if "，" in entry.text else entry.id


_SLOT = re.compile(r"\{[^{}]*\}")


def lead_word(entry: Entry, prefix_len: int) -> str:
    """The two characters that open a heading once the family's shared opening is removed."""
    return entry.text[prefix_len:prefix_len + 2]


def _common_prefix(texts: Iterable[str]) -> int:
    """Characters every text starts with (the family's shared opening, e.g. 在{label}上)."""
    return len(os.path.commonprefix(list(texts)))  # noqa: RUF071 - a character prefix is meant


@dataclass
class Chooser:
    """Picks entries for one draft and remembers which it used."""

    bank: PhraseBank
    seed: int
    conditions: Conditions
    slots: dict[str, str] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)
    picks: list[tuple[str, str]] = field(default_factory=list)  # (entry id, filled text)
    mark: bool = False

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._used_set: set[str] = set()
        # opening words of the last few picks: neighbouring clauses read better
        # when they do not all start with 扎实/持续/全力
        self._leads: list[str] = []
        self._clauses: set[str] = set()

    # -- provenance ----------------------------------------------------
    def marker(self) -> str:
        """An invisible tag in front of the last pick, so that the paragraph it
        lands in can be told later (stripped from every draft by :func:`strip_markers`)."""
        return f"{MARK_OPEN}{len(self.picks) - 1}{MARK_CLOSE}" if self.mark else ""

    # -- filling -------------------------------------------------------
    def fill(self, entry: Entry, extra: dict[str, str] | None = None) -> str:
        values = {**self.slots, **(extra or {})}

        def value(name: str) -> str:
            got = values.get(name)
            return got if got else placeholder(SLOTS[name].split("，")[0])

        text = entry.text
        for name in entry.slots:
            text = text.replace("{" + name + "}", value(name))
        return text

    def _mark(self, entry: Entry, filled: str) -> None:
        self.picks.append((entry.id, filled))
        self.used.append(entry.id)
        self._used_set.add(entry.id)
        self._leads.append(opening_word(entry.text))
        self._clauses.update(clauses(filled))

    def _fits(self, filled: str) -> bool:
        """No clause of a draft's wording may stand in it twice."""
        return not any(c in self._clauses for c in clauses(filled))

    # -- choosing ------------------------------------------------------
    def candidates(self, role: str, topic: str | None = None, year: int | None = None,
                   blend: bool = False) -> list[Entry]:
        """Unused entries of a role that fit the data and the year: the topic's own
        entries first and generic ones when it has none left, or (``blend``) both."""
        year = self.conditions.year if year is None else year
        fitting = [e for e in self.bank.by_role(role)
                   if e.id not in self._used_set and e.valid_in(year) and self.conditions.admit(e)]
        own = [e for e in fitting if topic is not None and e.topic == topic]
        generic = [e for e in fitting if e.topic is None]
        if blend:
            return own + generic
        return own or generic

    def pick(self, role: str, topic: str | None = None, year: int | None = None,
             blend: bool = False, **extra: str) -> str:
        """Fill one unused entry of ``role``; a placeholder when none fits."""
        picked = self.pick_entry(role, topic, year, blend, extra)
        if picked is None:
            what = ROLES.get(role, role)
            if year is not None or role.startswith("year."):
                what = f"{year or self.conditions.year}年{what}"
            return placeholder(what)
        return picked[1]

    def pick_entry(self, role: str, topic: str | None = None, year: int | None = None,
                   blend: bool = False, extra: dict[str, str] | None = None,
                   ) -> tuple[Entry, str] | None:
        """Choose an entry and fill it: unused, no clause already in the draft,
        preferably not opening with a word another sentence opened with."""
        found = [(e, self.fill(e, extra)) for e in self.candidates(role, topic, year, blend)]
        found = [pair for pair in found if self._fits(pair[1])] or found
        if not found:
            return None
        recent = self._leads[-4:]
        fresh = [pair for pair in found if opening_word(pair[0].text) not in recent]
        entry, filled = self.rng.choice(fresh or found)
        self._mark(entry, filled)
        return entry, self.marker() + filled

    def lexical(self, role: str, text: str) -> str:
        """A short word chosen by keyword (an indicator's verb). Words are not
        phrases: they may recur, so they are not marked as used."""
        for entry in self.bank.by_role(role):
            if any(k in text for k in entry.keywords):
                return entry.text
        return ""

    def headings(self, role: str, subjects: list[tuple[str | None, dict[str, str]]]) -> list[str]:
        """Sibling headings from one frame family: one per (topic, slots),
        no entry or lead word twice, the topic's own members preferred."""
        if not subjects:
            return []
        families: dict[str, list[Entry]] = {}
        for entry in self.candidates(role):
            families.setdefault(entry.family or entry.id, []).append(entry)
        for entry in self.bank.by_role(role):
            if entry.topic is not None and entry.id not in self._used_set \
                    and entry.family in families and self.conditions.admit(entry):
                families[entry.family].append(entry)
        wanted = {topic for topic, _ in subjects}

        def usable(members: list[Entry]) -> int:
            # a topic's own member serves only that topic
            return len({m.id for m in members if m.topic is None or m.topic in wanted})

        eligible = sorted(name for name, members in families.items()
                          if usable(members) >= len(subjects))
        if not eligible:
            return [placeholder(ROLES.get(role, role)) for _ in subjects]
        members = families[self.rng.choice(eligible)]
        prefix = _common_prefix(m.text for m in members)
        leads: set[str] = set()
        endings: set[str] = set()
        out: list[str] = []
        for topic, extra in subjects:
            free = [m for m in members if m.id not in self._used_set
                    and lead_word(m, prefix) not in leads and ending(m) not in endings
                    and self._fits(self.fill(m, extra))]
            # the topic's own members and the generic ones alike, so that two
            # drafts on the same topics do not come out with the same headings
            pool = [m for m in free if m.topic is None or (topic is not None and m.topic == topic)]
            if not pool:
                out.append(placeholder(ROLES.get(role, role)))
                continue
            entry = self.rng.choice(pool)
            filled = self.fill(entry, extra)
            self._mark(entry, filled)
            leads.add(lead_word(entry, prefix))
            endings.add(ending(entry))
            out.append(self.marker() + filled)
        return out
