"""Adding an entry to a phrase-bank file in place: comments, order and
formatting are kept (ruamel.yaml round trip), only the new entry is added."""

from __future__ import annotations

import io
import re
from pathlib import Path

from draftgen.bank.phrasebank import ROLES, SLOTS, PhraseBank, forget_loaded, load_bank
from draftgen.errors import PhrasebankError
from draftgen.formats.output import write_bytes
from draftgen.sheet.yamlio import round_trip
from draftgen.text.patterns import SLOT
from draftgen.text.typography import chinese_punctuation

#: Chinese names a writer may type for slots
SLOT_ALIASES = {
    "领域": "label", "领域简称": "label", "领域全称": "topic", "简称": "short", "乡镇": "town", "街道": "town",
    "全镇": "all", "镇党委": "party", "镇政府": "gov", "党委政府": "party_gov", "上级": "superior",
    "上级党委政府": "superior_lead", "层级": "level", "年度行动": "theme", "年份": "year", "年度": "year",
    "下一年": "next_year", "数目": "n", "类型": "div",
}


def canonical_text(text: str) -> str:
    """Chinese slot names to the bank's own, Chinese punctuation; unknown slots refused."""
    text = chinese_punctuation(text.strip())

    def swap(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        name = SLOT_ALIASES.get(name, name)
        if name not in SLOTS:
            known = "、".join(f"{{{k}}}" for k in [*SLOTS, *SLOT_ALIASES])
            raise PhrasebankError(f"槽位 {{{match.group(1)}}} 未知，可用的槽位：{known}。")
        return "{" + name + "}"

    text = SLOT.sub(swap, text)
    if re.search(r"[0-9０-９]", text):
        raise PhrasebankError("短语里不能有阿拉伯数字：数字只能来自事实表，请改用槽位或汉字。")
    if not text:
        raise PhrasebankError("短语是空的。")
    return text


def _target_file(bank: PhraseBank, folder: Path, role: str, topic: str | None) -> Path:
    """The file that already holds most entries of this role (and topic)."""
    counts: dict[str, int] = {}
    for entry in bank.entries.values():
        if entry.role == role and (topic is None or entry.topic == topic):
            counts[entry.file] = counts.get(entry.file, 0) + 1
    for name in sorted(counts, key=lambda n: -counts[n]):
        if (folder / name).is_file():
            return folder / name
    raise PhrasebankError(f"在“{folder}”里找不到放 {role} 条目的文件，请用 --file 指定。")


def _next_id(existing: list[str], role: str, taken: set[str]) -> str:
    """Continue the file's numbering (m.dangjian.21 → m.dangjian.22)."""
    numbered = [re.match(r"^(.*?)(\d+)$", i) for i in existing]
    pairs = [(m.group(1), m.group(2)) for m in numbered if m]
    if pairs:
        prefix = max({p for p, _ in pairs}, key=lambda p: sum(1 for q, _ in pairs if q == p))
        width = max(len(n) for p, n in pairs if p == prefix)
        number = max(int(n) for p, n in pairs if p == prefix) + 1
    else:
        prefix, width, number = f"user.{role}.", 2, 1
    while f"{prefix}{number:0{width}d}" in taken:
        number += 1
    return f"{prefix}{number:0{width}d}"


def _fit_for_drafting(bank: PhraseBank, role: str, text: str, typed: str) -> None:
    """Refuse what would sit in the bank and never be drafted (or be drafted wrong), saying why."""
    from draftgen.text.patterns import CJK

    if len(re.findall(f"[{CJK}]", SLOT.sub("", text))) < 2:
        raise PhrasebankError(f"“{typed}”不像一句中文表述：短语至少要有两个汉字（槽位如 {{领域}} 不算）。")
    if role == "measure":
        manner = next((m for m in sorted(bank.lexicon.manners, key=len, reverse=True) if typed.startswith(m)), None)
        if manner is not None:
            raise PhrasebankError(f"“{typed}”以方式词“{manner}”开头：起草时举措会自己配上“扎实”“持续”一类方式词，"
                                  f"请去掉开头的“{manner}”，写成“{typed[len(manner):]}”。")


def add_entry(role: str, text: str, *, topic: str | None = None, file: Path | None = None,
              folder: Path | None = None, entry_id: str | None = None) -> tuple[Path, str, str]:
    """Append an entry; returns (file, id, text). Duplicates and unknown slots are refused."""
    if role not in ROLES:
        raise PhrasebankError(f"role“{role}”未知，可用：{'、'.join(ROLES)}。")
    typed, text = text.strip(), canonical_text(text)
    bank = load_bank(folder if folder and file is None else (file.parent if file else None))
    if topic is not None and bank.resolve_topic(topic) is None:
        raise PhrasebankError(f"领域“{topic}”不在领域表中，可用：{'、'.join(bank.topics)}。")
    if topic is not None:
        resolved = bank.resolve_topic(topic)
        topic = resolved.name if resolved else topic
    _fit_for_drafting(bank, role, text, typed)
    for entry in bank.entries.values():
        if entry.role == role and entry.text == text and entry.topic == topic:
            raise PhrasebankError(f"短语库里已有相同的条目“{entry.id}”（{entry.file}），未添加。")
    if file is None:
        file = _target_file(bank, folder or Path("phrasebank"), role, topic)
    # two `phrases add` at once must not both read the old file and one lose the other's entry:
    # the read-modify-write happens under a lock beside the file
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(file.with_name(f".{file.name}.lock")), timeout=30):
            return _append(file, bank, role, topic, text, entry_id)
    except Timeout:
        raise PhrasebankError(f"“{file.name}”正被另一个 draftgen 进程修改，30 秒内没有等到，请稍后再试。") from None


def _append(file: Path, bank: PhraseBank, role: str, topic: str | None, text: str,
            entry_id: str | None) -> tuple[Path, str, str]:
    """Append under the lock: the file is read again here, so an entry another process just
    added is kept and its id is not taken twice."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    yaml = round_trip(indented=True)
    original = file.read_text(encoding="utf-8") if file.exists() else "entries:\n"
    data = yaml.load(original) or CommentedMap()
    entries = data.get("entries")
    if entries is None:
        entries = data["entries"] = CommentedSeq()
    defaults = {k: data.get(k) for k in ("role", "topic")}
    same = [str(e.get("id")) for e in entries
            if (e.get("role") or defaults["role"]) == role and (e.get("topic") or defaults["topic"]) == topic]
    new_id = entry_id or _next_id(same, role, set(bank.entries))
    if new_id in bank.entries:
        raise PhrasebankError(f"id“{new_id}”已被占用，请换一个。")
    item = CommentedMap()
    item["id"] = new_id
    if defaults["role"] != role:
        item["role"] = role
    if topic is not None and defaults["topic"] != topic:
        item["topic"] = topic
    item["text"] = DoubleQuotedScalarString(text)
    item.fa.set_flow_style()
    entries.append(item)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    write_bytes(file, buffer.getvalue().encode("utf-8"), force=True)
    forget_loaded()
    return file, new_id, text
