"""Wording rules that read the phrase bank's lexicon: clashing pairs, praise the
facts do not earn, one stock evaluation used again and again.

The same tables decide what the drafting combines (:mod:`draftgen.bank.lexicon`), so
a writer's own edits get the review the generated wording had.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from draftgen.findings import WARNING, Finding
from draftgen.formats.document import HEADING, PARAGRAPH
from draftgen.review.model import Draft, Located, excerpt


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
    for item in _text_blocks(draft):
        if item.in_plan:
            continue  # a plan may aim high
        for start, phrase in lexicon.evaluations_in(item.text):
            reason = lexicon.unearned(phrase, evidence)
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
