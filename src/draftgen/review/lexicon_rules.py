"""Wording rules that read the phrase bank's lexicon: clashing pairs, praise the
facts do not earn, one stock evaluation used again and again, and the bank's claims (a
result, a count, praise) written where the facts of their passage do not license them.

The same tables decide what the drafting combines (:mod:`draftgen.bank.lexicon`), so
a writer's own edits get the review the generated wording had.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from draftgen.bank.lexicon import Evidence
from draftgen.bank.phrasebank import CLAIM_ROLES, Entry, PhraseBank
from draftgen.findings import WARNING, Finding
from draftgen.formats.document import HEADING, PARAGRAPH
from draftgen.review.model import Draft, Located, excerpt
from draftgen.sheet.model import FactSheet
from draftgen.text.patterns import SLOT, around_slots


def _text_blocks(draft: Draft) -> Iterator[Located]:
    return (item for item in draft.blocks if item.block.kind in (PARAGRAPH, HEADING))


def collocations(draft: Draft, settings: object) -> Iterator[Finding]:
    bank = draft.phrases
    lexicon, subjects = bank.lexicon, bank.subjects()
    for item in _text_blocks(draft):
        for clash in lexicon.clashes(item.text, subjects, cues=item.block.kind == HEADING):
            yield Finding("wording.collocation", WARNING, draft.where(item),
                          excerpt(item.text, clash.start, clash.end, pad=4),
                          f"{clash.message}，搭配不当；请换一个合适的说法。")


def unearned(draft: Draft, settings: object) -> Iterator[Finding]:
    """Praise in the summary part that the fact sheet's figures do not support."""
    if draft.facts is None:
        return
    from draftgen.bank.evidence import sheet_evidence

    lexicon = draft.phrases.lexicon
    evidence = sheet_evidence(draft.facts)
    # a sheet with no indicator's change (an init --from sheet, a plain list of work) says nothing
    # of how the economy went: praise of it is not held against figures the sheet never gave
    changes = any(i.value is not None and (i.previous is not None or i.growth is not None)
                  for i in draft.facts.indicators)
    for item in _text_blocks(draft):
        if item.in_plan:
            continue  # a plan may aim high
        for start, phrase in lexicon.evaluations_in(item.text):
            reason = lexicon.unearned(phrase, evidence, indicators=changes)
            if reason is not None:
                yield Finding("wording.unearned", WARNING, draft.where(item),
                              excerpt(item.text, start, start + len(phrase), pad=4),
                              f"“{phrase}”是较重的评价，但{reason}；请改成与数据相称的说法，或补上依据。")


def evaluation_repeats(draft: Draft, settings: object) -> Iterator[Finding]:
    """A stock evaluation said more than once in one document."""
    lexicon = draft.phrases.lexicon
    seen: dict[str, list[Located]] = defaultdict(list)
    # sibling headings may share a family's evaluation by design; the prose may not
    for item in (i for i in draft.blocks if i.block.kind == PARAGRAPH):
        for _, phrase in lexicon.evaluations_in(item.text):
            seen[phrase].append(item)
    for phrase, items in seen.items():
        if len(items) > 1:
            yield Finding("wording.evaluation-repeat", WARNING, draft.where(items[1]), phrase,
                          f"“{phrase}”在全文用了 {len(items)} 次（第一次在 {draft.where(items[0])}），"
                          "同一个评价只宜用一次，请换个说法。")


def unlicensed(draft: Draft, settings: object) -> Iterator[Finding]:
    """The phrase bank's claims (a lead's result, a count, praise) in the summary part whose
    licence the facts of their passage do not meet: the section the heading names, or the sheet."""
    if draft.facts is None:
        return
    from draftgen.bank.evidence import licence_unmet, sheet_evidence

    bank, facts = draft.phrases, draft.facts
    claims = _claims(bank)
    base = sheet_evidence(facts)
    passages: dict[str | None, tuple[Evidence, frozenset[str]]] = {None: (base, frozenset())}
    for item in _text_blocks(draft):
        if item.in_plan:
            continue  # a plan may aim high
        # the sections the heading path names (a thematic heading may name several): a claim
        # stands if the facts of any of them license it
        where = (*item.path, item.text) if item.block.kind == HEADING else item.path  # a heading names its own
        names: list[str | None] = [t.name for t in bank.topics_in(" ".join(where))] or [None]
        for name in names:
            if name not in passages:
                passages[name] = _passage(bank, facts, name, base)
        # the longest claim at a place: 取得积极进展 inside 重点项目建设取得积极进展 is that claim's
        # a heading is held to the bank's headings (and a thematic report's triple headings), a paragraph to the rest
        heading = item.block.kind == HEADING
        found = sorted(((m, e) for e, p in claims
                        if e.role.startswith(_HEADING_ROLES) == heading and (m := p.search(item.text)) is not None),
                       key=lambda found: (found[0].start() - found[0].end(), found[0].start()))
        taken: list[tuple[int, int]] = []
        for match, entry in found:
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            reasons = [licence_unmet(entry, passages[name][0], name, passages[name][1]) for name in names]
            reason = reasons[0] if all(reasons) else None
            if reason is not None:
                yield Finding("wording.unlicensed", WARNING, draft.where(item),
                              excerpt(item.text, match.start(), match.end(), pad=4),
                              f"“{match.group()}”：{reason}；请改成与事实相称的平实说法，或在事实表里补上依据。")


_HEADING_ROLES = ("heading.", "thematic.")


def _claims(bank: PhraseBank) -> list[tuple[Entry, re.Pattern[str]]]:
    """The bank's claims that ask something of the facts, each as a pattern of its fixed words
    (a slot stands for a few characters)."""
    out = []
    for role in sorted(CLAIM_ROLES):
        for entry in bank.by_role(role):
            if not entry.licence or len(SLOT.sub("", entry.text).strip("，")) < 6:
                # claims nothing, or too short to be told from other words (稳步推进 also says a project's status)
                continue
            pieces = [re.escape(p) for p in around_slots(entry.text.strip("，")) if p]
            out.append((entry, re.compile(".{1,12}?".join(pieces))))
    return out


def _passage(bank: PhraseBank, facts: FactSheet, topic: str | None,
             base: Evidence) -> tuple[Evidence, frozenset[str]]:
    """What the facts of one topic's section support, and the topic's lexicon features."""
    from draftgen.bank.evidence import figures_of, passage_evidence

    def of(name: str) -> str | None:
        found = bank.resolve_topic(name)
        return found.name if found is not None else name

    items = [i for work in facts.work if of(work.topic) == topic for i in work.items]
    projects = [p for p in facts.projects if of(p.topic) == topic]
    return (passage_evidence(base, items, projects, figures_of(items, projects)),
            bank.lexicon.features_of(topic))
