"""Layout checked on a real renderer: LibreOffice turns the DOCX into a PDF (the
licensed fonts mapped to free ones by tests/data/fonts.conf) and the PDF is measured.

CI installs LibreOffice and the fonts; elsewhere the test skips when they are absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from statistics import median

import pytest

from conftest import DATA, example_path
from draftgen import build_draft
from draftgen.api import draft_docx

pytestmark = pytest.mark.slow  # renders with LibreOffice

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
PITCH = 28.95
HANGING = set("，。、；：！？”’）》")


@dataclass
class Line:
    page: int
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    x1_text: float  # right edge without a punctuation mark hanging into the margin


def _soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed in CI: .ci/run installs it")
        pytest.skip("LibreOffice is not installed")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    soffice = _soffice()
    work = tmp_path_factory.mktemp("render")
    source = work / "draft.docx"
    source.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    env = {**os.environ, "FONTCONFIG_FILE": str(DATA / "fonts.conf")}
    subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(source)],
                   check=True, capture_output=True, env=env, timeout=300)
    pages: list[list[Line]] = []
    sizes: list[tuple[float, float]] = []
    with pdfplumber.open(str(work / "draft.pdf")) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            sizes.append((page.width, page.height))
            rows: dict[float, list[dict[str, float | str]]] = defaultdict(list)
            for char in page.chars:
                rows[round(float(char["bottom"]), 1)].append(char)
            lines = []
            for bottom in sorted(rows):
                chars = sorted(rows[bottom], key=lambda c: float(c["x0"]))
                text_chars = [c for c in chars if str(c["text"]) not in HANGING] or chars
                lines.append(Line(number, bottom, float(chars[0]["x0"]), float(chars[-1]["x1"]),
                                  "".join(str(c["text"]) for c in chars),
                                  median(float(c["size"]) for c in chars), float(text_chars[-1]["x1"])))
            pages.append(lines)
    return pages, sizes


def body(lines: list[Line]) -> list[Line]:
    """Lines inside the text block (not the footer)."""
    return [line for line in lines if line.bottom < BOTTOM + 1]


def is_cjk_only(text: str) -> bool:
    return all(not ch.isascii() for ch in text)


def test_pages_are_a4(rendered) -> None:  # type: ignore[no-untyped-def]
    _, sizes = rendered
    assert len(sizes) >= 3
    for width, height in sizes:
        assert width == pytest.approx(PAGE_W, abs=1) and height == pytest.approx(PAGE_H, abs=1)


def test_full_lines_hold_28_characters(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    # a line followed by a figure (14个…) may end a character short: the figure does not split; so
    # may one whose next character takes a closing mark that cannot open a line (攻坚 | 年”)
    every = [line for lines in pages for line in body(lines)]  # across pages: a line may end one
    full = [line for line, after in pairwise([*every, None])
            if line.x1_text > RIGHT - 3 and line.x0 < LEFT + 1 and is_cjk_only(line.text)
            and not (after is not None and after.text[:1].isdigit() and 25 <= len(line.text) < 28)
            and not (after is not None and after.text[1:2] in HANGING and len(line.text) == 27)]
    assert len(full) >= 10
    # a closing comma may hang in the margin (Word's default too): it is not one of the 28
    def count(line: Line) -> int:
        return len(line.text.rstrip("".join(HANGING))) if line.x1 > RIGHT + 3 else len(line.text)

    assert [line.text for line in full if count(line) != 28] == []


def test_pages_hold_22_lines_at_28_95_pt(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    filled = 0
    for lines in pages[1:]:  # the first page has the title
        lines = body(lines)
        if len(lines) < 2:
            continue  # a last page of one line has no pitch to measure (its line is on the grid of none)
        gaps = [b.bottom - a.bottom for a, b in pairwise(lines)]
        assert median(gaps) == pytest.approx(PITCH, abs=0.15)
        # every line sits on the 22-line grid (a heading kept with its paragraph may leave a slot free)
        slots = [(line.bottom - lines[0].bottom) / PITCH for line in lines]
        assert all(abs(s - round(s)) < 0.05 for s in slots)
        assert max(round(s) for s in slots) <= 21
        filled += len(lines) == 22
    assert filled >= 1  # at least one page is full: 22 lines


def test_text_stays_inside_the_margins(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    lines = [line for page in pages for line in body(page)]
    assert min(line.x0 for line in lines) == pytest.approx(LEFT, abs=1)
    assert max(line.x1_text for line in lines if is_cjk_only(line.text)) == pytest.approx(RIGHT, abs=1.5)
    for page in pages:
        inside = body(page)
        assert inside[0].bottom > TOP and inside[-1].bottom < BOTTOM
        # 22 lines fill the 225 mm block: the last full line sits on its bottom edge
    # a page that ends before a heading (kept with its paragraph) is short: take the fullest
    last_of_full_page = max(body(page)[-1].bottom for page in pages[1:-1])
    assert last_of_full_page == pytest.approx(BOTTOM, abs=PITCH / 2)


def test_body_first_line_indent_is_two_characters(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    indents = Counter(round(line.x0 - LEFT) for page in pages for line in body(page) if line.x0 > LEFT + 1)
    assert indents.most_common(1)[0][0] == 32  # two 16 pt characters


def test_title_and_body_sizes(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    title = body(pages[0])[0]
    assert title.text.startswith("桃源镇2024年工作总结") and title.size == pytest.approx(22, abs=0.5)
    assert (title.x0 + title.x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2)
    assert body(pages[0])[1].size == pytest.approx(16, abs=0.5)


def test_page_numbers_on_the_outer_side(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    for number, lines in enumerate(pages, start=1):
        footer = [line for line in lines if line.bottom > BOTTOM + 1]
        assert [line.text for line in footer] == [f"— {number} —"]
        if number % 2:
            assert footer[0].x1 == pytest.approx(RIGHT - 14, abs=1.5)  # odd: right, one character in
        else:
            assert footer[0].x0 == pytest.approx(LEFT + 14, abs=1.5)  # even: left, one character in
        assert footer[0].size == pytest.approx(14, abs=0.5)


def test_signature_right_two_characters_in(rendered) -> None:  # type: ignore[no-untyped-def]
    pages, _ = rendered
    lines = [line for page in pages for line in body(page)]
    unit, date = lines[-2], lines[-1]
    assert unit.text == "桃源镇人民政府" and date.text == "2024年12月18日"
    assert unit.x1 == pytest.approx(RIGHT - 32, abs=1.5)
    assert date.x1 == pytest.approx(RIGHT - 32, abs=1.5)
    before = lines[-3]
    if before.page == unit.page:  # one blank line between the body and the signature
        assert unit.bottom - before.bottom == pytest.approx(2 * PITCH, abs=0.6)


def test_a_template_with_a_broken_hierarchy_still_shows_the_reports_order(tmp_path: Path) -> None:
    """A unit template whose level-1 headings are 22 pt and centred over a 16.5 pt title: the draft
    on it shows title > level 1 > level 2 once LibreOffice renders it, and says what it changed."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from docx_cases import unit_template

    def broken(document: object) -> None:
        styles = document.styles  # type: ignore[attr-defined]
        styles["Normal"].font.size = Pt(16)
        styles["Title"].font.size = Pt(16.5)
        styles["Heading 1"].font.size = Pt(22)
        styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles["Heading 2"].font.size = Pt(14)

    template = tmp_path / "单位模板.docx"
    unit_template(broken).save(str(template))
    notices: list[str] = []
    source = tmp_path / "draft.docx"
    source.write_bytes(draft_docx(build_draft(example_path("taoyuan-town")), reference=template, notices=notices))
    assert "单位模板的二级标题样式是 14 磅，比正文（16 磅）还小，已改为 16 磅。" in notices
    assert any(n.startswith("单位模板的文章标题样式是 16.5 磅") and "已改为 26 磅" in n for n in notices)
    assert "单位模板的一级标题样式是居中的（像文章标题），已改为与正文一样靠左排。" in notices
    env = {**os.environ, "FONTCONFIG_FILE": str(DATA / "fonts.conf")}
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, env=env, timeout=300)
    with pdfplumber.open(str(tmp_path / "draft.pdf")) as pdf:
        chars = pdf.pages[0].chars
    def size_of(start: str) -> float:
        line = "".join(str(c["text"]) for c in chars)
        at = line.index(start)
        return float(chars[at]["size"])
    title, level1, level2 = size_of("桃源镇2024年"), size_of("一、2024年"), size_of("（一）")
    assert title > level1 > level2
