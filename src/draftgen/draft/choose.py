"""Seeded, non-repeating choice of phrase-bank entries for one draft.

The same facts and seed give the same choices; no entry is used twice in a
draft; sibling headings come from one frame family with distinct lead words.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from draftgen.bank.calendar import Calendar
from draftgen.bank.evidence import licence_unmet, trend_of, trends_of
from draftgen.bank.lexicon import MIXED, Evidence
from draftgen.bank.phrasebank import CLAIM_ROLES, ROLES, SLOTS, Entry, PhraseBank
from draftgen.text.patterns import CLAUSE_END, SLOT, placeholder

T = TypeVar("T")

# private-use characters: not white space, so no parser trims them away
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKS = re.compile("\ue000(\\d+)\ue001")


def strip_markers(text: str) -> str:
    return _MARKS.sub("", text)


def marker_indices(text: str) -> list[int]:
    return [int(m) for m in _MARKS.findall(text)]


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
    setting: str = MIXED
    #: the day the draft is taken to be written (ISO): dated wording from after it cannot be used
    written: str | None = None

    @property
    def trend(self) -> str | None:
        return trend_of(self.growth)

    @property
    def trends(self) -> set[str]:
        """What ``when: {trend: …}`` may name: a rise after last year's fall is
        also a ``recovery``."""
        return trends_of(self.growth, self.previous_growth)

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
            if key == "setting" and self.setting != MIXED and self.setting not in _as_list(want):
                return False
        if entry.since is not None and entry.since > (self.written or f"{self.year}-12-31"):
            return False
        return not ("theme" in entry.slots and "theme" not in self.flags)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


_LEADING_SLOT = re.compile(rf"^(?:{SLOT.pattern})+")


def clauses(text: str) -> list[str]:
    """The clauses of a filled entry (what the distinctness rule compares)."""
    return [c for c in (part.strip() for part in CLAUSE_END.split(text)) if len(c) >= 4]


def opening_word(text: str) -> str:
    """The first two characters a reader sees that the entry itself wrote."""
    return _LEADING_SLOT.sub("", text)[:2]


def ending(entry: Entry) -> str:
    """What a two-part heading says after its comma, slots removed: siblings
    must not all end alike (党建引领成效凸显 / 民生保障成效凸显)."""
    tail = entry.text.split("，", 1)[-1]
    return SLOT.sub("", tail) if "，" in entry.text else entry.id




def family_frame(members: list[Entry]) -> tuple[object, ...]:
    """A heading family's frame: how many clauses, which holds the topic, whether the
    topic opens it, and the words fixed right before and after the topic in every
    member (在{label}上 and 在{label}中 are one frame)."""
    texts = [m.text for m in members if "{label}" in m.text] or [members[0].text]
    first = texts[0]
    clauses = first.split("，")
    index = next((i for i, c in enumerate(clauses) if "{label}" in c), -1)
    befores = {t.split("{label}")[0][-1:] for t in texts if "{label}" in t}
    afters = {t.split("{label}")[1][:1] for t in texts if "{label}" in t}
    before = befores.pop() if len(befores) == 1 else ""
    after = afters.pop() if len(afters) == 1 else ""
    after = "上" if after in ("中", "里") else after
    opens = index >= 0 and clauses[index].startswith("{label}")
    return (len(clauses), index, opens, "" if before == "，" else before, after)


#: one-character words a heading can open with (以…为…, 在…上…): siblings opening
#: with them open alike whatever follows
_ONE_CHAR_OPENERS = "以在为把向从让对于与将"


def _repeats(filled: str, own: tuple[str, ...], names: list[str]) -> bool:
    """Whether ``filled`` says four characters running of the sheet's own words (the topic's
    names aside: 安全生产 may stand in both)."""
    for name in sorted(names, key=len, reverse=True):
        filled = filled.replace(name, "\n")
    joined = "\n".join(own)
    return any("\n" not in filled[i:i + 4] and filled[i:i + 4] in joined for i in range(len(filled) - 3))


def heading_opening(text: str) -> str:
    """The word a heading opens with, as a reader hears it."""
    text = strip_markers(text)
    return text[:1] if text[:1] in _ONE_CHAR_OPENERS else text[:2]


def lead_word(entry: Entry, prefix_len: int) -> str:
    """The two characters that open a heading once the family's shared opening is removed."""
    return entry.text[prefix_len:prefix_len + 2]


def _common_prefix(texts: Iterable[str]) -> int:
    """Characters every text starts with (the family's shared opening, e.g. 在{label}上)."""
    return len(os.path.commonprefix(list(texts)))  # noqa: RUF071 - a character prefix is meant


@dataclass(frozen=True)
class Scope:
    """What one pick is about, so the lexicon can judge its wording.

    ``subjects`` are the strings that will stand for the topic (its label and
    short name) with the topic's features; ``evidence`` is what the facts of this
    passage support (the draft's when None); ``plan`` marks the plan part, where
    intentions may name programmes and carry no earned praise; ``project_kind``
    restricts project wording; ``no_label`` keeps the topic from being named again
    in a sentence that already names it.
    """

    subjects: tuple[tuple[str, frozenset[str]], ...] = ()
    evidence: Evidence | None = None
    plan: bool = False
    project_kind: str | None = None
    no_label: bool = False
    #: the sheet's own words for this passage: a measure that says them again (开展村庄清洁行动
    #: before the item 开展村庄清洁行动) repeats the writer instead of framing them
    own_words: tuple[str, ...] = ()
    #: the topic the passage speaks of (a licence's ``topics`` are tested against it)
    topic: str | None = None
    #: a plan area's own words (its plan items and the problems it answers): a plan heading's
    #: licence ``words`` are looked for there (抓整改 only where a problem is answered)
    plan_words: str = ""
    #: what the summary passage must not speak well of: an indicator of its topic fell (农业总产值 in
    #: 产业发展), and the sheet's problems of its topic (商贸企业经营承压 under 经济发展)
    fell: bool = False
    problems: str = ""


#: two characters too common to tie a claim to a problem (发展, 工作…)
_COMMON_PAIRS = frozenset({"发展", "工作", "建设", "推进", "进一步", "不断", "持续", "全面", "各项", "一步",
                           "进一", "重点", "任务", "有序", "扎实", "稳步", "逐步", "水平", "更加"})


def _praises_a_problem(filled: str, problems: str, upbeat: Collection[str]) -> bool:
    """Whether a claim speaks well (稳定, 提升…) of a thing the sheet calls a problem: 企业运行总体稳定
    where the sheet says 商贸企业经营承压."""
    if not problems or not any(w in filled for w in (*upbeat, "稳定", "平稳", "完善", "健全", "优化", "顺畅")):
        return False
    pairs = {problems[i:i + 2] for i in range(len(problems) - 1)}
    return any(filled[i:i + 2] in pairs and filled[i:i + 2] not in _COMMON_PAIRS for i in range(len(filled) - 1))


def _plan_fits(licence: tuple[tuple[str, Any], ...] | dict[str, Any], scope: Scope) -> bool:
    """Whether a plan area may take an entry: its licence's ``topics`` name the area's topic and
    one of its ``words`` is in the area's plan items or problems (no figures are asked of a plan)."""
    needs = dict(licence)
    topics = needs.get("topics")
    if topics and scope.topic not in topics:
        return False
    words = needs.get("words")
    return not words or any(str(w) in scope.plan_words for w in words)


def _features(scope: Scope) -> frozenset[str]:
    """The lexicon features of the topic a passage speaks of."""
    return frozenset().union(*(feats for _, feats in scope.subjects))


def _in_paragraphs(role: str) -> bool:
    """Whether a role's wording stands in the draft's paragraphs (not a heading or a title, not
    the year's set formulations): where `draftgen check` counts stock words."""
    return not role.startswith(("heading.", "part.", "thematic.", "year."))


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
    #: the draft's own evidence (praise in opening and highlights is judged against it);
    #: without one, what the conditions say of the headline figure
    evidence: Evidence | None = None
    #: the sheet's own words: a programme an entry names must stand in them
    sheet_text: str = ""
    #: every claim written (an entry of a claim role in the summary) with the evidence that licensed it
    claims: list[tuple[Entry, Scope, Evidence]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # how many times each (role, topic) and each coin has been asked for: the keys of
        # the stable choices below
        self._asked: dict[str, int] = {}
        self._admitted: dict[tuple[str, int], dict[str | None, list[Entry]]] = {}
        self._used_set: set[str] = set()
        # opening words of the last few picks: neighbouring clauses read better
        # when they do not all start with 扎实/持续/全力
        self._leads: list[str] = []
        self._clauses: set[str] = set()
        self._evaluations: set[str] = set()
        self._recent_manners: list[str] = []
        # the frames of the families headings came from: the plan does not reuse the summary's
        self._frames: set[tuple[object, ...]] = set()
        self.lexicon = self.bank.lexicon
        # the dated calendar (二十届三中全会 since 2024-07-18) a year entry may quote
        self._calendar = Calendar.of(self.bank.by_role("year.marker"))
        if self.evidence is None:
            self.evidence = Evidence(trends=frozenset(self.conditions.trends), growth=self.conditions.growth)
        # stock words (进一步, 扎实…) a draft may use only so often: counted from the sheet's own
        # words on, so that the draft stays within what `draftgen check` allows
        self._words: Counter[str] = Counter({w: self.sheet_text.count(w) for w in self.lexicon.overused})

    # -- stable choice --------------------------------------------------
    def _key(self, name: str) -> str:
        """``name`` with how often it has been asked for (the third 一是 of 产业, …)."""
        count = self._asked.get(name, 0)
        self._asked[name] = count + 1
        return f"{name}#{count}"

    def _head(self, key: str) -> hashlib.blake2b:
        # a real hash: a checksum such as CRC32 is linear, so two towns' seeds would
        # order the items alike and two towns would be drafted alike
        return hashlib.blake2b(f"{self.seed}|{key}|".encode(), digest_size=8)

    def _rank(self, key: str, item: str) -> int:
        digest = self._head(key)
        digest.update(item.encode())
        return int.from_bytes(digest.digest(), "big")

    def _ranked(self, key: str, entries: Iterable[Entry]) -> list[Entry]:
        """``entries`` in the order of :meth:`_rank` (its hash's bytes compared as they are,
        the key's part hashed once): the order every choice walks."""
        head = self._head(key)

        def rank(entry: Entry) -> bytes:
            h = head.copy()
            h.update(entry.id.encode())
            return h.digest()

        return sorted(entries, key=rank)

    def stable(self, key: str, items: Sequence[T], name: Callable[[T], str]) -> T:
        """The item ranked first for ``key``: each item's rank depends only on the seed, the
        key and the item itself, so a change of facts elsewhere in the sheet (another
        growth rate, one more project) leaves this choice as it was — what `draftgen update`
        relies on to tell the writer's edits from the new facts."""
        return min(items, key=lambda item: self._rank(key, name(item)))

    def coin(self, name: str = "coin") -> bool:
        """A stable yes or no (an optional phrase in or out)."""
        return self._rank(self._key(name), "coin") % 2 == 0

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
        if _in_paragraphs(entry.role):
            self._words.update({w: filled.count(w) for w in self.lexicon.overused if w in filled})
        self.picks.append((entry.id, filled))
        self.used.append(entry.id)
        self._used_set.add(entry.id)
        self._leads.append(opening_word(entry.text))
        self._clauses.update(clauses(filled))
        self._evaluations.update(phrase for _, phrase in self.lexicon.evaluations_in(filled))

    def licensed(self, entry: Entry, filled: str, scope: Scope | None = None) -> bool:
        """Whether the lexicon allows this filled entry here: no clashing pair,
        no stock evaluation the draft already used or the facts do not earn, no
        programme the sheet does not name (in the summary), the town's setting,
        the project's kind, the topic not named twice."""
        scope = scope or Scope()
        lexicon = self.lexicon
        subjects = dict(scope.subjects)
        clashes = lexicon.clashes(filled, subjects, scoped=bool(subjects))
        if clashes:
            # the words of the section's own name (底线思维 in a topic the sheet calls 树牢底线思维) clash with nothing
            own = [(m.start(), m.end()) for name in subjects if name for m in re.finditer(re.escape(name), filled)]
            if any(not any(a <= c.start and c.end <= b for a, b in own) for c in clashes):
                return False
        # the short name (党建, 经济) may stand in a phrase of its own; the label and the name may not
        if scope.no_label and any(s and len(s) > 2 and s in filled for s in subjects):
            return False
        if scope.own_words and _repeats(filled, scope.own_words, [s for s in subjects if s]):
            return False
        if _in_paragraphs(entry.role) and self._overuses(filled):
            return False
        evidence = scope.evidence or self.evidence or Evidence()
        if (not scope.plan and entry.role in CLAIM_ROLES
                and licence_unmet(entry, evidence, scope.topic, _features(scope)) is not None):
            return False  # default-deny: a claim is written only where the facts license it
        if (not scope.plan and entry.role in CLAIM_ROLES
                and (scope.fell or (self.conditions.trend == "fall" and "economy" in _features(scope)))
                and any(w in filled for w in lexicon.upbeat)):
            return False  # the indicators fell: the economy's section (or the topic's) does not speak well of itself
        if not scope.plan and entry.role in CLAIM_ROLES and _praises_a_problem(filled, scope.problems, lexicon.upbeat):
            return False  # nor praise what the sheet calls a problem
        if scope.plan and entry.licence is not None and not _plan_fits(entry.licence, scope):
            return False  # a plan heading's first clause fits the area (抓安全 in safety, 抓整改 with a problem)
        for _, phrase in lexicon.evaluations_in(filled):
            if phrase in self._evaluations:
                return False
            if not scope.plan and lexicon.unearned(phrase, evidence) is not None:
                return False
        written = self.conditions.written or f"{self.conditions.year}-12-31"
        if self._calendar.too_new(filled, written):
            return False  # a report written in July cannot quote a plenum of that July's end
        if entry.role == "year.guide" and self._calendar.behind(filled, written):
            return False  # nor may one written in December leave out that July's plenum
        if not entry.role.startswith("year."):
            # quoted slots (“{n}个新突破”) are the entry's own frame, not a programme; a plan may
            # name a programme every township knows (三会一课), but not one a county coined
            names = [n for n in lexicon.names_in(entry.text) if "{" not in n]
            if scope.plan:
                names = [n for n in names if any(local in n for local in lexicon.local_names)]
            if any(name not in self.sheet_text for name in names):
                return False
        if not lexicon.fits_setting(filled, self.conditions.setting):
            return False
        if not lexicon.fits_period(entry.text, self.conditions.period):
            return False
        return scope.project_kind is None or lexicon.project_wording_fits(filled, scope.project_kind)

    def _fits(self, filled: str) -> bool:
        """No clause of a draft's wording may stand in it twice."""
        return not any(c in self._clauses for c in clauses(filled))

    # -- choosing ------------------------------------------------------
    def candidates(self, role: str, topic: str | None = None, year: int | None = None,
                   blend: bool = False) -> list[Entry]:
        """Unused entries of a role that fit the data and the year: the topic's own
        entries first and generic ones when it has none left, or (``blend``) both."""
        year = self.conditions.year if year is None else year
        admitted = self._admitted.get((role, year))
        if admitted is None:
            # the conditions do not change within a draft: test them once per role and year,
            # and sort them by topic once (None: the generic entries)
            admitted = {}
            for e in self.bank.by_role(role):
                if e.valid_in(year) and self.conditions.admit(e):
                    admitted.setdefault(e.topic, []).append(e)
            self._admitted[(role, year)] = admitted
        used = self._used_set
        own = [e for e in admitted.get(topic, ()) if e.id not in used] if topic is not None else []
        if own and not blend:
            return own
        return own + [e for e in admitted.get(None, ()) if e.id not in used]

    def pick(self, role: str, topic: str | None = None, year: int | None = None,
             blend: bool = False, scope: Scope | None = None, **extra: str) -> str:
        """Fill one unused entry of ``role``; a placeholder when none fits."""
        picked = self.pick_entry(role, topic, year, blend, extra, scope)
        if picked is None:
            what = ROLES.get(role, role)
            if year is not None or role.startswith("year."):
                what = f"{year or self.conditions.year}年{what}"
            return placeholder(what)
        return picked[1]

    def pick_entry(self, role: str, topic: str | None = None, year: int | None = None,
                   blend: bool = False, extra: dict[str, str] | None = None,
                   scope: Scope | None = None, accept: Callable[[Entry], bool] | None = None,
                   ) -> tuple[Entry, str] | None:
        """Choose an entry and fill it: licensed by the lexicon, unused, no clause
        already in the draft, preferably not opening with a word another sentence
        opened with."""
        key = self._key(f"{role}|{topic or ''}")
        if role in CLAIM_ROLES and topic is not None and not blend:
            # a topic's own claims stand alone only where its facts license several to vary among:
            # else two towns with the same facts would both write the one that fits
            own = [e for e in self.candidates(role, topic, year) if e.topic == topic]
            blend = sum(self.licensed(e, self.fill(e, extra), scope) for e in own) < 3
        picked = self._first_fitting(key, self.candidates(role, topic, year, blend), extra, scope, accept)
        if picked is None and topic is not None and not blend:
            # the topic's own entries are all spent or unlicensed: the generic ones may serve
            picked = self._first_fitting(key, self.candidates(role, None, year), extra, scope, accept)
        if picked is None:
            return None
        entry, filled = picked
        self._mark(entry, filled)
        self._claim(entry, scope)
        return entry, self.marker() + filled

    def _claim(self, entry: Entry, scope: Scope | None) -> None:
        """Note a claim written in the summary, with what licensed it (for provenance and tests)."""
        if entry.role in CLAIM_ROLES and not (scope and scope.plan):
            scope = scope or Scope()
            self.claims.append((entry, scope, scope.evidence or self.evidence or Evidence()))

    def _first_fitting(self, key: str, entries: list[Entry], extra: dict[str, str] | None,
                       scope: Scope | None, accept: Callable[[Entry], bool] | None) -> tuple[Entry, str] | None:
        """In stable order: the first licensed entry that repeats no clause and opens unlike
        the last few sentences; else the first that repeats no clause; else the first licensed.
        Entries are judged one by one, in order, and only as far as needed."""
        recent = self._leads[-4:]
        fallback: tuple[Entry, str] | None = None
        fitting: tuple[Entry, str] | None = None
        for entry in self._ranked(key, entries):
            if accept is not None and not accept(entry):
                continue
            filled = self.fill(entry, extra)
            if not self.licensed(entry, filled, scope):
                continue
            fallback = fallback or (entry, filled)
            if not self._fits(filled):
                continue
            fitting = fitting or (entry, filled)
            if opening_word(entry.text) not in recent:
                return entry, filled
        return fitting or fallback

    def manner(self, verb: str) -> str:
        """A manner word that fits ``verb`` for a plan's run of measures (持续…，扎实…，着力…).
        Manner words are words, not phrases: they may recur in a draft, but not within
        the last few picks."""
        fitting = [e.text for e in self.bank.by_role("item.adverb")
                   if self.lexicon.manner_fits(e.text, verb) and e.text not in self._recent_manners
                   and not self._overuses(e.text)]
        if not fitting:
            return ""
        word = self.stable(self._key(f"manner|{verb}"), fitting, str)
        self._recent_manners = [*self._recent_manners[-3:], word]
        self._words.update({w: word.count(w) for w in self.lexicon.overused if w in word})
        return word

    def _overuses(self, text: str) -> bool:
        """Whether ``text`` would take a stock word past how often a draft may use it."""
        return any(self._words[w] + text.count(w) > limit for w, limit in self.lexicon.overused.items() if w in text)

    def lexical(self, role: str, text: str) -> str:
        """A short word chosen by keyword (an indicator's verb). Words are not
        phrases: they may recur, so they are not marked as used."""
        for entry in self.bank.by_role(role):
            if any(k in text for k in entry.keywords):
                return entry.text
        return ""

    def headings(self, role: str, subjects: list[tuple[str | None, dict[str, str], Scope | None]],
                 distinct_openings: bool = False) -> list[str]:
        """Sibling headings from one frame family: one per (topic, slots, scope),
        each licensed by the lexicon, no entry, lead word or ending twice, the topic's
        own members preferred; with ``distinct_openings`` no two siblings open with
        the same word either. Families are tried in seeded order until one serves
        every sibling; a placeholder only when none can."""
        if not subjects:
            return []
        families: dict[str, list[Entry]] = {}
        for entry in self.candidates(role):
            families.setdefault(entry.family or entry.id, []).append(entry)
        for entry in self.bank.by_role(role):
            if entry.topic is not None and entry.id not in self._used_set \
                    and entry.family in families and self.conditions.admit(entry):
                families[entry.family].append(entry)
        wanted = {topic for topic, _, _ in subjects}

        def usable(members: list[Entry]) -> int:
            # a topic's own member serves only that topic
            return len({m.id for m in members if m.topic is None or m.topic in wanted})

        family_key = self._key(f"{role}|family")
        eligible = sorted((name for name, members in families.items() if usable(members) >= len(subjects)
                           and family_frame(members) not in self._frames),
                          key=lambda name: self._rank(family_key, name))
        # a family that leaves a sibling one or two licensed members would write the same
        # headings in every town: prefer families with a real choice for each sibling
        attempts = [(name, choice) for choice in (4, 1) for name in eligible]
        for name, choice in attempts:
            plan = self._assign(families[name], subjects, distinct_openings, choice)
            if plan is not None:
                self._frames.add(family_frame(families[name]))
                out = []
                for (entry, filled), (_, _, scope) in zip(plan, subjects, strict=True):
                    self._mark(entry, filled)
                    self._claim(entry, scope)
                    out.append(self.marker() + filled)
                return out
        return [placeholder(ROLES.get(role, role)) for _ in subjects]

    def _assign(self, members: list[Entry], subjects: list[tuple[str | None, dict[str, str], Scope | None]],
                distinct_openings: bool, choice: int = 1) -> list[tuple[Entry, str]] | None:
        """One licensed member per sibling, or None when the family cannot serve them all."""
        prefix = _common_prefix(m.text for m in members)
        leads: set[str] = set()
        endings: set[str] = set()
        openings: set[str] = set()
        taken: set[str] = set()
        evaluations: set[str] = set()
        chosen: list[tuple[Entry, str]] = []
        for topic, extra, scope in subjects:
            pool: list[tuple[Entry, str]] = []
            key = f"{members[0].role}|{topic or ''}|{len(chosen)}"
            # in stable order, and only as far as the choice needs: the first is the pick
            for m in self._ranked(key, members):
                if len(pool) >= choice:
                    break
                if m.id in self._used_set or m.id in taken or lead_word(m, prefix) in leads \
                        or ending(m) in endings:
                    continue
                # the topic's own members and the generic ones alike, so that two
                # drafts on the same topics do not come out with the same headings
                if not (m.topic is None or (topic is not None and m.topic == topic)):
                    continue
                filled = self.fill(m, extra)
                if not self._fits(filled) or not self.licensed(m, filled, scope):
                    continue
                if distinct_openings and heading_opening(filled) in openings:
                    continue
                if any(p in evaluations for _, p in self.lexicon.evaluations_in(filled)):
                    continue
                pool.append((m, filled))
            if len(pool) < choice:
                return None
            entry, filled = pool[0]
            taken.add(entry.id)
            leads.add(lead_word(entry, prefix))
            endings.add(ending(entry))
            openings.add(heading_opening(filled))
            evaluations.update(p for _, p in self.lexicon.evaluations_in(filled))
            chosen.append((entry, filled))
        return chosen
