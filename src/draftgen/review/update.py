"""`draftgen update`: new figures into a draft the writer has already edited.

*Base* is the draft rebuilt from the facts recorded in the DOCX (same form, seed and bank),
*theirs* the edited document, *new* the draft from the new facts; ``review.merge`` works
out, token by token, which of the new facts' changes fall where the writer kept the
draft's wording. Those are written in as tracked changes (or plainly with
``track=False``), new paragraphs go where the new draft puts them, and a figure of the
old facts in a table is updated where its row names the indicator. Wherever the writer's
own wording holds the changed fact, their text stays and a Word comment on that
paragraph (on its neighbour, if they deleted it) names the change. The input file is
never modified.
"""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from docx.oxml.ns import qn

from draftgen.errors import InputFileError, UpdateError
from draftgen.formats.record import Record, add_record, bank_fingerprint, read_record, version
from draftgen.review.merge import Group, Merge, merge
from draftgen.sheet.model import FactSheet
from draftgen.sheet.validation import load_facts_file, load_facts_text
from draftgen.sheet.yamlio import facts_yaml
from draftgen.text.numbers import NUMBER


@dataclass
class Change:
    """One thing `update` did, for the summary."""

    kind: str  # updated | figures | inserted | deleted | conflict
    where: str
    detail: str
    #: where in the written file: 第12段 (a paragraph of the body, counting those with text) or 表1 第2行第3列
    location: str = ""

    def as_dict(self) -> dict[str, str]:
        out = {"kind": self.kind, "where": self.where, "detail": self.detail, "location": self.location}
        if self.kind == "conflict":
            out["comment"] = "已在该处加批注"
        return out


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
    # the body's own paragraphs: tables and text boxes (where the one reader places them) are done apart
    from draftgen.formats.docx_reader import paragraph_places

    places = paragraph_places(document)
    paragraphs = [p for p in text_paragraphs(document) if p not in places]
    texts = [Editor.text(p) for p in paragraphs]
    leads = [len(t) - len(t.lstrip()) for t in texts]
    plan = merge([t for _, t in base_blocks], [t.strip() for t in texts], [t for _, t in new_blocks])
    writing = _Writing(document, paragraphs, Editor(track=track), base_blocks)

    # the changes inside paragraphs, paragraph by paragraph, from the end back
    by_paragraph: dict[int, list[Any]] = defaultdict(list)
    for edit in plan.edits:
        by_paragraph[edit.paragraph].append(edit)
    refused: set[int] = set()
    for k, edits in by_paragraph.items():
        if not writing.editor.simple(paragraphs[k]):
            refused |= {e.group for e in edits}
            continue
        edits.sort(key=lambda e: (e.start, e.end))
        clash = {b.group for a, b in itertools.pairwise(edits) if b.start < a.end}
        refused |= clash
        for edit in reversed(edits):
            if edit.group not in clash:
                writing.editor.replace(paragraphs[k], edit.start + leads[k], edit.end + leads[k], edit.text)
    _report_groups(plan, writing, refused)
    _drop_and_insert(plan, writing, new_blocks)
    _update_tables(plan, writing, old, places)
    writing.write_comments()
    # the updated document records the new facts, so the next update starts from them
    add_record(document, Record(facts=facts_yaml(new), form=base.form, seed=base.seed,
                                version=version(), bank=bank_fingerprint(bank)))
    buffer = io.BytesIO()
    document.save(buffer)
    return UpdateResult(buffer.getvalue(), writing.changes, warnings)


@dataclass
class _Writing:
    """The document being updated, and what has been done to it."""

    document: Any
    paragraphs: list[Any]
    editor: Any
    base_blocks: list[tuple[str, str]]
    changes: list[Change] = field(default_factory=list)
    notes: list[tuple[Any, str]] = field(default_factory=list)

    def where(self, k: int) -> str:
        """The heading above the base draft's paragraph ``k``, for the summary."""
        blocks = self.base_blocks[:k + 1]
        return next((t for kind, t in reversed(blocks) if kind == "heading"), "开头")[:24]

    def conflict(self, paragraph: int | None, where: str, detail: str, note: str) -> None:
        """A change left to the writer: a comment on their paragraph and a line in the summary."""
        if paragraph is None and self.paragraphs:
            paragraph = 0
        location = f"第{paragraph + 1}段" if paragraph is not None else ""
        if paragraph is not None:
            self.notes.append((self.paragraphs[paragraph], note))
        self.changes.append(Change("conflict", where, detail, location))

    def write_comments(self) -> None:
        for paragraph, note in self.notes:
            _comment(self.document, paragraph, note)


def _report_groups(plan: Merge, writing: _Writing, refused: set[int]) -> None:
    """Summary lines (and comments) for the changes inside paragraphs, by the base draft's paragraph."""
    by_base: dict[int, list[Group]] = defaultdict(list)
    for group in plan.groups:
        by_base[group.base].append(group)
    for k, groups in by_base.items():
        where = writing.where(k)
        done = [g for g in groups if g.outcome == "applied" and g.id not in refused]
        if done:
            kind = "updated" if plan.untouched(k) else "figures"
            writing.changes.append(Change(kind, where, "；".join(g.detail for g in done),
                                          f"第{done[0].anchor + 1}段" if done[0].anchor is not None else ""))
        for group in groups:
            if group.id in refused:
                writing.conflict(group.anchor, where, group.detail,
                                 f"事实表有变化，这一段含域、超链接等，没有自动改动：{group.detail}。")
            elif group.outcome == "conflict":
                base_text = writing.base_blocks[k][1]
                note = (f"您删去的一段（原为“{base_text[:20]}…”）按新事实表有变化：{group.detail}。"
                        if group.neighbour else f"事实表有变化，这里的文字您改过，没有自动改动：{group.detail}。")
                writing.conflict(group.anchor, where, group.detail, note)


def _drop_and_insert(plan: Merge, writing: _Writing, new_blocks: list[tuple[str, str]]) -> None:
    """Paragraphs the new facts no longer have, and those only they have."""
    editor, paragraphs = writing.editor, writing.paragraphs
    for drop in plan.drops:
        base_text = writing.base_blocks[drop.base][1]
        if drop.paragraph is not None:
            editor.delete_paragraph(paragraphs[drop.paragraph])
            writing.changes.append(Change("deleted", writing.where(drop.base), base_text[:30],
                                          f"第{drop.paragraph + 1}段"))
        elif not drop.neighbour and drop.anchor is not None:
            writing.conflict(drop.anchor, writing.where(drop.base), f"新事实表里已没有：{base_text[:30]}",
                             "新事实表里已没有这一段所依据的内容，请确认是否删去。")
    for insert in plan.inserts:
        if insert.after is None:
            text = "\n".join(new_blocks[j][1] for j in insert.paragraphs)
            anchor, _ = plan.anchor(min(insert.base, len(plan.base.paragraphs) - 1))
            writing.conflict(anchor, _where_new(new_blocks, insert.paragraphs[0]), f"新增：{text[:30]}",
                             f"按新事实表，这里应新增：{text}")
            continue
        anchor = paragraphs[insert.after] if insert.after >= 0 else None
        for j in insert.paragraphs:
            kind, text = new_blocks[j]
            like = anchor if kind == "paragraph" and anchor is not None and not _is_heading(anchor) else None
            style = _style_id(writing.document, kind)
            if anchor is None:
                added = editor.insert_paragraph_after(paragraphs[0], text, like=None, style_id=style)
                paragraphs[0].addprevious(added)
            else:
                added = editor.insert_paragraph_after(anchor, text, like=like, style_id=style)
            anchor = added
            where = f"第{insert.after + 1}段之后" if insert.after >= 0 else "开头"
            writing.changes.append(Change("inserted", _where_new(new_blocks, j), text[:30], where))


def _update_tables(plan: Merge, writing: _Writing, old: FactSheet, located: dict[Any, str]) -> None:
    """A figure of the old facts in a table cell or a text box: updated where the cell's row
    (the box's paragraph) names its indicator, else a comment there."""
    places = {p: where for p, where in located.items() if not where.startswith(("脚注", "尾注"))}
    if not places:
        return
    names = [i.name for i in old.indicators]
    for group in plan.groups:
        base_text = plan.base.string[max(0, group.hunks[0].clause[0] - 40):group.hunks[-1].clause[1]]
        named = [n for n in names if n in base_text]
        for before, after in group.figures:
            if len(before.rstrip("%")) < 2 and "." not in before:
                continue  # a one-digit figure is everywhere
            for paragraph, location in places.items():
                text = writing.editor.text(paragraph)
                hits = [m for m in NUMBER.finditer(text) if m.group() == before.rstrip("%")]
                if not hits:
                    continue
                row = _ancestor(paragraph, "tr")
                row_text = "".join(writing.editor.text(p) for p in row.iter(qn("w:p"))) if row is not None else text
                if any(n in row_text for n in named) and writing.editor.simple(paragraph):
                    for m in reversed(hits):
                        writing.editor.replace(paragraph, m.start(), m.end(), after.rstrip("%"))
                    writing.changes.append(Change("figures", location, f"{before}→{after}", location))
                else:
                    note = f"事实表里这个数字已有变化（{group.detail}），请确认这里的{before}是否要改。"
                    writing.notes.append((paragraph, note))
                    writing.changes.append(Change("conflict", location, f"{before}：{group.detail}", location))


def _ancestor(element: Any, name: str) -> Any:
    tag = qn(f"w:{name}")
    return next((a for a in element.iterancestors() if a.tag == tag), None)


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and "eading" in (style.get(qn("w:val")) or "")


def _where_new(blocks: list[tuple[str, str]], j: int) -> str:
    return next((t for kind, t in reversed(blocks[:j]) if kind == "heading"), "开头")[:24]


def _style_id(document: Any, kind: str) -> str | None:
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
