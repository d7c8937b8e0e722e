"""`draftgen check`: one known defect of each kind is found, with an excerpt that holds
it, in Markdown, in DOCX and in DOCX saved again by LibreOffice (a stand-in for Word);
the unmutated drafts give no errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_SHEETS, FORMS, example_path
from draftgen import build_draft
from draftgen.api import check_file, draft_docx
from draftgen.cli import main
from draftgen.formats.document import parse_markdown
from draftgen.formats.docx import docx_bytes
from draftgen.review.check import load_settings
from draftgen.sheet.validation import load_facts_file

KEY = "taoyuan-town"

#: name → (replace this, with that, rule expected, text the excerpt must hold)
MUTATIONS = {
    "stale": ("地区生产总值42.8亿元", "地区生产总值41.8亿元", "fact.stale", "41.8"),
    "direction": ("同比增长7.3%", "同比下降7.3%", "fact.direction", "下降7.3%"),
    "growth": ("同比增长7.3%", "同比增长9.3%", "fact.growth", "9.3"),
    "changed": ("新建村级党群服务中心3个", "新建村级党群服务中心5个", "fact.stale", "服务中心5个"),
    "invented": ("覆盖党员干部1260人次", "覆盖党员干部1260人次，走访群众8421户", "fact.unknown-number", "8421"),
    "dropped": ("开展巡河2300余次。", "", "fact.missing", "2300"),
    "placeholder": ("re:[^。：\n]*如下(?=：)", "现将【待补充：报告语】总结如下", "leftover.placeholder", "【待补充：报告语】"),
    "template": ("re:[^。：\n]*如下(?=：)", "现将{{ town }}工作总结如下", "leftover.template", "{{"),
    "campaign": ("党纪学习教育", "党史学习教育", "year.wording", "党史学习教育"),
    "meeting": ("re:党的二十[^，]*全会精神", "党的十九届六中全会精神", "year.wording", "十九届六中全会"),
    "epidemic": ("re:(?<=。)(?=[^。：\n]*如下：)", "统筹疫情防控和经济社会发展。", "year.wording", "疫情防控"),
    "plan-title": ("三、2025年", "三、2024年", "year.heading", "2024年"),
    "date": ("re:(?<=。)(?=[^。：\n]*如下：)", "2022年5月召开动员会。", "year.date", "2022年5月"),
    # "re:" finds its place by pattern: the generated wording varies with the bank and the seed
    "heading-number": ("re:（二）", "（三）", "structure.sequence", "（三）"),
    "item-number": ("re:二是(?=[^。]*建强基层组织)", "三是", "structure.sequence", "三是"),
    "parallel": ("re:(?<=（二）)", "坚持高位推动全力以赴抓好重点项目建设确保各项任务圆满完成，",
                 "structure.parallel", "全力以赴抓好重点项目建设"),
    "repeat": ("re:(?<=。)(?=[^。：\n]*如下：)", "桃源镇上下团结一心推动发展再上新台阶。桃源镇上下团结一心推动发展再上新台阶。",
               "wording.repeat", "桃源镇上下团结一心推动发展再上新台阶"),
    "overused": ("re:(?<=。)(?=[^。：\n]*如下：)", "进一步进一步进一步进一步进一步进一步。", "wording.overused", "进一步"),
    "half-width": ("re:(?=[^。：\n]*如下：)", "有关工作,", "wording.half-width", ","),
    "brackets": ("re:“项目攻坚年”", "“项目攻坚年", "wording.brackets", "“"),
}


@pytest.fixture(scope="module")
def original() -> tuple[str, object]:
    result = build_draft(example_path(KEY))
    return result.markdown, result.facts


def _mutated(markdown: str, name: str) -> str:
    old, new, _, _ = MUTATIONS[name]
    if old.startswith("re:"):
        assert re.search(old[3:], markdown), name
        return re.sub(old[3:], new, markdown, count=1)
    assert old in markdown, name
    return markdown.replace(old, new, 1)


def _check(path: Path, facts: object) -> list:  # type: ignore[type-arg]
    return check_file(path, facts=facts)  # type: ignore[arg-type]


def _found(findings: list, name: str) -> bool:  # type: ignore[type-arg]
    _, _, rule, needle = MUTATIONS[name]
    return any(f.rule == rule and needle in f.excerpt for f in findings)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, original) -> dict[str, dict[str, Path]]:  # type: ignore[no-untyped-def]
    """Every mutation as .md and .docx."""
    markdown, _ = original
    work = tmp_path_factory.mktemp("check")
    out: dict[str, dict[str, Path]] = {}
    for name in ["clean", *MUTATIONS]:
        text = markdown if name == "clean" else _mutated(markdown, name)
        md = work / f"{name}.md"
        md.write_text(text, encoding="utf-8")
        docx_path = work / f"{name}.docx"
        docx_path.write_bytes(docx_bytes(parse_markdown(text)))
        out[name] = {"md": md, "docx": docx_path}
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, files) -> dict[str, Path] | None:  # type: ignore[no-untyped-def]
    """Every mutation's .docx as LibreOffice saves it (None when LibreOffice is not installed)."""
    if not shutil.which("soffice"):
        return None
    work = tmp_path_factory.mktemp("libreoffice")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(work), *[str(v["docx"]) for v in files.values()]],
                   check=True, capture_output=True, timeout=600)
    return {name: work / f"{name}.docx" for name in files}


#: a draft as Markdown, as draftgen's DOCX, and as that DOCX after LibreOffice saved it (slow)
KINDS = ["md", "docx", pytest.param("libreoffice", marks=pytest.mark.slow)]


def _path(request: pytest.FixtureRequest, files: dict[str, dict[str, Path]], name: str, kind: str) -> Path:
    if kind != "libreoffice":
        return files[name][kind]
    saved = request.getfixturevalue("saved")
    if saved is None:
        pytest.skip("LibreOffice is not installed")
    return saved[name]  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", KINDS)
def test_clean_draft_has_no_errors(request, files, original, kind: str) -> None:  # type: ignore[no-untyped-def]
    findings = _check(_path(request, files, "clean", kind), original[1])
    assert [str(f) for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_defect_is_found(request, files, original, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    findings = _check(_path(request, files, name, kind), original[1])
    assert _found(findings, name), [str(f) for f in findings]


def test_markdown_locations_are_lines(files, original) -> None:  # type: ignore[no-untyped-def]
    findings = _check(files["stale"]["md"], original[1])
    stale = next(f for f in findings if f.rule == "fact.stale")
    part_one = next(line[3:] for line in original[0].splitlines() if line.startswith("## 一、"))
    assert stale.location.startswith(f"第7行（{part_one}）")


def test_docx_locations_are_heading_paths(files, original) -> None:  # type: ignore[no-untyped-def]
    findings = _check(files["item-number"]["docx"], original[1])
    found = next(f for f in findings if f.rule == "structure.sequence")
    first = next(line[4:] for line in original[0].splitlines() if line.startswith("### （一）"))
    part_one = next(line[3:] for line in original[0].splitlines() if line.startswith("## 一、"))
    assert found.location.startswith(f"{part_one} › {first[:24]} › 第")


def test_provenance_comments_are_leftovers(tmp_path: Path, original) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "批注稿.docx"
    path.write_bytes(draft_docx(build_draft(example_path(KEY)), provenance=True))
    findings = _check(path, original[1])
    assert [f.rule for f in findings if f.severity == "error"] == ["leftover.comment"]


def test_year_only_without_facts(files) -> None:  # type: ignore[no-untyped-def]
    findings = check_file(files["campaign"]["md"], year=2024)
    assert any(f.rule == "year.wording" for f in findings)
    assert not any(f.rule.startswith("fact.") for f in findings)


def test_ignore_and_config(tmp_path: Path, files, original) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "check.yaml"
    config.write_text("ignore: [wording]\noverused:\n  进一步: 20\n", encoding="utf-8")
    settings = load_settings(config, ("year.wording",))
    findings = check_file(files["campaign"]["md"], facts=original[1], settings=settings)  # type: ignore[arg-type]
    assert not any(f.rule.startswith("wording.") or f.rule == "year.wording" for f in findings)
    assert settings.overused["进一步"] == 20


def test_cli_exit_codes_and_json(files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    facts = str(example_path(KEY))
    clean = runner.invoke(main, ["check", str(files["clean"]["docx"]), "--facts", facts])
    assert clean.exit_code == 0
    bad = runner.invoke(main, ["check", str(files["stale"]["md"]), "--facts", facts, "--json"])
    assert bad.exit_code == 1
    items = json.loads(bad.stdout)
    assert {"rule", "severity", "excerpt", "location", "message"} <= set(items[0])
    assert items[0]["severity"] == "error"
    missing = runner.invoke(main, ["check", str(tmp_path / "没有.docx"), "--year", "2024"])
    assert missing.exit_code == 2 and "找不到文件" in missing.output
    unknown = runner.invoke(main, ["check", str(files["clean"]["md"]), "--year", "2024", "--ignore", "nope"])
    assert unknown.exit_code == 2 and "没有规则“nope”" in unknown.output


def test_plain_text_report_reads_headings_by_numbers(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("甲镇2024年工作总结\n一、主要工作\n（一）抓党建\n全年组织学习3期,成效明显。\n（三）抓产业\n"
                      "二、下一步打算\n深入开展党史学习教育。\n", encoding="utf-8")
    findings = check_file(report)
    rules = {f.rule for f in findings}
    assert {"structure.sequence", "wording.half-width", "year.wording"} <= rules


@pytest.mark.parametrize("wording", ["“十四五”开局之年", '"十四五"开局之年', "十四五开局之年"])
def test_year_wording_with_or_without_quotes(tmp_path: Path, wording: str) -> None:
    draft = tmp_path / "稿.md"
    draft.write_text(f"# 甲镇2024年工作总结\n\n2024年是{wording}。\n", encoding="utf-8")
    findings = check_file(draft)
    assert any(f.rule == "year.wording" and "开局之年" in f.excerpt for f in findings)


def test_the_years_set_formulations_do_not_count_as_overused_words(tmp_path: Path) -> None:
    """进一步全面深化改革 is the year's own formulation, which no writer may reword: its
    进一步 is not the writer's. Four more are within the limit; a fifth is one too many."""
    draft = tmp_path / "稿.md"
    own = "".join(f"第{n}项工作进一步推进。" for n in range(4))
    draft.write_text(f"# 甲镇2024年工作总结\n\n2024年是进一步全面深化改革的开局之年。{own}\n\n"
                     "2025年是“进一步全面深化改革”的关键一年。\n", encoding="utf-8")
    assert [f for f in check_file(draft) if f.rule == "wording.overused"] == []
    draft.write_text(draft.read_text(encoding="utf-8").replace("的关键一年", "的关键一年，要进一步落实"), encoding="utf-8")
    assert [(f.rule, f.excerpt, f.message) for f in check_file(draft) if f.rule == "wording.overused"] == [
        ("wording.overused", "进一步", "“进一步”用了 5 次（建议不超过 4 次），读起来显得套话多。")]


@pytest.mark.parametrize("key", list(EXAMPLE_SHEETS))
@pytest.mark.parametrize("form", FORMS)
def test_every_bundled_example_in_every_form_checks_clean(tmp_path: Path, key: str, form: str) -> None:
    """draftgen's own drafts pass its own check: no error, no warning, no hint (a half-year
    sheet drafted as a thematic report names its period in the subtitle, not the title)."""
    facts = load_facts_file(example_path(key))
    draft = tmp_path / "稿.md"
    draft.write_text(build_draft(facts, form=form).markdown, encoding="utf-8")
    assert [str(f) for f in check_file(draft, facts=facts)] == []


def test_a_dash_paragraph_that_mentions_the_first_half_is_no_half_year_subtitle(tmp_path: Path) -> None:
    """An annual highlights report may open with ——经济运行稳中有进。…上半年… : a sentence,
    not a subtitle naming the period, so the plan part is still next year's."""
    draft = tmp_path / "稿.md"
    draft.write_text("# 青川镇2024年工作总结和2025年工作打算\n\n**——经济运行稳中有进。**其中上半年增长5.2%。\n\n"
                     "## 一、2024年主要工作\n\n全年组织学习12期。\n\n## 二、2025年工作打算\n\n抓好项目建设。\n",
                     encoding="utf-8")
    assert [str(f) for f in check_file(draft, year=2024) if f.rule.startswith("year.")] == []


def test_a_figure_changed_by_hand_is_one_finding(tmp_path: Path, original) -> None:  # type: ignore[no-untyped-def]
    markdown, facts = original
    path = tmp_path / "改过.md"
    path.write_text(markdown.replace("42.8亿元", "52.8亿元", 1), encoding="utf-8")
    findings = [f for f in _check(path, facts) if f.rule.startswith("fact.")]
    assert [(f.rule, f.excerpt) for f in findings] == [("fact.stale", "地区生产总值52.8亿元")]
    # with its growth changed too: two errors, still no warning about the same two figures
    path.write_text(markdown.replace("42.8亿元，同比增长7.3%", "52.8亿元，同比增长9.3%", 1), encoding="utf-8")
    findings = [f for f in _check(path, facts) if f.rule.startswith("fact.")]
    assert sorted(f.rule for f in findings) == ["fact.growth", "fact.stale"]


def test_an_excerpt_never_cuts_a_figure_in_two(tmp_path: Path, original) -> None:  # type: ignore[no-untyped-def]
    markdown, facts = original
    path = tmp_path / "改过.md"
    path.write_text(markdown.replace("完成征地1280亩", "完成征地1280亩，新增停车位3468.25个", 1), encoding="utf-8")
    (finding,) = [f for f in _check(path, facts) if f.rule == "fact.unknown-number"]
    assert "3468.25个" in finding.excerpt
    for number in re.findall(r"[0-9.]+", finding.excerpt):
        assert number in markdown or number == "3468.25"


def test_one_numbering_slip_is_one_finding(tmp_path: Path) -> None:
    draft = tmp_path / "稿.md"
    draft.write_text("# 甲镇2024年工作总结\n\n## 一、主要工作\n\n### （一）党建\n\n正文。\n\n### （二）产业\n\n正文。\n\n"
                     "### （五）民生\n\n正文。\n\n### （四）安全\n\n正文。\n\n### （五）治理\n\n正文。\n", encoding="utf-8")
    found = [f.message for f in check_file(draft) if f.rule == "structure.sequence"]
    # the third heading numbered 五 is the slip; 四 and 五 after it stand where they belong
    assert found == ["序号跳了或乱了：这是这一级的第3个标题，写成了“五”（前一个是“二”）。"]


def test_praise_is_not_held_to_indicators_a_sheet_does_not_give(tmp_path: Path) -> None:
    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("town: 甲镇\nyear: 2024\nwork:\n  - topic: 产业发展\n    items:\n      - 新建茶园1500亩\n",
                     encoding="utf-8")
    draft = tmp_path / "稿.md"
    draft.write_text("# 甲镇2024年工作总结\n\n## 一、主要工作\n\n全镇经济运行稳中有进，新建茶园1500亩。\n", encoding="utf-8")
    assert [f for f in check_file(draft, facts=sheet) if f.rule == "wording.unearned"] == []
    with_figures = tmp_path / "乙镇.yaml"
    with_figures.write_text(sheet.read_text(encoding="utf-8").replace("town: 甲镇", "town: 甲镇\nindicators:\n"
                            "  - {name: 地区生产总值, value: 9.0, unit: 亿元, previous: 9.5}"), encoding="utf-8")
    assert [f.rule for f in check_file(draft, facts=with_figures) if f.rule == "wording.unearned"] == ["wording.unearned"]


def test_a_fact_in_the_reports_own_units_is_not_missing(tmp_path: Path) -> None:
    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("town: 甲镇\nyear: 2024\nwork:\n  - topic: 社会治理\n    items:\n      - 排查化解矛盾纠纷412件\n"
                     "  - topic: 党的建设\n    items:\n      - 讲党课8堂\n", encoding="utf-8")
    draft = tmp_path / "稿.md"
    draft.write_text("# 甲镇2024年工作总结\n\n## 一、主要工作\n\n全年共排查化解各类矛盾纠纷412起（件）。书记共讲党课8堂。\n",
                     encoding="utf-8")
    assert [f.excerpt for f in check_file(draft, facts=sheet) if f.rule == "fact.missing"] == []
    draft.write_text("# 甲镇2024年工作总结\n\n## 一、主要工作\n\n书记共讲党课8堂。\n", encoding="utf-8")
    missing = [f.message for f in check_file(draft, facts=sheet) if f.rule == "fact.missing"]
    assert len(missing) == 1 and "412" in missing[0] and "社会治理" in missing[0]


def test_a_table_row_with_the_unit_in_its_header_is_tied_to_its_indicator(tmp_path: Path) -> None:
    from docx import Document as NewDocument

    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("town: 甲镇\nyear: 2024\nindicators:\n  - {name: 地区生产总值, value: 43.5, unit: 亿元}\n",
                     encoding="utf-8")
    document = NewDocument()
    document.add_paragraph("甲镇2024年工作总结", style="Title")
    document.add_paragraph("全镇实现地区生产总值43.5亿元。")
    table = document.add_table(rows=2, cols=2)
    for r, (name, value) in enumerate([("指标", "数值"), ("地区生产总值（亿元）", "42.8")]):
        table.cell(r, 0).text, table.cell(r, 1).text = name, value
    draft = tmp_path / "稿.docx"
    document.save(str(draft))
    stale = [f for f in check_file(draft, facts=sheet) if f.rule == "fact.stale"]
    assert len(stale) == 1 and "地区生产总值写的是 42.8，事实表里是 43.5" in stale[0].message
    assert "表1 第2行" in stale[0].location
