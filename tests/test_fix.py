"""`draftgen check --fix`: half-width punctuation and doubled marks fixed in a copy, as
tracked changes in a DOCX that LibreOffice opens; a second check finds none of them."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import example_path
from draftgen import build_draft
from draftgen.api import draft_docx
from draftgen.cli import main
from draftgen.formats.docx_reader import read_docx
from draftgen.review.fix import fixed


def test_fixed_text() -> None:
    assert fixed("完成任务,推进工作;取得成效。。") == "完成任务，推进工作；取得成效。"
    assert fixed("GDP growth, 5.6%") == "GDP growth, 5.6%"


@pytest.mark.slow
def test_docx_is_fixed_as_tracked_changes(tmp_path: Path) -> None:
    draft = tmp_path / "稿.docx"
    draft.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    document = Document(str(draft))
    paragraph = next(p for p in document.paragraphs if "举办专题读书班4期" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("，", ",").replace("。", "。。")
    document.save(str(draft))
    runner = CliRunner()
    before = runner.invoke(main, ["check", str(draft), "--year", "2024"])
    assert "wording.half-width" in before.output
    result = runner.invoke(main, ["check", str(draft), "--year", "2024", "--fix"])
    fixed_copy = tmp_path / "稿-已改.docx"
    assert fixed_copy.is_file() and "以修订方式标出" in result.output
    xml = zipfile.ZipFile(fixed_copy).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml
    after = runner.invoke(main, ["check", str(fixed_copy), "--year", "2024"])
    assert "wording.half-width" not in after.output
    accepted = "\n".join(b.text for b in read_docx(fixed_copy))  # tracked changes accepted
    assert "举办专题读书班4期，开展警示教育12场次" in accepted and "。。" not in accepted
    again = runner.invoke(main, ["check", str(draft), "--year", "2024", "--fix"])
    assert again.exit_code == 2 and "已存在" in again.output
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed in CI")
        return
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "docx", "--outdir", str(tmp_path / "lo"), str(fixed_copy)], check=True, capture_output=True,
                   timeout=180)
    resaved = zipfile.ZipFile(tmp_path / "lo" / fixed_copy.name).read("word/document.xml").decode()
    assert "<w:ins " in resaved and "<w:del " in resaved  # LibreOffice kept them as changes to review


def test_markdown_copy_is_fixed(tmp_path: Path) -> None:
    draft = tmp_path / "稿.md"
    draft.write_text("# 甲镇2024年工作总结\n\n## 一、工作\n\n完成任务,推进工作。。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft), "--year", "2024", "--fix", "-o", str(tmp_path / "改.md")])
    assert result.exit_code in (0, 1)
    assert (tmp_path / "改.md").read_text(encoding="utf-8").endswith("完成任务，推进工作。\n")
    assert draft.read_text(encoding="utf-8").endswith("完成任务,推进工作。。\n")
