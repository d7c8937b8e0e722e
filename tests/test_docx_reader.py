"""The one document reader: tables cell by cell, content controls, text boxes once,
footnotes and endnotes, each located; and `check` finding a stale figure there."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import example_path
from docx_cases import (
    add_footnote,
    add_table,
    add_text_box,
    as_template,
    block_control,
    numbered_heading_styles,
    rezipped,
    run_control,
    save,
    saved_by_libreoffice,
    with_chart_without_its_data,
    with_part,
)
from draftgen import build_draft
from draftgen.api import check_file, draft_docx
from draftgen.cli import main
from draftgen.formats.document import HEADING, PARAGRAPH, TITLE, Block, Run
from draftgen.formats.docx_reader import read_docx


def _texts(path: Path) -> list[tuple[str, str | None]]:
    return [(b.text, b.where) for b in read_docx(path)]


def _report(tmp_path: Path) -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph("甲镇2024年工作总结", style="Title")
    document.add_paragraph("一、主要工作", style="Heading 1")
    return document


def test_tables_are_read_cell_by_cell_with_their_place(tmp_path: Path) -> None:
    document = _report(tmp_path)
    document.add_paragraph("主要指标见下表。")
    table = add_table(document, [["指标", "数值"], ["地区生产总值", "42.8亿元"]])
    table.cell(0, 0).merge(table.cell(0, 1))  # a title row across both columns
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "其中工业9.6亿元"
    add_table(document, [["第二张表"]])
    blocks = read_docx(save(document, tmp_path / "表格.docx"))
    located = [(b.text, b.where) for b in blocks if b.where]
    assert located == [("指标", "表1 第1行第1列"), ("数值", "表1 第1行第1列"), ("地区生产总值", "表1 第2行第1列"),
                       ("42.8亿元", "表1 第2行第2列"), ("其中工业9.6亿元", "表1 第2行第2列 › 表1 第1行第1列"),
                       ("第二张表", "表2 第1行第1列")]
    # a cell is never a heading, however short
    assert all(b.kind == PARAGRAPH for b in blocks if b.where)


def test_a_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    document = _report(tmp_path)
    anchor = document.add_paragraph("全年工作稳中有进。")
    add_text_box(anchor, ["地区生产总值42.8亿元。"])
    document.add_paragraph("下一段。")
    assert _texts(save(document, tmp_path / "文本框.docx"))[2:] == [
        ("全年工作稳中有进。", None), ("地区生产总值42.8亿元。", "文本框1"), ("下一段。", None)]


def test_content_controls_block_nested_and_in_a_run(tmp_path: Path) -> None:
    document = _report(tmp_path)
    paragraph = document.add_paragraph("开头")
    run_control(paragraph, "控件里的字")
    block_control(document, ["块级控件里的段落。"])
    block_control(document, ["嵌套控件里的段落。"], nested=True)
    texts = [t for t, _ in _texts(save(document, tmp_path / "控件.docx"))]
    assert texts[2:] == ["开头控件里的字", "块级控件里的段落。", "嵌套控件里的段落。"]


def test_footnotes_follow_the_paragraph_that_cites_them(tmp_path: Path) -> None:
    document = _report(tmp_path)
    first = document.add_paragraph("数据来自统计部门。")
    add_footnote(document, first, "地区生产总值为快报数。", note_id=1)
    second = document.add_paragraph("另见附件。")
    add_footnote(document, second, "附件略。", note_id=2)
    assert _texts(save(document, tmp_path / "脚注.docx"))[2:] == [
        ("数据来自统计部门。", None), ("地区生产总值为快报数。", "脚注1"), ("另见附件。", None), ("附件略。", "脚注2")]


def test_a_soft_line_break_parts_two_lines(tmp_path: Path) -> None:
    document = _report(tmp_path)
    paragraph = document.add_paragraph("联系电话：1234")
    paragraph.add_run().add_break()
    paragraph.add_run("联系人：张三")
    assert read_docx(save(document, tmp_path / "换行.docx"))[-1].text == "联系电话：1234\n联系人：张三"


def test_a_dotx_template_reads_like_a_docx(tmp_path: Path) -> None:
    document = _report(tmp_path)
    document.add_paragraph("正文。")
    source = save(document, tmp_path / "稿.docx")
    assert read_docx(as_template(source, tmp_path / "稿.dotx")) == read_docx(source)


def test_malformed_numbering_levels_are_ignored(tmp_path: Path) -> None:
    document = _report(tmp_path)
    numbered_heading_styles(document)
    for lvl in document.part.numbering_part.element.iter(docx.oxml.ns.qn("w:lvl")):
        lvl.set(docx.oxml.ns.qn("w:ilvl"), "x")
    paragraph = document.add_paragraph("正文。")
    paragraph._p.get_or_add_pPr().append(docx.oxml.parse_xml(
        f'<w:outlineLvl {docx.oxml.ns.nsdecls("w")} w:val="abc"/>'))
    blocks = read_docx(save(document, tmp_path / "坏编号.docx"))
    assert [(b.kind, b.text) for b in blocks] == [(TITLE, "甲镇2024年工作总结"), (HEADING, "一、主要工作"),
                                                  (PARAGRAPH, "正文。")]


def _stale_in_table_and_text_box(tmp_path: Path) -> Path:
    """The bundled draft with the GDP figure outdated in a table and in a text box."""
    source = tmp_path / "draft.docx"
    source.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    document = docx.Document(str(source))
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 2")
    table = add_table(document, [["指标", "数值", "单位"], ["地区生产总值", "41.8", "亿元"]])
    heading._p.addnext(table._tbl)
    box_anchor = next(p for p in document.paragraphs if p.style.name == "Normal" and "党" in p.text)
    add_text_box(box_anchor, ["全镇地区生产总值41.8亿元。"])
    return save(document, tmp_path / "改过的稿子.docx")


def test_check_finds_a_stale_figure_in_a_table_and_a_text_box_once_each(tmp_path: Path) -> None:
    edited = _stale_in_table_and_text_box(tmp_path)
    stale = [f for f in check_file(edited, facts=example_path("taoyuan-town")) if f.rule == "fact.stale"]
    assert len(stale) == 2
    table, box = sorted(stale, key=lambda f: "文本框" in f.location)
    assert table.location.endswith("› 表1 第2行第2列") and table.excerpt == "地区生产总值41.8亿元"
    assert box.location.endswith("› 文本框1") and "41.8" in box.excerpt
    assert all("地区生产总值写的是 41.8，事实表里是 42.8" in f.message for f in stale)


@pytest.mark.slow
def test_check_finds_them_after_libreoffice_saved_the_file(tmp_path: Path) -> None:
    """LibreOffice writes text boxes with a Choice and a Fallback copy, like Word."""
    saved = saved_by_libreoffice(_stale_in_table_and_text_box(tmp_path), tmp_path)
    stale = [f for f in check_file(saved, facts=example_path("taoyuan-town")) if f.rule == "fact.stale"]
    assert sorted(f.location.rsplit("› ", 1)[-1] for f in stale) == ["文本框1", "表1 第2行第2列"]


def test_check_flags_a_heading_numbered_twice(tmp_path: Path) -> None:
    document = _report(tmp_path)
    numbered_heading_styles(document)
    document.paragraphs[1].runs[0].text = "主要工作"  # Word numbers level 1 itself now
    document.add_paragraph("（一）抓党建", style="Heading 2")  # …and level 2 too: 一、(一)（一）
    document.add_paragraph("全年组织学习3期。")
    path = save(document, tmp_path / "双重编号.docx")
    result = CliRunner().invoke(main, ["check", str(path), "--year", "2024"])
    lines = [line for line in result.output.splitlines() if "structure.double-number" in line]
    assert result.exit_code == 1, result.output
    assert lines == ["错误 [structure.double-number] 一、主要工作 › 第3段（标题）：“（一）（一）抓党建” —— "
                     "标题带了两层序号（“（一）”和“（一）”），多半是标题样式的自动编号加上了手打的序号。"
                     "请在 Word/WPS 里取消这个样式的自动编号，或删去手打的序号，只留一个。"]


def test_a_relationship_to_a_part_the_file_lacks_does_not_stop_check(tmp_path: Path) -> None:
    """python-docx stops at a relationship whose part is missing (KeyError); Word opens the
    file. `check` reads it, and says nothing about it."""
    from draftgen.formats.docx_package import open_docx

    document = _report(tmp_path)
    document.add_paragraph("全年完成固定资产投资12.5亿元。")
    source = save(document, tmp_path / "源.docx")
    path = with_chart_without_its_data(source, tmp_path / "图表少了数据.docx")
    with zipfile.ZipFile(path) as package:
        assert "word/embeddings/Microsoft_Excel_Sheet1.xlsx" not in package.namelist()
    with pytest.raises(KeyError):
        docx.Document(str(path))
    assert [p.text for p in open_docx(path).paragraphs] == [p.text for p in docx.Document(str(source)).paragraphs]
    result = CliRunner().invoke(main, ["check", str(path), "--year", "2024"])
    assert result.exit_code == 0 and result.output.strip() == "没有发现问题。", result.output


def test_only_relationships_python_docx_never_follows_are_left_out(tmp_path: Path) -> None:
    """A footer (or image) the body's relationships name but the file lacks is followed by id:
    such a file is refused in one line, as before, not half-read into a traceback later. A
    stray relationships part of no part is not read at all."""
    from draftgen.errors import InputFileError
    from draftgen.formats.docx_package import open_docx

    document = _report(tmp_path)
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    source = save(document, tmp_path / "源.docx")
    with zipfile.ZipFile(source) as package:
        footer = next(n for n in package.namelist() if n.startswith("word/footer"))
    no_footer = rezipped(source, tmp_path / "少了页脚.docx", lambda name, data: data)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(no_footer, "w") as new:
        for info in old.infolist():
            if info.filename != footer:
                new.writestr(info, old.read(info))
    with pytest.raises(InputFileError, match=r"不是有效的 \.docx 文件（KeyError）"):
        open_docx(no_footer)
    stray = rezipped(source, tmp_path / "多了关系.docx", lambda name, data: data)
    with zipfile.ZipFile(stray, "a") as package:
        package.writestr("word/_rels/orphan.xml.rels", b'<Relationship xmlns="http://schemas.openxmlformats.org/'
                         b'package/2006/relationships" Id="rId1" Type="x" Target="nothing.xml"/>')
    result = CliRunner().invoke(main, ["check", str(stray), "--year", "2024"])
    assert result.exit_code == 0 and result.output.strip() == "没有发现问题。", result.output


# -- reading without python-docx's package (mine, harvest) ----------------------------------------

def _read(blocks: list[Block]) -> list[tuple[object, ...]]:
    return [(b.kind, b.level, b.runs, b.where, b.line) for b in blocks]


def _everything(tmp_path: Path) -> Path:
    """One document with all the reader reads: styles, Word's numbering, bold lead runs,
    a table with a merged row and a table inside a cell, a text box, footnotes, content
    controls, a soft line break."""
    document = _report(tmp_path)
    numbered_heading_styles(document)
    document.paragraphs[1].runs[0].text = "主要工作"  # Word numbers it
    document.add_paragraph("抓党建", style="Heading 2")
    paragraph = document.add_paragraph()
    paragraph.add_run("一是强化理论武装。").bold = True
    paragraph.add_run("全年组织学习12期。")
    add_footnote(document, paragraph, "含线上学习。")
    table = add_table(document, [["指标", "数值"], ["地区生产总值", "42.8亿元"]])
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "其中工业9.6亿元"
    add_text_box(document.add_paragraph("全年工作稳中有进。"), ["地区生产总值42.8亿元。"])
    run_control(document.add_paragraph("开头"), "控件里的字")
    block_control(document, ["嵌套控件里的段落。"], nested=True)
    broken = document.add_paragraph("联系电话：1234")
    broken.add_run().add_break()
    broken.add_run("联系人：张三")
    document.add_paragraph("稳经济", style="Heading 2")
    return save(document, tmp_path / "样样都有.docx")


def _cases(tmp_path: Path) -> dict[str, Path]:
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    everything = _everything(tmp_path)
    return {"everything": everything, "draft": draft, "template": as_template(everything, tmp_path / "模板.dotx"),
            "stale": _stale_in_table_and_text_box(tmp_path)}


def test_both_ways_in_read_the_same_blocks(tmp_path: Path) -> None:
    """check opens a file with python-docx; mine and harvest read its parts directly: the
    same blocks, runs, places and paragraph numbers, file after file (shared styles too)."""
    from draftgen.formats.docx_reader import document_blocks, open_docx

    cases = _cases(tmp_path)
    for _ in range(2):
        for name, path in cases.items():
            assert _read(read_docx(path)) == _read(document_blocks(open_docx(path))), name
    everything = read_docx(cases["everything"])
    assert [b.text for b in everything if b.kind == HEADING] == ["一、主要工作", "（一）抓党建", "（二）稳经济"]
    assert ("含线上学习。", "脚注1") in [(b.text, b.where) for b in everything]
    assert everything[3].runs[0] == Run("一是强化理论武装。", bold=True)


@pytest.mark.slow
def test_both_ways_in_read_the_same_after_libreoffice_saved_the_file(tmp_path: Path) -> None:
    from draftgen.formats.docx_reader import document_blocks, open_docx

    saved = saved_by_libreoffice(_everything(tmp_path), tmp_path)
    assert _read(read_docx(saved)) == _read(document_blocks(open_docx(saved)))


def _restyled(source: Path, target: Path) -> Path:
    """``source`` with its Heading 2 style made a plain paragraph style (another unit's template)."""
    def change(name: str, data: bytes) -> bytes:
        if name != "word/styles.xml":
            return data
        data = data.replace(b'w:val="heading 2"', "w:val=\"正文二\"".encode())
        return re.sub(rb'(w:styleId="Heading2".*?)<w:outlineLvl w:val="1"/>', rb"\1", data, flags=re.S)

    return rezipped(source, target, change)


def test_files_from_one_template_share_its_styles_not_another_templates(tmp_path: Path) -> None:
    """Styles and numbering parsed once for files from one template: a file with other
    styles is read with its own, and numbering starts again in every file."""
    document = _report(tmp_path)
    document.add_paragraph("抓党建", style="Heading 2")
    document.add_paragraph("全年组织学习12期。")
    ours = save(document, tmp_path / "甲.docx")
    theirs = _restyled(ours, tmp_path / "乙.docx")
    for path, kind in [(ours, HEADING), (theirs, PARAGRAPH), (ours, HEADING), (theirs, PARAGRAPH)]:
        assert [b.kind for b in read_docx(path)][2] == kind, path.name
    numbered = _everything(tmp_path)
    assert [b.text for b in read_docx(numbered)] == [b.text for b in read_docx(numbered)]


def test_reading_only_refuses_what_opening_refuses(tmp_path: Path) -> None:
    """The same checks and the same one line, whichever way a file is read."""
    from draftgen.errors import InputFileError
    from draftgen.formats.docx_package import Limits, open_docx

    source = save(_report(tmp_path), tmp_path / "源.docx")
    w = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    files = {
        "dtd": with_part(source, tmp_path / "实体.docx", "word/document.xml",
                          b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "b">]><w:document ' + w + b"/>"),
        "late dtd": with_part(source, tmp_path / "迟到的实体.docx", "word/document.xml",
                               b'<?xml version="1.0"?><!--' + b" " * 5000 + b'--><?x y?>\n<!DOCTYPE d>'
                               b"<w:document " + w + b"/>"),
        "elements": with_part(source, tmp_path / "元素.docx", "word/document.xml",
                               b"<w:document " + w + b"><w:body><w:p>" + b"<w:r/>" * 7_000_000
                               + b"</w:p></w:body></w:document>"),
        "no main part": with_part(source, tmp_path / "无正文.docx", "_rels/.rels",
                                   b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                   b'relationships"/>'),
        "bad xml": with_part(source, tmp_path / "坏.docx", "word/document.xml", b"<w:document " + w + b"><w:body>"),
        "paragraphs": source,
    }
    messages = {
        "dtd": "里的 word/document.xml 含有 DTD 声明（<!DOCTYPE），Word 文件不会有它，已拒绝读取。",
        "late dtd": "里的 word/document.xml 含有 DTD 声明（<!DOCTYPE），Word 文件不会有它，已拒绝读取。",
        "elements": "个 XML 元素，超过上限 6000000 个：这不像正常的 Word 文件。",
        "no main part": "不是有效的 .docx 文件（KeyError）",
        "bad xml": "不是有效的 .docx 文件（XMLSyntaxError）",
        "paragraphs": "有 2 段，超过上限 1 段。",
    }
    for case, path in files.items():
        limits = Limits(paragraphs=1) if case == "paragraphs" else Limits()
        with pytest.raises(InputFileError) as reading:
            read_docx(path, limits)
        assert messages[case] in str(reading.value) and str(reading.value).startswith(f"“{path}”"), case
        with pytest.raises(InputFileError) as opening:
            open_docx(path, limits)
        assert str(opening.value) == str(reading.value) or case == "elements", case  # counted in all parts there


@pytest.mark.parametrize("part", ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"])
def test_the_package_parts_are_counted_before_they_are_parsed(tmp_path: Path, part: str) -> None:
    """A few KB zipped can hold millions of elements in any part the reader parses."""
    from draftgen.errors import InputFileError
    from draftgen.formats.docx_package import Limits

    source = save(_report(tmp_path), tmp_path / "源.docx")
    root_end = {"[Content_Types].xml": b"</Types>"}.get(part, b"</Relationships>")
    padded = rezipped(source, tmp_path / "填充.docx",
                       lambda name, data: data.replace(root_end, b"<a/>" * 20_000 + root_end) if name == part else data)
    with pytest.raises(InputFileError, match=r"个 XML 元素，超过上限 10000 个"):
        read_docx(padded, Limits(elements=10_000))


def test_a_part_in_utf16_is_counted_as_the_parser_reads_it_and_other_encodings_are_refused(tmp_path: Path) -> None:
    """UTF-16 takes two bytes a character: the limits hold for it both ways in. A package's
    XML is UTF-8 or UTF-16; in another encoding the checks on its bytes could be fooled
    (UTF-7 may write < as +ADw-, EBCDIC has no byte <), so it is refused, whatever it is."""
    from draftgen.errors import InputFileError
    from draftgen.formats.docx_package import Limits, open_docx

    source = save(_report(tmp_path), tmp_path / "源.docx")
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "<w:p><w:r><w:t>段落</w:t></w:r></w:p>" * 50 + "</w:body></w:document>")

    def with_document(name: str, xml: bytes) -> Path:
        return rezipped(source, tmp_path / name, lambda part, data: xml if part == "word/document.xml" else data)

    for name, xml in (("bom.docx", ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")),
                      ("le.docx", ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16-le"))):
        path = with_document(name, xml)
        assert [b.text for b in read_docx(path)] == ["段落"] * 50, name
        for read in (read_docx, open_docx):
            with pytest.raises(InputFileError, match=r"有 50 段，超过上限 10 段"):
                read(path, Limits(paragraphs=10))
    others = {"UTF-7": body.replace("段落", "Duanluo").encode().replace(b"<", b"+ADw-"),
              "GB2312": body.encode("gb2312"), "hex": body.encode().hex().encode(), "x-draftgen": body.encode()}
    for encoding, xml in others.items():
        path = with_document(f"{encoding}.docx", f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + xml)
        for read in (read_docx, open_docx):
            with pytest.raises(InputFileError, match=rf"word/document\.xml 用的是 {encoding} 编码，"
                                                     r"Word 文件只用 UTF-8 或 UTF-16，已拒绝读取"):
                read(path)
    ebcdic = with_document("ebcdic.docx", ('<?xml version="1.0" encoding="cp037"?>' + body).encode("cp037",
                                                                                                  "replace"))
    with pytest.raises(InputFileError, match=r"用的是 EBCDIC 编码"):
        read_docx(ebcdic)
    # a UTF-8 byte signature wins over the label, for the parser and for the counts
    labelled = with_document("标错.docx", codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="cp037"?>' + body.encode())
    with pytest.raises(InputFileError, match=r"有 50 段，超过上限 10 段"):
        read_docx(labelled, Limits(paragraphs=10))


def _same_crc(data: bytes, start: int, count: int, target: int) -> bytes:
    """``data`` with bits 1 and 2 of the ``count`` letters from ``start`` flipped (a→c, e, g) so
    that its CRC-32 is ``target``: CRC-32 is linear, so the flips to make are solved over GF(2)."""
    import zlib

    base = zlib.crc32(data)
    flips = [(k, bit) for k in range(count) for bit in (1, 2)]

    def effect(k: int, bit: int) -> int:
        changed = bytearray(data)
        changed[start + k] ^= 1 << bit
        return zlib.crc32(bytes(changed)) ^ base

    pivots: dict[int, tuple[int, set[int]]] = {}
    for i, (k, bit) in enumerate(flips):
        value, which = effect(k, bit), {i}
        for b in range(31, -1, -1):
            if value >> b & 1:
                if b not in pivots:
                    pivots[b] = value, which
                    break
                value, which = value ^ pivots[b][0], which ^ pivots[b][1]
    need, chosen = base ^ target, set()
    for b in range(31, -1, -1):
        if need >> b & 1:
            need, chosen = need ^ pivots[b][0], chosen ^ pivots[b][1]
    out = bytearray(data)
    for i in chosen:
        out[start + flips[i][0]] ^= 1 << flips[i][1]
    assert zlib.crc32(bytes(out)) == target
    return bytes(out)


def test_styles_with_the_same_crc_and_size_are_still_told_apart(tmp_path: Path) -> None:
    """Styles are shared between files by the bytes the zip stores, not by the CRC-32 and size
    it records: a file made to match another's cannot change how the other is read."""
    import zlib

    def styles(heading: str) -> bytes:
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!--' + "a" * 40 + "-->"
                '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
                f'<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="{heading}"/></w:style>'
                "</w:styles>").encode()

    ours = styles("heading 1")
    theirs = styles("xeading 1")
    theirs = _same_crc(theirs, theirs.index(b"<!--") + 4, 40, zlib.crc32(ours))
    assert len(theirs) == len(ours) and theirs != ours
    document = docx.Document()
    document.add_paragraph("主要工作情况", style="Heading 1")  # no number: a heading by its style alone
    document.add_paragraph("全年组织学习12期。")
    source = save(document, tmp_path / "源.docx")
    a = with_part(source, tmp_path / "甲.docx", "word/styles.xml", ours)
    b = with_part(source, tmp_path / "乙.docx", "word/styles.xml", theirs)
    assert [x.kind for x in read_docx(a)] == [HEADING, PARAGRAPH]
    assert [x.kind for x in read_docx(b)] == [PARAGRAPH, PARAGRAPH]
    assert [x.kind for x in read_docx(a)] == [HEADING, PARAGRAPH]


def test_huge_styles_are_not_kept_after_their_file(tmp_path: Path) -> None:
    """Styles of a template are kept to share between files; styles of tens of thousands of
    elements (no template has them) would keep much memory, and are not."""
    from draftgen.formats import docx_package

    source = save(_report(tmp_path), tmp_path / "源.docx")
    huge = rezipped(source, tmp_path / "大样式.docx", lambda name, data: data.replace(
        b"</w:styles>", b"<w:x/>" * 40_000 + b"</w:styles>") if name == "word/styles.xml" else data)
    assert docx_package.read_parts(source).shared == {"styles", "numbering"}
    assert docx_package.read_parts(huge).shared == {"numbering"}
    with zipfile.ZipFile(huge) as package:
        kept = docx_package._shared_key(package, "word/styles.xml", "styles")
    assert kept is not None and kept not in docx_package._SHARED
    assert len(docx_package._SHARED) <= docx_package._SHARED_KEPT
    assert [b.kind for b in read_docx(huge)] == [b.kind for b in read_docx(source)] == [TITLE, HEADING]


def test_a_broken_notes_part_still_lets_the_text_be_read(tmp_path: Path) -> None:
    """As check reads it: footnotes that do not parse are left out, the rest is read."""
    from draftgen.formats.docx_reader import document_blocks, open_docx

    document = _report(tmp_path)
    add_footnote(document, document.add_paragraph("数据来自统计部门。"), "快报数。")
    source = save(document, tmp_path / "源.docx")
    broken = rezipped(source, tmp_path / "坏脚注.docx",
                       lambda name, data: b"<w:footnotes oops" if name == "word/footnotes.xml" else data)
    assert [b.text for b in read_docx(broken)] == [b.text for b in document_blocks(open_docx(broken))] == [
        "甲镇2024年工作总结", "一、主要工作", "数据来自统计部门。"]


def test_styles_declared_as_something_else_are_not_read_either_way(tmp_path: Path) -> None:
    """python-docx only takes a styles part declared as styles; the lean way does the same."""
    from draftgen.formats.docx_reader import document_blocks, open_docx

    source = save(_report(tmp_path), tmp_path / "源.docx")
    undeclared = rezipped(source, tmp_path / "未声明.docx", lambda name, data: re.sub(
        rb'<Override PartName="/word/styles.xml"[^>]*/>', b"", data) if name == "[Content_Types].xml" else data)
    assert _read(read_docx(undeclared)) == _read(document_blocks(open_docx(undeclared)))
    assert read_docx(undeclared)[0].kind == PARAGRAPH  # its Title style unknown: a plain line


@pytest.mark.parametrize("damage", ["deflate", "method", "encrypted"])
def test_a_damaged_zip_gets_one_line(tmp_path: Path, damage: str) -> None:
    from draftgen.errors import InputFileError

    source = save(_report(tmp_path), tmp_path / "源.docx")
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(info.filename)] != info.filename.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    if damage == "deflate":
        data[start + 5:start + info.compress_size - 2] = b"\xff" * (info.compress_size - 7)
    for local, field in ((info.header_offset, 6), (central, 8)):
        if damage == "method":
            data[local + field + 2:local + field + 4] = (97).to_bytes(2, "little")
        elif damage == "encrypted":
            data[local + field:local + field + 2] = (1).to_bytes(2, "little")
    path = tmp_path / "坏.docx"
    path.write_bytes(bytes(data))
    kind = {"deflate": r"zlib\.error", "method": "NotImplementedError", "encrypted": "RuntimeError"}[damage]
    with pytest.raises(InputFileError, match=rf"“.*坏\.docx”不是有效的 \.docx 文件（{kind}）"):
        read_docx(path)


def test_check_reads_a_main_part_that_is_not_a_document(tmp_path: Path) -> None:
    source = save(_report(tmp_path), tmp_path / "源.docx")
    foreign = rezipped(source, tmp_path / "怪.docx", lambda name, data: (
        b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
        if name == "word/document.xml" else data)
    result = CliRunner().invoke(main, ["check", str(foreign), "--year", "2024"])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert read_docx(foreign) == []


def test_legal_numbering_and_symbol_font_bullets_read_as_word_shows_them(tmp_path: Path) -> None:
    from docx_cases import add_list, num_pr

    document = docx.Document()
    add_list(document, 91,
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1."/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/>'
             '</w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0d8"/>'
             '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:lvl>')
    for level, text in ((0, "总体情况"), (1, "经济运行"), (2, "地区生产总值增长")):
        document.add_paragraph(text)._p.get_or_add_pPr().insert(0, num_pr(level, 91))
    path = tmp_path / "编号.docx"
    document.save(str(path))
    assert [b.text for b in read_docx(path)] == ["一.总体情况", "1.1.经济运行", "➢地区生产总值增长"]
