"""Checks a phrase bank the way a careful curator would: well-formed entries,
known slots, no duplicates or near-duplicates, sensible years, Chinese
punctuation, enough alternatives per topic, frame families of one shape."""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from draftgen.bank.phrasebank import CLAIM_ROLES, Entry, PhraseBank, load_bank
from draftgen.errors import PhrasebankError
from draftgen.findings import ERROR, Finding
from draftgen.text.patterns import SLOT

YEAR_ROLES = ("year.stands", "year.guide", "year.campaign", "year.marker")
MIN_PER_TOPIC = 10
_HALF_WIDTH = re.compile(r'[,;:!?"()]')


def _finding(rule: str, where: str, message: str, excerpt: str = "") -> Finding:
    """Lint findings are the checker's findings: one kind of report for both tools."""
    return Finding(rule, ERROR, where, excerpt, message)


def describe(finding: Finding) -> str:
    """A lint line: ``file 第N行：[rule] message``."""
    return f"{finding.location}：[{finding.rule}] {finding.message}"


def _where(entry: Entry) -> str:
    return f"{entry.file} 第{entry.line}行" if entry.line else entry.file


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return True
    return not (a[1] < b[0] or b[1] < a[0])


def _years(entry: Entry) -> tuple[int, int] | None:
    if entry.years is None:
        return None
    start, end = entry.years
    return (start or 0, end or 9999)


def _shape(text: str) -> tuple[int, int]:
    """Clauses and slots: members of one family share both."""
    return (len(re.split(r"[，；]", text)), len(SLOT.findall(text)))


def _licence(bank: PhraseBank, entry: Entry) -> list[Finding]:
    """A claim needs its licence (default-deny: without one it is never written), and a licence
    may name only topics and features the bank knows."""
    if entry.licence is None:
        if entry.role in CLAIM_ROLES:
            return [_finding("licence", _where(entry),
                             f"“{entry.id}”（{entry.role}）是有所断言的说法，却没有写 licence（要哪些事实撑腰）；"
                             "不写就永远不会被选用。不断言什么的写 licence: {}。", entry.text)]
        return []
    licence = dict(entry.licence)
    found = [_finding("licence", _where(entry), f"“{entry.id}”的 licence 里的领域“{t}”不在领域表中。", entry.text)
             for t in licence.get("topics") or () if bank.resolve_topic(t) is None]
    found += [_finding("licence", _where(entry), f"“{entry.id}”的 licence 里的性质“{f}”不在搭配词表的 features 中。",
                       entry.text)
              for f in licence.get("features") or () if f not in bank.lexicon.features]
    return found


def lint_bank(bank: PhraseBank) -> list[Finding]:
    findings: list[Finding] = []
    entries = sorted(bank.entries.values(), key=lambda e: (e.file, e.line or 0))
    by_role: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_role[entry.role].append(entry)
        if _HALF_WIDTH.search(entry.text):
            findings.append(_finding("punctuation", _where(entry),
                                    f"“{entry.id}”里有半角标点，请改用中文标点：{entry.text}"))
        if entry.years is not None:
            start, end = entry.years
            if start is not None and end is not None and start > end:
                findings.append(_finding("years", _where(entry), f"“{entry.id}”的有效年份 {start}—{end} 起止颠倒。"))
            if any(y is not None and not 1949 <= y <= 2100 for y in (start, end)):
                findings.append(_finding("years", _where(entry), f"“{entry.id}”的有效年份超出 1949—2100。"))
        elif entry.role in YEAR_ROLES:
            findings.append(_finding("years", _where(entry), f"年度条目“{entry.id}”没有写 years。"))
        if entry.role == "year.marker" and entry.since is None:
            # the calendar: what a report written on a given day may already name
            findings.append(_finding("since", _where(entry),
                                     f"年度提法“{entry.id}”没有写 since（这种提法出现的日子，如 \"2024-07-18\"）。"))
        if entry.topic is not None and bank.resolve_topic(entry.topic) is None:
            findings.append(_finding("topic", _where(entry), f"“{entry.id}”的领域“{entry.topic}”不在领域表中。"))
        findings += _licence(bank, entry)
    findings += _duplicates(by_role)
    findings += _collocations(bank, entries)
    findings += _lexicon_tables(bank)
    for topic in bank.topics.values():
        count = sum(1 for e in by_role["measure"] if e.topic == topic.name)
        if count < MIN_PER_TOPIC:
            findings.append(_finding(
                "alternatives", topic.name,
                f"领域“{topic.name}”只有 {count} 条举措表述，少于 {MIN_PER_TOPIC} 条，草稿难以各不相同。"))
    families: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.family:
            families[(entry.role, entry.family)].append(entry)
    for (_, family), members in families.items():
        shapes = defaultdict(list)
        for member in members:
            shapes[_shape(member.text)].append(member)
        if len(shapes) > 1:
            main = max(shapes, key=lambda s: len(shapes[s]))
            for shape, odd in shapes.items():
                if shape != main:
                    for member in odd:
                        findings.append(_finding("family", _where(member),
                                                f"“{member.id}”与框架族 {family} 的其他成员形状不同：{member.text}"))
    return findings


_TOPIC_SLOTS = ("{label}", "{short}")


def _collocations(bank: PhraseBank, entries: list[Entry]) -> list[Finding]:
    """Entries whose own words clash (稳妥有序强化…), and entries that no topic can
    fill without a clash (做足{label}：the lexicon licenses it for nothing)."""
    lexicon = bank.lexicon
    findings: list[Finding] = []
    for entry in entries:
        if entry.role.startswith("year."):
            continue
        own = lexicon.clashes(SLOT.sub("", entry.text), {})
        if own:
            findings.append(_finding("collocation", _where(entry),
                                    f"“{entry.id}”搭配不当：{own[0].message}：{entry.text}"))
            continue
        if not any(slot in entry.text for slot in _TOPIC_SLOTS):
            continue
        topics = [bank.topics[entry.topic]] if entry.topic in bank.topics else list(bank.topics.values())
        fits = False
        for topic in topics:
            features = lexicon.features_of(topic.name)
            filled = entry.text.replace("{label}", topic.label).replace("{short}", topic.short or topic.label)
            subjects = {topic.label: features, topic.short or topic.label: features}
            if not lexicon.clashes(filled, subjects, scoped=True):
                fits = True
                break
        if not fits:
            findings.append(_finding("collocation", _where(entry),
                                    f"“{entry.id}”填入任何领域都搭配不当（见 lexicon.yaml），"
                                    f"草稿永远用不上：{entry.text}"))
    return findings


def _lexicon_tables(bank: PhraseBank) -> list[Finding]:
    """The lexicon's own consistency: every feature declared, every class known."""
    lexicon = bank.lexicon
    findings: list[Finding] = []
    declared = set(lexicon.features)
    for table in ("labels", "verbs", "predicates", "cues"):
        for word, features in getattr(lexicon, table).items():
            for feature in sorted(set(features) - declared):
                findings.append(_finding("lexicon", "lexicon.yaml",
                                        f"{table} 里“{word}”用了没有在 features 中说明的性质“{feature}”。"))
    for topic in lexicon.labels:
        if topic not in bank.topics:
            findings.append(_finding("lexicon", "lexicon.yaml", f"labels 里的领域“{topic}”不在领域表中。"))
    known_verbs = {v for verbs in lexicon.verb_classes.values() for v in verbs}
    for manner, allowed in lexicon.manners.items():
        for name in sorted(set(allowed) - set(lexicon.verb_classes) - known_verbs):
            findings.append(_finding("lexicon", "lexicon.yaml",
                                    f"manners 里“{manner}”许可的“{name}”既不是动词类别，"
                                    "也不在 verb_classes 的动词里。"))
    for entry in bank.by_role("item.adverb"):
        if entry.text not in lexicon.manners:
            findings.append(_finding("lexicon", _where(entry),
                                    f"方式词“{entry.text}”（{entry.id}）没有写进 lexicon.yaml 的 manners，"
                                    "草稿不知道它能修饰哪些动词。"))
    return findings


def _norm(text: str) -> str:
    return re.sub(r"[，。；、：“”]", "", text)


def _bare(text: str) -> str:
    """Without the little words that make no difference (个、的、了…)."""
    return re.sub(r"[的个了地和与及之]", "", _norm(text))


def _duplicates(by_role: dict[str, list[Entry]]) -> list[Finding]:
    """The same or nearly the same wording under two ids (in overlapping years)."""
    findings = []
    for role, entries in by_role.items():
        seen: dict[str, Entry] = {}
        normals = [(e, _norm(e.text)) for e in entries]
        for entry, norm in normals:
            twin = seen.get(norm)
            if twin is not None and twin.topic == entry.topic and _overlap(_years(twin), _years(entry)):
                findings.append(_finding("duplicate", _where(entry),
                                         f"“{entry.id}”与“{twin.id}”措辞相同：{entry.text}", entry.text))
            seen.setdefault(norm, entry)
        if role.startswith("heading.") or role.startswith("year."):
            continue  # family members differ by design in one or two words
        bare = {e.id: _bare(e.text) for e in entries}
        for i, (entry, norm) in enumerate(normals):
            if len(norm) < 6:
                continue
            for other, other_norm in normals[i + 1:]:
                if other.topic != entry.topic or norm == other_norm or abs(len(norm) - len(other_norm)) > 2:
                    continue
                if not _overlap(_years(entry), _years(other)):
                    continue
                same_words = bare[entry.id] == bare[other.id]
                one_edit = len(norm) == len(other_norm) and len(norm) >= 12 and \
                    SequenceMatcher(None, norm, other_norm).ratio() >= 0.95
                if same_words or one_edit:
                    findings.append(_finding("near-duplicate", _where(other),
                                            f"“{other.id}”与“{entry.id}”措辞几乎相同：{other.text} / {entry.text}"))
    return findings


def lint(folder: Path | None = None) -> list[Finding]:
    """Lint the shipped bank with ``folder`` over it (the shipped bank alone by default)."""
    try:
        bank = load_bank(folder, with_lines=True)
    except PhrasebankError as exc:
        return [_finding("schema", str(p.file) + (f" 第{p.line}行" if p.line else ""), p.message)
                for p in exc.problems] or [_finding("schema", str(folder or ""), exc.message)]
    return lint_bank(bank)
