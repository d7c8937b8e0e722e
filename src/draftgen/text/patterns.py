"""The shapes of Chinese report text, said once: the range of Chinese characters, numbering
labels (一、 （一） 1. 一是), where sentences and clauses end, a year, the placeholder for a
missing fact, a phrase-bank slot. Knows nothing of a fact sheet; figures are in
:mod:`draftgen.text.numbers`."""

from __future__ import annotations

import re

#: the one range of Chinese characters: the unified ideographs with extension A, and the
#: compatibility ideographs (a rule that stops at 一 misses 䶮, which --fix still mends)
CJK = "\u3400-\u9fff\uf900-\ufaff"
#: the numerals of numbering labels and ordinal items
CN = "一二三四五六七八九十"

#: a heading's numbering label by level, with the label's numeral as group 1
LEVEL_LABEL = {1: re.compile(rf"^([{CN}]+)、"), 2: re.compile(rf"^（([{CN}]+)）"), 3: re.compile(r"^([0-9]+)[.．]")}
#: the label an item or heading opens with: 一是 （一） 一、
ITEM_LABEL = re.compile(rf"^(?:[{CN}]+是|（[{CN}]+）|[{CN}]+、)")

#: what ends a sentence in a report
SENTENCE_ENDS = "。！？；"
#: a sentence with its end
SENTENCE = re.compile(rf"[^{SENTENCE_ENDS}]+[{SENTENCE_ENDS}]?")
#: a sentence of a report typed with half-width semicolons too
TYPED_SENTENCE = re.compile(rf"[^{SENTENCE_ENDS};]+[{SENTENCE_ENDS};]?")
#: where a paragraph parts into sentences (each keeps its end)
AFTER_SENTENCE = re.compile(rf"(?<=[{SENTENCE_ENDS}])")
SENTENCE_END = re.compile(rf"[{SENTENCE_ENDS}]")
#: what ends a clause
CLAUSE_ENDS = "，。；：！？"
CLAUSE_END = re.compile(rf"[{CLAUSE_ENDS}]")

#: a year as a title or heading writes it (2024年), the year as group 1
YEAR = re.compile(r"(\d{4})年")
#: a year of these reports as they name it: 2024年 (not 1234年 or a figure before 年)
REPORT_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")


_REVIEWED_YEAR = re.compile(r"((?:19|20)[0-9]{2})[ ]?年(?:上半年|全年|度)?(?:主要)?(?:工作)?"
                            r"(?:回顾|总结|情况|完成情况)")


def report_year(text: str) -> int | None:
    """The year a report is about: the year its review names (2022年工作回顾 in the 2023 report to
    the congress, 2024年工作总结 in a title), else the earliest year of its opening — the summary's
    year opens a report, the plan's comes later."""
    reviewed = _REVIEWED_YEAR.search(text[:3000])
    if reviewed is not None:
        return int(reviewed.group(1))
    years = [int(m.group(1)) for m in REPORT_YEAR.finditer(text[:600])]
    return min(years) if years else None

#: a fact the sheet does not give, as a draft shows it
PLACEHOLDER_OPEN = "【待补充："
PLACEHOLDER = re.compile(rf"{PLACEHOLDER_OPEN}[^】]*】")


def placeholder(what: str) -> str:
    """The visible mark for a fact the sheet does not give."""
    return f"{PLACEHOLDER_OPEN}{what}】"


#: a phrase-bank slot ({领域}), its name as group 1
SLOT = re.compile(r"\{([^{}]*)\}")


def around_slots(text: str) -> list[str]:
    """The fixed pieces of a formulation, between its slots."""
    return SLOT.split(text)[::2]
