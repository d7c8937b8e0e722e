"""Read a DOCX back into draft blocks: the one draftgen wrote, or one a writer
edited in Word/WPS/LibreOffice — with comments, tracked changes (read as accepted:
insertions kept, deletions dropped), Word's own automatic numbering (its 一、/（一）
labels rebuilt from the numbering definitions), tables cell by cell, content
controls, text boxes (once: the side Word shows) and footnotes/endnotes, each
located (`表2 第3行第2列`, `文本框1`, `脚注1`) and placed after the paragraph
that anchors it so it keeps its heading path.

This is the one document reader behind check, harvest, mine and stats; opening
the file (limits, other formats) is in docx_package: the reader reads the parts it
finds there (:class:`Parts`), from python-docx's document or read directly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from draftgen.formats.document import HEADING, PARAGRAPH, SIGNATURE, SUBTITLE, TITLE, Block, Run, normalize_runs
from draftgen.formats.docx_package import (
    DEFAULT_LIMITS,
    PART_KINDS,
    XML_KINDS,
    Limits,
    Parts,
    open_docx,
    parse_notes,
    read_parts,
)
from draftgen.text.numbers import chinese_numeral
from draftgen.text.patterns import LEVEL_LABEL, SENTENCE_END

__all__ = ["document_blocks", "open_docx", "read_docx", "read_plain_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, R, T, TAB, TBL, TR, TC, SDT, SDT_CONTENT = (_W + t for t in ("p", "r", "t", "tab", "tbl", "tr", "tc", "sdt",
                                                                  "sdtContent"))
TXBX = _W + "txbxContent"
_VAL = _W + "val"
_SKIPPED = {_W + "del", _W + "moveFrom"}
_CONTAINERS = {_W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")}
_NOTES = {_W + "footnoteReference": "footnotes", _W + "endnoteReference": "endnotes"}

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_LEAD_STYLES = ("领起句", "Strong", "a0")


def _int(value: str | None, default: int | None = None) -> int | None:
    """An attribute as a number; a malformed one (`w:ilvl="x"`) counts as absent."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _on(element: Any) -> bool:
    """A toggle property (`<w:b/>`, `<w:b w:val="0"/>`)."""
    return element.get(_VAL, "true") not in ("0", "false", "off")


@dataclass
class _Style:
    """What a style means to the reader, resolved once through its basedOn chain."""

    kind: str | None  # title, subtitle, signature or heading, by name; None: decide by outline/text
    level: int
    outline: int | None
    num: tuple[str, int] | None  # numId, ilvl
    bold: bool


class _Styles:
    """The styles part, resolved once per style (not per paragraph: 100k paragraphs
    share a handful of styles)."""

    def __init__(self, root: Any) -> None:
        self.raw: dict[str, Any] = {}
        self.default: str | None = None
        self.cache: dict[str | None, _Style] = {}
        if root is None:
            return
        for style in root.findall(_W + "style"):
            style_id = style.get(_W + "styleId")
            if style_id is None:
                continue
            self.raw[style_id] = style
            if style.get(_W + "type") == "paragraph" and _on_default(style):
                self.default = style_id

    def get(self, style_id: str | None) -> _Style:
        if style_id not in self.cache:
            self.cache[style_id] = self._resolve(style_id if style_id in self.raw else self.default)
        return self.cache[style_id]

    def _chain(self, style_id: str | None) -> Iterator[Any]:
        seen: set[str] = set()
        while style_id is not None and style_id in self.raw and style_id not in seen:
            seen.add(style_id)
            style = self.raw[style_id]
            yield style
            based = style.find(_W + "basedOn")
            style_id = based.get(_VAL) if based is not None else None

    def _resolve(self, style_id: str | None) -> _Style:
        kind, level, outline, num, bold = None, 0, None, None, None
        for style in self._chain(style_id):
            name_el = style.find(_W + "name")
            name = name_el.get(_VAL, "") if name_el is not None else ""
            if kind is None:
                kind, level = _kind_by_name(name)
            ppr = style.find(_W + "pPr")
            if ppr is not None:
                if outline is None:
                    outline_el = ppr.find(_W + "outlineLvl")
                    if outline_el is not None:
                        outline = _int(outline_el.get(_VAL), 9)
                if num is None:
                    num = _num_pr(ppr.find(_W + "numPr"))
            rpr = style.find(_W + "rPr")
            if bold is None and rpr is not None and rpr.find(_W + "b") is not None:
                bold = _on(rpr.find(_W + "b"))
            if bold is None and name in _LEAD_STYLES:
                bold = True
        return _Style(kind, level, outline if outline is not None and outline < 9 else None, num, bool(bold))


def _on_default(style: Any) -> bool:
    return style.get(_W + "default") in ("1", "true", "on")


def _kind_by_name(name: str) -> tuple[str | None, int]:
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
    return None, 0


def _num_pr(num_pr: Any) -> tuple[str, int] | None:
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(_W + "numId"), num_pr.find(_W + "ilvl")
    if num_id is None:
        return None
    return num_id.get(_VAL, ""), _int(ilvl.get(_VAL) if ilvl is not None else None, 0) or 0


_FORMATS: dict[str, Callable[[int], str]] = {
    "chineseCounting": chinese_numeral, "chineseCountingThousand": chinese_numeral,
    "chineseLegalSimplified": chinese_numeral, "ideographTraditional": chinese_numeral,
    "taiwaneseCountingThousand": chinese_numeral, "decimal": str, "decimalFullWidth": str,
}


#: numId → level → (format, label text, start, legal: every level's number in Arabic figures, as w:isLgl asks)
Levels = dict[str, dict[int, tuple[str, str, int, bool]]]
#: bullets drawn from a symbol font (Wingdings, Symbol): the character Word shows for the code point
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0d8": "➢", "\uf0a7": "▪", "\uf06e": "■", "\uf0fc": "✓", "\uf076": "❖",
                   "\uf0a8": "◆", "\uf06c": "●", "\uf0e8": "➔", "\uf071": "❑"}


def _levels(numbering: Any) -> Levels:
    """The levels of each list in the numbering part."""
    found: Levels = {}
    if numbering is None:
        return found
    abstract: Levels = {}
    for item in numbering.findall(_W + "abstractNum"):
        levels = {}
        for lvl in item.findall(_W + "lvl"):
            ilvl = _int(lvl.get(_W + "ilvl"))
            if ilvl is None or not 0 <= ilvl < 9:
                continue
            fmt, text, start = lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText"), lvl.find(_W + "start")
            label = text.get(_VAL, "") if text is not None else ""
            # a symbol font's private-use code (U+F0D8 in Wingdings) is the bullet Word draws (➢)
            label = "".join(_SYMBOL_BULLETS.get(c, "•") if "\uf000" <= c <= "\uf0ff" else c for c in label)
            levels[ilvl] = (fmt.get(_VAL, "decimal") if fmt is not None else "decimal", label,
                            _int(start.get(_VAL) if start is not None else None, 1) or 0,
                            lvl.find(_W + "isLgl") is not None and _on(lvl.find(_W + "isLgl")))
        abstract[item.get(_W + "abstractNumId", "")] = levels
    for num in numbering.findall(_W + "num"):
        ref = num.find(_W + "abstractNumId")
        if ref is not None:
            found[num.get(_W + "numId", "")] = abstract.get(ref.get(_VAL, ""), {})
    return found


class _Numbering:
    """Word's automatic numbering: the label a numbered paragraph shows."""

    def __init__(self, levels: Levels) -> None:
        self.levels = levels
        self.counters: dict[tuple[str, int], int] = {}

    def label(self, num: tuple[str, int] | None) -> str:
        if num is None:
            return ""
        num_id, ilvl = num
        levels = self.levels.get(num_id, {})
        if ilvl not in levels:
            return ""
        # a deeper level restarts when a shallower one advances
        for key in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[key]
        start = levels[ilvl][2]
        self.counters[(num_id, ilvl)] = self.counters.get((num_id, ilvl), start - 1) + 1
        text, legal = levels[ilvl][1], levels[ilvl][3]
        for level, (level_fmt, _, level_start, _) in levels.items():
            value = self.counters.get((num_id, level), level_start)
            shown = "decimal" if legal and level_fmt != "bullet" else level_fmt  # 1.1. where 一.1. was defined
            text = text.replace(f"%{level + 1}", _FORMATS.get(shown, str)(value))
        return text


def _notes(root: Any) -> dict[str, Any]:
    """Footnotes or endnotes by id."""
    if root is None:
        return {}
    return {note.get(_W + "id", ""): note for note in root if note.get(_W + "type") in (None, "normal")}


def parts_of(document: Any) -> Parts:
    """The parts the reader reads, from python-docx's document: the styles and numbering
    it parsed (not the defaults it makes up for a file without them), the notes it leaves
    as bytes parsed here."""
    main = document.part
    found: dict[str, Any] = {}
    for rel in main.rels.values():
        kind = rel.reltype.rpartition("/")[2]
        if rel.is_external or kind not in PART_KINDS or kind in found:
            continue
        found[kind] = getattr(rel.target_part, "element", None) if kind in XML_KINDS else \
            parse_notes(rel.target_part.blob)
    return Parts(document.element.find(_W + "body"), **found)  # not .body: the root may be another element


def _boxes(element: Any) -> Iterator[Any]:
    """The outermost text boxes under a drawing: of Word's two copies (mc:Choice and
    mc:Fallback) only the Choice, the one Word shows."""
    for child in element:
        if child.tag == TXBX:
            yield child
        elif child.tag == _MC + "AlternateContent":
            choice = child.find(_MC + "Choice")
            if choice is None:
                choice = child.find(_MC + "Fallback")
            if choice is not None:
                yield from _boxes(choice)
        elif isinstance(child.tag, str):
            yield from _boxes(child)


@dataclass
class _Reader:
    styles: _Styles
    numbering: _Numbering
    notes: dict[str, dict[str, Any]]
    blocks: list[Block] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0
    text_boxes: int = 0
    note_numbers: dict[str, int] = field(default_factory=dict)
    #: where each paragraph outside the body text stands (`表1 第2行第3列`, `文本框1`), by its element
    places: dict[Any, str] = field(default_factory=dict)

    def content(self, parent: Any, where: str | None = None) -> None:
        """Block-level content: paragraphs, tables, block content controls."""
        tables = 0
        for child in parent:
            tag = child.tag
            if tag == P:
                self.paragraph(child, where)
            elif tag == TBL:
                tables += 1
                if where is None:
                    self.tables += 1
                    self.table(child, f"表{self.tables}")
                else:
                    self.table(child, f"{where} › 表{tables}")
            elif tag == SDT:
                inner = child.find(SDT_CONTENT)
                if inner is not None:
                    self.content(inner, where)
            elif tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
                self.content(child, where)
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")
                if choice is not None:
                    self.content(choice, where)

    def table(self, table: Any, name: str) -> None:
        for row_number, row in enumerate(_children(table, TR), start=1):
            column = 1
            for cell in _children(row, TC):
                self.content(cell, f"{name} 第{row_number}行第{column}列")
                span = cell.find(f"{_W}tcPr/{_W}gridSpan")
                column += max(1, _int(span.get(_VAL) if span is not None else None, 1) or 1)

    def paragraph(self, p: Any, where: str | None) -> None:
        self.paragraphs += 1
        if where is not None:
            self.places[p] = where
        ppr = p.find(_W + "pPr")
        style_el = ppr.find(_W + "pStyle") if ppr is not None else None
        style = self.styles.get(style_el.get(_VAL) if style_el is not None else None)
        runs: list[Run] = []
        boxes: list[Any] = []
        notes: list[tuple[str, str]] = []
        # a bold paragraph style (Heading 3) does not make its runs lead clauses
        self.inline(p, False, runs, boxes, notes)
        num = _num_pr(ppr.find(_W + "numPr")) if ppr is not None else None
        label = self.numbering.label(num or style.num)
        text = (label + "".join(r.text for r in runs)).strip()
        if text:
            kind, level = (PARAGRAPH, 0) if where is not None else self.kind(ppr, style, text, bool(label))
            if label:
                runs.insert(0, Run(label))
            self.blocks.append(Block(kind, normalize_runs(_strip(runs)), level, line=self.paragraphs, where=where))
        for box in boxes:
            self.text_boxes += 1
            self.content(box, f"文本框{self.text_boxes}")
        for kind, note_id in notes:
            note = self.notes.get(kind, {}).get(note_id)
            if note is not None:
                name = "脚注" if kind == "footnotes" else "尾注"
                self.note_numbers[kind] = self.note_numbers.get(kind, 0) + 1
                self.content(note, f"{name}{self.note_numbers[kind]}")

    def kind(self, ppr: Any, style: _Style, text: str, numbered: bool) -> tuple[str, int]:
        if style.kind is not None:
            return style.kind, style.level
        outline_el = ppr.find(_W + "outlineLvl") if ppr is not None else None
        outline = _int(outline_el.get(_VAL), 9) if outline_el is not None else style.outline
        if outline is not None and outline < 9:
            return HEADING, outline + 1
        # a document without styles: the sequence numbers say what a line is
        short = len(text) <= 40 and not SENTENCE_END.search(text[:-1])
        if short and LEVEL_LABEL[1].match(text):
            return HEADING, 1
        if short and LEVEL_LABEL[2].match(text) and not numbered:
            return HEADING, 2
        return PARAGRAPH, 0

    def inline(self, parent: Any, bold: bool, runs: list[Run], boxes: list[Any], notes: list[tuple[str, str]]) -> None:
        """Runs as accepted (w:ins kept, w:del and moved-from text dropped), through
        hyperlinks, fields and run-level content controls; text boxes and note
        references collected for after the paragraph."""
        for child in parent:
            tag = child.tag
            if tag == R:
                self.run(child, bold, runs, boxes, notes)
            elif tag in _CONTAINERS:
                self.inline(child, bold, runs, boxes, notes)
            elif tag == SDT:
                inner = child.find(SDT_CONTENT)
                if inner is not None:
                    self.inline(inner, bold, runs, boxes, notes)
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")
                if choice is not None:
                    self.inline(choice, bold, runs, boxes, notes)

    def run(self, run: Any, bold: bool, runs: list[Run], boxes: list[Any], notes: list[tuple[str, str]]) -> None:
        pieces = []
        rpr = run.find(_W + "rPr")
        if rpr is not None:
            b = rpr.find(_W + "b")
            rstyle = rpr.find(_W + "rStyle")
            if b is not None:
                bold = _on(b)
            elif rstyle is not None:
                value = rstyle.get(_VAL)
                bold = value in _LEAD_STYLES or (value in self.styles.raw and self.styles.get(value).bold)
        for child in run:
            tag = child.tag
            if tag == T:
                pieces.append(child.text or "")
            elif tag == TAB:
                pieces.append("\t")
            elif (tag == _W + "br" and child.get(_W + "type") in (None, "textWrapping")) or tag == _W + "cr":
                pieces.append("\n")  # a soft line break (Shift+Enter) still parts two lines
            elif tag == _W + "noBreakHyphen":
                pieces.append("-")
            elif tag in _NOTES:
                notes.append((_NOTES[tag], child.get(_W + "id", "")))
            elif tag in (_W + "drawing", _W + "pict", _W + "object", _MC + "AlternateContent"):
                boxes.extend(_boxes([child]))
        if pieces:
            runs.append(Run("".join(pieces), bold))


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Rows of a table or cells of a row, through content controls and custom XML around them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, _W + "customXml"):
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                yield from _children(inner, tag)


def read_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """The blocks of a DOCX draft, as a writer left it (read directly: without
    python-docx's document, which only the commands that write need)."""
    return blocks_of(read_parts(path, limits))


def document_blocks(document: Any) -> list[Block]:
    """The blocks of a DOCX document python-docx opened."""
    return blocks_of(parts_of(document))


def blocks_of(parts: Parts) -> list[Block]:
    """The blocks of a Word file's parts: body paragraphs, then after each paragraph
    its text boxes and notes; tables cell by cell in their place."""
    return _read(parts).blocks


def paragraph_places(document: Any) -> dict[Any, str]:
    """Where each paragraph of a python-docx document that is not body text stands, by its
    element, named as the reader names it (`表1 第2行第3列`, `文本框1`, `脚注2`)."""
    return _read(parts_of(document)).places


def _read(parts: Parts) -> _Reader:
    styles = (_shared_styles if "styles" in parts.shared else _Styles)(parts.styles)
    levels = (_shared_levels if "numbering" in parts.shared else _levels)(parts.numbering)
    reader = _Reader(styles, _Numbering(levels),
                     {"footnotes": _notes(parts.footnotes), "endnotes": _notes(parts.endnotes)})
    if parts.body is not None:
        reader.content(parts.body)
    return reader


# what the reader makes of the styles and numbering parts files made from one template share
# (parsed once, never changed: docx_package.read_parts), made once too
_shared_styles = functools.lru_cache(maxsize=4)(_Styles)
_shared_levels = functools.lru_cache(maxsize=4)(_levels)


def read_plain_text(text: str) -> list[Block]:
    """Blocks of a plain-text report: one paragraph a line, headings by their numbers,
    the first short line as the title."""
    blocks: list[Block] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip(" \u3000\t")
        if not line:
            continue
        short = len(line) <= 40 and not SENTENCE_END.search(line[:-1])
        if not blocks and short and not LEVEL_LABEL[1].match(line):
            kind, level = TITLE, 0
        elif short and LEVEL_LABEL[1].match(line):
            kind, level = HEADING, 1
        elif short and LEVEL_LABEL[2].match(line):
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
