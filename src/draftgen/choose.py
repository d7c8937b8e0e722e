"""Seeded, non-repeating choice of phrase-bank entries for one draft.

The same facts and seed give the same choices; no entry is used twice in a
draft; sibling headings come from one frame family with distinct lead words.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from draftgen.phrasebank import ROLES, SLOTS, Entry, PhraseBank

PLACEHOLDER = "【待补充：{}】"


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
    flags: frozenset[str] = frozenset()
    division: str = "镇"
    period: str = "annual"

    @property
    def trend(self) -> str | None:
        if self.growth is None:
            return None
        return "rise" if self.growth > 0 else "fall" if self.growth < 0 else "flat"

    def admit(self, entry: Entry) -> bool:
        for key, want in entry.when:
            if key == "growth_min" and (self.growth is None or self.growth < want):
                return False
            if key == "growth_max" and (self.growth is None or self.growth > want):
                return False
            if key == "trend" and self.trend not in _as_list(want):
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


def lead_word(entry: Entry, prefix_len: int) -> str:
    """The two characters that open a heading once the family's shared opening is removed."""
    return entry.text[prefix_len:prefix_len + 2]


def _common_prefix(texts: Iterable[str]) -> int:
    return len(os.path.commonprefix(list(texts)))


@dataclass
class Chooser:
    """Picks entries for one draft and remembers which it used."""

    bank: PhraseBank
    seed: int
    conditions: Conditions
    slots: dict[str, str] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._used_set: set[str] = set()
        # opening words already used: a draft reads better when its sentences
        # do not all start with 扎实/持续/全力
        self._leads: set[str] = set()

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

    def _mark(self, entry: Entry) -> None:
        self.used.append(entry.id)
        self._used_set.add(entry.id)
        self._leads.add(entry.text[:2])

    # -- choosing ------------------------------------------------------
    def candidates(self, role: str, topic: str | None = None, year: int | None = None,
                   strict_topic: bool = False) -> list[Entry]:
        """Unused entries of a role that fit the data and the year; the topic's own
        entries first, generic ones when the topic has none left."""
        year = self.conditions.year if year is None else year
        fitting = [e for e in self.bank.by_role(role)
                   if e.id not in self._used_set and e.valid_in(year) and self.conditions.admit(e)]
        own = [e for e in fitting if topic is not None and e.topic == topic]
        if own or strict_topic:
            return own
        return [e for e in fitting if e.topic is None]

    def pick(self, role: str, topic: str | None = None, year: int | None = None,
             **extra: str) -> str:
        """Fill one unused entry of ``role``; a placeholder when none fits."""
        entry = self.pick_entry(role, topic, year)
        if entry is None:
            what = ROLES.get(role, role)
            if year is not None or role.startswith("year."):
                what = f"{year or self.conditions.year}年{what}"
            return placeholder(what)
        return self.fill(entry, extra)

    def pick_entry(self, role: str, topic: str | None = None, year: int | None = None) -> Entry | None:
        found = self.candidates(role, topic, year)
        if not found:
            return None
        fresh = [e for e in found if e.text[:2] not in self._leads]
        entry = self.rng.choice(fresh or found)
        self._mark(entry)
        return entry

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
        eligible = sorted(name for name, members in families.items()
                          if len({m.id for m in members}) >= len(subjects))
        if not eligible:
            return [placeholder(ROLES.get(role, role)) for _ in subjects]
        members = families[self.rng.choice(eligible)]
        prefix = _common_prefix(m.text for m in members)
        leads: set[str] = set()
        out: list[str] = []
        for topic, extra in subjects:
            free = [m for m in members if m.id not in self._used_set
                    and lead_word(m, prefix) not in leads]
            own = [m for m in free if topic is not None and m.topic == topic]
            pool = own or [m for m in free if m.topic is None]
            if not pool:
                out.append(placeholder(ROLES.get(role, role)))
                continue
            entry = self.rng.choice(pool)
            self._mark(entry)
            leads.add(lead_word(entry, prefix))
            out.append(self.fill(entry, extra))
        return out

    def shuffle(self, items: list[str]) -> list[str]:
        copy = list(items)
        self.rng.shuffle(copy)
        return copy
