"""`draftgen update`: new figures into a draft the writer edited in Word and saved
again in LibreOffice, as tracked changes; the writer's own wording is kept."""

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
from docx_cases import add_text_box, with_chart_without_its_data
from draftgen import build_draft
from draftgen.api import check_file, draft_docx, update_docx
from draftgen.cli import main
from draftgen.formats.document import parse_markdown
from draftgen.formats.docx_reader import read_docx
from draftgen.formats.record import read_record
from draftgen.sheet.validation import load_facts_file
from draftgen.sheet.yamlio import facts_yaml

OLD = example_path("taoyuan-town")
REWRITTEN = "一是扎实开展党纪学习教育，全镇举办专题读书班4期、开展警示教育12场次，覆盖党员干部1260人次。"
ADDED_HEADING = "（九）统筹抓好统计工作"
ADDED_TEXT = "全年组织统计业务培训，统计数据质量稳步提高。"


def _soffice() -> str | None:
    path = shutil.which("soffice")
    if path is None and os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) must be installed in CI: .ci/run installs it")
    return path


def resave(path: Path, work: Path) -> Path:
    """The file saved again by LibreOffice (a stand-in for the writer's Word/WPS)."""
    soffice = _soffice()
    if soffice is None:
        return path
    out = work / "lo"
    subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "docx",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    return out / path.name


def new_sheet(tmp: Path) -> Path:
    """Three figures changed, a project and a problem added."""
    text = OLD.read_text(encoding="utf-8")
    text = text.replace("value: 42.8", "value: 43.1")  # a figure with its growth recomputed
    text = text.replace("举办专题读书班4期", "举办专题读书班5期")  # in the paragraph the writer rewrote
    text = text.replace("新建标准化柑橘基地3200亩", "新建标准化柑橘基地3500亩")  # in an untouched paragraph
    text = text.replace("整改隐患527处", "整改隐患572处")  # the final figure the writer already corrected by hand
    text = text.replace("""problems:
""", """problems:
  - topic: 生态环境与人居环境
    text: 农村生活污水处理设施覆盖不足
""")
    text = text.replace("""  - name: 桃花溪生态治理项目""", """  - name: 杏林村污水管网工程
    topic: 生态环境与人居环境
    investment: {value: 560, unit: 万元}
    status: done
  - name: 桃花溪生态治理项目""")
    path = tmp / "桃源镇-定稿数.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def writers_edit(source: Path, target: Path) -> dict[str, str]:
    """Edit the draft as writers do; return what they wrote or removed."""
    document = Document(str(source))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    done: dict[str, str] = {}
    for p in paragraphs:
        text = p.text
        if "举办专题读书班4期" in text and "rewritten" not in done:
            for run in p.runs[1:]:
                run.text = ""
            p.runs[0].text = REWRITTEN + text.split("二是", 1)[1].join(["二是", ""])
            done["rewritten"] = p.text
        elif "排查化解矛盾纠纷412件" in text and "deleted" not in done:
            done["deleted"] = text
            p._element.getparent().remove(p._element)
        elif "检查生产经营单位380家次" in text and "corrected" not in done:
            # the writer corrects a figure by hand: 527 was a typo for 572 in their view
            for run in p.runs:
                run.text = run.text.replace("527处", "572处")
            done["corrected"] = p.text
    # a heading and a paragraph of their own, before the problems
    problems = next(p for p in document.paragraphs if p.text.startswith("二、"))
    heading = problems.insert_paragraph_before(ADDED_HEADING, style=document.styles["Heading 2"])
    heading.insert_paragraph_before  # noqa: B018 - the heading stands before the problems
    problems.insert_paragraph_before(ADDED_TEXT, style=document.styles["Normal"])
    # a sentence moved: the closing line now stands before the signature's unit, unchanged
    document.save(str(target))
    return done


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("update")
    draft = work / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    edited = work / "改稿.docx"
    done = writers_edit(draft, edited)
    edited = resave(edited, work)
    sheet = new_sheet(work)
    result = update_docx(edited, sheet)
    out = work / "更新稿.docx"
    out.write_bytes(result.data)
    return {"work": work, "edited": edited, "sheet": sheet, "result": result, "out": out, "done": done}


def accepted(path: Path) -> list[str]:
    """The text with every tracked change accepted (our reader keeps w:ins, drops w:del)."""
    return [b.text for b in read_docx(path)]


@pytest.mark.slow
def test_untouched_paragraphs_take_the_new_text(updated) -> None:  # type: ignore[no-untyped-def]
    text = accepted(updated["out"])
    assert any("实现地区生产总值43.1亿元，同比增长8.0%" in t for t in text)
    assert any("新建标准化柑橘基地3500亩" in t for t in text)
    assert not any("42.8亿元" in t or "3200亩" in t for t in text)


@pytest.mark.slow
def test_the_writers_wording_keeps_with_the_new_figure(updated) -> None:  # type: ignore[no-untyped-def]
    text = accepted(updated["out"])
    assert REWRITTEN.replace("4期", "5期") in "\n".join(text)


@pytest.mark.slow
def test_what_the_writer_did_stays(updated) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(accepted(updated["out"]))
    done = updated["done"]
    assert done["deleted"] not in text  # a deleted paragraph stays deleted
    assert "整改隐患572处" in text  # a hand-corrected figure the facts did not change stays
    assert ADDED_HEADING in text and ADDED_TEXT in text  # their own heading and paragraph, byte for byte


@pytest.mark.slow
def test_new_facts_are_inserted(updated) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(accepted(updated["out"]))
    assert "杏林村污水管网工程" in text
    assert "农村生活污水处理设施覆盖不足" in text


@pytest.mark.slow
def test_changes_are_tracked_and_survive_libreoffice(updated) -> None:  # type: ignore[no-untyped-def]
    out: Path = updated["out"]
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:author="draftgen"' in xml and "<w:del " in xml and "<w:ins " in xml
    again = resave(out, updated["work"] / "again")
    xml = zipfile.ZipFile(again).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml
    assert accepted(again) == accepted(out)


@pytest.mark.slow
def test_the_result_checks_clean_against_the_new_facts(updated) -> None:  # type: ignore[no-untyped-def]
    findings = check_file(updated["out"], facts=load_facts_file(updated["sheet"]))
    assert [str(f) for f in findings if f.rule == "fact.stale"] == []


@pytest.mark.slow
def test_the_input_is_never_modified(updated) -> None:  # type: ignore[no-untyped-def]
    assert "42.8亿元" in "\n".join(accepted(updated["edited"]))


@pytest.mark.slow
def test_the_updated_draft_records_the_new_facts(updated) -> None:  # type: ignore[no-untyped-def]
    record = read_record(updated["out"].read_bytes())
    assert record is not None and "43.1" in record.facts


def test_an_unedited_draft_updated_equals_a_fresh_draft(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    sheet = new_sheet(tmp_path)
    result = update_docx(draft, sheet)
    out = tmp_path / "更新稿.docx"
    out.write_bytes(result.data)
    fresh = [b.text for b in parse_markdown(build_draft(sheet).markdown)]
    assert accepted(out) == fresh


@pytest.mark.slow
def test_a_chart_without_its_data_does_not_stop_the_update(tmp_path: Path) -> None:
    """A chart whose spreadsheet a LibreOffice round-trip left out: Word opens the file,
    python-docx alone would not. The update goes through; the chart stays."""
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    charted = with_chart_without_its_data(draft, tmp_path / "带图表的稿子.docx")
    sheet = new_sheet(tmp_path)
    result = CliRunner().invoke(main, ["update", str(charted), "--facts", str(sheet)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "带图表的稿子-更新.docx"
    assert accepted(out) == [b.text for b in parse_markdown(build_draft(sheet).markdown)]
    with zipfile.ZipFile(out) as package:
        assert "word/charts/chart1.xml" in package.namelist()
    Document(str(out))  # what was written has no relationship to a missing part
    assert accepted(resave(out, tmp_path)) == accepted(out)  # LibreOffice opens what was written


def test_no_track_writes_plainly(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    result = update_docx(draft, new_sheet(tmp_path), track=False)
    out = tmp_path / "更新稿.docx"
    out.write_bytes(result.data)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:ins " not in xml and "<w:del " not in xml
    assert accepted(out) == [b.text for b in parse_markdown(build_draft(new_sheet(tmp_path)).markdown)]


def test_a_figure_that_cannot_be_placed_gets_a_comment(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    document = Document(str(draft))
    paragraph = next(p for p in document.paragraphs if "新建标准化柑橘基地3200亩" in p.text)
    text = paragraph.text.replace("新建标准化柑橘基地3200亩", "柑橘基地又扩大了，全年新增3200亩标准化基地")
    for run in paragraph.runs[1:]:
        run.text = ""
    paragraph.runs[0].text = text
    document.save(str(tmp_path / "改稿.docx"))
    result = update_docx(tmp_path / "改稿.docx", new_sheet(tmp_path))
    assert any(c.kind == "conflict" and "3200亩 → 3500亩" in c.detail for c in result.changes)
    (tmp_path / "out.docx").write_bytes(result.data)
    comments = [c.text for c in Document(str(tmp_path / "out.docx")).comments]
    assert any("新建标准化柑橘基地：3200亩 → 3500亩" in c for c in comments)


def test_cli_summary_and_json(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    sheet = new_sheet(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["update", str(draft), "--facts", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "整段更新" in result.output and (tmp_path / "草稿-更新.docx").is_file()
    again = runner.invoke(main, ["update", str(draft), "--facts", str(sheet)])
    assert again.exit_code == 2 and "已存在" in again.output
    as_json = runner.invoke(main, ["update", str(draft), "--facts", str(sheet), "--json", "--force"])
    assert as_json.exit_code == 0 and '"kind": "updated"' in as_json.output


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    plain = tmp_path / "别人的稿子.docx"
    Document().save(str(plain))
    result = runner.invoke(main, ["update", str(plain), "--facts", str(OLD)])
    assert result.exit_code == 2 and "没有 draftgen 的起草记录" in result.output and "--old-facts" in result.output
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    other = tmp_path / "东湖街道.yaml"
    other.write_text(example_path("donghu-street").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(main, ["update", str(draft), "--facts", str(other)])
    assert result.exit_code == 2 and "同一乡镇、同一年度" in result.output
    broken = tmp_path / "坏文件.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(main, ["update", str(broken), "--facts", str(OLD)])
    assert result.exit_code == 2 and "不是有效的 .docx 文件" in result.output
    assert not (tmp_path / "坏文件-更新.docx").exists() and "Traceback" not in result.output


def test_old_facts_stand_in_for_a_missing_record(tmp_path: Path) -> None:
    result = build_draft(OLD)
    document = Document()
    for block in parse_markdown(result.markdown):
        document.add_paragraph(block.text)
    draft = tmp_path / "无记录.docx"
    document.save(str(draft))
    out = update_docx(draft, new_sheet(tmp_path), old_facts=OLD)
    assert out.count("updated") >= 2


def test_the_record_loads_back_into_the_same_facts() -> None:
    from draftgen.sheet.validation import load_facts_text

    facts = load_facts_file(OLD)
    assert build_draft(load_facts_text(facts_yaml(facts))).markdown == build_draft(facts).markdown


def test_a_figure_in_a_text_box_is_updated_where_it_names_its_indicator(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(draft_docx(build_draft(OLD)))
    document = Document(str(draft))
    anchor = next(p for p in document.paragraphs if "42.8亿元" in p.text)
    add_text_box(anchor, ["全镇地区生产总值42.8亿元"])
    add_text_box(anchor, ["经济总量42.8"])
    document.save(str(tmp_path / "改稿.docx"))
    result = update_docx(tmp_path / "改稿.docx", new_sheet(tmp_path))
    out = tmp_path / "更新稿.docx"
    out.write_bytes(result.data)
    boxes = {b.where: b.text for b in read_docx(out) if b.where}
    assert boxes == {"文本框1": "全镇地区生产总值43.1亿元", "文本框2": "经济总量42.8"}
    conflict = next(c for c in result.changes if c.kind == "conflict" and c.location == "文本框2")
    assert "42.8亿元 → 43.1亿元" in conflict.detail
    assert any("请确认这里的42.8是否要改" in c.text for c in Document(str(out)).comments)
