"""Read a DOCX back into draft blocks: the one draftgen wrote, or one a writer
edited in Word/WPS — with comments, tracked changes (read as accepted: insertions
kept, deletions dropped) and Word's own automatic numbering (its 一、/（一）
labels rebuilt from the numbering definitions)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from draftgen.document import HEADING, PARAGRAPH, SIGNATURE, SUBTITLE, TITLE, Block, Run, normalize_runs
from draftgen.errors import InputFileError
from draftgen.numbers import chinese_numeral

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")
_LEVEL3 = re.compile(r"^\d+[.．]")
_SENTENCE_END = re.compile(r"[。；！？]")


def _style_chain(style: Any) -> list[Any]:
    chain = []
    while style is not None and style not in chain:
        chain.append(style)
        style = style.base_style
    return chain


def _outline_level(paragraph: Any, styles: list[Any]) -> int | None:
    for ppr in [paragraph._p.pPr] + [s.element.pPr for s in styles]:
        if ppr is None:
            continue
        level = ppr.find(qn("w:outlineLvl"))
        if level is not None:
            value = int(level.get(qn("w:val")))
            return value if value < 9 else None
    return None


def _kind(paragraph: Any, text: str, numbered: bool) -> tuple[str, int]:
    styles = _style_chain(paragraph.style)
    names = [s.name or "" for s in styles]
    for name in names:
        low = name.lower()
        if low in ("title", "标题"):
            return TITLE, 0
        if low in ("subtitle", "副标题"):
            return SUBTITLE, 0
        if name in ("落款单位", "落款日期", "落款"):
            return SIGNATURE, 0
        match = _HEADING_STYLE.match(name)
        if match:
            return HEADING, int(match.group(1))
    outline = _outline_level(paragraph, styles)
    if outline is not None:
        return HEADING, outline + 1
    # a document without styles: the sequence numbers say what a line is
    short = len(text) <= 40 and not _SENTENCE_END.search(text[:-1])
    if short and _LEVEL1.match(text):
        return HEADING, 1
    if short and _LEVEL2.match(text) and not numbered:
        return HEADING, 2
    return PARAGRAPH, 0


def _run_bold(run: Any, paragraph_style: Any) -> bool:
    rpr = run.find(qn("w:rPr"))
    if rpr is not None:
        bold = rpr.find(qn("w:b"))
        if bold is not None:
            return bold.get(qn("w:val"), "true") not in ("0", "false")
        style = rpr.find(qn("w:rStyle"))
        if style is not None and style.get(qn("w:val")) in ("领起句", "Strong", "a0"):
            return True
    return False


def _runs(paragraph: Any) -> list[Run]:
    """Text of a paragraph as accepted: w:ins kept, w:del and moved-from text dropped."""
    runs: list[Run] = []
    for run in paragraph._p.iter(qn("w:r")):
        ancestors = {a.tag for a in run.iterancestors()}
        if qn("w:del") in ancestors or qn("w:moveFrom") in ancestors:
            continue
        pieces = []
        for child in run:
            if child.tag == qn("w:t"):
                pieces.append(child.text or "")
            elif child.tag == qn("w:tab"):
                pieces.append("\t")
        if pieces:
            runs.append(Run("".join(pieces), _run_bold(run, paragraph.style)))
    return runs


_FORMATS: dict[str, Callable[[int], str]] = {
    "chineseCounting": chinese_numeral, "chineseCountingThousand": chinese_numeral,
    "chineseLegalSimplified": chinese_numeral, "ideographTraditional": chinese_numeral,
    "taiwaneseCountingThousand": chinese_numeral, "decimal": str, "decimalFullWidth": str,
}


class _Numbering:
    """Word's automatic numbering: the label a numbered paragraph shows."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for item in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in item.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[item.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def label(self, paragraph: Any) -> str:
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            for style in _style_chain(paragraph.style):
                spr = style.element.pPr
                num_pr = spr.find(qn("w:numPr")) if spr is not None else None
                if num_pr is not None:
                    break
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else None
        ilvl = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
        levels = self.levels.get(num_id or "", {})
        if not levels or ilvl not in levels:
            return ""
        # a deeper level restarts when a shallower one advances
        for key in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[key]
        start = levels[ilvl][2]
        self.counters[(num_id or "", ilvl)] = self.counters.get((num_id or "", ilvl), start - 1) + 1
        text = levels[ilvl][1]
        for level, (level_fmt, _, level_start) in levels.items():
            value = self.counters.get((num_id or "", level), level_start)
            render = _FORMATS.get(level_fmt, str)
            text = text.replace(f"%{level + 1}", render(value))
        return text


def open_docx(path: Path) -> Any:
    """A python-docx Document, or a Chinese error saying why the file is not one."""
    try:
        return Document(str(path))
    except FileNotFoundError:
        raise InputFileError(f"找不到文件“{path}”，请检查路径是否正确。") from None
    except Exception as exc:  # zip, XML and package errors all mean "not a docx"
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（{type(exc).__name__}），"
                             "请在 Word/WPS 中另存为 .docx 后重试。") from None


def read_docx(path: Path) -> list[Block]:
    """The blocks of a DOCX draft, as a writer left it."""
    return document_blocks(open_docx(path))


def document_blocks(document: Any) -> list[Block]:
    """The blocks of an opened DOCX document."""
    numbering = _Numbering(document)
    blocks: list[Block] = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        label = numbering.label(paragraph)
        runs = _runs(paragraph)
        text = label + "".join(r.text for r in runs)
        if not text.strip():
            continue
        kind, level = _kind(paragraph, text.strip(), bool(label))
        if label:
            runs.insert(0, Run(label))
        runs = _strip(runs)
        blocks.append(Block(kind, normalize_runs(runs), level, line=number))
    return blocks


def read_plain_text(text: str) -> list[Block]:
    """Blocks of a plain-text report: one paragraph a line, headings by their numbers,
    the first short line as the title."""
    blocks: list[Block] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip(" \u3000\t")
        if not line:
            continue
        short = len(line) <= 40 and not _SENTENCE_END.search(line[:-1])
        if not blocks and short and not _LEVEL1.match(line):
            kind, level = TITLE, 0
        elif short and _LEVEL1.match(line):
            kind, level = HEADING, 1
        elif short and _LEVEL2.match(line):
            kind, level = HEADING, 2
        else:
            kind, level = PARAGRAPH, 0
        blocks.append(Block(kind, normalize_runs([Run(line)]), level, line=number))
    return blocks


def _strip(runs: list[Run]) -> list[Run]:
    """No leading or trailing white space (indents written as spaces in old files)."""
    if runs:
        runs[0] = Run(runs[0].text.lstrip(" \u3000\t"), runs[0].bold, runs[0].placeholder)
        runs[-1] = Run(runs[-1].text.rstrip(" \u3000\t"), runs[-1].bold, runs[-1].placeholder)
    return runs
