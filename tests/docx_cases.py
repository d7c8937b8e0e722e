"""Word files built with python-docx and lxml for the reader and template tests: the
shapes real files have (text boxes stored twice, content controls, footnotes, page
numbers as bare fields) without shipping anyone's document."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W_NS}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)


def text_box_run(texts: list[str], *, fallback: bool = True) -> Any:
    """A run holding a text box the way Word stores it: a DrawingML shape in
    mc:Choice and the same text again as VML in mc:Fallback."""
    content = _paragraphs(texts)
    choice = (f'<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" '
              'simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
              '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
              '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
              '<wp:extent cx="3600000" cy="720000"/><wp:wrapTopAndBottom/><wp:docPr id="1" name="文本框 1"/>'
              '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
              '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3600000" '
              'cy="720000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
              f'<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
              '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>')
    back = (f'<mc:Fallback><w:pict><v:rect style="width:283pt;height:57pt"><v:textbox><w:txbxContent>{content}'
            '</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback>') if fallback else ""
    return parse_xml(f"<w:r {NS}><mc:AlternateContent>{choice}{back}</mc:AlternateContent></w:r>")


def add_text_box(paragraph: Any, texts: list[str]) -> None:
    paragraph._p.append(text_box_run(texts))


def block_control(document: Any, texts: list[str], *, nested: bool = False) -> None:
    """Paragraphs inside a block-level content control (inside another one if ``nested``)."""
    inner = f"<w:sdt><w:sdtPr><w:alias w:val=\"内层\"/></w:sdtPr><w:sdtContent>{_paragraphs(texts)}" \
            "</w:sdtContent></w:sdt>" if nested else _paragraphs(texts)
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr><w:alias w:val=\"外层\"/></w:sdtPr>"
                    f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>")
    document.element.body.insert(len(document.element.body) - 1, sdt)


def run_control(paragraph: Any, text: str) -> None:
    paragraph._p.append(parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent><w:r><w:t>{text}</w:t></w:r>"
                                  "</w:sdtContent></w:sdt>"))


def add_footnote(document: Any, paragraph: Any, text: str, note_id: int = 1) -> None:
    """A footnote (python-docx cannot write one): the part, its relationship and the reference."""
    try:
        part = document.part.part_related_by(RT.FOOTNOTES)
        root = parse_xml(part.blob)
    except KeyError:
        root = parse_xml(f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
                         '<w:separator/></w:r></w:p></w:footnote></w:footnotes>')
        part = Part(PackURI("/word/footnotes.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                    b"", document.part.package)
        document.part.relate_to(part, RT.FOOTNOTES)
    root.append(parse_xml(f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
                          '</w:footnote>'))
    from lxml import etree

    part._blob = etree.tostring(root)
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  f'<w:footnoteReference w:id="{note_id}"/></w:r>'))


def add_table(document: Any, rows: list[list[str]]) -> Any:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def move_after(element: Any, anchor: Any) -> None:
    anchor.addnext(element)


def save(document: Any, path: Path) -> Path:
    document.save(str(path))
    return path


def saved_by_libreoffice(path: Path, work: Path) -> Path:
    """``path`` opened and saved again as DOCX by LibreOffice (skips when it is not installed)."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = work / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    return out / path.name


def rezipped(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """The package at ``source`` written to ``target`` with each part's bytes passed through
    ``change(name, data)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info)))
    return target


def with_part(source: Path, target: Path, name: str, data: bytes) -> Path:
    """The package at ``source`` with its part ``name`` replaced by ``data``."""
    return rezipped(source, target, lambda part, old: data if part == name else old)


def with_chart_without_its_data(source: Path, target: Path) -> Path:
    """``source`` with a chart whose embedded spreadsheet is gone: the chart part and its
    relationship to ../embeddings/…xlsx are there, the spreadsheet is not (as a LibreOffice
    round-trip can leave a file that Word and LibreOffice open)."""
    chart = (b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
             b'<c:externalData r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'relationships"/></c:chartSpace>')
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    chart_rels = (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  f'<Relationship Id="rId1" Type="{rel}package" Target="../embeddings/Microsoft_Excel_Sheet1.xlsx"/>'
                  f'</Relationships>').encode()

    def change(name: str, data: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", f'<Relationship Id="rId99" Type="{rel}chart" '
                                f'Target="charts/chart1.xml"/></Relationships>'.encode())
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/word/charts/chart1.xml" ContentType="'
                                b'application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>')
        return data

    rezipped(source, target, change)
    with zipfile.ZipFile(target, "a") as package:
        package.writestr("word/charts/chart1.xml", chart)
        package.writestr("word/charts/_rels/chart1.xml.rels", chart_rels)
    return target


def as_template(source: Path, target: Path) -> Path:
    """The same package declared a Word template (.dotx)."""
    return rezipped(source, target, lambda name, data: data.replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
        if name == "[Content_Types].xml" else data)


# -- page numbers in templates ---------------------------------------------------------------

def _footer_p(document: Any) -> Any:
    section = document.sections[0]
    section.footer.is_linked_to_previous = False
    return section.footer.paragraphs[0]


def page_field_without_cached_text(document: Any) -> None:
    """begin / instrText PAGE / end: no separate, no result text (Word fills it in)."""
    p = _footer_p(document)
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="end"/>'):
        p._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))


def page_field_on_the_first_page_only(document: Any) -> None:
    """A cover-style template: a number in the first page's footer, none on the others."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0]._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t>'
                                             '</w:r></w:fldSimple>'))


def page_field_in_text_box(document: Any) -> None:
    p = _footer_p(document)
    run = text_box_run(["第"], fallback=False)
    box_p = run.find(".//" + qn("w:txbxContent")).find(qn("w:p"))
    box_p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE   \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r>'
                           '</w:fldSimple>'))
    p._p.append(run)


def page_field_in_control(document: Any) -> None:
    """A page-number building block: the field inside a content control."""
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Page Numbers (Bottom of '
                    'Page)"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr>'
                    '<w:jc w:val="center"/></w:pPr>'
                    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r>'
                    '<w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>')
    footer._element.append(sdt)


def add_list(document: Any, num_id: int, levels: str) -> None:
    """A list definition (``levels``: its ``w:lvl`` elements) as list ``num_id`` of the document."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))  # abstract definitions stand before the lists
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def num_pr(level: int, num_id: int) -> Any:
    """The numbering of a paragraph (or style) at ``level`` of list ``num_id``."""
    return parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')


def numbered_heading_styles(document: Any) -> None:
    """Heading 1/2 number themselves (一、 and （一）) through a list linked to the styles."""
    add_list(document, 90,
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/>'
             '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading2"/>'
             '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>')
    for level, name in enumerate(("Heading 1", "Heading 2")):
        document.styles[name].element.get_or_add_pPr().insert(0, num_pr(level, 90))


def no_page_size(document: Any) -> None:
    sect_pr = document.sections[0]._sectPr
    for tag in ("w:pgSz", "w:pgMar"):
        found = sect_pr.find(qn(tag))
        if found is not None:
            sect_pr.remove(found)


def small_body(document: Any) -> None:
    """A 10.5 pt (五号) body with its own 14 pt level-1 heading, and no level-2 style of its own."""
    styles = document.styles
    styles["Normal"].font.size = docx.shared.Pt(10.5)
    styles["Heading 1"].font.size = docx.shared.Pt(14)
    styles.element.remove(styles["Heading 2"].element)


def unit_template(change: Any = None) -> Any:
    """A blank unit template, altered by ``change``."""
    document = docx.Document()
    document.add_paragraph("本模板只用于版式")
    if change is not None:
        change(document)
    return document


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
