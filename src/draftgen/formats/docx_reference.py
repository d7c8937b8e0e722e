"""A unit's own template (`--reference-docx`, `.docx` or `.dotx`) as the base of a
new draft: only its styles, numbering definitions, settings and page setup (with
its headers and footers) are kept — no text, comments, media, custom XML or macros
of the reference travel into the draft.

What a real template needs besides (each seen in real unit templates):
- a page number it already has, in any form (a PAGE field with or without cached
  text, in a text box or a content control, in any header or footer), means none
  is added — otherwise every page shows two;
- heading styles that number themselves (`一、` from Word's numbering) would show
  `一、（一）…` next to draftgen's literal numbers: their automatic numbering is
  taken off, the literal numbers stay (the Markdown and the DOCX keep one text);
- no page size means US Letter in LibreOffice: A4 and the GB/T 9704 margins then;
- styles draftgen adds follow the template's scale (a 10.5 pt body gets 10.5 pt
  headings, not 16 pt ones).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from draftgen.errors import InputFileError, WriterError
from draftgen.formats.docx_package import SAFE_XML, open_docx

#: what a template lends to the draft: relationship types kept on the main part
_KEPT = ("/styles", "/stylesWithEffects", "/numbering", "/settings", "/fontTable", "/theme", "/webSettings",
         "/header", "/footer", "/footnotes", "/endnotes")
#: package-level parts that describe the reference file itself
_PACKAGE_DROPPED = ("/thumbnail", "/custom-properties")
_PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")


def open_reference(path: Path) -> Any:
    """The reference document reduced to its layout, or a WriterError saying why not."""
    try:
        document = open_docx(path)
    except InputFileError as exc:
        raise WriterError(f"无法读取参考文档：{exc.message}") from None
    _keep_layout_only(document)
    return document


def _keep_layout_only(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sect_pr = body.find(qn("w:sectPr"))
    referenced = {ref.get(_R_ID) for ref in sect_pr.iter(qn("w:headerReference"), qn("w:footerReference"))} \
        if sect_pr is not None else set()
    rels = document.part.rels
    for r_id, rel in list(rels.items()):
        kept = not rel.is_external and rel.reltype.endswith(_KEPT)
        if kept and rel.reltype.endswith(("/header", "/footer")):
            kept = r_id in referenced  # the headers of sections whose text is gone
        if not kept:
            _drop(rels, r_id)
    for r_id, rel in list(document.part.package.rels.items()):
        if rel.reltype.endswith(_PACKAGE_DROPPED):
            _drop(document.part.package.rels, r_id)
    for rel in rels.values():
        if rel.reltype.endswith(("/footnotes", "/endnotes")):
            _keep_separators(rel.target_part)
    core = document.core_properties
    for name in ("title", "subject", "keywords", "comments", "category"):
        setattr(core, name, "")


def _drop(rels: Any, r_id: str) -> None:
    """Forget a relationship: a part nothing points to is not saved."""
    rels.pop(r_id, None)
    rels.related_parts.pop(r_id, None)


def _keep_separators(part: Any) -> None:
    """The reference's notes are its text: only the separator lines stay."""
    try:
        root = etree.fromstring(part.blob, SAFE_XML)
    except etree.XMLSyntaxError:
        return
    for note in list(root):
        if note.get(qn("w:type")) in (None, "normal"):
            root.remove(note)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def numbered_pages(document: Any) -> frozenset[str]:
    """The kinds of page (`default`, `even`, `first`) whose header or footer already
    shows a page number, in any form: a simple or complex PAGE field (with or without
    cached text), in a text box or a content control, or a page-number building block."""
    sect_pr = document.sections[0]._sectPr
    kinds: dict[str, set[str]] = {}
    for ref in sect_pr.iter(qn("w:headerReference"), qn("w:footerReference")):
        kinds.setdefault(ref.get(_R_ID), set()).add(ref.get(qn("w:type"), "default"))
    found: set[str] = set()
    for r_id, rel in document.part.rels.items():
        if r_id in kinds and _shows_page_number(rel.target_part.element):
            found |= kinds[r_id]
    return frozenset(found)


def _shows_page_number(root: Any) -> bool:
    for simple in root.iter(qn("w:fldSimple")):
        if _PAGE_FIELD.search(simple.get(qn("w:instr"), "").upper()):
            return True
    for paragraph in root.iter(qn("w:p")):
        instr = "".join(t.text or "" for t in paragraph.iter(qn("w:instrText")))
        if _PAGE_FIELD.search(instr.upper()):
            return True
    return any("page number" in gallery.get(qn("w:val"), "").lower()
               for gallery in root.iter(qn("w:docPartGallery")))


def unnumber_headings(document: Any) -> None:
    """Take Word's automatic numbering off the heading styles draftgen fills: the
    draft carries its numbers as text."""
    styles = document.styles
    ids = []
    for name in HEADING_STYLES:
        try:
            style = styles[name]
        except KeyError:
            continue
        ids.append(style.style_id)
        ppr = style.element.get_or_add_pPr()
        for num_pr in ppr.findall(qn("w:numPr")):
            ppr.remove(num_pr)
        inherited = style.base_style
        while inherited is not None:
            base_ppr = inherited.element.pPr
            if base_ppr is not None and base_ppr.find(qn("w:numPr")) is not None:
                # numId 0: "no numbering", overriding what the base style says
                num_pr = OxmlElement("w:numPr")
                num_id = OxmlElement("w:numId")
                num_id.set(qn("w:val"), "0")
                num_pr.append(num_id)
                ppr.insert(0, num_pr)
                break
            inherited = inherited.base_style
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return
    # a list level linked to a heading style numbers it too (LibreOffice follows the link)
    for link in list(numbering.iter(qn("w:pStyle"))):
        if link.get(qn("w:val")) in ids and link.getparent().tag == qn("w:lvl"):
            link.getparent().remove(link)


def page_size_missing(document: Any) -> tuple[bool, bool]:
    """(no page size, no margins) in the template's section."""
    sect_pr = document.sections[0]._sectPr
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    no_size = size is None or not size.get(qn("w:w")) or not size.get(qn("w:h"))
    return no_size, margins is None


def body_scale(document: Any) -> float:
    """The template's body size against the standard 16 pt: the scale for added styles."""
    body = _size(document, "Normal") or 16.0
    return body / 16 if 5 <= body <= 72 else 1.0

def _size(document: Any, name: str) -> float | None:
    """A paragraph style's font size in points: the first one set on it, its base styles or the
    document defaults (None where none is, or it is no number)."""
    try:
        style: Any = document.styles[name]
    except KeyError:
        style = None
    size = None
    while style is not None and size is None:
        rpr = style.element.rPr
        size = rpr.find(qn("w:sz")) if rpr is not None else None
        style = style.base_style
    if size is None:
        defaults = document.styles.element.find(qn("w:docDefaults"))
        size = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}") if defaults is not None else None
    value = size.get(qn("w:val")) if size is not None else None
    return int(value) / 2 if value is not None and value.isdigit() else None

def keep_hierarchy(document: Any) -> list[str]:
    """A template's title and heading styles made to show the report's order — the title larger
    than level 1 (when level 1 is larger than the body) and than the body, level 1 ≥ level 2 ≥ body,
    level 1 not centred like a title — keeping its fonts and page; one Chinese line for each change."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    notes: list[str] = []
    body = _size(document, "Normal") or 16.0

    def resize(name: str, label: str, size: float, why: str) -> None:
        before = _size(document, name)
        document.styles[name].font.size = Pt(size)
        notes.append(f"单位模板的{label}样式是 {before:g} 磅，{why}，已改为 {size:g} 磅。")

    level2 = _size(document, "Heading 2") or body
    if level2 < body:
        resize("Heading 2", "二级标题", body, f"比正文（{body:g} 磅）还小")
        level2 = body
    level1 = _size(document, "Heading 1") or level2
    if level1 < level2:
        resize("Heading 1", "一级标题", level2, f"比二级标题（{level2:g} 磅）还小")
        level1 = level2
    title = _size(document, "Title") or body
    # the title stands above all: as GB/T 9704 has it 22 pt over a 16 pt body, and above a large level 1
    wanted = max(level1 + 4 if level1 > body else level1, round(body * 22 / 16 * 2) / 2)
    if (title <= level1 and level1 > body) or title <= body:
        resize("Title", "文章标题", wanted, f"不比一级标题（{level1:g} 磅）或正文（{body:g} 磅）大")
    try:
        heading = document.styles["Heading 1"]
    except KeyError:
        return notes
    if heading.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER:
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        notes.append("单位模板的一级标题样式是居中的（像文章标题），已改为与正文一样靠左排。")
    return notes
