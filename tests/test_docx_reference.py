"""`--reference-docx` with the shapes real unit templates have: a page number as a
bare field, in a text box, in a content control; heading styles that number
themselves; no page size; a small body; a .dotx; comments and media that must not
travel. Checked in the file and, rendered by LibreOffice, on the page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from conftest import DATA, example_path
from docx_cases import (
    as_template,
    no_page_size,
    numbered_heading_styles,
    page_field_in_control,
    page_field_in_text_box,
    page_field_on_the_first_page_only,
    page_field_without_cached_text,
    small_body,
    unit_template,
)
from draftgen import build_draft
from draftgen.api import check_file, draft_docx
from draftgen.formats.document import parse_markdown
from draftgen.formats.docx_reader import read_docx

#: case → (change to a blank template, the template has its own page number)
TEMPLATES: dict[str, tuple[Callable[[Any], None] | None, bool]] = {
    "plain": (None, False),
    "field-without-cached-text": (page_field_without_cached_text, True),
    "field-in-text-box": (page_field_in_text_box, True),
    "field-in-content-control": (page_field_in_control, True),
    "field-on-the-first-page-only": (page_field_on_the_first_page_only, False),
    "numbered-heading-styles": (numbered_heading_styles, False),
    "no-page-size": (no_page_size, False),
    "small-body": (small_body, False),
}


def _template(folder: Path, case: str) -> Path:
    change, _ = TEMPLATES[case]
    path = folder / f"{case}.docx"
    unit_template(change).save(str(path))
    return path


def _draft(folder: Path, reference: Path, name: str) -> Path:
    out = folder / f"{name}-draft.docx"
    out.write_bytes(draft_docx(build_draft(example_path("taoyuan-town")), reference=reference))
    return out


def _page_fields(path: Path) -> list[int]:
    """PAGE fields per footer part of the draft."""
    counts = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if re.match(r"word/footer\d*\.xml$", n)):
            xml = archive.read(name).decode("utf-8")
            counts.append(len(re.findall(r'instr="\s*PAGE\b|<w:instrText[^>]*>\s*PAGE\b', xml)))
    return counts


@pytest.mark.parametrize("case", TEMPLATES)
def test_one_page_number_whatever_form_the_template_uses(tmp_path: Path, case: str) -> None:
    draft = _draft(tmp_path, _template(tmp_path, case), case)
    _, own = TEMPLATES[case]
    fields = _page_fields(draft)
    if own:
        assert sum(fields) == 1  # the template's, and none added
    elif case == "field-on-the-first-page-only":
        assert sorted(fields) == [1, 1, 1]  # the template's on page 1, draftgen's on odd and even pages
    else:
        assert fields == [1, 1]  # draftgen's `— n —`, odd and even


def test_self_numbering_heading_styles_lose_their_numbering(tmp_path: Path) -> None:
    draft = _draft(tmp_path, _template(tmp_path, "numbered-heading-styles"), "numbered")
    document = docx.Document(str(draft))
    for name in ("Heading 1", "Heading 2"):
        ppr = document.styles[name].element.pPr
        assert ppr.find(qn("w:numPr")) is None
    assert read_docx(draft) == parse_markdown(build_draft(example_path("taoyuan-town")).markdown)
    assert not [f for f in check_file(draft, year=2024) if f.rule == "structure.double-number"]


def test_no_page_size_means_a4_with_the_standard_margins(tmp_path: Path) -> None:
    section = docx.Document(str(_draft(tmp_path, _template(tmp_path, "no-page-size"), "a4"))).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)


def test_added_styles_follow_the_templates_scale(tmp_path: Path) -> None:
    styles = docx.Document(str(_draft(tmp_path, _template(tmp_path, "small-body"), "small"))).styles
    assert styles["Heading 1"].font.size == Pt(14)  # the template's own
    assert styles["Heading 2"].font.size == Pt(10.5)  # added: 16 pt on a 16 pt body → 10.5 on 10.5
    assert styles["Heading 2"].font.size <= styles["Heading 1"].font.size


def test_a_dotx_template_is_accepted(tmp_path: Path) -> None:
    template = as_template(_template(tmp_path, "field-without-cached-text"), tmp_path / "本单位模板.dotx")
    draft = _draft(tmp_path, template, "dotx")
    assert read_docx(draft) == parse_markdown(build_draft(example_path("taoyuan-town")).markdown)
    with zipfile.ZipFile(draft) as archive:
        assert b"wordprocessingml.document.main+xml" in archive.read("[Content_Types].xml")


def test_only_the_layout_of_the_reference_travels(tmp_path: Path) -> None:
    template = unit_template()
    paragraph = template.add_paragraph("审核意见见批注")
    template.add_comment(paragraph.runs, text="模板作者的批注", author="模板作者")
    template.add_picture(str(DATA.parent.parent / "docs" / "桃源镇草稿第1页.png"), width=Mm(20))
    template.core_properties.title = "某单位公文模板"
    path = tmp_path / "带批注和图片.docx"
    template.save(str(path))
    with zipfile.ZipFile(path, "a") as archive:  # more custom XML beside the one python-docx has
        archive.writestr("customXml/item9.xml", "<root>模板数据</root>")
    draft = _draft(tmp_path, path, "layout")
    with zipfile.ZipFile(draft) as archive:
        names = archive.namelist()
    assert not [n for n in names if "comments" in n or "media" in n or "customXml" in n]
    document = docx.Document(str(draft))
    assert document.core_properties.title == ""
    assert "审核意见见批注" not in "".join(p.text for p in document.paragraphs)
    assert not [f for f in check_file(draft, year=2024) if f.rule == "leftover.comment"]


# -- rendered ----------------------------------------------------------------------------------

_PAGE_LINE = re.compile(r"^[—\-－\s第]*(\d+)[—\-－\s页]*$")
_LABEL = r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"
_DOUBLE = re.compile(rf"^{_LABEL}\s*{_LABEL}")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[float, float, list[str]]]]:
    """case → pages as (width, height, text lines), rendered by LibreOffice."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed in CI: .ci/run installs it")
        pytest.skip("LibreOffice is not installed")
    pdfplumber = pytest.importorskip("pdfplumber")
    work = tmp_path_factory.mktemp("render-templates")
    drafts = [_draft(work, _template(work, case), case) for case in TEMPLATES]
    env = {**os.environ, "FONTCONFIG_FILE": str(DATA / "fonts.conf")}
    subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), *map(str, drafts)], check=True, capture_output=True, env=env, timeout=600)
    result = {}
    for case in TEMPLATES:
        pages = []
        with pdfplumber.open(str(work / f"{case}-draft.pdf")) as pdf:
            for page in pdf.pages:
                lines = (page.extract_text() or "").splitlines()
                pages.append((float(page.width), float(page.height), [line.strip() for line in lines]))
        result[case] = pages
    return result


@pytest.mark.slow
@pytest.mark.parametrize("case", TEMPLATES)
def test_rendered_pages_show_exactly_one_page_number(rendered, case: str) -> None:  # type: ignore[no-untyped-def]
    pages = rendered[case]
    assert len(pages) > 1
    for number, (_, _, lines) in enumerate(pages, start=1):
        numbers = [m.group(1) for m in map(_PAGE_LINE.match, lines) if m]
        assert numbers == [str(number)], (case, number, lines[-3:])


@pytest.mark.slow
@pytest.mark.parametrize("case", TEMPLATES)
def test_rendered_headings_carry_one_number(rendered, case: str) -> None:  # type: ignore[no-untyped-def]
    lines = [line for _, _, page in rendered[case] for line in page]
    assert any(line.startswith("（一）") for line in lines)
    assert not [line for line in lines if _DOUBLE.match(line)]


@pytest.mark.slow
def test_rendered_template_without_page_size_is_a4(rendered) -> None:  # type: ignore[no-untyped-def]
    width, height, _ = rendered["no-page-size"][0]
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
