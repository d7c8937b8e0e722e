"""The phrase bank: load, merge a user's folder over the shipped one, query.

Entries are the project's own generalised formulations with typed slots
(``{label}``, ``{town}``…), optional conditions on the data, optional valid
years and a source note. Year-specific lines (what the year stands for, the
guiding meetings, the education campaign) are dated entries like any other.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from draftgen.bank.lexicon import NEEDS, SETTINGS, Lexicon
from draftgen.errors import PhrasebankError, Problem
from draftgen.resources import data_dir
from draftgen.sheet.yamlio import Loaded, decode, load_text
from draftgen.text.patterns import SLOT

#: slot name → what fills it; a slot not listed here is an error in an entry
SLOTS: dict[str, str] = {
    "town": "乡镇（街道）名称，如 青川镇",
    "div": "行政区划类型：镇、乡或街道",
    "all": "全镇 / 全乡 / 全街道",
    "party": "镇党委 / 乡党委 / 街道党工委",
    "gov": "镇政府 / 乡政府 / 街道办事处",
    "party_gov": "镇党委、政府 / 街道党工委、办事处",
    "superior": "上级区县名称，如 河西区",
    "superior_lead": "上级党委政府，如 区委、区政府",
    "level": "上级层级：区、县、市",
    "theme": "年度主要行动，如 三抓三促",
    "year": "总结年度（数字）",
    "next_year": "下一年度（数字）",
    "topic": "领域全称，如 生态环境与人居环境",
    "label": "领域简称（四字），如 生态环境",
    "short": "领域二字简称，如 生态",
    "n": "中文数字，如 六",
    "problem": "事实表里的一条问题（引用原话），如 税源结构单一",
    "good": "打算开头研判形势的有利一面（由上升的指标写成），如 地区生产总值、固定资产投资等主要指标保持增长",
    "hard": "打算开头研判形势的困难一面（问题的头一句），如 工业基础薄弱、柑橘产业链条短",
}

#: role → what it is, used in placeholders and by the lint
ROLES: dict[str, str] = {
    "year.stands": "本年度的定位（某某之年）",
    "year.guide": "本年度的指导思想和会议精神",
    "year.campaign": "本年度开展的学习教育",
    "year.marker": "只在某些年份可作为当年提法的字样（供 draftgen check 核对年份）",
    "opening.subject": "开篇的主语",
    "opening.thought": "指导思想（坚持以…为指导）",
    "opening.leadership": "在上级党委政府领导下",
    "opening.theme": "以年度行动为抓手",
    "opening.effort": "开篇的工作总述",
    "opening.result": "开篇的总体成效",
    "opening.report": "开篇结语（现将…报告如下）",
    "half.opening": "半年总结开篇时间语",
    "half.next": "半年总结打算部分的时间语（下半年）",
    "indicators.intro": "主要指标段的引语",
    "honors.intro": "荣誉的引语",
    "part.work": "第一部分标题",
    "part.problems": "问题部分标题",
    "part.plan": "打算部分标题",
    "heading.work": "工作部分的（一）级标题框架",
    "heading.plan": "打算部分的（一）级标题框架",
    "heading.highlight": "亮点体的（一）级标题",
    "section.stance": "领域段落的起句（立场）",
    "section.effect": "领域段落的成效句",
    "measure": "领域的举措表述",
    "item.adverb": "事项前的状语",
    "item.verb": "名词性事项标题前的动词",
    "plan.remedy": "打算里回应问题、又没有对口举措时的平实说法",
    "project.intro": "项目引语",
    "project.done": "已建成项目的表述",
    "project.ongoing": "在建项目的表述",
    "project.planned": "谋划项目的表述",
    "problems.intro_head": "问题部分引语的领起语（在肯定成绩的同时）",
    "problems.intro": "问题部分的引语",
    "problems.commit_head": "整改表态的领起语（对于这些问题）",
    "problems.commit": "问题部分的整改表态",
    "half.problems": "半年总结里的问题句",
    "plan.intro": "打算部分的引语",
    "plan.thinking_lead": "总体思路的领起语（总体思路是）",
    "plan.thinking": "总体思路的路径部分",
    "plan.priority": "总体思路里点出事实表打算最多的几个领域的领起词（突出抓好…）",
    "plan.goal": "总体思路的目标部分",
    "plan.direction": "打算各块的方向句（坚持什么、朝哪里用力，不点具体行动）",
    "plan.situation": "打算开头对形势的研判（有利条件、困难挑战，都由事实填入）",
    "plan.targets": "预期目标引语",
    "plan.focus": "重点工作引语（抓好以下几方面）",
    "plan.transition": "目标与举措之间的过渡语",
    "closing": "结束语",
    "plan.resolve": "打算部分指导思想之后的落脚语",
    "plan.answer": "打算部分回应一条问题的领起语（针对…的问题）",
    "problems.elaboration": "问题之后的概括说法（按问题的性质，不带事实）",
    "highlight.work": "亮点体以工作领起的亮点句",
    "thematic.title": "专题体标题",
    "thematic.title_theme": "事实表有年度主题时的专题体标题（用主题，不另造口号）",
    "thematic.focus": "专题体标题的“聚焦”部分",
    "thematic.push": "专题体标题的“推进”部分",
    "thematic.lift": "专题体标题的“提升”部分",
    "highlight.economy": "亮点体的经济亮点句",
    "highlight.honors": "亮点体的荣誉亮点句",
    "highlight.transition": "亮点体进入分项工作的过渡语",
    "indicator.verb": "指标名前的动词（实现、完成）",
    "indicator.link": "指标名后的动词（达到）",
}

WHEN_KEYS = {"growth_min", "growth_max", "trend", "has", "division", "period", "setting"}
#: roles whose entries claim something of the facts (a result, a count, praise): in the summary
#: an entry of these roles is written only where its ``licence`` is met (default-deny); an entry
#: that claims nothing beyond the passage being there says so with an empty licence, ``{}``
CLAIM_ROLES = frozenset({"section.stance", "section.effect", "opening.result", "project.intro", "honors.intro",
                         "highlight.economy", "highlight.honors", "highlight.work",
                         "heading.work", "heading.highlight", "thematic.focus", "thematic.push", "thematic.lift"})
#: what a licence may name besides the facts it needs (:data:`~draftgen.bank.lexicon.NEEDS`):
#: the topics it may speak of, and the lexicon features the passage's topic must have one of
LICENCE_SCOPE = ("topics", "features")
HAS_FLAGS = {"theme", "honors", "projects", "targets", "superior", "indicators"}



@dataclass(frozen=True)
class Entry:
    """One formulation."""

    id: str
    role: str
    text: str
    topic: str | None = None
    family: str | None = None
    when: tuple[tuple[str, Any], ...] = ()
    years: tuple[int | None, int | None] | None = None
    keywords: tuple[str, ...] = ()
    source: str = ""
    file: str = ""
    line: int | None = None
    #: the day the wording came into being, ISO (a plenum, a campaign's launch, a framing
    #: announced mid-year): a report written before it cannot use it
    since: str | None = None
    #: for a year marker: words that, standing near it, show the other sense of the same words
    #: (动态清零 of a poverty-monitoring list is not the epidemic policy)
    exempt: tuple[str, ...] = ()
    #: what the facts must hold for the entry's claim to be written (see :data:`CLAIM_ROLES`):
    #: (key, value) pairs of :data:`~draftgen.bank.lexicon.NEEDS` and :data:`LICENCE_SCOPE`;
    #: None: the entry declares none
    licence: tuple[tuple[str, Any], ...] | None = None

    slots: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", tuple(SLOT.findall(self.text)))

    def valid_in(self, year: int) -> bool:
        if self.years is None:
            return True
        start, end = self.years
        return (start is None or year >= start) and (end is None or year <= end)


#: the fields an entry is made from, in order (the validated-bank cache stores rows of them)
_ENTRY_FIELDS = tuple(f.name for f in fields(Entry) if f.init)
#: …and the slots found in its text, so that reading the cache runs no regular expression
_CACHED_FIELDS = (*_ENTRY_FIELDS, "slots")


@dataclass(frozen=True)
class Topic:
    """A work topic with its short label and the names people use for it."""

    name: str
    label: str
    order: int
    short: str = ""
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    #: the label a 街道's draft uses where the common one speaks of villages (城乡建设 → 城市建设)
    street_label: str = ""


@dataclass
class PhraseBank:
    entries: dict[str, Entry] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    lexicon: Lexicon = field(default_factory=Lexicon)

    def __post_init__(self) -> None:
        self._by_role: dict[str, list[Entry]] | None = None

    def by_role(self, role: str) -> list[Entry]:
        if self._by_role is None:
            index: dict[str, list[Entry]] = {}
            for entry in self.entries.values():
                index.setdefault(entry.role, []).append(entry)
            self._by_role = index
        return self._by_role.get(role, [])

    def subjects(self) -> dict[str, frozenset[str]]:
        """Every topic's label and name with its lexicon features: the strings a
        reviewer looks around for clashing verbs and predicates."""
        out: dict[str, frozenset[str]] = {}
        for topic in self.topics.values():
            for name in (topic.label, topic.name):
                out[name] = out.get(name, frozenset()) | self.lexicon.features_of(topic.name)
        return out

    def topic_in(self, text: str) -> Topic | None:
        """The topic ``text`` speaks of (a heading: 党建引领取得扎实成效 → 党的建设), or None."""
        return topic_in(self.topics.values(), text)

    def topics_in(self, text: str) -> list[Topic]:
        """Every topic ``text`` names a word of (a thematic heading may name several), the one
        :meth:`topic_in` finds first."""
        first = self.topic_in(text)
        rest = [t for t in self.topics.values() if t is not first and topic_in([t], text) is not None]
        return ([first] if first is not None else []) + rest

    def nearest_topic(self, name: str) -> Topic | None:
        """The known topic a name the bank does not know most likely means (生态环保 → 生态环境与人居环境):
        the one whose words it holds, else the one whose name reads most alike."""
        from difflib import SequenceMatcher

        found = self.topic_in(name)
        if found is not None:
            return found
        scored = [(SequenceMatcher(None, name, word).ratio(), topic) for topic in self.topics.values()
                  for word in (topic.name, topic.label, *topic.aliases) if word]
        best = max(scored, key=lambda s: s[0], default=None)
        return best[1] if best is not None and best[0] >= 0.4 else None

    def resolve_topic(self, name: str) -> Topic | None:
        """The topic a sheet names, by name or by one of its aliases."""
        if name in self.topics:
            return self.topics[name]
        for topic in self.topics.values():
            if name in topic.aliases:
                return topic
        return None


def topic_in(topics: Iterable[Topic], text: str) -> Topic | None:
    """The topic whose name, label, short name, alias or keyword stands in ``text``: the longest
    such word, the earliest of equals."""
    best: tuple[int, int, Topic] | None = None
    for topic in topics:
        for word in (topic.name, topic.label, topic.short, *topic.aliases, *topic.keywords):
            at = text.find(word) if word else -1
            if at >= 0 and (best is None or (len(word), -at) > best[:2]):
                best = (len(word), -at, topic)
    return best[2] if best else None


def _years(value: Any) -> tuple[int | None, int | None] | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, list) and len(value) == 2 and all(
            v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return (value[0], value[1])
    raise ValueError(value)


#: what the validated-bank cache depends on besides the bank's files: this module's code
_CODE_KEY = Path(__file__).read_bytes()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "draftgen" / "phrasebank"


def _parse_cached(raw: bytes, text: str) -> Any:
    """Parsed YAML of a bank file, from a JSON cache keyed by the file's bytes.

    Parsing the whole bank with PyYAML costs most of a draft's run time; the
    cache is only a copy of the parse, so a missing or broken cache changes nothing.
    """
    key = hashlib.sha256(raw).hexdigest()[:32]
    cache = _cache_dir() / f"{key}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    except (OSError, TypeError, ValueError):
        pass  # an unwritable cache folder or a value JSON cannot hold: parse next time
    return data


class _BankReader:
    def __init__(self, with_lines: bool = False) -> None:
        self.with_lines = with_lines
        self.problems: list[Problem] = []
        self.entries: dict[str, Entry] = {}
        self.disabled: set[str] = set()
        self.topics: dict[str, Topic] = {}
        self.lexicon_parts: list[dict[str, Any]] = []

    def read_dir(self, folder: Path, trusted: bool = True) -> None:
        """``trusted``: the shipped bank, read through the fast parse cache; a user's folder
        is read through the safe loader (alias cap, duplicate keys, line numbers)."""
        root = folder.resolve()
        files: list[tuple[Path, bytes]] = []
        for path in sorted(folder.glob("*.yaml")):
            if root not in path.resolve().parents:
                # a link out of the bank folder is not the user's bank
                self.problems.append(Problem(path.name, None,
                                             "这是指向短语库文件夹外的链接，出于安全不读取，请放真实文件。"))
                continue
            files.append((path, path.read_bytes()))
        if trusted and not self.with_lines and not self.problems and not self.entries:
            self._read_validated(files)
            return
        for path, raw in files:
            self.read_file(path, trusted, raw)

    def _read_validated(self, files: list[tuple[Path, bytes]]) -> None:
        """The shipped bank from a cache of its validated entries, keyed by every file's
        bytes and by this module's code: checking three thousand entries one by one
        costs a third of a draft's run time, and their result only changes with them."""
        digest = hashlib.sha256(_CODE_KEY)
        for path, raw in files:
            digest.update(path.name.encode() + b"\0" + raw + b"\0")
        cache = _cache_dir() / f"bank-{digest.hexdigest()[:32]}.json"
        try:
            self._restore(json.loads(cache.read_text(encoding="utf-8")))
            return
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.entries, self.disabled, self.topics, self.lexicon_parts = {}, set(), {}, []
        for path, raw in files:
            self.read_file(path, True, raw)
        if self.problems:
            return
        state = {"fields": list(_CACHED_FIELDS),
                 "entries": [[getattr(e, name) for name in _CACHED_FIELDS] for e in self.entries.values()],
                 "disabled": sorted(self.disabled),
                 "topics": [asdict(t) for t in self.topics.values()],
                 "lexicon": self.lexicon_parts}
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(state, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, cache)
        except (OSError, TypeError, ValueError):
            pass  # an unwritable cache folder: validate again next time

    def _restore(self, state: dict[str, Any]) -> None:
        if state["fields"] != list(_CACHED_FIELDS):
            raise KeyError("fields")
        new = object.__new__
        for row in state["entries"]:
            values = dict(zip(_CACHED_FIELDS, row, strict=True))
            # JSON has lists where the entry has tuples
            values["when"] = tuple(map(tuple, values["when"]))
            if values["licence"] is not None:
                values["licence"] = tuple(map(tuple, values["licence"]))
            for key in ("keywords", "exempt", "slots"):
                values[key] = tuple(values[key])
            if values["years"] is not None:
                values["years"] = tuple(values["years"])
            # the values were checked when the cache was written: set them as they are
            # instead of through the frozen dataclass's __init__ (four times slower)
            entry = new(Entry)
            entry.__dict__.update(values)
            self.entries[entry.id] = entry
        self.disabled = set(state["disabled"])
        for saved in state["topics"]:
            topic = Topic(**{**saved, "aliases": tuple(saved["aliases"]),
                             "keywords": tuple(saved["keywords"])})
            self.topics[topic.name] = topic
        self.lexicon_parts = list(state["lexicon"])

    def read_file(self, path: Path, trusted: bool = True, raw: bytes | None = None) -> None:
        raw = path.read_bytes() if raw is None else raw
        text, _ = decode(raw, path.name)
        if self.with_lines or not trusted:
            self._read(load_text(text, path.name))
            return
        try:
            loaded = Loaded(data=_parse_cached(raw, text), source=path.name)
        except yaml.YAMLError:
            loaded = load_text(text, path.name)
        before = len(self.problems)
        self._read(loaded)
        if len(self.problems) > before and not loaded.lines:
            # the fast parse has no line numbers: parse again to say where
            del self.problems[before:]
            self._read(load_text(text, path.name))

    def _problem(self, loaded: Loaded, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(loaded.source, loaded.line(path), message))

    def _read(self, loaded: Loaded) -> None:
        self.problems += loaded.problems
        data = loaded.data
        if loaded.problems:
            return
        if not isinstance(data, dict):
            self._problem(loaded, (), "短语库文件最外层应是映射，含 entries: 或 topics: 列表。")
            return
        for key in ("topics", "entries"):
            if data.get(key) is not None and not isinstance(data.get(key), list):
                self._problem(loaded, (key,), f"{key}: 应是一个列表（每项以“- ”开头），现在不是。")
                return
        for i, raw in enumerate(data.get("topics") or []):
            self._topic(loaded, raw, i)
        lexicon = data.get("lexicon")
        if lexicon is not None:
            if isinstance(lexicon, dict):
                self.lexicon_parts.append(lexicon)
            else:
                self._problem(loaded, ("lexicon",), "lexicon: 应是映射（features、labels、verbs…）。")
        defaults = {k: data.get(k) for k in ("role", "topic", "family", "source", "years", "when", "licence")}
        ids: set[str] = set()
        for i, raw in enumerate(data.get("entries") or []):
            self._entry(loaded, raw, ("entries", i), defaults, ids)

    def _topic(self, loaded: Loaded, raw: Any, i: int) -> None:
        path: tuple[str | int, ...] = ("topics", i)
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("label"):
            self._problem(loaded, path, "领域需要 name 和 label。")
            return
        self.topics[str(raw["name"])] = Topic(
            name=str(raw["name"]), label=str(raw["label"]), order=int(raw.get("order", 99)),
            short=str(raw.get("short") or raw["label"]),
            aliases=tuple(raw.get("aliases") or ()), keywords=tuple(raw.get("keywords") or ()),
            street_label=str(raw.get("street_label") or ""))

    def _entry(self, loaded: Loaded, raw: Any, path: tuple[str | int, ...],
               defaults: dict[str, Any], ids: set[str]) -> None:
        if not isinstance(raw, dict):
            self._problem(loaded, path, "每条短语应是映射，至少有 id 和 text。")
            return
        merged = {**{k: v for k, v in defaults.items() if v is not None}, **raw}
        entry_id = str(merged.get("id") or "")
        if not entry_id:
            self._problem(loaded, path, "短语缺少 id。")
            return
        if merged.get("disabled"):
            self.disabled.add(entry_id)
            return
        text, role = merged.get("text"), merged.get("role")
        if not isinstance(text, str) or not text.strip():
            self._problem(loaded, path, f"短语“{entry_id}”缺少 text。")
            return
        if role not in ROLES:
            self._problem(loaded, path, f"短语“{entry_id}”的 role“{role}”未知，可用：{'、'.join(ROLES)}。")
            return
        unknown = [s for s in SLOT.findall(text) if s not in SLOTS]
        if unknown:
            self._problem(loaded, path, f"短语“{entry_id}”用了未知的槽位 {{{unknown[0]}}}，可用：{'、'.join(SLOTS)}。")
            return
        if re.search(r"[0-9０-９]", text) and role != "year.marker":
            self._problem(loaded, path, f"短语“{entry_id}”含有阿拉伯数字；数字只能来自事实表，请改用槽位或汉字。")
            return
        when = merged.get("when") or {}
        if not isinstance(when, dict) or set(when) - WHEN_KEYS:
            self._problem(loaded, path, f"短语“{entry_id}”的 when 只能用：{'、'.join(sorted(WHEN_KEYS))}。")
            return
        if "setting" in when and not set(when["setting"] if isinstance(when["setting"], list)
                                         else [when["setting"]]) <= set(SETTINGS):
            self._problem(loaded, path, f"短语“{entry_id}”的 when.setting 只能是 {'、'.join(SETTINGS)}。")
            return
        licence = merged.get("licence")
        if licence is not None:
            problem = _licence_problem(licence)
            if problem:
                self._problem(loaded, path, f"短语“{entry_id}”的 licence {problem}")
                return
        try:
            since = _since(merged.get("since"), merged.get("coined"))
        except ValueError:
            self._problem(loaded, path,
                          f"短语“{entry_id}”的 since 应是一个日期，如 \"2024-07-18\"（这种提法出现的日子）。")
            return
        try:
            years = _years(merged.get("years"))
        except ValueError:
            self._problem(loaded, path, f"短语“{entry_id}”的 years 应写成 [起, 止] 或一个年份。")
            return
        if entry_id in ids:
            self._problem(loaded, path, f"短语 id“{entry_id}”在这个文件里重复了。")
            return
        ids.add(entry_id)
        self.entries[entry_id] = Entry(
            id=entry_id, role=role, text=text.strip(), topic=merged.get("topic"),
            family=merged.get("family"), when=tuple(sorted(when.items())), years=years,
            keywords=tuple(merged.get("keywords") or ()), source=str(merged.get("source") or ""),
            file=loaded.source, line=loaded.line(path), since=since,
            exempt=tuple(str(w) for w in merged.get("exempt") or ()),
            licence=None if licence is None else tuple(sorted(licence.items())))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _since(since: Any, coined: Any) -> str | None:
    """An entry's ``since`` as an ISO date; an older bank's ``coined: 2024`` (a year) reads as
    the first of that January. ValueError when it is neither."""
    if since is None and coined is not None:
        if isinstance(coined, int) and not isinstance(coined, bool):
            return f"{coined}-01-01"
        raise ValueError(coined)
    if since is None:
        return None
    text = since.isoformat() if isinstance(since, datetime.date) else str(since)
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    datetime.date.fromisoformat(text)  # 2024-02-30 is no day
    return text


def _licence_problem(licence: Any) -> str | None:
    """What is wrong with an entry's licence, in Chinese (None: nothing)."""
    if not isinstance(licence, dict):
        return "应是映射（needs 的各项，以及 topics、features），不声明依据的写 {}。"
    unknown = sorted(set(licence) - set(NEEDS) - set(LICENCE_SCOPE))
    if unknown:
        return f"里的“{unknown[0]}”未知，可用：{'、'.join((*NEEDS, *LICENCE_SCOPE))}。"
    for key in ("words", *LICENCE_SCOPE):
        value = licence.get(key)
        if value is not None and not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return f"的 {key} 应是一列文字。"
    return None


_CACHE: dict[tuple[str, ...], PhraseBank] = {}


def forget_loaded() -> None:
    """Drop loaded banks (after a file of the bank was edited)."""
    _CACHE.clear()


def load_bank(extra: Path | None = None, *, with_lines: bool = False) -> PhraseBank:
    """The shipped bank, with a user's folder of entries over it (``with_lines``:
    parse slowly but note every entry's line, for the lint)."""
    folders = [data_dir("phrasebank")]
    if extra is not None:
        if not extra.is_dir():
            raise PhrasebankError(f"短语库文件夹“{extra}”不存在。")
        if extra.resolve() != folders[0].resolve():
            folders.append(extra)
    key = (*(str(f.resolve()) for f in folders), str(with_lines))
    if key in _CACHE:
        return _CACHE[key]
    reader = _BankReader(with_lines)
    for n, folder in enumerate(folders):
        reader.read_dir(folder, trusted=n == 0)
    if reader.problems:
        raise PhrasebankError(f"短语库有 {len(reader.problems)} 处问题：", reader.problems)
    for entry_id in reader.disabled:
        reader.entries.pop(entry_id, None)
    try:
        lexicon = Lexicon.from_parts(reader.lexicon_parts)
    except (AttributeError, TypeError, ValueError):
        raise PhrasebankError("短语库的 lexicon: 写法不对：每一项应是“词: [性质或动词…]”的映射，"
                              "project_kinds 的每一类应有 keywords 和 verbs 列表。") from None
    bank = PhraseBank(entries=reader.entries, topics=reader.topics, lexicon=lexicon)
    _CACHE[key] = bank
    return bank
