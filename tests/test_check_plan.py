"""Plan → outcome: last year's promises are answered in this year's draft (check --plan, init --from)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORPUS
from draftgen.api import check_file
from draftgen.cli import main
from draftgen.extract.nextyear import next_year_sheet
from draftgen.sheet.validation import load_facts_text

LAST_YEAR = """清溪镇2024年工作总结和2025年工作打算

2024年，清溪镇党委、政府在云山县委、县政府的正确领导下，扎实推进各项工作。地区生产总值完成12.5亿元，同比增长6.2%。
一、主要工作
（一）产业发展
一是壮大茶叶产业。新建生态茶园650亩。
二、2025年工作打算
（一）主要目标
地区生产总值增长6%左右。
（二）产业发展
一是扩大茶园面积。新建高标准茶园500亩。二是建设冷链仓储中心，延伸茶叶加工链条。
（三）社会治理
推广网格化管理，建成矛盾纠纷调解中心。
"""

ANSWERS = {
    "tea": "新建高标准茶园520亩，茶园面积持续扩大。",
    "cold": "冷链仓储中心建成投用，茶叶加工链条进一步延伸。",
    "grid": "网格化管理覆盖全镇，矛盾纠纷调解中心建成运行。",
}


def _draft(tmp_path: Path, growth: str = "6.5", leave_out: str | None = None) -> Path:
    body = "".join(text for key, text in ANSWERS.items() if key != leave_out)
    text = (f"# 清溪镇2025年工作总结和2026年工作打算\n\n## 一、2025年工作推进情况\n\n"
            f"全年地区生产总值完成13.3亿元，同比增长{growth}%。{body}\n\n"
            "## 二、2026年工作打算\n\n继续扩大茶园面积。\n")
    path = tmp_path / "草稿.md"
    path.write_text(text, encoding="utf-8")
    return path


def _last(tmp_path: Path) -> Path:
    path = tmp_path / "2024年报告.txt"
    path.write_text(LAST_YEAR, encoding="utf-8")
    return path


def _plan_findings(draft: Path, plan: Path) -> list[str]:
    return [f"{f.rule} {f.excerpt}" for f in check_file(draft, plan=plan) if f.rule.startswith("plan.")]


def test_a_draft_that_answers_every_promise_has_no_plan_finding(tmp_path: Path) -> None:
    assert _plan_findings(_draft(tmp_path), _last(tmp_path)) == []


@pytest.mark.parametrize(("left_out", "promise"), [
    ("tea", "新建高标准茶园500亩"),
    ("cold", "建设冷链仓储中心，延伸茶叶加工链条"),
    ("grid", "推广网格化管理，建成矛盾纠纷调解中心"),
])
def test_each_promise_left_out_is_found(tmp_path: Path, left_out: str, promise: str) -> None:
    found = _plan_findings(_draft(tmp_path, leave_out=left_out), _last(tmp_path))
    assert len(found) == 1 and found[0].startswith("plan.unanswered") and promise in found[0]


def test_a_missed_target_is_reported_with_its_figures(tmp_path: Path) -> None:
    findings = [f for f in check_file(_draft(tmp_path, growth="5.1"), plan=_last(tmp_path))
                if f.rule == "plan.target-missed"]
    assert len(findings) == 1 and findings[0].message.startswith("目标是增长6%，今年实际增长5.1%，没有完成")
    assert findings[0].excerpt == "地区生产总值增长6%左右"


def test_init_from_carries_the_promises_and_check_holds_the_draft_to_them(tmp_path: Path) -> None:
    sheet = tmp_path / "2025.yaml"
    run = CliRunner().invoke(main, ["init", "--from", str(_last(tmp_path)), "-o", str(sheet)])
    assert run.exit_code == 0, run.output
    facts = load_facts_text(sheet.read_text(encoding="utf-8"))
    assert facts.year == 2025
    gdp = facts.indicators[0]
    assert (gdp.name, gdp.value, gdp.previous) == ("地区生产总值", None, 12.5)
    promised = [i for w in facts.work for i in w.items if i.from_plan]
    assert [i.title for i in promised] == ["扩大茶园面积：新建高标准茶园500亩", "建设冷链仓储中心，延伸茶叶加工链条",
                                          "推广网格化管理，建成矛盾纠纷调解中心"]
    draft = tmp_path / "稿.md"
    made = CliRunner().invoke(main, ["new", "2025", "--facts", str(sheet), "-o", str(draft)])
    assert made.exit_code == 0, made.output
    text = draft.read_text(encoding="utf-8")
    assert "【待补充：地区生产总值（亿元）】" in text and "上年为12.5亿元" in text
    assert text.count("【待补充：完成情况（去年工作打算中的这一条）】") == 3
    unanswered = [f for f in check_file(draft, facts=sheet) if f.rule == "plan.unanswered"]
    assert len(unanswered) == 3
    # the writer writes what became of each promise
    for title in ("新建高标准茶园500亩", "建设冷链仓储中心，延伸茶叶加工链条", "推广网格化管理，建成矛盾纠纷调解中心"):
        assert title in text
    text = text.replace("【待补充：完成情况（去年工作打算中的这一条）】", "已按计划完成")
    draft.write_text(text, encoding="utf-8")
    assert [f for f in check_file(draft, facts=sheet) if f.rule == "plan.unanswered"] == []


@pytest.mark.parametrize("name", ["000_2e2f3e8dec64de9a.txt", "002_8d796581483d83a7.txt", "004_ce3fcbfe6feacfcc.txt"])
def test_next_year_sheets_from_real_reports_draft(tmp_path: Path, name: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    from draftgen.api import build_draft
    from draftgen.review.fidelity import check_numbers

    facts = load_facts_text(next_year_sheet(path, year=2023))
    assert facts.year == 2024
    result = build_draft(facts)
    assert check_numbers(result.markdown, result.facts).ok
    assert "None" not in result.markdown
