"""DOCX in GB/T 9704-2012 body layout, with real styles Word's navigation pane reads.

The text comes from the same blocks as the Markdown: one source of text, two
writers. Layout figures (see ../shared/spec/gbt9704.md): A4; margins 37/28/26/35 mm;
22 lines x 28 characters; exact 28.95 pt lines; body 仿宋_GB2312 16 pt condensed by
0.25 pt; title 方正小标宋简体 22 pt; 一、 in 黑体; （一） in 楷体_GB2312; digits and
Latin in Times New Roman; page numbers `— n —` on the outer side.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from draftgen.formats.document import HEADING, PARAGRAPH, SIGNATURE, SUBTITLE, TITLE, Block
from draftgen.formats.docx_reference import (
    body_scale,
    keep_hierarchy,
    numbered_pages,
    open_reference,
    page_size_missing,
    unnumber_headings,
)
from draftgen.formats.record import Record, add_record

LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in the 225 mm text block
CHAR = 320  # twips: one 16 pt character
LATIN = "Times New Roman"

FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"

#: style name → (East-Asian font, size pt, bold, alignment, first-line indent in characters)
PARAGRAPH_STYLES: dict[str, tuple[str, float, bool, str, int]] = {
    "Normal": (FANGSONG, 16, False, "justify", 2),
    "Title": (XIAOBIAOSONG, 22, False, "center", 0),
    "Subtitle": (KAITI, 16, False, "center", 0),
    "Heading 1": (HEITI, 16, False, "justify", 2),
    "Heading 2": (KAITI, 16, False, "justify", 2),
    "Heading 3": (FANGSONG, 16, True, "justify", 2),
    "落款单位": (FANGSONG, 16, False, "right", 0),
    "落款日期": (FANGSONG, 16, False, "right", 0),
    "Footer": (SONGTI, 14, False, "right", 0),
}
LEAD_STYLE = "领起句"
PLACEHOLDER_STYLE = "待补充"
_ALIGN = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr: Any, east_asia: str, latin: str = LATIN) -> None:
    """Real font names on every script, no theme fonts (they win over names), hint eastAsia."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    """The child ``tag`` of ``parent`` (created if missing) with ``attrs`` set."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _language(rpr: Any) -> None:
    _child(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")


def _reset_style(style: Any, spec: tuple[str, float, bool, str, int], outline: int | None,
                 scale: float = 1.0, grid: bool = True) -> None:
    """The style as GB/T 9704 wants it; in a unit's template (``grid`` False) at the
    template's ``scale`` and with its line spacing (inherited from its body style)."""
    east_asia, size, bold, align, indent_chars = spec
    size = round(size * scale * 2) / 2
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = None
    font.all_caps = False
    rpr = style.element.get_or_add_rPr()
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)
    set_fonts(rpr, east_asia)
    _language(rpr)
    if style.name == "Normal" and grid:
        # 16 pt in 156 mm gives 27 characters; condensing each by 0.25 pt gives 28
        _child(rpr, "w:spacing", val="-5")
        _child(rpr, "w:kern", val="0")
    fmt = style.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if grid:
        fmt.line_spacing = Twips(LINE_PITCH)
        fmt.line_spacing_rule = 4  # WD_LINE_SPACING.EXACTLY
    fmt.left_indent = Twips(0)
    fmt.right_indent = Twips(0)
    # widow/orphan control moves single lines and leaves pages one line short:
    # the official layout fills every page with 22 lines
    fmt.widow_control = False
    ppr = style.element.get_or_add_pPr()
    ind = _child(ppr, "w:ind")
    for attr in ("firstLineChars", "firstLine", "hanging", "hangingChars"):
        ind.attrib.pop(qn(f"w:{attr}"), None)
    # LibreOffice ignores firstLineChars: write twips too
    ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    ind.set(qn("w:firstLine"), str(round(indent_chars * size * 20)))
    _child(ppr, "w:snapToGrid", val="1")
    for tag in ("w:pBdr", "w:contextualSpacing"):  # the default Title has a rule under it
        found = ppr.find(qn(tag))
        if found is not None:
            ppr.remove(found)
    outline_el = ppr.find(qn("w:outlineLvl"))
    if outline is not None:
        _child(ppr, "w:outlineLvl", val=str(outline))
    elif outline_el is not None:
        ppr.remove(outline_el)


def _style(document: Any, name: str) -> Any:
    """The style called ``name``. Templates saved by LibreOffice name some styles in lower
    case (`footer`); python-docx then finds them by id and warns — the same style, no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return document.styles[name]


def _ensure_style(document: Any, name: str, kind: WD_STYLE_TYPE) -> tuple[Any, bool]:
    try:
        return _style(document, name), False
    except KeyError:
        style = document.styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = _style(document, "Normal")
            style.quick_style = True
        return style, True


def _setup_styles(document: Any, keep_existing: bool, scale: float = 1.0) -> None:
    """GB/T 9704 styles; with a reference document, only the styles it lacks, at its scale."""
    outlines = {"Heading 1": 0, "Heading 2": 1, "Heading 3": 2}
    for name, spec in PARAGRAPH_STYLES.items():
        style, created = _ensure_style(document, name, WD_STYLE_TYPE.PARAGRAPH)
        if keep_existing and not created:
            continue
        _reset_style(style, spec, outlines.get(name), scale, grid=not keep_existing)
        line, char = round(LINE_PITCH * scale), round(CHAR * scale)
        if name == "落款单位":
            style.paragraph_format.space_before = Twips(line)
        if name in ("落款单位", "落款日期"):
            style.paragraph_format.right_indent = Twips(2 * char)
        if name == "Title":
            style.paragraph_format.space_after = Twips(line)
        if name.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
        if name == "Footer" and not keep_existing:
            style.paragraph_format.line_spacing_rule = 0  # single: the footer is outside the grid
            style.paragraph_format.line_spacing = None
    lead, created = _ensure_style(document, LEAD_STYLE, WD_STYLE_TYPE.CHARACTER)
    if created or not keep_existing:
        lead.font.bold = True
    mark, created = _ensure_style(document, PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    if created or not keep_existing:
        _child(mark.element.get_or_add_rPr(), "w:highlight", val="yellow")
    # the document defaults: Chinese language and real fonts for anything unstyled
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None and not keep_existing:
        rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
        set_fonts(rpr, FANGSONG)
        _language(rpr)


def _setup_page(document: Any, size: bool = True, margins: bool = True, line_grid: bool = True) -> None:
    section = document.sections[0]
    if size:
        section.page_width, section.page_height = Twips(11906), Twips(16838)
    if margins:
        section.top_margin, section.bottom_margin = Twips(2098), Twips(1984)
        section.left_margin, section.right_margin = Twips(1587), Twips(1474)
        section.header_distance = Mm(15)
        # the page number's dash sits 7 mm below the text block
        section.footer_distance = Mm(22)
    if not line_grid:
        return
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    # Word's linesAndChars grid gives 28 characters in Word but 14 in LibreOffice:
    # a lines grid plus the condensed spacing gives 28 in both
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(paragraph: Any) -> None:
    paragraph.add_run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
    paragraph.add_run(" —")


def _setup_footers(document: Any, numbered: frozenset[str] = frozenset()) -> None:
    """`— n —` outside: odd pages right, even pages left, one character in; not in the
    footers of a template whose header or footer of that kind already numbers the page."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for kind, footer, align in (("default", section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                                ("even", section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        if kind in numbered:
            continue
        footer.is_linked_to_previous = False
        # a template's footer may hold its own words: the number goes in a paragraph of its own
        empty = [p for p in footer.paragraphs if not p.text.strip()]
        paragraph = empty[0] if empty else footer.add_paragraph()
        paragraph.style = _style(document, "Footer")
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(14)
        else:
            paragraph.paragraph_format.left_indent = Pt(14)
        _page_number(paragraph)


def _clear_body(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


_STYLE_FOR = {TITLE: "Title", SUBTITLE: "Subtitle", PARAGRAPH: "Normal"}


def _style_name(item: Block, signature_index: int) -> str:
    if item.kind == HEADING:
        return f"Heading {min(item.level, 3)}"
    if item.kind == SIGNATURE:
        return "落款单位" if signature_index == 0 else "落款日期"
    return _STYLE_FOR[item.kind]


def build_document(blocks: Sequence[Block], reference: Path | None = None,
                   comments: Sequence[str | None] | None = None, notices: list[str] | None = None) -> Any:
    """A python-docx Document holding the blocks; ``comments`` (one per block,
    None for none) become Word comments anchored on the block's runs; ``notices`` is told
    what was changed in the reference's styles to keep the report's order of headings."""
    if reference is not None:
        document = open_reference(reference)
        unnumber_headings(document)
        no_size, no_margins = page_size_missing(document)
        _setup_styles(document, keep_existing=True, scale=body_scale(document))
        adjusted = keep_hierarchy(document)
        if notices is not None:
            notices += adjusted
        _setup_page(document, size=no_size, margins=no_margins, line_grid=False)
        numbered = numbered_pages(document)
        if "default" not in numbered or (document.settings.odd_and_even_pages_header_footer
                                         and "even" not in numbered):
            _setup_footers(document, numbered)
    else:
        document = Document()
        _clear_body(document)
        _setup_styles(document, keep_existing=False)
        _setup_page(document)
        _setup_footers(document)
    signatures = 0
    for index, item in enumerate(blocks):
        paragraph = document.add_paragraph(style=_style(document, _style_name(item, signatures)))
        if item.kind == SIGNATURE:
            signatures += 1
        runs = []
        for part in item.runs:
            run = paragraph.add_run(part.text)
            if part.placeholder:
                run.style = _style(document, PLACEHOLDER_STYLE)
                # a style's highlight is not shown by every editor: say it on the run too
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            elif part.bold:
                run.style = _style(document, LEAD_STYLE)
            runs.append(run)
        note = comments[index] if comments is not None else None
        if note and runs:
            document.add_comment(runs, text=note, author="draftgen", initials="DG")
    return document


def docx_bytes(blocks: Sequence[Block], *, reference: Path | None = None,
               comments: Sequence[str | None] | None = None, record: Record | None = None,
               notices: list[str] | None = None) -> bytes:
    """The DOCX file for ``blocks``, as bytes (the caller writes them atomically);
    ``record`` (how the draft was made) is kept as custom document properties."""
    document = build_document(blocks, reference, comments, notices)
    if record is not None:
        add_record(document, record)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible(buffer.getvalue())


def reproducible(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01: the same input gives the same
    bytes (a zip stores each member's time of writing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


