"""DOCX drafts: GB/T 9704 styles and page, fonts Word and WPS really use,
placeholders, provenance comments, a unit's reference document, and reading back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import EXAMPLE_SHEETS, FORMS, example_path
from draftgen import build_draft
from draftgen.api import draft_docx
from draftgen.formats.document import HEADING, PARAGRAPH, parse_markdown, to_markdown
from draftgen.formats.docx_reader import read_docx
from draftgen.review.fidelity import check_numbers

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make(tmp_path: Path, key: str = "taoyuan-town", form: str | None = None, **kw: Any) -> Path:
    result = build_draft(example_path(key), form=form)
    path = tmp_path / f"{key}-{form}.docx"
    path.write_bytes(draft_docx(result, **kw))
    return path


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    return make(tmp_path)


def test_page_setup_is_gbt9704(draft: Path) -> None:
    document = docx.Document(str(draft))
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert (section.top_margin.twips, section.left_margin.twips,
            section.right_margin.twips, section.bottom_margin.twips) == (2098, 1587, 1474, 1984)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    lang = document.settings.element.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize(("style", "font", "size", "bold"), [
    ("Normal", "仿宋_GB2312", 16, False), ("Title", "方正小标宋简体", 22, False),
    ("Heading 1", "黑体", 16, False), ("Heading 2", "楷体_GB2312", 16, False),
    ("Heading 3", "仿宋_GB2312", 16, True), ("Subtitle", "楷体_GB2312", 16, False),
    ("落款单位", "仿宋_GB2312", 16, False), ("Footer", "宋体", 14, False)])
def test_styles_carry_real_chinese_fonts(draft: Path, style: str, font: str, size: int, bold: bool) -> None:
    element = docx.Document(str(draft)).styles[style]
    fonts = element.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == font
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert fonts.get(qn("w:hint")) == "eastAsia"
    assert not [a for a in fonts.attrib if a.endswith("Theme")]
    assert element.element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert element.font.size == Pt(size) and bool(element.font.bold) == bold


def test_body_grid_indent_and_condensing(draft: Path) -> None:
    normal = docx.Document(str(draft)).styles["Normal"].element
    spacing = normal.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == "579" and spacing.get(qn("w:lineRule")) == "exact"
    ind = normal.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLine")) == "640" and ind.get(qn("w:firstLineChars")) == "200"
    assert normal.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"


def test_headings_have_outline_levels(draft: Path) -> None:
    document = docx.Document(str(draft))
    for level in (1, 2, 3):
        ppr = document.styles[f"Heading {level}"].element.pPr
        assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Normal", "落款单位", "落款日期"} <= used


def test_no_direct_fonts_on_runs(draft: Path) -> None:
    body = docx.Document(str(draft)).element.body
    assert body.findall(f".//{W}rFonts") == []
    assert body.findall(f".//{W}sz") == []


def test_page_numbers_outside_on_odd_and_even_pages(draft: Path) -> None:
    document = docx.Document(str(draft))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
        assert f'w:jc w:val="{align}"' in xml


def test_placeholders_are_own_runs_highlighted(tmp_path: Path, spec_example: Path) -> None:
    path = tmp_path / "spec.docx"
    path.write_bytes(draft_docx(build_draft(spec_example)))
    runs = [r for p in docx.Document(str(path)).paragraphs for r in p.runs]
    marked = [r for r in runs if "【待补充" in r.text]
    assert marked and all(r.text.startswith("【待补充：") and r.text.endswith("】") for r in marked)
    assert all(r.font.highlight_color == 7 for r in marked)  # WD_COLOR_INDEX.YELLOW
    assert not [r for r in runs if r.font.highlight_color and "【待补充" not in r.text]


def test_comments_only_with_provenance(tmp_path: Path) -> None:
    plain = docx.Document(str(make(tmp_path)))
    assert len(list(plain.comments)) == 0
    (tmp_path / "p").mkdir()
    path = make(tmp_path / "p", provenance=True)
    document = docx.Document(str(path))
    comments = list(document.comments)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert len(comments) == len(paragraphs)
    texts = [c.text for c in comments]
    assert any("indicators › 地区生产总值" in t for t in texts)
    assert any("短语：year.2024." in t for t in texts)
    # the comments name the entries the draft really used
    used = set(build_draft(example_path("taoyuan-town")).used_entries)
    named = {e for t in texts for line in t.splitlines() if line.startswith("短语：")
             for e in line[3:].split("、")}
    assert named == used


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_markdown_docx_read_back_is_the_same_draft(tmp_path: Path, key: str, form: str) -> None:
    result = build_draft(example_path(key), form=form)
    path = make(tmp_path, key, form)
    blocks = read_docx(path)
    assert blocks == parse_markdown(result.markdown)
    assert check_numbers(to_markdown(blocks), result.facts, result.form).ok


def test_reading_with_provenance_comments_gives_the_same_text(tmp_path: Path) -> None:
    result = build_draft(example_path("donghu-street"))
    path = make(tmp_path, "donghu-street", provenance=True)
    assert read_docx(path) == parse_markdown(result.markdown)


def _numbering(document: Any) -> str:
    """Add a Word numbering definition: level 1 （一）, level 2 1. ; return its numId."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, fmt, text in ((0, "chineseCounting", "（%1）"), (1, "decimal", "%2.")):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return "90"


def _number(paragraph: Any, num_id: str, ilvl: int) -> None:
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(ilvl)), ("w:numId", num_id)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)


def _tracked(paragraph: Any, tag: str, text: str) -> None:
    change = OxmlElement(tag)
    change.set(qn("w:id"), "1")
    change.set(qn("w:author"), "writer")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    t.text = text
    run.append(t)
    change.append(run)
    paragraph._p.append(change)


def test_a_draft_edited_in_word_reads_back(tmp_path: Path) -> None:
    """Comments, tracked changes, Word's own numbering instead of typed （一）."""
    document = docx.Document(str(make(tmp_path)))
    num_id = _numbering(document)
    headings = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    for paragraph in headings[:3]:
        paragraph.runs[0].text = paragraph.runs[0].text[3:]  # drop the typed （一）
        _number(paragraph, num_id, 0)
    # the first section's opening paragraph: right after the first （一） heading
    body = next(b for a, b in zip(document.paragraphs, document.paragraphs[1:], strict=False)
                if a.style.name == "Heading 2" and b.style.name == "Normal")
    _tracked(body, "w:ins", "这是新增的一句。")
    _tracked(body, "w:del", "这是删掉的一句。")
    document.add_comment(body.runs[:1], text="请核对数字", author="审稿人", initials="SG")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))

    blocks = read_docx(edited)
    level2 = [b.text for b in blocks if b.kind == HEADING and b.level == 2]
    assert [t[:3] for t in level2[:3]] == ["（一）", "（二）", "（三）"]
    paragraph = next(b.text for b in blocks if b.kind == PARAGRAPH and b.text.startswith(body.text[:6]))
    assert paragraph.endswith("这是新增的一句。") and "这是删掉的一句" not in paragraph


def test_a_plain_document_without_styles_is_read_by_its_numbers(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ("甲镇工作总结", "一、工作情况", "（一）抓党建", "全年组织学习3期。", "二、存在的问题"):
        document.add_paragraph(text)
    path = tmp_path / "plain.docx"
    document.save(str(path))
    assert [(b.kind, b.level) for b in read_docx(path)] == [
        (PARAGRAPH, 0), (HEADING, 1), (HEADING, 2), (PARAGRAPH, 0), (HEADING, 1)]


def test_reference_docx_lends_its_styles_and_page(tmp_path: Path) -> None:
    unit = docx.Document()
    section = unit.sections[0]
    section.left_margin = section.right_margin = docx.shared.Mm(30)
    heading = unit.styles["Heading 1"]
    heading.font.name = "方正黑体_GBK"
    heading.font.size = Pt(18)
    unit.add_paragraph("本单位模板里的示例文字")
    reference = tmp_path / "本单位模板.docx"
    unit.save(str(reference))
    path = make(tmp_path, reference=reference)
    document = docx.Document(str(path))
    assert abs(document.sections[0].left_margin - docx.shared.Mm(30)) < docx.shared.Mm(0.1)
    assert document.styles["Heading 1"].font.size == Pt(18)
    assert document.styles["Heading 1"].font.name == "方正黑体_GBK"
    # styles the unit's template lacks are added in the standard layout, at the template's
    # scale: its body is 11 pt, so the signature (16 pt on a 16 pt body) is 11 pt too
    assert document.styles["落款单位"].font.size == Pt(11)
    assert "本单位模板里的示例文字" not in [p.text for p in document.paragraphs]
    assert read_docx(path) == parse_markdown(build_draft(example_path("taoyuan-town")).markdown)


def test_broken_reference_is_a_clear_error(tmp_path: Path) -> None:
    from draftgen.errors import WriterError

    bad = tmp_path / "坏模板.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(WriterError, match=r"无法读取参考文档：“.*坏模板\.docx”不是有效的 \.docx 文件"):
        draft_docx(build_draft(example_path("taoyuan-town")), reference=bad)


@pytest.mark.slow
def test_reads_a_docx_saved_by_libreoffice(tmp_path: Path) -> None:
    from docx_cases import saved_by_libreoffice

    saved = saved_by_libreoffice(make(tmp_path), tmp_path)
    assert read_docx(saved) == parse_markdown(build_draft(example_path("taoyuan-town")).markdown)


def test_bundled_unit_template_is_applied(tmp_path: Path) -> None:
    reference = example_path("taoyuan-town").parent / "本单位模板.docx"
    document = docx.Document(str(make(tmp_path, reference=reference)))
    fonts = document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正黑体_GBK"
    assert document.styles["Normal"].paragraph_format.line_spacing == Pt(28)
    assert document.paragraphs[0].style.name == "Title"
    assert "本文件只提供页面设置和样式" not in "".join(p.text for p in document.paragraphs)


def test_reading_a_file_that_is_not_docx(tmp_path: Path) -> None:
    from draftgen.errors import InputFileError

    bad = tmp_path / "稿.docx"
    bad.write_text("纯文本", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"不是有效的 \.docx 文件"):
        read_docx(bad)
