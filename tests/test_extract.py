"""draftgen extract: a report the office already has becomes a fact sheet that validates and drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import CORPUS
from draftgen.api import build_draft
from draftgen.cli import main
from draftgen.extract.run import extract_file
from draftgen.review.fidelity import check_numbers
from draftgen.sheet.validation import load_facts_text

# a made-up report in our own words
REPORT = """清溪镇2024年工作总结和2025年工作打算

2024年，清溪镇党委、政府在云山县委、县政府的正确领导下，扎实推进各项工作。预计全年地区生产总值完成12.5亿元，同比增长6.2%；固定资产投资约3.4亿元；农村居民人均可支配收入18600元，增长7.1%。
一、主要工作
（一）产业发展
一是壮大茶叶产业。新建生态茶园650亩，带动160余户增收。二是发展乡村旅游。接待游客8.2万人次，旅游收入达**万元。
（二）项目建设
滨河步道项目建成投用，总投资1200万元。清溪小学扩建项目开工建设。
（三）基层治理
全镇获评省级文明乡镇。
二、存在的问题
产业链条短，附加值不高。
三、2025年工作打算
（一）主要目标
地区生产总值增长6%左右。
（二）产业发展
一是扩大茶园面积。新建高标准茶园500亩。
"""


def _write(tmp_path: Path, text: str = REPORT, name: str = "清溪镇.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_text_report_becomes_a_sheet_with_its_sources(tmp_path: Path) -> None:
    result = extract_file(_write(tmp_path))
    facts = load_facts_text(result.yaml)
    assert (facts.town, facts.year, facts.superior, facts.period) == ("清溪镇", 2024, "云山县", "annual")
    by_name = {i.name: i for i in facts.indicators}
    gdp = by_name["地区生产总值"]
    assert (gdp.value, gdp.unit, gdp.growth, gdp.estimate) == (12.5, "亿元", 6.2, True)
    assert by_name["固定资产投资"].approx == "约"
    assert by_name["农村居民人均可支配收入"].value == 18600
    assert by_name["旅游收入"].value is None  # masked stays masked
    assert "# 原文：预计全年地区生产总值完成12.5亿元" in result.yaml
    assert "请核对：原文数值已脱敏" in result.yaml
    topics = {w.topic: w for w in facts.work}
    tea = topics["产业发展"].items[0]
    assert (tea.title, tea.facts) == ("壮大茶叶产业", ("新建生态茶园650亩，带动160余户增收",))
    assert facts.honors == ("获评省级文明乡镇",)  # an honour, not a fact of 基层治理
    assert "基层治理" not in topics and "社会治理" not in topics  # (its only sentence was the honour)
    projects = {p.name: p for p in facts.projects}
    assert projects["滨河步道项目"].status == "done"
    assert projects["清溪小学扩建项目"].status == "ongoing"
    assert [p.text for p in facts.problems] == ["产业链条短，附加值不高"]
    assert [(t.name, t.growth) for t in facts.plans.targets] == [("地区生产总值", 6)]
    assert any("新建高标准茶园500亩" in line for w in facts.plans.work for line in w.items)
    got, total = result.extracted.captured()
    assert (got, total) == (total, 10)


def test_the_extracted_sheet_drafts_faithfully(tmp_path: Path) -> None:
    facts = load_facts_text(extract_file(_write(tmp_path)).yaml)
    draft = build_draft(facts)
    assert "12.5亿元" in draft.markdown and "新建生态茶园650亩" in draft.markdown
    assert check_numbers(draft.markdown, draft.facts).ok


def test_a_word_report_reads_like_its_text(tmp_path: Path) -> None:
    document = Document()
    for line in REPORT.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "清溪镇.docx"
    document.save(str(path))
    from_docx = load_facts_text(extract_file(path).yaml)
    from_text = load_facts_text(extract_file(_write(tmp_path)).yaml)
    assert from_docx.indicators == from_text.indicators and from_docx.work == from_text.work


@pytest.mark.parametrize("name", ["000_2e2f3e8dec64de9a.txt", "002_8d796581483d83a7.txt", "004_ce3fcbfe6feacfcc.txt"])
def test_real_reports_give_valid_sheets_holding_their_figures(name: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    result = extract_file(path, year=2023)  # one of them masks its year
    facts = load_facts_text(result.yaml)
    got, total = result.extracted.captured()
    assert got >= 0.9 * total
    draft = build_draft(facts)
    assert check_numbers(draft.markdown, draft.facts).ok


@pytest.mark.parametrize(("name", "content", "message"), [
    ("空.txt", "", "“空.txt”里没有可读的文字（是扫描件或图片吗？）"),
    ("图.docx", "%PDF-1.4 not a word file", "图.docx”不是有效的 .docx 文件"),
    ("无年.txt", "某镇工作总结\n云溪镇党委带领群众齐心协力。\n",
     "无年.txt：报告里没有读出总结的年度（可能已脱敏），请用 --year 指定。"),
])
def test_bad_reports_are_one_chinese_line_and_exit_2(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "out.yaml").exists()


def test_a_scanned_word_file_with_no_text(tmp_path: Path) -> None:
    path = tmp_path / "扫描件.docx"
    Document().save(str(path))
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("错误：“扫描件.docx”里没有可读的文字")


def test_cli_writes_the_sheet_and_says_how_much_it_read(tmp_path: Path) -> None:
    out = tmp_path / "清溪镇.yaml"
    result = CliRunner().invoke(main, ["extract", str(_write(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "总结部分共 10 个数字，读入事实表 10 个" in result.output
    assert load_facts_text(out.read_text(encoding="utf-8")).town == "清溪镇"
    again = CliRunner().invoke(main, ["extract", str(_write(tmp_path)), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def test_the_town_is_read_from_the_title_when_the_text_does_not_name_it(tmp_path: Path) -> None:
    # draftgen's own opening (“全镇上下…”) names no town before 党委/上下: the title does
    draft = build_draft(Path(__file__).resolve().parents[1] / "examples" / "桃源镇.yaml")
    report = tmp_path / "报告.md"
    report.write_text(draft.markdown, encoding="utf-8")
    text = extract_file(report).yaml
    assert "town: 桃源镇  # 原文：桃源镇2024年工作总结和2025年工作打算" in text
    assert load_facts_text(text).town == "桃源镇"


def test_a_draft_read_back_gives_the_sheet_a_writer_would_have_written(tmp_path: Path) -> None:
    """draftgen's own draft, read back: the honours, the fields of work by the bank's names,
    the plan's overall thinking; no project money as an indicator, no preface as a promise."""
    draft = build_draft(Path(__file__).resolve().parents[1] / "examples" / "桃源镇.yaml")
    report = tmp_path / "桃源镇2024年总结.md"
    report.write_text(draft.markdown, encoding="utf-8")
    facts = load_facts_text(extract_file(report).yaml)
    assert facts.honors == draft.facts.honors
    assert "投资" not in {i.name for i in facts.indicators} and "总投资" not in {i.name for i in facts.indicators}
    topics = [w.topic for w in facts.work]
    assert {"党的建设", "项目建设", "产业发展"} <= set(topics)
    assert not any("主要工作" in t or "，" in t for t in topics)
    assert not any("工作安排" in w.topic or "工作打算" in w.topic for w in facts.plans.work)
    assert all("关键一年" not in line for w in facts.plans.work for line in w.items)
    assert all("整改到位" not in p.text for p in facts.problems)
    assert check_numbers(build_draft(facts).markdown, facts).ok


def test_problems_are_read_as_items_without_lead_labels_or_resolution(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("桃源镇2024年工作总结\n一、2024年主要工作\n全镇实现地区生产总值42.8亿元。\n二、存在的问题\n"
                      "我们也清醒地看到，工作中还存在一些问题和不足。一是工业基础薄弱，税源结构单一；二是二是柑橘产业链条短；"
                      "三是干部队伍年龄偏大。对上述问题，我们将认真研究解决。\n"
                      "三、2025年工作打算\n谋划储备项目20个以上。\n", encoding="utf-8")
    facts = load_facts_text(extract_file(report).yaml)
    assert [p.text for p in facts.problems] == ["工业基础薄弱，税源结构单一", "柑橘产业链条短", "干部队伍年龄偏大"]


@pytest.mark.parametrize("heading", ["2024年重点工作", "2024年主要工作任务", "2024年工作谋划", "下一步工作打算"])
def test_the_plan_part_by_its_other_names_keeps_every_target(tmp_path: Path, heading: str) -> None:
    report = tmp_path / "报告.txt"
    report.write_text(f"青川镇2023年工作总结\n一、2023年工作情况\n全年实现地区生产总值10.5亿元，增长6.1%。\n"
                      f"二、{heading}\n2024年主要预期目标是：地区生产总值增长6.5%左右，一般公共预算收入达到1.45亿元。\n",
                      encoding="utf-8")
    facts = load_facts_text(extract_file(report).yaml)
    assert [i.name for i in facts.indicators] == ["地区生产总值"]  # next year's target is no indicator of this one
    assert [(t.name, t.growth, t.value) for t in facts.plans.targets] == [("地区生产总值", 6.5, None),
                                                                         ("一般公共预算收入", None, 1.45)]


def test_a_half_year_report_is_known_by_its_headings(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("青川镇工作总结\n一、上半年工作情况\n1—6月实现地区生产总值5.5亿元，增长6.1%。\n二、下半年工作打算\n"
                      "抓好项目建设。\n", encoding="utf-8")
    facts = load_facts_text(extract_file(report, year=2024).yaml)
    assert (facts.town, facts.period, [i.name for i in facts.indicators]) == ("青川镇", "half-year", ["地区生产总值"])


def test_a_title_typed_by_hand_in_word_names_the_town(tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("青川镇2023年工作总结").bold = True
    document.add_paragraph("一、2023年工作情况")
    document.add_paragraph("全年实现地区生产总值10.5亿元，增长6.1%。")
    path = tmp_path / "总结.docx"
    document.save(str(path))
    facts = load_facts_text(extract_file(path).yaml)
    assert (facts.town, facts.year) == ("青川镇", 2023)


def test_a_sentence_taken_for_the_town_is_marked_for_checking(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("在市委市政府和街道党委的坚强领导下，我们全力以赴。\n一、2023年工作情况\n"
                      "全年实现地区生产总值10.5亿元。\n", encoding="utf-8")
    text = extract_file(report, year=2023).yaml
    town_line = next(line for line in text.splitlines() if line.startswith("town:"))
    assert "请核对" in town_line


def test_respectively_estimates_others_honours_and_the_years_standing(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("青川镇2023年工作总结\n一、2023年工作情况\n"
                      "全年完成农业总产值5.2亿元、工业总产值3.1亿元，同比分别增长6.2%、-19.3%。\n"
                      "全年预计完成固定资产投资4.3亿元。\n2023年是改革开放45周年。\n"
                      "某某公司、某某银行等3家企业荣获省级诚信单位称号。\n全镇获评省级卫生乡镇。\n", encoding="utf-8")
    facts = load_facts_text(extract_file(report).yaml)
    growths = {i.name: i.growth for i in facts.indicators}
    assert growths["农业总产值"] == 6.2 and growths["工业总产值"] == -19.3
    assert next(i for i in facts.indicators if i.name == "固定资产投资").estimate
    assert facts.honors == ("获评省级卫生乡镇",)
    assert not any("周年" in fact for work in facts.work for item in work.items for fact in item.facts)


@pytest.mark.parametrize(("sentence", "project"), [
    ("党委书记带头协调解决项目用地问题20个。", None),
    ("实施桃花村道路修缮（总投资120万元），新铺路面3公里。", {"name": "桃花村道路修缮",
                                                "investment": {"value": 120, "unit": "万元"}}),
    ("城南棚户区改造项目全面开工，涉及住户230户。", {"name": "城南棚户区改造项目", "status": "ongoing"}),
])
def test_projects_by_their_shape(sentence: str, project: object) -> None:
    from draftgen.extract.sheet import _project

    found = _project(sentence)
    assert (found and {k: v.data for k, v in found.items()}) == project


def test_a_report_laid_out_from_a_pdf_or_a_web_page(tmp_path: Path) -> None:
    """Hard line breaks in mid-sentence, spaces around figures, half-width marks, the page's date
    line and the speech's address: read as the report they hold."""
    report = tmp_path / "报告.txt"
    report.write_text("江北市东城区青川镇 2023 年政府工作报告\n发布日期: 2024-03-21 11:04 信息来源: 青川镇\n"
                      "各位代表:\n现在,我代表青川镇人民政府向大会报告政府工作,请予审议。\n2022 年工作回顾\n"
                      "一年来,全镇实现一般公共预算收入 3.48 亿元,同比增长 2.08 %,完成全社会固定资产投资\n"
                      "10.07 亿元,同比增长 23.9%。今年1-11月,18家规上工业企业实现总产值10.73亿元。\n", encoding="utf-8")
    facts = load_facts_text(extract_file(report).yaml)
    assert (facts.town, facts.superior, facts.year, facts.cutoff_month) == ("青川镇", "东城区", 2022, 11)
    found = {i.name: (i.value, i.growth) for i in facts.indicators}
    assert found == {"一般公共预算收入": (3.48, 2.08), "全社会固定资产投资": (10.07, 23.9),
                     "规上工业企业总产值": (10.73, None)}
    said = " ".join(fact for work in facts.work for item in work.items for fact in item.facts)
    assert "发布日期" not in said and "我代表" not in said


def test_work_under_a_parts_own_title_goes_to_its_fields_and_old_headings_stay_as_comments(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("青川镇2023年工作总结\n一、2023年工作回顾\n全年排查整改安全隐患214处。新发展党员12名。\n"
                      "（一）抓项目、稳经济，项目建设跑出加速度\n实施县级重点项目9个，完成投资3.2亿元。\n",
                      encoding="utf-8")
    result = extract_file(report)
    facts = load_facts_text(result.yaml)
    assert {w.topic for w in facts.work} >= {"安全生产", "党的建设", "项目建设"}
    assert "- topic: 项目建设  # 原文标题：抓项目、稳经济，项目建设跑出加速度" in result.yaml
