"""The pipeline in one function: facts → phrase choice → render → text.

``build_draft`` is the library entry point; the CLI only maps options onto it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from draftgen.bank.lexicon import MIXED, RURAL, URBAN, Lexicon
from draftgen.bank.phrasebank import Entry, PhraseBank, load_bank
from draftgen.draft import compose
from draftgen.draft.choose import Chooser, Conditions, Scope, seed_for, strip_markers
from draftgen.draft.render import FORMS, make_env, render
from draftgen.errors import DraftgenError, FactsError
from draftgen.sheet.model import FactSheet, is_half
from draftgen.sheet.validation import load_facts_file
from draftgen.sheet.yamlio import facts_yaml
from draftgen.text.numbers import chinese_numeral, count_numeral, ordinal_item
from draftgen.text.patterns import placeholder
from draftgen.text.typography import strip_end_punct

if TYPE_CHECKING:
    from draftgen.formats.document import Block
    from draftgen.formats.record import Record

@dataclass
class DraftResult:
    """A finished draft and what went into it."""

    markdown: str
    facts: FactSheet
    form: str
    seed: int
    used_entries: list[str] = field(default_factory=list)
    picks: list[tuple[str, str]] = field(default_factory=list)
    #: the Markdown with an invisible tag before each phrase-bank pick (for provenance)
    marked: str = ""
    warnings: list[str] = field(default_factory=list)
    phrasebank: Path | None = None

    @property
    def filename(self) -> str:
        """The conventional file name, e.g. ``青川镇2024年工作总结和2025年工作打算.md``."""
        return f"{title_for(self.facts, self.form)}.md"

    def record(self) -> Record:
        """How this draft was made, for `draftgen update` (kept inside every DOCX)."""
        from draftgen.formats.record import Record, bank_fingerprint, version

        return Record(facts=facts_yaml(self.facts), form=self.form, seed=self.seed, version=version(),
                      bank=bank_fingerprint(load_bank(self.phrasebank)))

    def blocks(self) -> list[Block]:
        """The draft as blocks (title, headings, paragraphs, signature)."""
        from draftgen.formats.document import parse_markdown  # the Markdown path does not need the parser

        return parse_markdown(self.markdown)


def draft_docx(result: DraftResult, *, reference: Path | None = None, provenance: bool = False) -> bytes:
    """The draft as a DOCX in GB/T 9704 layout (or the layout of ``reference``),
    block for block the same as its Markdown; ``provenance`` adds a Word comment on
    every paragraph naming the facts and phrase-bank entries it came from."""
    from draftgen.draft.provenance import blocks_with_sources
    from draftgen.formats.docx import docx_bytes

    if reference is not None and not reference.is_file():
        raise DraftgenError(f"找不到参考文档“{reference}”，请检查路径是否正确。")
    record = result.record()
    if provenance:
        blocks, notes = blocks_with_sources(result.marked, result.picks, result.facts)
        return docx_bytes(blocks, reference=reference, comments=notes, record=record)
    return docx_bytes(result.blocks(), reference=reference, record=record)


def title_for(facts: FactSheet, form: str) -> str:
    """The conventional title; a thematic draft's slogan title has this as its subtitle."""
    half = is_half(facts, form)
    # a thematic or highlights draft that carries a plan says so in its title (or subtitle)
    if form in ("half-year", "annual") or (form in ("thematic", "highlights") and (facts.problems or facts.plans.work)):
        if half:
            return f"{facts.town}{facts.year}年上半年工作总结和下半年工作打算"
        return f"{facts.town}{facts.year}年工作总结和{facts.year + 1}年工作打算"
    return f"{facts.town}{facts.year}年{'上半年' if half else ''}工作总结"


def load_facts(path: Path | str) -> FactSheet:
    """Load and validate a fact sheet file (raises :class:`FactsError`)."""
    return load_facts_file(Path(path))


def check_year(facts: FactSheet, year: int | None, override: bool) -> FactSheet:
    """Make sure the year asked for is the sheet's year, unless overridden."""
    if year is None or year == facts.year:
        return facts
    if override:
        return dataclasses.replace(facts, year=year)
    raise FactsError(
        f"命令里的年度 {year} 与事实表 {facts.source} 中的 year: {facts.year} 不一致。"
        f"若要起草 {facts.year} 年的总结，请运行 draftgen new {facts.year} …；"
        f"若确实要按 {year} 年起草，请加上 --override-year。")


def setting_of(facts: FactSheet, lexicon: Lexicon) -> str:
    """The sheet's ``setting``, or what its facts say: villages, residential
    communities or both; with no such words, by the kind of division."""
    if facts.setting:
        return facts.setting
    found = lexicon.setting_of("\n".join(text for _, text in facts.texts()))
    if found is not None:
        return found
    return URBAN if facts.division == "街道" else RURAL if facts.division == "乡" else MIXED


def _conditions(facts: FactSheet, form: str, lexicon: Lexicon) -> Conditions:
    growth, previous_growth = compose.headline_growth(facts)
    flags = {name for name, present in (
        ("theme", facts.theme), ("honors", facts.honors), ("projects", facts.projects),
        ("targets", facts.plans.targets), ("superior", facts.superior),
        ("indicators", facts.indicators)) if present}
    # a half-year sheet drafted in another form still speaks of the half year
    period = "half-year" if is_half(facts, form) else "annual"
    # an annual report is written in December, a half-year one in June or July
    writing_year = int(facts.date[:4]) if facts.date else facts.year
    return Conditions(year=facts.year, growth=growth, previous_growth=previous_growth, flags=frozenset(flags),
                      division=facts.division, period=period, setting=setting_of(facts, lexicon),
                      writing_year=writing_year)


def _date_words(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def _globals(facts: FactSheet, form: str, bank: PhraseBank, chooser: Chooser,
             warnings: list[str]) -> dict[str, Any]:
    sections = compose.work_sections(facts, bank, warnings)
    half = is_half(facts, form)
    plans = compose.plan_sections(facts, bank, warnings, standing=not half)
    same_period = form == "half-year"
    indicators = [compose.indicator_phrase(ind, chooser, same_period, i == 0)
                  for i, ind in enumerate(facts.indicators)]

    lexicon = bank.lexicon
    draft_evidence = chooser.evidence or compose.draft_evidence(facts, frozenset(), None)

    def lead(title: str) -> str:
        """A manner word before a title that opens with a verb it fits (扎实开展…);
        a nominal title, or one that already has its manner word, stays as it is."""
        # a title may carry a provenance marker in front: keep it in front
        bare = strip_markers(title)
        tag = title[: len(title) - len(bare)] if title.endswith(bare) else ""
        bare = strip_end_punct(bare)
        verb = lexicon.verb_at(bare)
        if verb is None or len(verb) < 2 or any(bare.startswith(m) for m in lexicon.manners):
            return tag + bare
        picked = chooser.pick_entry("item.adverb", accept=lambda e: lexicon.manner_fits(e.text, verb))
        return tag + bare if picked is None else picked[1] + tag + bare

    def takes_manner(entry: Entry) -> bool:
        verb = lexicon.verb_at(entry.text)
        return verb is not None and len(verb) >= 2 and not any(entry.text.startswith(m) for m in lexicon.manners)

    def says_again(entry: Entry) -> bool:
        """Whether a measure repeats four characters of one just picked (两条“后备力量培养”)."""
        recent = "\n".join(text for _, text in chooser.picks[-4:])
        return any(entry.text[i:i + 4] in recent for i in range(len(entry.text) - 3))

    def plan_measure(section: compose.Section) -> str:
        """A plan measure with a manner word: measures that open with a plain verb first,
        so that the run reads 持续…，扎实…，着力… and two towns' plans do not match."""
        topic = section.name if section.known else None
        scope = section.scope(lexicon, draft_evidence, plan=True)
        extra = {"label": section.label}
        picked = chooser.pick_entry("measure", topic, extra=extra, scope=scope,
                                    accept=lambda e: takes_manner(e) and not says_again(e)) \
            or chooser.pick_entry("measure", topic, extra=extra, scope=scope, accept=lambda e: not says_again(e)) \
            or chooser.pick_entry("measure", topic, extra=extra, scope=scope)
        return with_manner(picked[1]) if picked else placeholder(f"{section.label}的下一步举措")

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
                                        s.scope(lexicon, draft_evidence, plan=plan)) for s in secs],
                                distinct_openings=plan or form in ("annual", "half-year"))

    def pick(role: str, topic: str | None = None, year: int | None = None, blend: bool = False,
             section: compose.Section | None = None, plan: bool = False, no_label: bool = False,
             **extra: str) -> str:
        scope = (section.scope(lexicon, draft_evidence, plan=plan, no_label=no_label) if section is not None
                 else Scope(plan=plan))
        return chooser.pick(role, topic, year, blend, scope, **extra)

    return {
        "f": facts, "form": form, "year": facts.year, "next_year": facts.year + 1,
        "title": title_for(facts, form), "subtitle": title_for(facts, form), "half": half,
        "sections": sections, "plan_sections": plans,
        "problem_list": lambda: compose.problem_phrases(facts, chooser), "quote": compose.quoted_problem,
        "strongest": lambda n: compose.strongest_items(sections, n),
        "section_measure": lambda section: compose.section_measure(section, chooser, lexicon, draft_evidence),
        "answer_measure": lambda section, problem: compose.answer_measure(
            section, problem, chooser, lexicon, draft_evidence, prefer=takes_manner),
        "indicators": indicators, "honors": list(facts.honors),
        "problems": [p.text for p in facts.problems], "targets": [
            compose.target_phrase(t) for t in facts.plans.targets],
        "cutoff": facts.cutoff,
        "signature_unit": f"{facts.town}{'办事处' if facts.division == '街道' else '人民政府'}",
        "signature_date": _date_words(facts.date) if facts.date else placeholder("落款日期"),
        "p": pick, "headings": headings, "lead": lead, "manner": with_manner, "plan_measure": plan_measure,
        "coin": chooser.coin,
        "placeholder": placeholder, "cn": chinese_numeral, "count": count_numeral, "ordinal": ordinal_item,
        "strip": strip_end_punct, "item_sentence": compose.item_sentence,
        "numbered": compose.numbered, "join": compose.join_clauses,
        "project_sentence": lambda projects: compose.project_sentence(projects, chooser),
    }


def build_draft(facts: FactSheet | Path | str, *, year: int | None = None, form: str | None = None,
                seed: int | None = None, templates: Path | None = None,
                phrasebank: Path | None = None, override_year: bool = False) -> DraftResult:
    """Draft a report from a fact sheet (a path or a loaded :class:`FactSheet`)."""
    if not isinstance(facts, FactSheet):
        facts = load_facts(facts)
    facts = check_year(facts, year, override_year)
    form = form or ("half-year" if facts.period == "half-year" else "annual")
    if form not in FORMS:
        raise DraftgenError(f"未知的文体“{form}”，可选：{'、'.join(FORMS)}。")
    bank = load_bank(phrasebank)
    seed = seed_for(facts.town, facts.year) if seed is None else seed
    conditions = _conditions(facts, form, bank.lexicon)
    chooser = Chooser(bank, seed, conditions, compose.base_slots(facts), mark=True,
                      evidence=compose.draft_evidence(facts, frozenset(conditions.trends), conditions.growth),
                      sheet_text="\n".join(text for _, text in facts.texts()).replace("“", "").replace("”", ""))
    warnings = list(facts.warnings)
    env = make_env(templates, _globals(facts, form, bank, chooser, warnings))
    marked = render(env, form)
    return DraftResult(markdown=strip_markers(marked), marked=marked, facts=facts, form=form, seed=seed,
                       used_entries=list(chooser.used), picks=list(chooser.picks),
                       warnings=list(dict.fromkeys(warnings)), phrasebank=phrasebank)
