"""A real report, read into its parts and the facts each part states.

The report is read by the one reader per format (``formats.read.read_draft``: DOCX as
edited, Markdown, plain text); this module only decides which part a paragraph
belongs to (summary, problems, plans) and which sentences carry figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from draftgen.errors import ExtractError
from draftgen.formats.document import HEADING, PARAGRAPH, TITLE, Block, Run
from draftgen.text.numbers import NUMBER
from draftgen.text.patterns import CJK, CN, ITEM_LABEL, REPORT_YEAR, TYPED_SENTENCE

SUMMARY, PROBLEMS, PLANS = "summary", "problems", "plans"

# a heading written inside a paragraph, as plain-text reports do: 一、…。 or （一）…。
_INLINE_HEADING = re.compile(rf"^(?:[{CN}]+、|[（(][{CN}]+[）)])([^。；！？;]{{2,60}}?)(?:[。：:]|$)")
_ORDINAL_LEAD = re.compile(rf"^(?:[{CN}]+是|[0-9]+[.、．])([^。；：:]{{2,30}})[。：:；]")
_PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|困难")
_PLAN_WORDS = re.compile(r"打算|计划|思路|下一步|下步|明年|展望|工作安排|工作重点|目标任务|谋划")
#: 2024年重点工作, 主要工作任务: a plan when it is not an account of how the year's went
_PLAN_TASKS = re.compile(r"重点工作|主要(?:工作)?任务|工作任务")
_ACCOUNT_WORDS = re.compile(r"情况|完成|回顾|成效|成绩|总结|进展|开展")
_HALF_PLAN = re.compile(r"下半年")
_MASK = re.compile(r"[*＊]|[xX]{2,}|[ｘＸ]{2,}")
# named results count as facts even without a figure
_RESULT_WORDS = re.compile(r"获评|荣获|获得|被评为|入选|创成|成功创建|建成|通过验收|上榜")


@dataclass
class Part:
    """One section of the report: its heading and the sentences under it."""

    kind: str
    heading: str
    line: int | None
    sentences: list[Sentence] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    text: str
    lead: str | None  # the item's lead clause (一是… / bold lead) it stands under
    line: int | None


@dataclass
class Report:
    title: str
    parts: list[Part]
    source: str

    def text(self) -> str:
        return "\n".join([self.title, *(s.text for p in self.parts for s in p.sentences)])


# a masked figure counts when a unit follows it: xx.x亿元, x.x%
_MASKED_FIGURE = re.compile(r"(?<![A-Za-z])[xX*＊ｘ]+(?:\.[xX*＊ｘ]+)?"
                            r"(?=亿|万|元|%|％|个|人|户|家|亩|吨|公里|平方|次|件|条|所|项|余)")


def figures(text: str) -> list[str]:
    """The figures in a sentence, years left out; masked figures (xx.x亿元) included."""
    found = [m.group() for m in NUMBER.finditer(text) if not _is_year(text, m)]
    return found + [m.group() for m in _MASKED_FIGURE.finditer(text)]


def _is_year(text: str, match: re.Match[str]) -> bool:
    return len(match.group()) == 4 and text[match.end():match.end() + 1] == "年" \
        and match.group().startswith(("19", "20"))


def is_masked(text: str) -> bool:
    return bool(_MASK.search(text))


def is_fact(text: str) -> bool:
    return bool(figures(text)) or bool(_RESULT_WORDS.search(text))


def _part_kind(heading: str, current: str, year: int | None = None) -> str:
    if _PROBLEM_WORDS.search(heading) and len(heading) <= 40:
        return PROBLEMS
    if _PLAN_WORDS.search(heading) or _HALF_PLAN.search(heading):
        return PLANS
    named = [int(y) for y in REPORT_YEAR.findall(heading)]
    if year is not None and named and min(named) > year and not _ACCOUNT_WORDS.search(heading):
        return PLANS  # 二、2024年重点工作 in a report on 2023
    if _PLAN_TASKS.search(heading) and not _ACCOUNT_WORDS.search(heading) and not (year and year in named):
        return PLANS
    # once the plans have begun, later numbered headings are plan areas
    return PLANS if current == PLANS else SUMMARY


def read_report(path: Path) -> Report:
    """The report at ``path`` split into parts, or a Chinese error if it has no text."""
    from draftgen.formats.read import read_draft

    blocks = read_draft(path).blocks
    if not any(b.text.strip() for b in blocks):
        raise ExtractError(f"“{path.name}”里没有可读的文字（是扫描件或图片吗？），"
                             "请先转成文字（OCR）或另存为带文字的 .docx/.txt。")
    return split_report(blocks, path.name)


def split_report(blocks: list[Block], source: str) -> Report:
    """Title, then the parts in order, each sentence under the lead it belongs to."""
    title = ""
    parts: list[Part] = [Part(SUMMARY, "", None)]
    top = SUMMARY
    # the report's year (its title or first lines): a heading naming a later one is the plan
    year: int | None = None
    for block in _unwrapped(blocks):
        text = block.text.strip()
        if _PAGE_MATTER.search(text):
            continue  # 发布日期: … 信息来源: …, 现在，我代表…向大会报告: the page's and the speech's, not the report's
        if year is None and (found := REPORT_YEAR.search(text)) is not None:
            year = int(found.group(1))
        if not title and _typed_title(block, parts):
            title = text  # a title typed by hand: a short first line, centred and bold in Word or not
            continue
        heading = text if block.kind == HEADING else None
        body = "" if heading else text
        inline = _INLINE_HEADING.match(text) if heading is None else None
        if inline:
            heading, body = inline.group(1), text[inline.end():]
        if heading is not None:
            level = block.level or (1 if not text.startswith(("（", "(")) else 2)
            kind = _part_kind(heading, top, year)
            if level <= 1 or kind != parts[-1].kind:
                top = kind if level <= 1 else top
                parts.append(Part(kind, _clean_heading(heading), block.line))
            elif kind == parts[-1].kind and level >= 2:
                parts.append(Part(kind, _clean_heading(heading), block.line))
        _add_sentences(parts[-1], body, block.line)
    return Report(title, [p for p in parts if p.sentences or p.heading], source)


#: what a web page or a speech wraps around a report: its date and source, the address to the congress
_PAGE_MATTER = re.compile(r"^(?:发布日期|发布时间|信息来源|来源|浏览次数|字号|作者|编辑)[：:]|"
                          r"^(?:——)?[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日在|^现在[，,]?我代表|^各位代表[：:]|"
                          r"^请(?:各位代表)?予(?:以)?审议")
#: a line that ends a sentence or a heading's words; a longer one without it runs on in the next
_LINE_END = re.compile(r"[。！？；：:;!?”」）)…]$")
#: the spaces and half-width marks of a text laid out from a PDF: 3.48 亿元, 2022 年, 镇政府在县委,县政府
_LAYOUT_SPACE = re.compile(rf"(?<=[{CJK}0-9%％])[ \u3000]+(?=[{CJK}0-9%％])|(?<=[{CJK}])[ \u3000]+(?=[A-Za-z])")
_HALF_MARKS = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_HALF_MARK = re.compile(rf"(?<=[{CJK}0-9%％”）)])([,;:!?])(?![0-9]{{3}}(?![0-9]))|([(])(?=[{CJK}])|(?<=[{CJK}])([)])")


def _tidy(text: str) -> str:
    """A line of a report as a Chinese text would have it: no spaces between characters and figures,
    full-width marks between Chinese words (a thousands separator 1,234 stays)."""
    text = _LAYOUT_SPACE.sub("", text)
    return _HALF_MARK.sub(lambda m: _HALF_MARKS[m.group(m.lastindex or 0)], text)


def _unwrapped(blocks: list[Block]) -> list[Block]:
    """The blocks with the lines a PDF's layout broke joined again (a paragraph line of 18 or more
    characters that ends in no mark runs on in the next paragraph line) and tidied."""
    out: list[Block] = []
    for block in blocks:
        text = _tidy(block.text.strip())
        previous = out[-1] if out else None
        if (previous is not None and previous.kind == block.kind == PARAGRAPH and len(previous.text) >= 18
                and not _LINE_END.search(previous.text) and not _INLINE_HEADING.match(text)
                and not ITEM_LABEL.match(text)):  # 二是…: a new item, whatever the line before ended in
            out[-1] = replace(previous, runs=(Run(previous.text + text),))
            continue
        out.append(replace(block, runs=(Run(text),)) if text != block.text else block)
    return out


_TITLE_WORDS = re.compile(r"总结|报告|打算|汇报|情况")


def _typed_title(block: Block, parts: list[Part]) -> bool:
    """Whether ``block`` is the report's title: one the reader took for a title, or, before any
    text, a short line that names a report (青川镇2023年工作总结) and ends in no sentence mark."""
    if block.kind == TITLE:
        return True
    text = block.text.strip()
    return (block.kind != HEADING and not any(p.sentences or p.heading for p in parts)
            and len(text) <= 40 and bool(_TITLE_WORDS.search(text)) and not re.search(r"[。；！？]$", text))


def _clean_heading(text: str) -> str:
    text = re.sub(rf"^(?:[{CN}]+、|[（(][{CN}]+[）)]|[0-9]+[.、．])", "", text).strip()
    return text.rstrip("。：:；")


def _add_sentences(part: Part, text: str, line: int | None) -> None:
    start = len(part.sentences)
    _split_sentences(part, text, line)
    added = part.sentences[start:]
    # 一是扩大茶园面积。新建…: the lead on its own stands for itself only when nothing follows under it
    # (a problem is a statement even when a sentence follows: 三是干部队伍年龄偏大。对上述问题……)
    if part.kind == PROBLEMS:
        return
    part.sentences[start:] = [s for i, s in enumerate(added)
                              if not (s.text == s.lead and i + 1 < len(added) and added[i + 1].lead == s.lead)]


def _split_sentences(part: Part, text: str, line: int | None) -> None:
    lead: str | None = None
    for raw in TYPED_SENTENCE.findall(text):
        sentence = raw.strip(" \u3000")
        if not sentence:
            continue
        match = _ORDINAL_LEAD.match(sentence)
        if match:
            lead = match.group(1).strip()
            rest = sentence[match.end():].strip()
            sentence = rest or lead  # 二是建设冷链仓储中心。: the lead is the whole of it
        part.sentences.append(Sentence(sentence, lead, line))
