"""Looking into the phrase bank: list, show, stats (with how writers treated
entries, read from the provenance comments of edited drafts)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from draftgen.bank.phrasebank import ROLES, Entry, PhraseBank, load_bank
from draftgen.errors import DraftgenError
from draftgen.text.patterns import around_slots


def find(bank: PhraseBank, role: str | None = None, topic: str | None = None,
         search: str | None = None) -> list[Entry]:
    """Entries filtered by role (a prefix works: ``heading``), topic and text."""
    if topic is not None:
        resolved = bank.resolve_topic(topic)
        topic = resolved.name if resolved else topic
    out = []
    for entry in bank.entries.values():
        if role and not (entry.role == role or entry.role.startswith(role.rstrip(".") + ".")):
            continue
        if topic and entry.topic != topic:
            continue
        if search and search not in entry.text:
            continue
        out.append(entry)
    return sorted(out, key=lambda e: (e.role, e.topic or "", e.id))


def as_dict(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.id, "role": entry.role, "text": entry.text}
    for key in ("topic", "family", "source", "file", "line"):
        value = getattr(entry, key)
        if value:
            data[key] = value
    if entry.years:
        data["years"] = list(entry.years)
    if entry.when:
        data["when"] = dict(entry.when)
    if entry.keywords:
        data["keywords"] = list(entry.keywords)
    return data


def show(bank: PhraseBank, entry_id: str) -> Entry:
    try:
        return bank.entries[entry_id]
    except KeyError:
        close = [i for i in bank.entries if entry_id in i][:5]
        hint = f"是不是：{'、'.join(close)}？" if close else "可用 draftgen phrases list --search 文本 查找。"
        raise DraftgenError(f"短语库里没有 id 为“{entry_id}”的条目。{hint}") from None


@dataclass
class Usage:
    kept: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)


def _pattern(entry: Entry) -> re.Pattern[str]:
    pieces = [re.escape(p) for p in around_slots(entry.text)]
    return re.compile(".{1,30}?".join(pieces))


def usage(bank: PhraseBank, drafts: list[Path]) -> Usage:
    """How writers treated entries in drafts made with ``--provenance`` and then edited:
    the entry's wording still in its paragraph (kept), the paragraph there but the
    wording gone (changed), the paragraph emptied (deleted). Comments on paragraphs a
    writer deleted outright are gone with them and cannot be counted."""
    from draftgen.formats.read import open_word

    result = Usage()
    for path in drafts:
        document = open_word(path)
        anchored: dict[str, str] = {}
        for paragraph in document.paragraphs:
            for ref in paragraph._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}commentRangeStart"):
                anchored[ref.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id")] = paragraph.text
        for comment in document.comments:
            text = anchored.get(str(comment.comment_id), "")
            for line in comment.text.splitlines():
                if not line.startswith("短语："):
                    continue
                for entry_id in line[3:].split("、"):
                    entry = bank.entries.get(entry_id)
                    if entry is None or entry.role in ("item.adverb",):
                        continue
                    if not text.strip():
                        result.deleted[entry_id] += 1
                    elif _pattern(entry).search(text):
                        result.kept[entry_id] += 1
                    else:
                        result.changed[entry_id] += 1
    return result


def stats(folder: Path | None = None) -> dict[str, Any]:
    """Entries per role × topic, and the gaps a curator should fill."""
    bank = load_bank(folder)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in bank.entries.values():
        table[entry.role][entry.topic or "（通用）"] += 1
    gaps = []
    for role in ROLES:
        if role not in table:
            gaps.append(f"{role}（{ROLES[role]}）没有条目")
    for topic in bank.topics.values():
        for role, least in (("measure", 10), ("thematic.focus", 2), ("thematic.push", 2), ("thematic.lift", 2)):
            count = table[role][topic.name]
            if count < least:
                gaps.append(f"{topic.name}：{role} 只有 {count} 条（至少 {least} 条）")
    return {"total": len(bank.entries), "table": table, "gaps": gaps}
