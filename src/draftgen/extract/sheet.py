"""The fact sheet a report implies, written as YAML with each value's source sentence.

Every extracted value carries ``# 原文：…`` (the sentence it was read from) so the
writer can verify it; readings that may be wrong carry ``# 请核对``. Masked text in
the report (``*``, ``xx``) stays masked: a masked figure becomes ``null``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from draftgen.bank.phrasebank import PhraseBank, Topic, load_bank, topic_in
from draftgen.errors import ExtractError
from draftgen.extract.reading import PLANS, PROBLEMS, SUMMARY, Part, Report, figures, is_fact, is_masked
from draftgen.sheet.yamlio import round_trip
from draftgen.text.numbers import NUMBER
from draftgen.text.patterns import CJK, ITEM_LABEL, REPORT_YEAR, report_year

_VALUE = rf"(?:{NUMBER.pattern}|[xX*＊ｘ]+(?:\.[xX*＊ｘ]+)?)"
_UNIT = r"亿美元|万美元|亿元|万元|元|万人|万吨|万亩|万平方米|万|亿|吨|亩|人|户|个|家|%|％"
_NAME_END = r"总值|收入|投资|总额|产值|增加值|税收|外资|进出口额|营业额|产量|利润"
# 地区生产总值完成35.6亿元，同比增长7.5%
_INDICATOR = re.compile(
    rf"(?P<estimate>预计)?(?:全年|全镇|今年|上半年)?(?:完成|实现)?"
    rf"(?P<name>[{CJK}]{{0,12}}?(?:{_NAME_END}))"
    rf"(?:累计)?(?:完成|实现|达到|达|为|突破)?(?P<approx>约|近|超)?(?P<value>{_VALUE})(?P<unit>{_UNIT})"
    rf"(?:[，,]?[^，。；,;]{{0,6}}?(?:同比|比上年)?(?P<dir>增长|下降|增加|减少)(?P<growth>{_VALUE})[%％])?")
_GROWTH_TARGET = re.compile(
    rf"(?P<name>[{CJK}]{{2,14}}?(?:{_NAME_END}))[^，。；]{{0,6}}?增长(?P<growth>{NUMBER.pattern})[%％](?:以上|左右)?")
#: a measure named without what it measures: no indicator of its own
_SUBJECTLESS = frozenset({"产值", "产量", "收入", "总额", "面积", "投资", "营收", "税收", "总量", "规模"})
#: the verb inside a name read too far back (街道实现财政总收入)
_INNER_VERBS = ("实现", "完成", "达到", "达成")
#: a plan sentence that sets targets (2024年主要预期目标是：…，…达到1.45亿元)
_TARGET_WORDS = re.compile(r"目标|预期|力争|确保|达到|突破")
_NAME_PREFIX = re.compile(r"^(?:[月年](?=完成|实现|预计|累计|共|全镇|全乡|全街道)|完成|实现|预计|全年|全镇|全乡|全街道|"
                          r"今年|其中|共|累计)+")
_TOWN = re.compile(rf"([{CJK}*＊xX]{{1,8}}?(?:镇|乡|街道))(?:党委|政府|全镇|上下|人民|坚持|紧紧|紧扣|聚焦)")
# 桃源镇2024年工作总结和2025年工作打算: the title names the town before the year
_TITLE_TOWN = re.compile(rf"^([{CJK}]{{1,8}}?(?:镇|乡|街道))(?:人民政府|办事处|党委)?(?:关于)?"
                         r"(?:(?:19|20)[0-9]{2}年|上半年|半年|年度|工作总结|工作报告|政府工作报告)")
#: the months a year's figures cover when the report was written before the year's end: 1-11月
_MONTHS = re.compile(r"(?<![0-9])1[-—－~～至]([0-9]{1,2})月")
#: the city and district before a town's name (宁波市鄞州区下应街道)
_PLACE_PREFIX = re.compile(rf"^(?:[{CJK}]{{1,6}}?(?:市|区|县))+")
#: words no town's name holds: 在市委市政府和街道… is a sentence, not a name
_NOT_A_NAME = re.compile(r"[在和与及的了]|市委|县委|区委|政府|党委")
_MASKED_TOWN = re.compile(r"[*＊]+(?:镇|乡|街道)|[xX]{2,}(?:镇|乡|街道)")
_SUPERIOR = re.compile(rf"在([{CJK}]{{1,8}}?[区县市旗])委")
_STATUS = (("建成", "done"), ("竣工", "done"), ("完工", "done"), ("投用", "done"), ("开工", "ongoing"),
           ("推进", "ongoing"), ("在建", "ongoing"))
# a plan sentence promises something when it says what will be done
_PROMISE = re.compile(r"推进|加快|实施|完成|建成|新增|实现|打造|抓好|提升|确保|开展|建设|发展|培育|扩大|强化|深化|落实|"
                      r"招引|引进|增长|改造|整治|新建|提高|完善|健全|创建|争创|力争|做强|做优|壮大|巩固|保障")
_PROJECT = re.compile(rf"([{CJK}*＊0-9a-zA-Z]{{2,30}}?(?:(?:改造|修缮)?(?:项目|工程)|改造|修缮))")
#: a person or a duty, not a project's name: 党委书记带头协调解决项目
_NOT_A_PROJECT = re.compile(r"书记|镇长|乡长|主任|领导|带头|协调|解决|督促|包抓|服务|谋划|储备|申报|争取|[0-9]+个|"
                            r"^(?:[省市县区镇乡]级?|全[省市县区镇乡])?(?:重点|投资|在建|新建|产业)项目$")


@dataclass
class Value:
    """An extracted value and the sentence it came from."""

    data: Any
    source: str
    check: str | None = None
    raw: str = ""  # the figure as printed (masked figures stay as they were)


@dataclass
class Extracted:
    """A fact sheet as read from a report, before it becomes YAML."""

    top: dict[str, Value] = field(default_factory=dict)
    indicators: list[dict[str, Value]] = field(default_factory=list)
    work: list[tuple[str, list[tuple[str, list[Value]]]]] = field(default_factory=list)
    projects: list[dict[str, Value]] = field(default_factory=list)
    problems: list[Value] = field(default_factory=list)
    targets: list[dict[str, Value]] = field(default_factory=list)
    plan_work: list[tuple[str, list[Value]]] = field(default_factory=list)
    #: the report's own heading of each field of work it was read under (党建引领强基础 for 党的建设)
    headings: dict[str, str] = field(default_factory=dict)
    summary_figures: list[tuple[str, str]] = field(default_factory=list)  # (figure, sentence)
    honors: list[Value] = field(default_factory=list)
    thinking: Value | None = None

    def captured(self) -> tuple[int, int]:
        """(summary figures captured under an indicator or item, all summary figures)."""
        held: dict[str, list[str]] = {}
        for ind in self.indicators:
            for key in ("value", "growth"):
                if key in ind:
                    held.setdefault(ind[key].source, []).append(ind[key].raw)
        for _, items in self.work:
            for _, facts in items:
                for fact in facts:
                    held.setdefault(fact.source, []).extend(figures(fact.data))
        got = 0
        for figure, sentence in self.summary_figures:
            pool = held.get(sentence, [])
            if figure in pool:
                pool.remove(figure)
                got += 1
        return got, len(self.summary_figures)


def _number(text: str) -> int | float | None:
    if is_masked(text) or not NUMBER.fullmatch(text):
        return None
    return float(text) if "." in text else int(text)


def extract(report: Report, year: int | None = None, town: str | None = None,
            bank: PhraseBank | None = None) -> Extracted:
    """Read town, year, indicators, work, projects, problems and plans out of ``report``; the
    fields of work are the ``bank``'s (the shipped one if none is given)."""
    out = Extracted()
    topics = list((bank if bank is not None else load_bank()).topics.values())
    text = report.text()
    _top(out, report, text, year, town)
    for part in report.parts:
        if part.kind == SUMMARY:
            _summary(out, part, topics)
        elif part.kind == PROBLEMS:
            out.problems += _problems(part)
        elif part.kind == PLANS:
            _plans(out, part, topics)
    return out


def _top(out: Extracted, report: Report, text: str, year: int | None, town: str | None) -> None:
    titled_town = _TITLE_TOWN.match(report.title.strip())
    if town is None and titled_town is not None:
        out.top["town"] = Value(titled_town.group(1), report.title.strip())  # the title names it best
    elif town is None:
        match = _TOWN.search(text)
        if match:
            found = re.sub(r"全(镇|乡)$", r"\1", match.group(1))
            if len(found) < 2 or found[-2] == "全":
                masked = _MASKED_TOWN.search(text)
                match = masked or match
                found = masked.group() if masked else ""
        if match and found:
            note = "请核对：镇名已脱敏" if is_masked(found) else "请核对：镇名" if _NOT_A_NAME.search(found) else None
            out.top["town"] = Value(found, _sentence_of(text, match.start()), note)
        elif (titled := _TITLE_TOWN.match(report.title.strip())) is not None:
            out.top["town"] = Value(titled.group(1), report.title.strip())
    else:
        out.top["town"] = Value(town, "命令行 --town")
    if "town" not in out.top:
        raise ExtractError(f"{report.source}：没有读出乡镇（街道）名称，请用 --town 指定。")
    name = str(out.top["town"].data)
    prefix = _PLACE_PREFIX.match(name)
    if prefix and len(name) > prefix.end() + 1:
        # 宁波市鄞州区下应街道: the town is the last name; the district is its superior
        last = re.findall(r"[^市区县]+(?:市|区|县)", prefix.group())
        out.top["town"] = Value(name[prefix.end():], out.top["town"].source, out.top["town"].check)
        if last and "superior" not in out.top:
            out.top["superior"] = Value(last[-1], out.top["town"].source, "请核对")
        name = name[prefix.end():]
    out.top["division"] = Value("街道" if name.endswith("街道") else name[-1], out.top["town"].source)
    match = _SUPERIOR.search(text)
    if match:
        out.top["superior"] = Value(match.group(1), _sentence_of(text, match.start()), "请核对")
    if year is None:
        opening = report_year(text)
        if opening is None:
            raise ExtractError(f"{report.source}：报告里没有读出总结的年度（可能已脱敏），请用 --year 指定。")
        year = opening
        m = REPORT_YEAR.search(text)
        out.top["year"] = Value(year, _sentence_of(text, m.start()) if m else report.title)
    else:
        out.top["year"] = Value(year, "命令行 --year")
    headed = next((p.heading for p in report.parts if re.search(r"上半年|下半年|1[—－-]6月", p.heading or "")), None)
    half = "半年" in report.title or headed is not None  # 一、上半年工作情况 … 二、下半年工作打算
    out.top["period"] = Value("half-year" if half else "annual",
                              report.title if "半年" in report.title else headed or report.title or "标题")
    months = _MONTHS.search(text[:3000])
    if months and not half and 1 <= int(months.group(1)) < 12:
        # 今年1-11月，街道实现…: a year's report written before its end gives the months its figures cover
        out.top["cutoff_month"] = Value(int(months.group(1)), _sentence_of(text, months.start()),
                                        "请核对：数据截至月份")


def _problems(part: Part) -> list[Value]:
    """The problems as items: the lead-in (我们也清醒地看到……：) and the resolution (对上述问题，……)
    left out, the item labels (一是、（二）) taken off, one item a clause run ended by ；or 。."""
    out: list[Value] = []
    for sentence in part.sentences:
        text = sentence.text.strip()
        lead = _PROBLEM_LEAD.match(text)
        if lead:
            text = text[lead.end():]
        text = text.strip().rstrip("。；;").strip()
        while (label := ITEM_LABEL.match(text)) is not None:
            text = text[label.end():].lstrip("，、 ")
        if len(text) < 4 or _RESOLVE.search(text) or (not lead and _PROBLEM_LEAD_ONLY.search(text)):
            continue
        out.append(Value(text, sentence.text))
    return out


def _sentence_of(text: str, at: int) -> str:
    start = max(text.rfind(c, 0, at) for c in "。；\n") + 1
    ends = [i for i in (text.find(c, at) for c in "。；\n") if i >= 0]
    return text[start:min(ends) + 1 if ends else len(text)].strip()


def _summary(out: Extracted, part: Part, topics: list[Topic]) -> None:
    topic = _topic(part.heading, topics)
    # under a part's own title (2023年工作回顾) each sentence goes to the field its words name
    by_sentence = not part.heading or bool(_PART_TITLE.match(part.heading)) or topic_in(topics, part.heading) is None
    if part.heading and topic != part.heading and not _PART_TITLE.match(part.heading):
        out.headings.setdefault(topic, part.heading)
    items: list[tuple[str, list[Value]]] = []
    grouped: dict[str, list[tuple[str, list[Value]]]] = {}
    for sentence in part.sentences:
        text = sentence.text
        out.summary_figures += [(f, text) for f in figures(text)]
        honors = _honors(text)
        if honors:
            out.honors += honors
            continue
        # 完成投资7.6亿元, （总投资1.5亿元）: a project's money, not a headline indicator
        found = [i for i in _indicators(text) if i["name"].data not in ("总投资", "投资")]
        project = _project(text)
        if project:
            out.projects.append(project)
        out.indicators += found
        if found and all(_covered(text, found)):
            continue
        if not is_fact(text) or _STANDING.match(text):
            continue  # 2023年是改革开放45周年: the year's standing, no work of the town's
        home = topic
        if by_sentence and (named := topic_in(topics, text)) is not None:
            home = named.name
        bucket = grouped.setdefault(home, []) if home != topic else items
        title = sentence.lead or home
        if not bucket or bucket[-1][0] != title:
            bucket.append((title, []))
        bucket[-1][1].append(Value(text.rstrip("。；"), text))
    for name, pieces in [(topic, items), *grouped.items()]:
        if not pieces:
            continue
        same = next((w for w in out.work if w[0] == name), None)
        if same is not None:
            same[1].extend(pieces)  # one field, one entry: its facts from every part that speaks of it
        else:
            out.work.append((name, pieces))


_STANDING = re.compile(r"^(?:19|20)[0-9]{2}年(?:是|恰逢|正值)")
#: 同比分别增长6.2%、-19.3%: the growths of a list of indicators, in their order
_RESPECTIVELY = re.compile(rf"分别(?P<dir>增长|下降|提高|减少|增加)?"
                           rf"(?P<list>-?{NUMBER.pattern}[%％](?:[、和及]-?{NUMBER.pattern}[%％])+)")
#: 先后获评省级文明村镇，入选…名单: a clause that names a distinction the town received (after
#: 先后 and what may come before it: 年内先后, 在各类评比中先后)
_HONOR = re.compile(r"获评|入选|被评为|荣获|被命名为|被授予|获得.{1,12}称号")
_HONOR_LEAD = re.compile(r"^(?:.{0,10}(?:获得表彰|获得荣誉|取得荣誉)[，,]?)?"
                         r"(?:全镇|全乡|全街道|我镇|我乡|本镇)?(?:[^，,。]{0,8}?先后|相继|还)?")
#: part headings that name no field of work (一、2024年主要工作): their facts are the overview
_PART_TITLE = re.compile(r"^(?:(?:19|20)[0-9]{2}年)?(?:上半年|全年|今年以来)?(?:主要)?工作"
                         r"(?:开展)?(?:情况|回顾|成效)?$")


def _honors(text: str) -> list[Value]:
    """The distinctions a sentence lists, each as the sheet's honours write it (获评…)."""
    if not _HONOR.search(text) or figures(text):
        return []
    clauses = [_HONOR_LEAD.sub("", c.strip()) for c in re.split(r"[，；,;]", text.rstrip("。；"))]
    return [Value(c, text) for c in clauses if _HONOR.search(c) and not _OTHERS_HONOR.search(c)]


#: an honour of a company, a bank or a person (某某公司、某某银行等荣获…): not the town's
_OTHERS_HONOR = re.compile(r"(?:公司|企业|银行|合作社|医院|学校|个人|同志|等[0-9一二三四五六七八九十]*(?:家|人|名|个))"
                           r"[^获荣被入]{0,12}(?:获评|荣获|被评为|入选|被授予|被命名为)")


def _topic(heading: str, topics: list[Topic], overview: str | None = "经济运行") -> str:
    """The bank's field of work a heading speaks of (党建引领取得扎实成效 → 党的建设), or the
    heading itself; a part's own title (2024年主要工作) is ``overview``."""
    if overview is not None and (not heading or _PART_TITLE.match(heading)):
        return overview
    found = topic_in(topics, heading)
    return found.name if found else heading


def _covered(text: str, found: list[dict[str, Value]]) -> list[bool]:
    held = [i[k].raw for i in found for k in ("value", "growth") if k in i]
    return [f in held for f in figures(text)] or [False]


def _indicators(text: str) -> list[dict[str, Value]]:
    found: list[dict[str, Value]] = []
    starts: list[int] = []
    for match in _INDICATOR.finditer(text):
        name = _NAME_PREFIX.sub("", match.group("name")).strip("、")
        if match.start("name") and text[match.start("name") - 1].isdigit():
            name = re.sub(r"^[家个幢名户所条处座项]", "", name)  # 18家规上工业企业…: the count's measure word
        subject, verb, measure = name.partition(next((v for v in _INNER_VERBS if v in name[1:]), "\0"))
        if verb:
            # 街道实现财政总收入 → 财政总收入; 规上工业企业实现总产值 → 规上工业企业总产值
            name = measure if len(measure) >= 4 else subject + measure
        if len(name) < 2 or name in _SUBJECTLESS:
            continue  # 产值6.62亿元 after 食用菌年产量…: a measure with no subject stays in its sentence
        raw = match.group("value")
        value = _number(raw)
        item: dict[str, Value] = {"name": Value(name, text, "请核对：名称" if len(name) > 10 else None),
                                  "value": Value(value, text, "请核对：原文数值已脱敏" if value is None else None, raw),
                                  "unit": Value(match.group("unit").replace("％", "%"), text)}
        if match.group("growth"):
            growth = _number(match.group("growth"))
            if growth is not None and match.group("dir") in ("下降", "减少"):
                growth = -growth
            item["growth"] = Value(growth, text, "请核对：原文增幅已脱敏" if growth is None else None,
                                   match.group("growth"))
        after = text[match.end("unit"):match.end("unit") + 2]
        if match.group("unit") in ("万", "亿") and after in ("余元", "多元"):
            item["unit"] = Value(match.group("unit") + "元", text)
        if match.group("approx") or after.startswith(("余", "多")):
            item["approx"] = Value(match.group("approx") or "余", text)
        if match.group("estimate") or "预计" in text[:match.start("value")]:
            item["estimate"] = Value(True, text)
        found.append(item)
        starts.append(match.start())
    respectively = _RESPECTIVELY.search(text)
    if respectively and len(found) > 1:
        # 农业总产值5.2亿元、工业总产值3.1亿元，同比分别增长6.2%、-19.3%: one growth each, in order
        listed = re.findall(rf"(-?)({NUMBER.pattern})", respectively.group("list"))
        growths = [None if (n := _number(digits)) is None else (-n if minus else n) for minus, digits in listed]
        before = [item for item, at in zip(found, starts, strict=True) if at < respectively.start()]
        if len(growths) == len(before):
            sign = -1 if respectively.group("dir") in ("下降", "减少") else 1
            for item, growth in zip(before, growths, strict=True):
                if growth is not None:
                    item["growth"] = Value(sign * growth, text, None, respectively.group("list"))
    return found


def _project(text: str) -> dict[str, Value] | None:
    """A project the sentence names by its shape: a name ending in 项目/工程 (or 改造, with money
    beside it), a stage word or an investment after it; a person's work on projects (党委书记带头
    协调解决项目) is none."""
    for match in _PROJECT.finditer(text):
        name = re.sub(r"^(?:推进|实施|完成|开工|建成|加快|全力|积极|启动|新建|扩建)+", "", match.group(1))
        if _NOT_A_PROJECT.search(name) or len(name) < 4:
            continue
        after = text[match.end():match.end() + 30]
        status = next((code for word, code in _STATUS if word in after[:20]), None)
        invest = re.search(rf"(?:总投资|投资|投入)(?:约)?({NUMBER.pattern})(亿元|万元)", after)
        if status is None and invest is None:
            continue
        item = {"name": Value(name, text, "请核对：项目名称")}
        if status is not None:
            item["status"] = Value(status, text)
        if invest:
            item["investment"] = Value({"value": _number(invest.group(1)), "unit": invest.group(2)}, text)
        return item
    return None


#: 对照问题清单，逐项整改到位: the problems part's closing promise is no problem
_RESOLVE = re.compile(r"整改到位|逐项整改|加以解决|认真研究解决|切实解决|在今后(?:的)?工作中|高度重视|"
                      r"^(?:对|针对|对于|面对)(?:上述|以上|这些)")
#: the problems part's lead-in: 我们也清醒地看到，……还存在一些问题和不足：
_PROBLEM_LEAD = re.compile(r"^[^：:]*(?:清醒|看到|认识到|存在|不足|短板|问题|差距|困难)[^：:]*[：:]")
#: a sentence that only announces the problems: 工作中还存在一些问题和不足
_PROBLEM_LEAD_ONLY = re.compile(r"(?:清醒(?:地)?(?:看到|认识到)|存在(?:着)?).{0,16}(?:问题|不足|短板|困难|差距|挑战)$")
#: 三、2025年工作打算: the plan part's own title; what stands under it is its preface
_PLAN_TITLE = re.compile(r"^(?:(?:19|20)[0-9]{2}年)?(?:下半年|下一步|明年)?(?:的)?(?:主要|重点)?(?:工作)?"
                         r"(?:打算|安排|计划|思路)$")
_THINKING = re.compile(r"(?:总体思路|总体要求|工作思路)(?:是|为)?[：:](.+)")


def _plans(out: Extracted, part: Part, topics: list[Topic]) -> None:
    items: list[Value] = []
    preface = not part.heading or bool(_PLAN_TITLE.match(part.heading))
    for sentence in part.sentences:
        text = sentence.text
        thinking = _THINKING.search(text)
        if thinking and out.thinking is None:
            out.thinking = Value(thinking.group(1).rstrip("。；"), text)
            continue
        targets: list[object] = list(_GROWTH_TARGET.finditer(text))
        named = set()
        for match in _GROWTH_TARGET.finditer(text):
            name = _NAME_PREFIX.sub("", match.group("name"))
            named.add(name)
            out.targets.append({"name": Value(name, text), "growth": Value(_number(match.group("growth")), text)})
        if _TARGET_WORDS.search(text):
            # 一般公共预算收入达到1.45亿元: a target by its value, every one of the sentence
            for found in _indicators(text):
                name = str(found["name"].data)
                if name in named or found["value"].data is None:
                    continue
                named.add(name)
                targets.append(found)
                out.targets.append({"name": found["name"], "value": found["value"], "unit": found["unit"]})
        if targets or not _PROMISE.search(text) or (preface and not sentence.lead):
            # a target is held to its figure, not repeated as an item; a slogan or the plan part's
            # preface (2025年是…关键一年，全镇将坚定不移…) promises nothing
            continue
        lead = sentence.lead + "：" if sentence.lead and sentence.lead != text else ""
        items.append(Value(lead + text.rstrip("。；;，,"), text))
    if items:
        out.plan_work.append((_topic(part.heading, topics, None) if part.heading else "下一步工作", items))


def to_yaml(out: Extracted, source: str) -> str:
    """The fact sheet as YAML, every value followed by the sentence it was read from."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def mapping(values: dict[str, Value]) -> CommentedMap:
        node = CommentedMap()
        for key, value in values.items():
            node[key] = value.data
            comment = _comment(value, key == next(iter(values)))
            if comment:
                node.yaml_add_eol_comment(comment, key)
        return node

    root = CommentedMap()
    root.yaml_set_start_comment(f"由 draftgen extract 从“{source}”读出。每个值后的“原文”是它的出处，"
                                "请逐条核对；标“请核对”的尤其要看。")
    for key, value in out.top.items():
        root[key] = value.data
        root.yaml_add_eol_comment(_comment(value, True), key)
    if out.honors:
        root["honors"] = CommentedSeq(h.data for h in out.honors)
        root.yaml_add_eol_comment(f"原文：{_short(out.honors[0].source)}", "honors")
    root["indicators"] = CommentedSeq([mapping(i) for i in out.indicators])
    work = CommentedSeq()
    for topic, items in out.work:
        seq = CommentedSeq()
        for title, facts in items:
            fact_seq = CommentedSeq(f.data for f in facts)
            # facts under no lead of their own (一是…) have no title: the topic is not one
            pairs = [("facts", fact_seq)] if title == topic else [("title", title), ("facts", fact_seq)]
            seq.append(CommentedMap(pairs))
        entry = CommentedMap([("topic", topic), ("items", seq)])
        if topic in out.headings:
            entry.yaml_add_eol_comment(f"原文标题：{_short(out.headings[topic], 40)}", "topic")
        work.append(entry)
    root["work"] = work
    root["projects"] = CommentedSeq([mapping(p) for p in out.projects])
    problems = CommentedSeq(p.data for p in out.problems)
    root["problems"] = problems
    plan_work = CommentedSeq()
    for topic, lines in out.plan_work:
        plan_work.append(CommentedMap([("topic", topic), ("items", CommentedSeq(v.data for v in lines))]))
    root["plans"] = CommentedMap([("targets", CommentedSeq([mapping(t) for t in out.targets])),
                                  ("work", plan_work)])
    if out.thinking is not None:
        root["plans"].insert(0, "thinking", out.thinking.data)
        root["plans"].yaml_add_eol_comment(_comment(out.thinking, True), "thinking")
    yaml = round_trip()
    stream = io.StringIO()
    yaml.dump(root, stream)
    return stream.getvalue()


def _comment(value: Value, with_source: bool) -> str:
    parts = [f"原文：{_short(value.source).rstrip('；;')}"] if with_source else []
    if value.check:
        parts.append(value.check)
    return "；".join(parts) if parts else ""


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
