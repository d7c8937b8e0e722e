"""The pipeline in one function: facts → phrase choice → render → text (and a DOCX of it)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from draftgen.bank.evidence import draft_evidence
from draftgen.bank.phrasebank import load_bank
from draftgen.draft import compose
from draftgen.draft.choose import Chooser, seed_for, strip_markers
from draftgen.draft.context import conditions_for, template_context, title_for
from draftgen.draft.render import FORMS, make_env, render
from draftgen.errors import DraftgenError, FactsError
from draftgen.sheet.model import FactSheet
from draftgen.sheet.validation import load_facts_file
from draftgen.sheet.yamlio import facts_yaml
from draftgen.text.patterns import PLACEHOLDER

if TYPE_CHECKING:
    from draftgen.bank.lexicon import Evidence
    from draftgen.bank.phrasebank import Entry
    from draftgen.draft.choose import Scope
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
    #: every claim the draft makes (an entry of a claim role in the summary), with the passage's
    #: scope and the evidence that licensed it: what provenance shows and the tests hold to the licences
    claims: list[tuple[Entry, Scope, Evidence]] = field(default_factory=list)
    picks: list[tuple[str, str]] = field(default_factory=list)
    #: the Markdown with an invisible tag before each phrase-bank pick (for provenance)
    marked: str = ""
    warnings: list[str] = field(default_factory=list)
    phrasebank: Path | None = None

    @property
    def placeholders(self) -> int:
        """How many facts the draft still asks for (【待补充：…】)."""
        return len(PLACEHOLDER.findall(self.markdown))

    @property
    def filename(self) -> str:
        """The conventional file name, e.g. ``青川镇2024年工作总结和2025年工作打算.md``."""
        return f"{title_for(self.facts, self.form)}.md"

    def licences(self) -> dict[str, str]:
        """For each claim the draft makes (an entry id), what in the facts licensed it."""
        from draftgen.bank.evidence import earned

        return {entry.id: earned(entry, evidence) for entry, _, evidence in self.claims}

    def record(self) -> Record:
        """How this draft was made, for `draftgen update` (kept inside every DOCX)."""
        from draftgen.formats.record import Record, bank_fingerprint, version

        return Record(facts=facts_yaml(self.facts), form=self.form, seed=self.seed, version=version(),
                      bank=bank_fingerprint(load_bank(self.phrasebank)))

    def blocks(self) -> list[Block]:
        """The draft as blocks (title, headings, paragraphs, signature)."""
        from draftgen.formats.document import parse_markdown  # the Markdown path does not need the parser

        return parse_markdown(self.markdown)


def draft_docx(result: DraftResult, *, reference: Path | None = None, provenance: bool = False,
               notices: list[str] | None = None) -> bytes:
    """The draft as a DOCX in GB/T 9704 layout (or the layout of ``reference``),
    block for block the same as its Markdown; ``provenance`` adds a Word comment on
    every paragraph naming the facts and phrase-bank entries it came from; ``notices`` is
    told what of the reference's styles was adjusted."""
    from draftgen.draft.provenance import blocks_with_sources
    from draftgen.formats.docx import docx_bytes

    if reference is not None and not reference.is_file():
        raise DraftgenError(f"找不到参考文档“{reference}”，请检查路径是否正确。")
    record = result.record()
    if provenance:
        blocks, notes = blocks_with_sources(result.marked, result.picks, result.facts, result.licences())
        return docx_bytes(blocks, reference=reference, comments=notes, record=record, notices=notices)
    return docx_bytes(result.blocks(), reference=reference, record=record, notices=notices)


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


def build_draft(facts: FactSheet | Path | str, *, year: int | None = None, form: str | None = None,
                seed: int | None = None, templates: Path | None = None,
                phrasebank: Path | None = None, override_year: bool = False) -> DraftResult:
    """Draft a report from a fact sheet (a path or a loaded :class:`FactSheet`)."""
    if not isinstance(facts, FactSheet):
        facts = load_facts_file(Path(facts))
    facts = check_year(facts, year, override_year)
    form = form or ("half-year" if facts.period == "half-year" else "annual")
    if form not in FORMS:
        raise DraftgenError(f"未知的文体“{form}”，可选：{'、'.join(FORMS)}。")
    # the period is the sheet's: a half-year report of twelve months' figures (or an annual one of
    # six) would put 上半年 over 1—12月; the sheet's period is drafted, and the writer told why
    period_note = None
    if form in ("annual", "half-year") and (form == "half-year") != (facts.period == "half-year"):
        asked, form = form, ("half-year" if facts.period == "half-year" else "annual")
        kind = ("半年", "半年总结") if form == "half-year" else ("全年", "年度总结")
        period_note = (f"事实表的 period 是 {facts.period}（{kind[0]}的数据），按{kind[1]}起草，没有按 --form {asked}；"
                       "要写另一种，请先在事实表里改 period 和数据。")
    bank = load_bank(phrasebank)
    if seed is None:  # the sheet's chosen wording (第 N 种说法), else the first
        seed = seed_for(facts.town, facts.year) + (facts.wording or 1) - 1
    conditions = conditions_for(facts, form, bank.lexicon)
    chooser = Chooser(bank, seed, conditions, compose.base_slots(facts), mark=True,
                      evidence=draft_evidence(facts, frozenset(conditions.trends), conditions.growth),
                      sheet_text="\n".join(text for _, text in facts.texts()).replace("“", "").replace("”", ""))
    warnings = list(facts.warnings) + ([period_note] if period_note else [])
    env = make_env(templates, template_context(facts, form, bank, chooser, warnings))
    marked = render(env, form)
    return DraftResult(markdown=strip_markers(marked), marked=marked, facts=facts, form=form, seed=seed,
                       used_entries=list(chooser.used), picks=list(chooser.picks), claims=list(chooser.claims),
                       warnings=list(dict.fromkeys(warnings)), phrasebank=phrasebank)
