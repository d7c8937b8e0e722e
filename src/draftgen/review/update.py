"""`draftgen update`: new figures into a draft the writer has already edited.

A three-way merge, paragraph by paragraph. *Base* is the draft rebuilt from the facts
recorded in the DOCX (same form, seed and bank), *theirs* the edited document, *new*
the draft from the new facts. Paragraphs are aligned by order and text similarity
(difflib). A paragraph the writer left alone takes the new text; in one the writer
rewrote, only the figures that changed are replaced, where the old figure stands in
the same words as in the base draft; where that cannot be done safely the writer's
text stays and a Word comment names the change. Everything is written as tracked
changes (or plainly with ``track=False``); the input file is never modified.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Protocol

from draftgen.errors import InputFileError, UpdateError
from draftgen.formats.record import Record, add_record, bank_fingerprint, read_record, version
from draftgen.sheet.model import FactSheet
from draftgen.sheet.validation import load_facts_file, load_facts_text
from draftgen.sheet.yamlio import facts_yaml
from draftgen.text.numbers import NUMBER

#: how alike two paragraphs must be to count as the same paragraph
SIMILAR = 0.55
#: characters before a figure that must match for it to be replaced in the writer's wording
CONTEXT = 4


@dataclass
class Change:
    """One thing `update` did, for the summary."""

    kind: str  # updated | figures | inserted | deleted | conflict
    where: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "detail": self.detail}


@dataclass
class UpdateResult:
    data: bytes
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


class Drafted(Protocol):
    """What update needs of a draft: its text and how it was made."""

    markdown: str
    form: str
    seed: int


class Redraft(Protocol):
    """Drafting a sheet again, as ``draftgen new`` does (``draftgen.api`` passes ``build_draft``)."""

    def __call__(self, facts: FactSheet, *, form: str | None, seed: int | None,
                 phrasebank: Path | None) -> Drafted: ...


def align(a: list[str], b: list[str]) -> list[tuple[int | None, int | None]]:
    """Pairs of indices of ``a`` and ``b`` that hold the same paragraph: equal runs first,
    then, inside the gaps, paragraphs alike enough in order; the rest stand alone."""
    out: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [(i1 + k, j1 + k) for k in range(i2 - i1)]
            continue
        j = j1
        for i in range(i1, i2):
            best, score = None, SIMILAR
            for k in range(j, j2):
                ratio = SequenceMatcher(None, a[i], b[k], autojunk=False).ratio()
                if ratio >= score:
                    best, score = k, ratio
            if best is None:
                out.append((i, None))
                continue
            out += [(None, k) for k in range(j, best)]
            out.append((i, best))
            j = best + 1
        out += [(None, k) for k in range(j, j2)]
    return out


def figure_changes(base: str, new: str) -> list[tuple[int, int, str, str]] | None:
    """(start, end, old, new) in ``base`` for every figure that differs in ``new``, when the
    two say the same around the figures; None when the wording itself changed."""
    if NUMBER.sub("#", base) != NUMBER.sub("#", new):
        return None
    old_figures, new_figures = list(NUMBER.finditer(base)), NUMBER.findall(new)
    return [(m.start(), m.end(), m.group(), n) for m, n in zip(old_figures, new_figures, strict=True)
            if m.group() != n]


def _blocks_text(markdown: str) -> list[tuple[str, str]]:
    from draftgen.formats.read import markdown_blocks

    return [(b.kind, b.text) for b in markdown_blocks(markdown)]


def update_docx(edited: Path, new_facts: Path | FactSheet, *, redraft: Redraft, old_facts: Path | None = None,
                track: bool = True, phrasebank: Path | None = None) -> UpdateResult:
    """The edited DOCX with the new facts merged in (see the module's docstring); ``redraft``
    drafts a sheet again as ``draftgen new`` would (the base draft and the new one)."""
    from draftgen.bank.phrasebank import load_bank
    from draftgen.formats.read import open_word, text_paragraphs
    from draftgen.formats.tracked import Editor

    try:
        data = edited.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"找不到文件“{edited}”，请检查路径是否正确。") from None
    except OSError as exc:
        raise InputFileError(f"无法读取“{edited}”：{exc.strerror}。") from None
    document = open_word(edited)
    record = read_record(data)
    warnings: list[str] = []
    if old_facts is not None:
        old = load_facts_file(old_facts)
        form = record.form if record else None
        seed = record.seed if record else None
    elif record is not None:
        old = load_facts_text(record.facts, f"{edited.name} 里记下的事实表")
        form, seed = record.form, record.seed
    else:
        raise UpdateError(f"“{edited.name}”里没有 draftgen 的起草记录（不是 draftgen 生成的，或记录被删了），"
                            "请用 --old-facts 给出起草时用的事实表。")
    new = new_facts if isinstance(new_facts, FactSheet) else load_facts_file(new_facts)
    if (new.town, new.year) != (old.town, old.year):
        raise UpdateError(f"新事实表是{new.town}{new.year}年的，稿子是{old.town}{old.year}年的，"
                            "请给出同一乡镇、同一年度的事实表。")
    bank = load_bank(phrasebank)
    if record is not None and record.bank and record.bank != bank_fingerprint(bank):
        warnings.append("短语库与起草时不同：基准稿按现在的短语库重建，没改动过的段落也可能被当成改动过。")
    base = redraft(old, form=form, seed=seed, phrasebank=phrasebank)
    fresh = redraft(new, form=base.form, seed=base.seed, phrasebank=phrasebank)
    base_blocks, new_blocks = _blocks_text(base.markdown), _blocks_text(fresh.markdown)
    paragraphs = text_paragraphs(document)
    theirs = [Editor.text(p).strip() for p in paragraphs]
    editor = Editor(track=track)
    changes: list[Change] = []
    notes: list[tuple[Any, str]] = []

    to_theirs = {i: t for i, t in align([t for _, t in base_blocks], theirs) if i is not None}
    to_new = dict(align([t for _, t in base_blocks], [t for _, t in new_blocks]))
    new_to_base = {j: i for i, j in to_new.items() if i is not None and j is not None}

    def where(index: int) -> str:
        heading = next((t for kind, t in reversed(base_blocks[:index + 1]) if kind == "heading"), "开头")
        return heading[:24]

    for i, (_, base_text) in enumerate(base_blocks):
        t, j = to_theirs.get(i), to_new.get(i)
        if t is None:
            # the writer deleted it, or rewrote it past recognition: it stays as they left it
            if j is not None and new_blocks[j][1] != base_text:
                changes.append(Change("conflict", where(i), "改稿里找不到这一段（已删去或大改），新事实没有写进去："
                                      + _diff_words(base_text, new_blocks[j][1])))
            continue
        paragraph, their_text = paragraphs[t], theirs[t]
        new_text = new_blocks[j][1] if j is not None else None
        if new_text == base_text:
            continue
        if their_text == base_text:
            if new_text is None:
                editor.delete_paragraph(paragraph)
                changes.append(Change("deleted", where(i), base_text[:30]))
            elif editor.rewrite(paragraph, new_text):
                changes.append(Change("updated", where(i), _diff_words(base_text, new_text)))
            else:
                notes.append((paragraph, f"事实表有变化，这一段按新事实应为：{new_text}"))
                changes.append(Change("conflict", where(i), base_text[:30]))
            continue
        # the writer rewrote this paragraph and its facts changed too
        if their_text == new_text:
            continue  # the writer already wrote what the new facts say (a figure corrected by hand)
        if new_text is None:
            notes.append((paragraph, "新事实表里已没有这一段所依据的内容，请确认是否删去。"))
            changes.append(Change("conflict", where(i), base_text[:30]))
            continue
        figures = figure_changes(base_text, new_text)
        placed, unplaced = _place_figures(editor, paragraph, their_text, base_text, figures or [])
        if figures is None or unplaced:
            said = "；".join(f"{old}→{new}" for old, new in unplaced) if unplaced else ""
            detail = f"以下数字没能在改过的文字里找到，请手工更新：{said}" if said else \
                f"事实表有变化，这一段按新事实应为：{new_text}"
            notes.append((paragraph, detail))
            changes.append(Change("conflict", where(i), detail[:60]))
        if placed:
            changes.append(Change("figures", where(i), "；".join(f"{o}→{n}" for o, n in placed)))

    # paragraphs only the new facts have: after the paragraph that precedes them
    last_anchor: Any = None
    for j, (kind, text) in enumerate(new_blocks):
        base_index = new_to_base.get(j)
        if base_index is not None:
            mapped = to_theirs.get(base_index)
            if mapped is not None:
                last_anchor = paragraphs[mapped]
            continue
        if last_anchor is None:
            continue
        like = last_anchor if kind == "paragraph" else None
        style = _style_id(document, kind, new_blocks, j)
        last_anchor = editor.insert_paragraph_after(last_anchor, text, like=like, style_id=style)
        changes.append(Change("inserted", _where_new(new_blocks, j), text[:30]))

    for paragraph, note in notes:
        _comment(document, paragraph, note)
    # the updated document records the new facts, so the next update starts from them
    add_record(document, Record(facts=facts_yaml(new), form=base.form, seed=base.seed,
                                version=version(), bank=bank_fingerprint(bank)))
    buffer = io.BytesIO()
    document.save(buffer)
    return UpdateResult(buffer.getvalue(), changes, warnings)


def _place_figures(editor: Any, paragraph: Any, theirs: str, base: str,
                   figures: list[tuple[int, int, str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Replace each changed figure where it stands after the same words as in the base draft."""
    placed: list[tuple[str, str]] = []
    unplaced: list[tuple[str, str]] = []
    spans: list[tuple[int, int, str, str]] = []
    for start, _end, old, new in figures:
        context = re.sub(r"[0-9.]+", "", base[max(0, start - CONTEXT * 2):start])[-CONTEXT:]
        pattern = re.escape(context) + r"[^0-9。；]{0,2}?" + r"(?<![0-9.])" + re.escape(old) + r"(?![0-9])"
        hits = [m for m in re.finditer(pattern, theirs)] if context else []
        if len(hits) != 1:
            unplaced.append((old, new))
            continue
        at = hits[0].end() - len(old)
        spans.append((at, at + len(old), old, new))
    if spans and not editor.simple(paragraph):
        return [], [(o, n) for _, _, o, n in spans] + unplaced
    for start, end, old, new in sorted(spans, reverse=True):
        editor.replace(paragraph, start, end, new)
        placed.append((old, new))
    return placed[::-1], unplaced


def _diff_words(old: str, new: str) -> str:
    figures = figure_changes(old, new)
    if figures:
        return "；".join(f"{o}→{n}" for _, _, o, n in figures)
    return "按新事实重写"


def _where_new(blocks: list[tuple[str, str]], j: int) -> str:
    return next((t for kind, t in reversed(blocks[:j]) if kind == "heading"), "开头")[:24]


def _style_id(document: Any, kind: str, blocks: list[tuple[str, str]], j: int) -> str | None:
    names = {"heading": "Heading 2", "paragraph": "Normal", "title": "Title"}
    name = names.get(kind)
    if name is None:
        return None
    try:
        return str(document.styles[name].style_id)
    except KeyError:
        return None


def _comment(document: Any, paragraph: Any, text: str) -> None:
    from docx.text.paragraph import Paragraph

    para = Paragraph(paragraph, document.part)
    runs = list(para.runs) or [para.add_run("")]
    document.add_comment(runs, text=text, author="draftgen", initials="DG")
