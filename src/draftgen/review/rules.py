"""The rules. Each takes the draft and the settings and yields findings.

Year rules read the dated markers of the phrase bank (role ``year.marker``), not
a list kept here; fact rules read the fact sheet through the same arithmetic the
drafting uses (:mod:`draftgen.text.numbers`, :mod:`draftgen.review.fidelity`).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from draftgen.bank.calendar import Calendar, date_words, writing_date
from draftgen.bank.phrasebank import Entry, PhraseBank
from draftgen.findings import ERROR, HINT, WARNING, Finding
from draftgen.formats.document import HEADING, PARAGRAPH, SIGNATURE
from draftgen.formats.read import DEFAULT_LIMITS, Limits
from draftgen.review.fidelity import allowed_numbers, number_key, sheet_numbers
from draftgen.review.lexicon_rules import collocations, evaluation_repeats, unearned, unlicensed
from draftgen.review.model import Draft, Located, excerpt
from draftgen.sheet.model import FactSheet, Indicator, indicator_change
from draftgen.text.numbers import FIGURE, NUMBER, dec, dstr, fmt, numeral_value
from draftgen.text.patterns import CJK, CN, LEVEL_LABEL, PLACEHOLDER, SENTENCE, YEAR


@dataclass
class Settings:
    """Thresholds a county may tune in a config file (`draftgen check --config`)."""

    ignore: set[str] = field(default_factory=set)
    #: word → how often a draft may use it, over the phrase bank's lexicon (``overused:``)
    overused: dict[str, int] = field(default_factory=dict)
    repeat_min_chars: int = 12
    heading_length_tolerance: int = 8
    limits: Limits = DEFAULT_LIMITS  # how big a DOCX may be (zip bombs, huge archives)


# -- leftovers ---------------------------------------------------------------

_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{[a-z_]+\}|\{…\}|[\ue000\ue001]")


def leftovers(draft: Draft, settings: Settings) -> Iterator[Finding]:
    for item in draft.blocks:
        text = item.text
        for match in PLACEHOLDER.finditer(text):
            yield Finding("leftover.placeholder", ERROR, draft.where(item), match.group(),
                          "还有没补写的内容，请用实际情况替换这个占位符。")
        for match in _TEMPLATE.finditer(text):
            yield Finding("leftover.template", ERROR, draft.where(item), excerpt(text, match.start(), match.end()),
                          "残留了模板语法或槽位，请改成实际文字。")
    generated = [(a, t) for a, t in draft.comments if a == "draftgen"]
    if generated:
        yield Finding("leftover.comment", ERROR, "批注", generated[0][1][:40],
                      f"还有 {len(generated)} 条 draftgen 生成的来源批注，定稿前请在 Word 中“删除所有批注”。")


# -- the year ------------------------------------------------------------------


_QUOTES = "“”\"'‘’「」"


_NO_QUOTES = str.maketrans("", "", _QUOTES)
#: how far either side of a year marker its exempting words may stand
_NEAR = 14


def _unquoted(text: str) -> tuple[str, list[int]]:
    """The text without quotation marks, and where each kept character was."""
    kept = [(ch, i) for i, ch in enumerate(text) if ch not in _QUOTES]
    return "".join(ch for ch, _ in kept), [i for _, i in kept]


_Marker = tuple[str, str, tuple[int | None, int | None]]  # text, text without quotation marks, years


def _year_markers(bank: PhraseBank) -> tuple[list[Entry], list[_Marker]]:
    """The phrase bank's dated formulations (role ``year.marker``), and for each its text,
    the text without quotation marks and its years, longest first."""
    entries = [e for e in bank.by_role("year.marker") if e.years]
    markers = [(e.text, _unquoted(e.text)[0], e.years) for e in entries if e.years is not None]
    markers.sort(key=lambda m: -len(m[1]))
    return entries, markers


def _anywhere(markers: list[_Marker]) -> re.Pattern[str] | None:
    """One alternation of the markers' texts (without quotation marks), longest first."""
    return re.compile("|".join(re.escape(needle) for _, needle, _ in markers)) if markers else None


def year_wording(draft: Draft, settings: Settings) -> Iterator[Finding]:
    # "十四五"开局之年, “十四五”开局之年 and 十四五开局之年 are the same wording
    entries, markers = _year_markers(draft.phrases)
    calendar = Calendar.of(entries)
    written = _written(draft)
    exempt = {e.text: e.exempt for e in entries if e.exempt}
    # one alternation to find the paragraphs with any marker at all (most have none),
    # and each marker's pattern compiled once, not once a paragraph
    anywhere = _anywhere(markers)
    patterns = [(marker, re.compile(re.escape(needle)), years) for marker, needle, years in markers]
    for item in draft.blocks:
        text = item.text
        if anywhere is None or not anywhere.search(text.translate(_NO_QUOTES)):
            continue
        # a guiding line that leaves out the congress or plenum held by the writing day
        for clause in _GUIDE.findall(text):
            missing = calendar.behind(clause, written)
            if missing is not None:
                at = text.index(clause)
                yield Finding("year.wording", WARNING, draft.where(item), excerpt(text, at, at + len(clause)),
                              f"写稿时（{date_words(written)}）已开过{missing}，这里的指导思想没有提到；"
                              "请补上，或写“历次全会精神”。")
        bare, where = _unquoted(text)
        taken: list[tuple[int, int]] = []
        for marker, pattern, (start, end) in patterns:
            for found in pattern.finditer(bare):
                match = _Span(where[found.start()], where[found.end() - 1] + 1)
                if any(a <= match.start() < b for a, b in taken):
                    continue  # a longer marker already covers this spot
                taken.append((match.start(), match.end()))
                near = text[max(0, match.start() - _NEAR):match.end() + _NEAR]
                if any(word in near for word in exempt.get(marker, ())):
                    continue  # the same words in their other sense (动态清零 of a monitoring list)
                since = calendar.dates.get(marker)
                if since is not None and since > written:
                    # a report written in July cannot quote a plenum of that July's end
                    yield Finding("year.wording", ERROR, draft.where(item), excerpt(text, match.start(), match.end()),
                                  f"“{marker}”是{date_words(since)}才有的提法，{date_words(written)}写的稿子里不会有，"
                                  "请换成写稿时已有的表述。")
                    continue
                if (start is None or item.year >= start) and (end is None or item.year <= end):
                    continue
                span = f"{start}—{end}年" if start != end else f"{start}年"
                yield Finding("year.wording", ERROR, draft.where(item), excerpt(text, match.start(), match.end()),
                              f"“{marker}”是{span}的提法，这里写的是{item.year}年，请换成当年的表述。")


#: a guiding line: 党的…大…精神 within one clause
_GUIDE = re.compile(r"党的[^，。；]*(?:大|全会)[^，。；]*精神")


def _written(draft: Draft) -> str:
    """The day the draft is taken to be written: its sheet's date, the date under its signature,
    else the end of the year (annual) or the first of July (half-year)."""
    dated = getattr(draft.facts, "date", None)
    if not dated:
        for item in draft.blocks[-3:]:
            found = _DATE.fullmatch(item.text.strip())
            if found and found.group(3):
                dated = "{}-{:02d}-{:02d}".format(*(int(g) for g in found.groups()))
    return writing_date(draft.year, draft.form == "half-year", dated)


@dataclass(frozen=True)
class _Span:
    begin: int
    finish: int

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish




def year_headings(draft: Draft, settings: Settings) -> Iterator[Finding]:
    for item in draft.blocks:
        if item.block.kind != HEADING or item.block.level != 1:
            continue
        for match in YEAR.finditer(item.text):
            year = int(match.group(1))
            expected = draft.year + 1 if item.in_plan and draft.form != "half-year" else draft.year
            if year != expected:
                part = "打算部分" if item.in_plan else "工作部分"
                yield Finding("year.heading", ERROR, draft.where(item), item.text,
                              f"{part}的标题应写{expected}年，这里写的是{year}年。")


_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?")


def year_dates(draft: Draft, settings: Settings) -> Iterator[Finding]:
    for item in draft.blocks:
        for match in _DATE.finditer(item.text):
            year, month = int(match.group(1)), int(match.group(2))
            if item.block.kind == SIGNATURE:
                ok = year == draft.year or (year == draft.year + 1 and month <= 3)
            elif item.in_plan:
                ok = year in (draft.year, draft.year + 1)
            else:
                ok = year == draft.year and (draft.form != "half-year" or month <= 12)
            if not ok:
                yield Finding("year.date", WARNING, draft.where(item), excerpt(item.text, match.start(), match.end()),
                              f"日期不在{draft.year}年的总结期内，请核对。")


# -- structure -------------------------------------------------------------------

_ITEM = re.compile(rf"(?:^|[。；：\n])\s*\**([{CN}]+)是")


def sequences(draft: Draft, settings: Settings) -> Iterator[Finding]:
    counters: dict[int, int] = {}  # headings of each level so far
    written: dict[int, int] = {}  # the number the last of them was written with
    written_labels: dict[int, str] = {}
    seen_levels: set[int] = set()
    item_count = 0
    for item in draft.blocks:
        block = item.block
        if block.kind == HEADING:
            level = block.level
            match = LEVEL_LABEL.get(level, re.compile("$^")).match(block.text)
            if level > 1 and level - 1 not in seen_levels:
                yield Finding("structure.parent", ERROR, draft.where(item), block.text[:20],
                              f"这一级标题前面没有上一级标题（{'一、' if level == 2 else '（一）'}）。")
            seen_levels.add(level)
            for deeper in [k for k in counters if k > level]:
                del counters[deeper]
                written.pop(deeper, None)
            if match:
                value = numeral_value(match.group(1))
                position = counters.get(level, 0) + 1
                previous = written.get(level)
                # one slip is one finding: after 一二五, 四 (the fourth heading) is no error of its own,
                # and after 一二四五, 五 follows the 四 written before it
                if value not in (position, (previous or 0) + 1):
                    before = f"（前一个是“{written_labels[level]}”）" if previous is not None else ""
                    yield Finding("structure.sequence", ERROR, draft.where(item), block.text[:20],
                                  f"序号跳了或乱了：这是这一级的第{position}个标题，写成了“{match.group(1)}”{before}。")
                counters[level] = position
                written[level] = value
                written_labels[level] = match.group(1)
            item_count = 0
            continue
        if block.kind != PARAGRAPH:
            continue
        for match in _ITEM.finditer(block.text):
            value = numeral_value(match.group(1))
            if value == 1:
                item_count = 1
                continue
            if value != item_count + 1:
                yield Finding("structure.sequence", ERROR, draft.where(item),
                              excerpt(block.text, match.start(1), match.end() + 6, pad=0),
                              f"“{match.group(1)}是”前面应是第{item_count + 1}项，序号跳了或乱了。")
            item_count = value


_LABEL = rf"(?:[{CN}]+、|（[{CN}]+）|[0-9]+[.．](?![0-9])|[0-9]+、)"
_DOUBLE_LABEL = re.compile(rf"^\s*({_LABEL})\s*({_LABEL})")


def double_numbers(draft: Draft, settings: Settings) -> Iterator[Finding]:
    """`一、（一）…`: a heading style's automatic number in front of the typed one."""
    for item in draft.blocks:
        if item.block.kind != HEADING:
            continue
        match = _DOUBLE_LABEL.match(item.text)
        if match:
            yield Finding("structure.double-number", ERROR, draft.where(item), item.text[:20],
                          f"标题带了两层序号（“{match.group(1)}”和“{match.group(2)}”），多半是标题样式的自动编号"
                          "加上了手打的序号。请在 Word/WPS 里取消这个样式的自动编号，或删去手打的序号，只留一个。")


def parallel_headings(draft: Draft, settings: Settings) -> Iterator[Finding]:
    siblings: dict[tuple[tuple[str, ...], int], list[Located]] = defaultdict(list)
    for item in draft.blocks:
        if item.block.kind == HEADING and item.block.level >= 2:
            siblings[(item.path, item.block.level)].append(item)
    for group in siblings.values():
        if len(group) < 3:
            continue
        bodies = [LEVEL_LABEL[2].sub("", g.text) if g.block.level == 2 else g.text for g in group]
        lengths = sorted(len(b) for b in bodies)
        median = lengths[len(lengths) // 2]
        shapes = Counter(re.sub(r"[^，、；]", "", b) for b in bodies)
        common = shapes.most_common(1)[0][0]
        leads: dict[str, str] = {}
        shared = len(os.path.commonprefix(bodies))  # noqa: RUF071 - a family's shared opening (坚持…)
        for item, body in zip(group, bodies, strict=True):
            if abs(len(body) - median) > settings.heading_length_tolerance:
                yield Finding("structure.parallel", WARNING, draft.where(item), body,
                              f"与同级标题长短相差太多（{len(body)} 字，同级多为 {median} 字）。")
            elif re.sub(r"[^，、；]", "", body) != common and shapes[common] >= 2:
                yield Finding("structure.parallel", WARNING, draft.where(item), body,
                              "与同级标题的句式不一致（标点和分句不同）。")
            lead = body[shared:shared + 2]
            if lead in leads:
                yield Finding("structure.parallel", WARNING, draft.where(item), body,
                              f"领头词“{lead}”与同级标题“{leads[lead]}”重复。")
            leads.setdefault(lead, body)


# -- wording ----------------------------------------------------------------------



def repeats(draft: Draft, settings: Settings) -> Iterator[Finding]:
    seen: dict[str, Located] = {}
    for item in draft.blocks:
        if item.block.kind not in (PARAGRAPH, HEADING):
            continue
        # a placeholder asked for twice is one fact still missing (leftover.placeholder says so), not a repeat
        for match in SENTENCE.finditer(PLACEHOLDER.sub("", item.text)):
            for clause in re.split(r"[，：]", match.group().strip("。！？； ")):
                clause = re.sub(rf"^\**[{CN}]+是", "", clause.strip("* "))
                if len(clause) < settings.repeat_min_chars:
                    continue
                if clause in seen:
                    yield Finding("wording.repeat", WARNING, draft.where(item), clause,
                                  f"这句话前面（{draft.where(seen[clause])}）已经出现过，请换个说法或删去一处。")
                else:
                    seen[clause] = item


def overused(draft: Draft, settings: Settings) -> Iterator[Finding]:
    # headings are left out: a frame family repeats its opening word by design (持续…，持续…);
    # so are the year's set formulations (进一步全面深化改革): no writer may reword them
    wording = _anywhere(_year_markers(draft.phrases)[1])
    paragraphs = [(i, wording.sub("\n", i.text.translate(_NO_QUOTES)) if wording else i.text)
                  for i in draft.blocks if i.block.kind == PARAGRAPH]
    body = "\n".join(text for _, text in paragraphs)
    for word, limit in {**draft.phrases.lexicon.overused, **settings.overused}.items():
        count = body.count(word)
        if count > limit:
            first = next(i for i, text in paragraphs if word in text)
            yield Finding("wording.overused", HINT if count <= limit + 2 else WARNING, draft.where(first), word,
                          f"“{word}”用了 {count} 次（建议不超过 {limit} 次），读起来显得套话多。")




_HALF = re.compile(rf"[{CJK}][,;:!?]|[,;:!?][{CJK}]|\"[^\"]*[{CJK}][^\"]*\"|\([^()]*[{CJK}][^()]*\)")


def half_width(draft: Draft, settings: Settings) -> Iterator[Finding]:
    for item in draft.blocks:
        for match in _HALF.finditer(item.text):
            yield Finding("wording.half-width", WARNING, draft.where(item),
                          excerpt(item.text, match.start(), match.end(), pad=4),
                          "中文里用了半角标点，请改成全角（，；：“”（））。")


_PAIRS = {"“": "”", "（": "）", "《": "》", "【": "】", "‘": "’"}


def brackets(draft: Draft, settings: Settings) -> Iterator[Finding]:
    closing = {v: k for k, v in _PAIRS.items()}
    for item in draft.blocks:
        stack: list[tuple[str, int]] = []
        for pos, ch in enumerate(item.text):
            if ch in _PAIRS:
                stack.append((ch, pos))
            elif ch in closing:
                if stack and stack[-1][0] == closing[ch]:
                    stack.pop()
                else:
                    yield Finding("wording.brackets", ERROR, draft.where(item), excerpt(item.text, pos, pos + 1),
                                  f"“{ch}”没有对应的“{closing[ch]}”。")
                    break
        else:
            for ch, pos in stack[:1]:
                yield Finding("wording.brackets", ERROR, draft.where(item), excerpt(item.text, pos, pos + 1),
                              f"“{ch}”没有对应的“{_PAIRS[ch]}”。")


# -- facts ---------------------------------------------------------------------


_ANY_DATE = re.compile(r"(?:(?:19|20)\d{2}年)?\d{1,2}月(?:\d{1,2}日|底|初|中旬|上旬|下旬|末)?|(?:19|20)\d{2}年")


def facts_rules(draft: Draft, settings: Settings) -> Iterator[Finding]:
    facts: FactSheet | None = draft.facts
    if facts is None:
        return
    # a figure changed by hand is one finding, not three: the stale figure (an error) says it
    # all, so the same new number is not also reported as unknown, nor the old one as missing
    judged = [*_fact_clauses(draft, facts), *_indicator_rules(draft, facts)]
    errors = [finding for finding, _ in judged]
    new_numbers = {(f.location, number_key(m.group())) for f, replaced in judged if replaced
                   for m in NUMBER.finditer(f.excerpt)}
    old_numbers = {key for _, replaced in judged for key in replaced}
    must, _ = sheet_numbers(facts, draft.form)
    allowed = allowed_numbers(facts, draft.form)
    seen: set[Decimal] = set()
    for item in draft.blocks:
        # dates (the signature's, 截至11月20日, 5月底) are when, not what: not facts to check
        dates = [m.span() for m in _ANY_DATE.finditer(item.text)]
        for match in NUMBER.finditer(item.text):
            key = number_key(match.group())
            seen.add(key)
            if item.block.kind == SIGNATURE or any(a <= match.start() < b for a, b in dates):
                continue
            if key not in allowed and (draft.where(item), key) not in new_numbers:
                yield Finding("fact.unknown-number", WARNING, draft.where(item),
                              excerpt(item.text, match.start(), match.end()),
                              f"数字 {match.group()} 不在事实表里，也不能由事实表算出；请核对，或把它补进事实表。")
    reported: set[Decimal] = set(old_numbers)
    half_said = facts.cutoff == 6 and any("上半年" in item.text for item in draft.blocks)
    for sourced in must:
        key = number_key(sourced.text)
        if sourced.where == "cutoff_month" and half_said:
            continue  # 上半年 says what 1—6月 says
        if not sourced.found_in(seen) and key not in reported:
            reported.add(key)
            yield Finding("fact.missing", WARNING, sourced.where, sourced.text,
                          f"事实表里的 {sourced.text}（{sourced.where}）在稿子里没有了，请确认是否有意删去。")
    yield from errors


def _sheet_clauses(facts: FactSheet) -> list[tuple[str, str]]:
    """(clause with figures, where in the sheet) for the sheet's sentences."""
    out = []
    texts = [(f, f"work › {w.topic}") for w in facts.work for i in w.items for f in i.facts]
    texts += [(p.progress, f"projects › {p.name}") for p in facts.projects if p.progress]
    texts += [(line, f"plans › work › {w.topic}") for w in facts.plans.work for line in w.items]
    for text, where in texts:
        for clause in re.split(r"[，；。]", text):
            if NUMBER.search(clause):
                out.append((clause.strip(), where))
    return out


#: a fact finding, with the sheet's figures that the draft's figures there stand in place of
Judged = tuple[Finding, frozenset[Decimal]]

#: a figure's unit as a report may write it: 12起（件）, 215人(次), 30余处
_UNIT_AFTER = r"(?:余|多)?(?:[（(][^）)]{1,3}[）)])?"


def _said_otherwise(clause: str, text: str) -> bool:
    """Whether the draft says the sheet's clause in other words: each of its figures with its
    unit (12件 in 12起（件）), and the words around the first alike enough (讲党课8堂 in 共讲党课8堂)."""
    from difflib import SequenceMatcher

    figures = [(m.group(), clause[m.end():m.end() + 1]) for m in NUMBER.finditer(clause)]
    if not figures:
        return False
    spans = []
    for figure, unit in figures:
        unit_re = rf"{_UNIT_AFTER}[^，。；]{{0,2}}?{re.escape(unit)}" if unit and not unit.isdigit() else ""
        alt = rf"|(?<![0-9.]){re.escape(figure)}(?:余|多)?[（(]{re.escape(unit)}[）)]" if unit_re else ""
        found = re.search(rf"(?<![0-9.]){re.escape(figure)}(?![0-9.]){unit_re}{alt}", text)
        if found is None:
            return False
        spans.append(found.start())
    at = spans[0]
    window = text[max(0, at - len(clause) - 4):at + len(clause) + 4]
    words = re.sub(r"[0-9.\s]+", "", clause)  # (a report laid out from a PDF: 产量 12209.2 吨)
    found_words = re.sub(r"[0-9.\s]+", "", window)
    return SequenceMatcher(None, words, found_words).find_longest_match().size >= min(3, len(words))


def _fact_clauses(draft: Draft, facts: FactSheet) -> Iterator[Judged]:
    """A sheet sentence whose figures changed in the draft (stale), or that is gone."""
    body = [(item, clause) for item in draft.blocks if item.block.kind == PARAGRAPH
            for clause in re.split(r"[，；。：]", item.text)]
    text = "\n".join(item.text for item in draft.blocks)
    by_shape: dict[str, tuple[Located, str]] = {}
    for item, clause in body:
        clause = re.sub(rf"^\**[{CN}]+是", "", clause.strip("* "))
        by_shape.setdefault(NUMBER.sub("#", clause), (item, clause))
    # a report laid out from a PDF breaks its sentences over lines and spaces its figures (2027 亩)
    flat = re.sub(r"\s+", "", text)
    for clause, where in _sheet_clauses(facts):
        if clause in text or re.sub(r"\s+", "", clause) in flat or _said_otherwise(clause, text):
            continue
        twin = by_shape.get(NUMBER.sub("#", clause))
        if twin is not None:
            yield (Finding("fact.stale", ERROR, draft.where(twin[0]), twin[1],
                           f"事实表里写的是“{clause}”（{where}），稿子里的数字不一致，请更新。"),
                   frozenset(number_key(m.group()) for m in NUMBER.finditer(clause)))
        else:
            yield (Finding("fact.missing", WARNING, where, clause,
                           f"事实表里的“{clause}”（{where}）在稿子里找不到了，请确认是否有意删去。"), frozenset())


_TABLE_ROW = re.compile(r"^(.*表[0-9]+ 第[0-9]+行)第[0-9]+列$")


def _cell_at(cells: list[Located], starts: list[int], at: int) -> Located:
    return cells[max(i for i, start in enumerate(starts) if start <= at)]


def _statements(draft: Draft) -> Iterator[tuple[str, Callable[[int], Located]]]:
    """Body text to read figures in, with the block at an offset: a paragraph, or a
    table row read across its cells (`地区生产总值 | 41.8 | 亿元`)."""
    row: list[Located] = []
    row_key: str | None = None
    for item in [*draft.blocks, None]:
        match = _TABLE_ROW.match(item.block.where or "") if item is not None else None
        key = match.group(1) if match else None
        if row and key != row_key:
            cells = list(row)
            starts = [sum(len(c.text) for c in cells[:i]) for i in range(len(cells))]
            yield "".join(c.text for c in cells), partial(_cell_at, cells, starts)
            row = []
        if item is None or item.in_plan or item.block.kind != PARAGRAPH:
            continue
        if key is not None:
            row.append(item)
            row_key = key
        else:
            yield item.text, partial(_cell_at, [item], [0])


def _indicator_rules(draft: Draft, facts: FactSheet) -> Iterator[Judged]:
    for ind in facts.indicators:
        if ind.value is None or not ind.unit:
            continue
        name = re.escape(ind.name)
        unit = re.escape(ind.unit)
        # 地区生产总值43.5亿元 in text; 地区生产总值（亿元） | 43.5 in a table row read across its cells
        value_re = re.compile(rf"{name}[^，；。0-9]{{0,10}}?({FIGURE})\s*(?:余|多)?{unit}|"
                              rf"{name}\s*[（(]{unit}[）)][^，；。0-9]{{0,6}}?({FIGURE})(?![0-9.])")
        change = indicator_change(ind)
        for text, block_at in _statements(draft):
            for match in value_re.finditer(text):
                group = 1 if match.group(1) is not None else 2
                item, written = block_at(match.start(group)), match.group(group)
                if number_key(written) != dec(ind.value).normalize():
                    yield (Finding("fact.stale", ERROR, draft.where(item),
                                   excerpt(text, match.start(), match.end(), pad=0),
                                   f"{ind.name}写的是 {written}，事实表里是 {dstr(dec(ind.value))}，请更新。"),
                           frozenset({dec(ind.value).normalize()}))
                if change is None or change.direction == 0:
                    continue
                tail = text[match.end():]
                clause = re.split(r"[；。]", tail, maxsplit=1)[0]
                moved = re.search(rf"(增长|增加|上升|提高|下降|减少|回落|降低)({FIGURE})(%|个百分点)", clause)
                if not moved:
                    continue
                up = moved.group(1) in ("增长", "增加", "上升", "提高")
                at = match.end() + moved.start()
                if up != (change.direction > 0):
                    yield (Finding("fact.direction", ERROR, draft.where(item),
                                   excerpt(text, at, at + len(moved.group()), pad=0),
                                   f"{ind.name}实际是{'增长' if change.direction > 0 else '下降'}，"
                                   f"这里写成了“{moved.group(1)}”。"), frozenset())
                elif number_key(moved.group(2)) not in _magnitudes(ind, change.magnitude):
                    yield (Finding("fact.growth", ERROR, draft.where(item),
                                   excerpt(text, at, at + len(moved.group()), pad=0),
                                   f"{ind.name}的变化幅度按事实表应为 {change.magnitude}"
                                   f"{'个百分点' if change.points else '%'}，这里写的是 {moved.group(2)}。"),
                           frozenset({number_key(change.magnitude)}))


def _magnitudes(ind: Indicator, magnitude: str) -> set[Decimal]:
    """The change's size as a draft may print it: as computed (28.7), or as the sheet gives the
    growth (28.69: a report keeps its own decimals)."""
    out = {number_key(magnitude)}
    if ind.growth is not None:
        out.add(number_key(fmt(abs(ind.growth))))
    return out


Rule = Callable[[Draft, Settings], Iterator[Finding]]

ALL_RULES: list[Rule] = [leftovers, year_wording, year_headings, year_dates, sequences, double_numbers,
                         parallel_headings, repeats, overused, half_width, brackets, facts_rules,
                         collocations, unearned, unlicensed, evaluation_repeats]
