"""What the templates see: the sheet's sections, indicators and plan, and the functions
that pick and word phrases for one draft (``p``, ``headings``, ``lead``, ``plan_direction``…)."""

from __future__ import annotations

import re
from typing import Any

from draftgen.bank.calendar import date_words, writing_date
from draftgen.bank.evidence import draft_evidence, headline_growth
from draftgen.bank.lexicon import MIXED, RURAL, URBAN, Lexicon
from draftgen.bank.phrasebank import Entry, PhraseBank
from draftgen.draft import compose
from draftgen.draft.choose import Chooser, Conditions, Scope, strip_markers
from draftgen.sheet.model import FactSheet, WorkItem, is_half
from draftgen.text.numbers import chinese_numeral, count_numeral, ordinal_item
from draftgen.text.patterns import placeholder
from draftgen.text.typography import strip_end_punct


def title_for(facts: FactSheet, form: str) -> str:
    """The conventional title; a thematic draft's slogan title has this as its subtitle."""
    # every form carries a plan part (a placeholder where the sheet lists no plans), and says so
    if is_half(facts, form):
        return f"{facts.town}{facts.year}年上半年工作总结和下半年工作打算"
    return f"{facts.town}{facts.year}年工作总结和{facts.year + 1}年工作打算"


def setting_of(facts: FactSheet, lexicon: Lexicon) -> str:
    """The sheet's ``setting``, or what its facts say: villages, residential
    communities or both; with no such words, by the kind of division."""
    if facts.setting:
        return facts.setting
    found = lexicon.setting_of("\n".join(text for _, text in facts.texts()))
    if found is not None:
        return found
    return URBAN if facts.division == "街道" else RURAL if facts.division == "乡" else MIXED


def conditions_for(facts: FactSheet, form: str, lexicon: Lexicon) -> Conditions:
    growth, previous_growth = headline_growth(facts)
    flags = {name for name, present in (
        ("theme", facts.theme), ("honors", facts.honors), ("projects", facts.projects),
        ("targets", facts.plans.targets), ("superior", facts.superior),
        ("indicators", facts.indicators)) if present}
    # a half-year sheet drafted in another form still speaks of the half year
    half = is_half(facts, form)
    period = "half-year" if half else "annual"
    return Conditions(year=facts.year, growth=growth, previous_growth=previous_growth, flags=frozenset(flags),
                      division=facts.division, period=period, setting=setting_of(facts, lexicon),
                      written=writing_date(facts.year, half, facts.date))


_PLAN_PERIOD = re.compile(r"“十[一二三四五六七八九]五”")
_PLAN_ENDS = re.compile(r"(“十[一二三四五六七八九]五”.*|党的二十大精神的)(开局|收官)之年")


def _plan_stage(entry: Entry) -> int:
    """How a standing marks the year: 2 the opening or closing year of a plan or a programme (the
    year's defining standing: “十四五”规划收官之年, 全面贯彻党的二十大精神的开局之年), 1 another stage
    of the five-year plan, 0 neither."""
    if _PLAN_ENDS.search(entry.text):
        return 2
    return 1 if _PLAN_PERIOD.search(entry.text) else 0


def _anniversary(entry: Entry) -> bool:
    return "周年" in entry.text


def template_context(facts: FactSheet, form: str, bank: PhraseBank, chooser: Chooser,
             warnings: list[str]) -> dict[str, Any]:
    sections = compose.work_sections(facts, bank, warnings)
    half = is_half(facts, form)
    # the standing areas (党建, 民生, 安全稳定) frame a plan the sheet gives; where it gives none, the
    # plan part is a placeholder, not areas of stock measures
    plans = compose.plan_sections(facts, bank, warnings, standing=not half and bool(facts.plans.work))
    same_period = form == "half-year"
    # a run of estimates says 预计 once, at its head
    indicators = [compose.indicator_phrase(ind, chooser, same_period, i == 0,
                                           estimated=i > 0 and facts.indicators[i - 1].estimate)
                  for i, ind in enumerate(facts.indicators)]

    lexicon = bank.lexicon
    evidence = chooser.evidence or draft_evidence(facts, frozenset(), None)

    def lead(title: str) -> str:
        """A manner word before a title that opens with a verb it fits (扎实开展…);
        a nominal title, or one that already has its manner word, stays as it is."""
        # a title may carry a provenance marker in front: keep it in front
        bare = strip_markers(title)
        tag = title[: len(title) - len(bare)] if title.endswith(bare) else ""
        bare = strip_end_punct(bare)
        verb = lexicon.verb_at(bare)
        if verb is None and len(bare) <= 8 and lexicon.is_nominal(bare) and not any(
                bare.startswith(m) for m in lexicon.manners):
            # a bare noun (养老服务, 柑橘春管) reads as a thing done with a verb before it
            picked = chooser.pick_entry("item.verb")
            return tag + bare if picked is None else picked[1] + tag + bare
        if verb is None or len(verb) < 2 or any(bare.startswith(m) for m in lexicon.manners):
            return tag + bare
        picked = chooser.pick_entry("item.adverb", accept=lambda e: lexicon.manner_fits(e.text, verb))
        return tag + bare if picked is None else picked[1] + tag + bare

    def takes_manner(entry: Entry) -> bool:
        return lexicon.takes_manner(entry.text)

    def plan_direction(section: compose.Section, principle: bool = False) -> str:
        """What an area of the plan works for (持续办好群众身边的民生实事), and with ``principle`` first
        what it holds to (坚持尽力而为、量力而行, the area's own or a generic principle): the aim the area's
        own (generic ones where it has none), no particular action."""
        topic = section.name if section.known else None
        extra = {"label": section.label}
        scope = section.scope(lexicon, evidence, plan=True)
        held = chooser.pick_entry("plan.direction", topic, blend=True, extra=extra, scope=scope,
                                  accept=lambda e: e.text.startswith("坚持")) if principle else None
        aim = chooser.pick_entry("plan.direction", topic, extra=extra, scope=scope,
                                 accept=lambda e: not e.text.startswith("坚持"))
        return "，".join(picked[1] for picked in (held, aim) if picked is not None) \
            or placeholder(f"{section.label}的下一步举措")

    def with_manner(text: str) -> str:
        """A plan measure with a manner word that fits its verb (words may recur, phrases not)."""
        bare = strip_markers(text)
        tag = text[: len(text) - len(bare)] if text.endswith(bare) else ""
        verb = lexicon.verb_at(bare)
        if verb is None or len(verb) < 2 or any(bare.startswith(m) for m in lexicon.manners):
            return text
        return tag + chooser.manner(verb) + bare

    def headings(role: str, secs: list[compose.Section], plan: bool = False) -> list[str]:
        # sibling headings open differently in the default forms, and in every plan part
        return chooser.headings(role, [(s.name if s.known else None, {"label": s.label, "topic": s.name},
                                        s.scope(lexicon, evidence, plan=plan)) for s in secs],
                                distinct_openings=plan or form in ("annual", "half-year"))

    shown: set[str] = set()

    def answer_lead(problem: str) -> str:
        """The words that bring in a problem's answer, not saying a word of the problem again
        (围绕公共服务设施仍有短板的短板弱项 reads twice)."""
        quoted = compose.quoted_problem(problem)
        pairs = {quoted[i:i + 2] for i in range(len(quoted) - 1)}

        def fresh(entry: Entry) -> bool:
            fixed = entry.text.replace("{problem}", "\n")
            return not any(fixed[i:i + 2] in pairs for i in range(len(fixed) - 1))

        picked = chooser.pick_entry("plan.answer", extra={"problem": quoted}, accept=fresh)
        return picked[1] if picked is not None else chooser.pick("plan.answer", problem=quoted)

    def standing(year: int) -> str:
        """What the year is: the plan period's role first (“十四五”规划收官之年), then, now and
        then, a second standing or the year's anniversary (……，也是中国共产党成立一百零五周年);
        an anniversary never stands alone."""
        first = chooser.pick_entry("year.stands", year=year, accept=lambda e: _plan_stage(e) == 2) \
            or chooser.pick_entry("year.stands", year=year, accept=lambda e: _plan_stage(e) == 1) \
            or chooser.pick_entry("year.stands", year=year, accept=lambda e: not _anniversary(e))
        if first is None:
            return chooser.pick("year.stands", year=year)  # the year's placeholder
        said = first[1]

        def other(entry: Entry) -> bool:
            # a second standing says something else: not the plan period again, no four characters alike
            return not _plan_stage(entry) and not any(entry.text[i:i + 4] in said for i in range(len(entry.text) - 3))

        # now and then (one draft in four): every town of a year has the same standings to say
        wanted = chooser.coin(f"standing{year}") and chooser.coin(f"standing{year}+")
        second = chooser.pick_entry("year.stands", year=year, accept=other) if wanted else None
        return said + (f"，也是{second[1]}" if second is not None else "")

    def situation() -> str:
        """The plan head's judgment of the situation, in an entry whose slots the sheet fills
        (what rose, what the problems are); nothing where the sheet gives neither."""
        good, hard = compose.situation_parts(facts)
        if not (good or hard):
            return ""
        picked = chooser.pick_entry("plan.situation", extra={"good": good, "hard": hard},
                                    accept=lambda e: ("{good}" in e.text) == bool(good)
                                    and ("{hard}" in e.text) == bool(hard))
        return picked[1] + "。" if picked is not None else ""

    def headline(item: WorkItem) -> str:
        """A highlight line's figures (the item's richest fact, and its rank), kept out of the body after."""
        fact = compose.headline_fact(item)
        shown.add(fact)
        if item.rank:  # the item's rank goes with its headline figures, not with what the body keeps
            shown.add(compose.rank_key(item))
            return f"{strip_end_punct(fact)}，{compose.rank_words(item.rank)}。"
        return strip_end_punct(fact) + "。"

    def pick(role: str, topic: str | None = None, year: int | None = None, blend: bool = False,
             section: compose.Section | None = None, plan: bool = False, no_label: bool = False,
             ends: str = "", not_opening: str = "", avoid: str = "", **extra: str) -> str:
        """One entry of ``role``, filled; ``ends``: one that ends so where there is one (siblings in
        one shape: 提升党建引领力, 提升产业支撑力…); ``not_opening``: none that opens so (在…领导下，
        全镇上下在…指引下 says 在 twice); ``avoid``: none that says this word (a heading whose three parts
        all say 经济; several words with |)."""
        scope = (section.scope(lexicon, evidence, plan=plan, no_label=no_label) if section is not None
                 else Scope(plan=plan))
        words = [w for w in avoid.split("|") if w]

        def free(entry: Entry) -> bool:
            if not_opening and entry.text.startswith(not_opening):
                return False
            return not any(w in entry.text or ("{short}" in entry.text and extra.get("short") == w) for w in words)

        if ends:
            shaped = chooser.pick_entry(role, topic, year, blend, extra, scope,
                                        accept=lambda e: e.text.endswith(ends) and free(e))
            if shaped is not None:
                return shaped[1]
        if not_opening or words:
            other = chooser.pick_entry(role, topic, year, blend, extra, scope, accept=free)
            if other is not None:
                return other[1]
        return chooser.pick(role, topic, year, blend, scope, **extra)

    return {
        "f": facts, "form": form, "year": facts.year, "next_year": facts.year + 1,
        "title": title_for(facts, form), "subtitle": title_for(facts, form), "half": half,
        "sections": sections, "plan_sections": plans,
        "problem_list": lambda: compose.problem_phrases(facts, chooser), "quote": compose.quoted_problem,
        "strongest": lambda n, spare=False: compose.strongest_items(sections, n, spare),
        "section_measure": lambda section: compose.section_measure(section, chooser, lexicon, evidence),
        "answer_measure": lambda section, problem: compose.answer_measure(
            section, problem, chooser, lexicon, evidence, prefer=takes_manner, dress=with_manner),
        "indicators": indicators, "honors": list(facts.honors),
        "problems": [p.text for p in facts.problems], "targets": [
            compose.target_phrase(t) for t in facts.plans.targets],
        "cutoff": facts.cutoff,
        "signature_unit": f"{facts.town}{'办事处' if facts.division == '街道' else '人民政府'}",
        "signature_date": date_words(facts.date) if facts.date else placeholder("落款日期"),
        "p": pick, "standing": standing, "situation": situation, "answer_lead": answer_lead, "headings": headings,
        "lead": lead,
        "manner": with_manner, "plan_direction": plan_direction,
        "coin": chooser.coin,
        "placeholder": placeholder, "cn": chinese_numeral, "count": count_numeral, "ordinal": ordinal_item,
        "strip": strip_end_punct, "item_sentence": lambda item: compose.item_sentence(item, shown),
        "headline": headline,
        "numbered": compose.numbered, "join": compose.join_clauses,
        "project_sentence": lambda projects: compose.project_sentence(projects, chooser),
    }
