"""The wording lexicon: which words go together, which praise the data must earn,
which names only the sheet may bring in.

The knowledge is phrase-bank data (``lexicon:`` in ``phrasebank/lexicon.yaml``,
extendable from a user's bank folder); this module reads it and answers the
questions the chooser asks while drafting and the reviewers (``check``,
``phrases lint``) ask of finished text. Drafting is strict: only what the lexicon
licenses is combined. Review is lenient: only what the lexicon knows to clash is
reported, so that a writer's own wording is not second-guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: what may stand between a topic's label and the predicate that says something of it
_SUBJECT_GLUE = ("工作", "要", "的", "上")
#: where a verb's object ends: the label is the whole object when one of these follows it
_OBJECT_END = "，。；：、！？”）"
_QUOTED = re.compile(r"“([^“”]{2,16})”")

RURAL, URBAN, MIXED = "rural", "urban", "mixed"
SETTINGS = (RURAL, URBAN, MIXED)


@dataclass(frozen=True)
class Clash:
    """Two words the lexicon knows not to go together, with where they stand."""

    kind: str  # verb | predicate | manner
    start: int
    end: int
    words: str
    message: str


@dataclass(frozen=True)
class Evidence:
    """What the facts behind a passage can support: the praise it may carry."""

    trends: frozenset[str] = frozenset()
    growth: float | None = None
    all_rise: bool = False
    projects: int = 0
    items: int = 0
    figures: int = 0
    rank: bool = False
    targets_met: bool = False
    honors: bool = False
    #: how many honours the passage names, and how many of them are awards (获评, 荣获), not listings (入选)
    honor_count: int = 0
    awards: int = 0
    #: projects of the passage that are finished, and that are under way or finished
    done: int = 0
    started: int = 0
    #: whether the passage's facts state an amount of money (a budget, an investment, a payment)
    money: bool = False
    #: items and projects of the passage with an effect line of their own
    effects: int = 0
    #: the passage's own facts, in one text: what a licence's ``words`` look for
    facts: str = ""
    #: the sheet's problems, in one text: a claim they contradict is not written
    problems: str = ""


#: what a licence or an evaluation may require of the facts (see :func:`unmet`)
NEEDS = ("never", "trend", "growth_min", "all_rise", "projects_min", "items_min", "figures_min", "rank",
         "targets_met", "honors", "honors_min", "awards_min", "done_min", "started_min", "money", "effect", "words")


def unmet(needs: Mapping[str, Any], evidence: Evidence, claim: str = "说法", *, indicators: bool = True) -> str | None:
    """Why the facts behind a passage do not support a claim that ``needs`` these (a Chinese
    reason naming the missing evidence), or None when they do. ``indicators``: whether the sheet
    gives any indicator's change at all (with none, what the indicators did is not known, and
    no claim is held to it)."""
    if needs.get("never"):
        return "事实表里没有能说明这一点的数据"
    if not indicators:
        needs = {k: v for k, v in needs.items() if k not in ("trend", "growth_min", "all_rise")}
    trend = needs.get("trend")
    if trend and not evidence.trends & set(_as_list(trend)):
        return "主要指标没有增长"
    growth_min = needs.get("growth_min")
    if growth_min is not None and (evidence.growth is None or evidence.growth < float(growth_min)):
        return f"主要指标增速不到{growth_min}%"
    if needs.get("all_rise") and not evidence.all_rise:
        return "并非所有指标都在增长"
    counts = (("projects_min", evidence.projects, "个项目"), ("items_min", evidence.items, "项工作"),
              ("figures_min", evidence.figures, "个数字"), ("honors_min", evidence.honor_count, "项荣誉"),
              ("awards_min", evidence.awards, "项表彰（入选名单不算）"), ("done_min", evidence.done, "个建成的项目"),
              ("started_min", evidence.started, "个开工或建成的项目"))
    for key, have, what in counts:
        wanted = needs.get(key)
        if wanted is not None and have < int(wanted):
            return f"这部分只有{have}{what}，撑不起这个{claim}"
    if needs.get("rank") and not evidence.rank:
        return "事实表里没有排名"
    if needs.get("targets_met") and not evidence.targets_met:
        return "事实表里没有全部完成的目标"
    if needs.get("honors") and not evidence.honors:
        return "事实表里没有上级给的荣誉"
    if needs.get("money") and not evidence.money:
        return "这部分的事实里没有资金数额"
    if needs.get("effect") and not evidence.effects:
        return "这部分的事实里没有写成效（effect）"
    words = needs.get("words")
    if words and not any(str(w) in evidence.facts for w in _as_list(words)):
        return f"这部分的事实里没有提到{'、'.join(str(w) for w in _as_list(words)[:3])}"
    return None


@dataclass
class Lexicon:
    """The lexicon's tables, merged from every bank file that has a ``lexicon:`` part."""

    features: dict[str, str] = field(default_factory=dict)
    labels: dict[str, frozenset[str]] = field(default_factory=dict)
    verbs: dict[str, frozenset[str]] = field(default_factory=dict)
    predicates: dict[str, frozenset[str]] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    manners: dict[str, frozenset[str]] = field(default_factory=dict)
    manners_before_nouns: frozenset[str] = frozenset()
    verb_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    indicator_verbs: dict[str, frozenset[str]] = field(default_factory=dict)
    project_kinds: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)
    project_verbs: tuple[str, ...] = ()
    evaluations: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    #: the names one county or province coined (四个一, 一支部一品牌): not written even in a plan
    #: unless the sheet names them
    local_names: tuple[str, ...] = ()
    #: practices (制度, 包联, 调度…) a summary's lead measure names only where its section's facts do
    practices: tuple[str, ...] = ()
    settings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    annual_only: tuple[str, ...] = ()
    #: words that speak well of a result: not said of the economy in a year its indicators fell
    upbeat: tuple[str, ...] = ()
    #: stock words and how often a draft may use them in its paragraphs
    overused: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        # verb → the classes it belongs to (a verb may serve two classes)
        self._verb_class: dict[str, set[str]] = {}
        for cls, verbs in self.verb_classes.items():
            for verb in verbs:
                self._verb_class.setdefault(verb, set()).add(cls)
        self._object_verb_lengths = sorted({len(v) for v in self.verbs}, reverse=True)
        self._finders: dict[str, re.Pattern[str] | None] = {}
        self._setting_cache: dict[str, str | None] = {}
        self._subject_re: dict[tuple[str, ...], re.Pattern[str] | None] = {}
        self._clash_cache: dict[tuple[str, tuple[tuple[str, frozenset[str]], ...], bool, bool], list[Clash]] = {}

    # one alternation per table, longest words first: the regex engine then finds the longest
    # word at a position, in C, instead of a loop over every word; each is compiled when first
    # needed (a process that drafts once should not compile the tables it never reads)
    def _finder(self, table: str) -> re.Pattern[str] | None:
        if table not in self._finders:
            tables: dict[str, Iterable[str]] = {
                "verb": self._verb_class, "manner": self.manners, "predicate": self.predicates,
                "evaluation": self.evaluations, "cue": self.cues, "name": self.names}
            words = tables.get(table)
            if words is None:  # setting:rural, setting:urban
                words = self.settings.get(table.partition(":")[2], ())
            self._finders[table] = _alternation(words)
        return self._finders[table]

    # -- building -------------------------------------------------------
    @classmethod
    def from_parts(cls, parts: Iterable[Mapping[str, Any]]) -> Lexicon:
        """Merge raw ``lexicon:`` mappings (lists extend, mappings update)."""
        merged: dict[str, Any] = {}
        for part in parts:
            for key, value in part.items():
                if isinstance(value, dict):
                    merged.setdefault(key, {}).update(value)
                elif isinstance(value, list):
                    merged.setdefault(key, []).extend(value)
                else:
                    merged[key] = value
        kinds = {
            name: (tuple(str(k) for k in (spec or {}).get("keywords") or ()),
                   frozenset(str(v) for v in (spec or {}).get("verbs") or ()))
            for name, spec in (merged.get("project_kinds") or {}).items()}
        return cls(
            features={str(k): str(v) for k, v in (merged.get("features") or {}).items()},
            labels=_sets(merged.get("labels")),
            verbs=_sets(merged.get("verbs")),
            predicates=_sets(merged.get("predicates")),
            cues=_sets(merged.get("cues")),
            manners=_sets(merged.get("manners")),
            manners_before_nouns=frozenset(str(m) for m in merged.get("manners_before_nouns") or ()),
            verb_classes=_sets(merged.get("verb_classes")),
            indicator_verbs=_sets(merged.get("indicator_verbs")),
            project_kinds=kinds,
            project_verbs=tuple(dict.fromkeys(str(v) for v in merged.get("project_verbs") or ())),
            evaluations={str(k): dict((v or {}).get("needs") or {}) for k, v in
                         (merged.get("evaluations") or {}).items()},
            names=tuple(dict.fromkeys(str(n) for n in merged.get("names") or ())),
            local_names=tuple(dict.fromkeys(str(n) for n in merged.get("local_names") or ())),
            practices=tuple(dict.fromkeys(str(n) for n in merged.get("practices") or ())),
            settings={str(k): tuple(str(w) for w in v or ()) for k, v in (merged.get("settings") or {}).items()},
            annual_only=tuple(str(w) for w in merged.get("annual_only") or ()),
            overused={str(k): int(v) for k, v in (merged.get("overused") or {}).items()},
            upbeat=tuple(dict.fromkeys(str(w) for w in merged.get("upbeat") or ())),
        )

    # -- topics ---------------------------------------------------------
    def features_of(self, topic: str | None) -> frozenset[str]:
        """A topic's features; a topic the lexicon does not know has none."""
        return self.labels.get(topic or "", frozenset())

    # -- collocations ---------------------------------------------------
    def clashes(self, text: str, subjects: Mapping[str, frozenset[str]], scoped: bool = False,
                cues: bool = True) -> list[Clash]:
        """Every combination in ``text`` the lexicon knows not to go together.

        ``subjects`` are the strings standing for topics (a label such as 安全生产)
        with their features; verbs before them and predicates after them are
        judged against those features, and so are words that suit only some
        topics (惠民生 in a heading on 党建; ``cues``: a paragraph may range over
        several topics, a heading speaks of one). ``scoped``: the text is about these
        subjects even where it does not name them (while drafting one section).
        Manner words are judged against the verb they modify wherever they stand.
        """
        key = (text, tuple(subjects.items()), scoped, cues)
        cached = self._clash_cache.get(key)
        if cached is not None:
            return cached
        found: list[Clash] = []
        present = [f for s, f in subjects.items() if s and (scoped or s in text)]
        cue = self._finder("cue")
        if present and cues and cue is not None:
            about = frozenset().union(*present)
            for match in cue.finditer(text):
                if not about & self.cues[match.group()]:
                    found.append(Clash("topic", match.start(), match.end(), match.group(),
                                       f"“{match.group()}”说的不是这一领域的事"))
        for start, end, subject in self._subject_spans(text, tuple(s for s in subjects if s)):
            found += self._around(text, start, end, subject, subjects[subject])
        found += self._manner_clashes(text, subjects)
        unique = {(c.start, c.kind): c for c in found}
        result = sorted(unique.values(), key=lambda c: c.start)
        if len(self._clash_cache) > 50_000:
            self._clash_cache.clear()  # bounded: a long-running process does not grow without end
        self._clash_cache[key] = result
        return result

    def _subject_spans(self, text: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """Where the subjects stand in ``text``: the longest at each place, no overlap (as an
        alternation would find them). A section's two or three names are looked for directly —
        compiling a pattern for each section's names cost more than the search; a reviewer's
        whole list of topics gets its pattern, once."""
        if len(names) > 4:
            finder = self._subject_re.get(names)
            if finder is None:
                finder = self._subject_re[names] = _alternation(names)
            return [(m.start(), m.end(), m.group()) for m in finder.finditer(text)] if finder is not None else []
        hits = []
        for name in names:
            at = text.find(name)
            while at >= 0:
                hits.append((at, -len(name), name))
                at = text.find(name, at + 1)
        out: list[tuple[int, int, str]] = []
        for start, minus, name in sorted(hits):
            if not out or start >= out[-1][1]:
                out.append((start, start - minus, name))
        return out

    def _around(self, text: str, start: int, end: int, subject: str, features: frozenset[str]) -> list[Clash]:
        out: list[Clash] = []
        after = text[end:end + 1]
        if after == "" or after in _OBJECT_END:
            verb = next((text[start - n:start] for n in self._object_verb_lengths
                         if start >= n and text[start - n:start] in self.verbs), None)
            if verb is not None and not features & self.verbs[verb]:
                out.append(Clash("verb", start - len(verb), end, verb + subject,
                                 f"“{verb}”不宜以“{subject}”作宾语"))
        rest = end
        for glue in _SUBJECT_GLUE:
            if text.startswith(glue, rest):
                rest += len(glue)
                break
        # 安全生产要提速提质、争先进位: every part of a 、-series says something of the subject
        predicates = self._finder("predicate")
        while True:
            hit = predicates.match(text, rest) if predicates is not None else None
            predicate = hit.group() if hit else None
            if predicate is not None and not features & self.predicates[predicate]:
                out.append(Clash("predicate", start, rest + len(predicate), text[start:rest + len(predicate)],
                                 f"“{subject}”不宜说“{predicate}”"))
                break
            stop = re.search(r"[，。；：！？]", text[rest:])
            series = text.find("、", rest, rest + stop.start() if stop else len(text))
            if series < 0:
                break
            rest = series + 1
        return out

    def _manner_clashes(self, text: str, subjects: Mapping[str, frozenset[str]]) -> list[Clash]:
        out: list[Clash] = []
        manners = self._finder("manner")
        if manners is None:
            return out
        for match in manners.finditer(text):
            manner, j = match.group(), match.end()
            verb = self.verb_at(text, j)
            if verb is not None:
                if not self.manner_fits(manner, verb):
                    out.append(Clash("manner", match.start(), j + len(verb), manner + verb,
                                     f"“{manner}”不宜修饰“{verb}”"))
            elif manner not in self.manners_before_nouns:
                subject = next((s for s in subjects if s and text.startswith(s, j)), None)
                if subject is not None:
                    out.append(Clash("manner", match.start(), j + len(subject), manner + subject,
                                     f"“{manner}”后面应是动词，不宜直接接“{subject}”"))
        return out

    def verb_at(self, text: str, pos: int = 0) -> str | None:
        """The known verb that starts at ``pos`` (the longest), if any."""
        verbs = self._finder("verb")
        hit = verbs.match(text, pos) if verbs is not None else None
        return hit.group() if hit else None

    def is_nominal(self, text: str) -> bool:
        """Whether ``text`` names a thing rather than a deed: no known verb but at its end
        (养老服务, 老旧小区改造, 柑橘春管), so that a verb in front makes it a thing done."""
        verbs = self._finder("verb")
        if verbs is None:
            return False
        return all(m.end() == len(text) for m in verbs.finditer(text))

    def manner_fits(self, manner: str, verb: str) -> bool:
        """Whether a manner word may modify a verb (by the verb's classes, or named outright)."""
        allowed = self.manners.get(manner)
        if allowed is None:
            return True
        if manner[:1] == verb[:1]:
            return False  # 加快加强, 持续持…: two verbs of one head read as a stammer
        return verb in allowed or bool(self._verb_class.get(verb, set()) & allowed)

    def manners_for(self, verb: str) -> list[str]:
        return [m for m in self.manners if self.manner_fits(m, verb)]

    def takes_manner(self, text: str) -> bool:
        """Whether ``text`` opens with a plain verb a manner word may go before (推进… → 扎实推进…):
        not a one-character verb, not one that carries its own measure (狠抓, 紧盯), and no manner
        word there already."""
        verb = self.verb_at(text)
        return (verb is not None and len(verb) >= 2 and not any(text.startswith(m) for m in self.manners)
                and bool(self.manners_for(verb)))

    # -- indicators and projects ----------------------------------------
    def indicator_verb_fits(self, verb: str, direction: str) -> bool:
        allowed = self.indicator_verbs.get(verb)
        return allowed is None or direction in allowed

    def project_kind(self, name: str) -> str:
        """A project's kind from its name (a repair, a campaign…); construction otherwise."""
        for kind, (keywords, _) in self.project_kinds.items():
            if any(k in name for k in keywords):
                return kind
        return "construction"

    def project_wording_fits(self, text: str, kind: str) -> bool:
        """Every project verb in ``text`` may be said of a project of ``kind``."""
        allowed = self.project_kinds.get(kind, ((), frozenset()))[1]
        if not allowed:
            return True
        words = [v for v in sorted(self.project_verbs, key=len, reverse=True) if v in text]
        # 投入使用 contains no 建成, but 建成投用 contains both 建成 and 投用: each is judged
        return all(w in allowed or any(w in a for a in allowed) for w in words)

    # -- praise ---------------------------------------------------------
    def evaluations_in(self, text: str) -> list[tuple[int, str]]:
        """Stock evaluations in ``text`` with where they start (the longest at each place, no overlap)."""
        evaluations = self._finder("evaluation")
        if evaluations is None:
            return []
        return [(m.start(), m.group()) for m in evaluations.finditer(text)]

    def unearned(self, phrase: str, evidence: Evidence, *, indicators: bool = True) -> str | None:
        """Why the facts do not support ``phrase`` (a Chinese reason), or None (``indicators``: see :func:`unmet`)."""
        return unmet(self.evaluations.get(phrase, {}), evidence, "评价", indicators=indicators)

    # -- names and settings ---------------------------------------------
    def names_in(self, text: str) -> list[str]:
        """Programmes, mechanisms and campaigns ``text`` names (quoted terms and the lexicon's list)."""
        found = [m.group(1) for m in _QUOTED.finditer(text)]
        names = self._finder("name")
        if names is not None:
            found += [m.group() for m in names.finditer(text) if not any(m.group() in q for q in found)]
        return list(dict.fromkeys(found))

    def setting_of(self, text: str) -> str | None:
        """rural, urban or mixed by the words in ``text``; None when it has neither kind."""
        if text in self._setting_cache:
            return self._setting_cache[text]
        rural_re, urban_re = self._finder(f"setting:{RURAL}"), self._finder(f"setting:{URBAN}")
        rural = bool(rural_re and rural_re.search(text))
        urban = bool(urban_re and urban_re.search(text))
        found = MIXED if rural and urban else RURAL if rural else URBAN if urban else None
        if len(self._setting_cache) < 50_000:
            self._setting_cache[text] = found
        return found

    def fits_period(self, text: str, period: str) -> bool:
        """A half-year report does not speak of 一年来 or 全年工作."""
        return period != "half-year" or not any(w in text for w in self.annual_only)

    def fits_setting(self, text: str, setting: str) -> bool:
        """An entry that speaks only of villages suits a rural or mixed town, one that
        speaks only of residential communities an urban or mixed one."""
        own = self.setting_of(text)
        return own is None or setting == MIXED or own in (MIXED, setting)


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted((w for w in words if w), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _sets(raw: Any) -> dict[str, frozenset[str]]:
    return {str(k): frozenset(str(v) for v in (vals or ())) for k, vals in (raw or {}).items()}
