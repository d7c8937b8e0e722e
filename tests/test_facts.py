"""Fact-sheet validation: the contract loads, every problem is reported at once."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import EXAMPLE_SHEETS, example_path
from draftgen.errors import FactsError
from draftgen.sheet.spec import json_schema
from draftgen.sheet.validation import load_facts_file, load_facts_text


def problems_of(text: str) -> list[str]:
    with pytest.raises(FactsError) as info:
        load_facts_text(text, "镇.yaml")
    return [str(p) for p in info.value.problems]


def test_contract_example_loads_as_written(spec_example: Path) -> None:
    facts = load_facts_file(spec_example)
    assert facts.town == "青川镇" and facts.year == 2024 and facts.superior_level == "区"
    assert [i.name for i in facts.indicators][:2] == ["地区生产总值", "固定资产投资"]
    assert facts.indicators[4].value is None
    assert facts.projects[0].investment is not None and facts.projects[0].status == "done"
    assert facts.problems[1].topic == "产业发展"
    assert facts.plans.targets[0].growth == 5
    # half-width quotes in the sheet become Chinese quotes
    assert facts.work[2].items[0].facts[1].startswith("组织“认购一棵樱桃树”活动")


@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_examples_load(key: str) -> None:
    assert load_facts_file(example_path(key)).town


def test_every_problem_is_reported_at_once() -> None:
    text = "\n".join([
        "town: 甲镇",
        "yaer: 2024",
        "period: yearly",
        "division: 村",
        "indicators:",
        "  - name: 地区生产总值",
        "    value: 35.6亿",
        "  - name: 税收",
        "    value: 很多",
        "projects:",
        "  - name: 道路",
        "    status: finished",
    ])
    assert problems_of(text) == [
        "镇.yaml 第1行：文件缺少必填项“year”（总结的年度，如 2024）。",
        "镇.yaml 第2行：未知的键“yaer”，是不是“year”？",
        "镇.yaml 第3行：“period”的值“yearly”不在可选范围内，可选：annual、half-year。",
        "镇.yaml 第4行：“division”的值“村”不在可选范围内，可选：镇、乡、街道。",
        "镇.yaml 第7行：“indicators › 第1项 › value”应是数字，现在是文字“35.6亿”；"
        "单位请写在 unit 里。不知道时写 null。",
        "镇.yaml 第9行：“indicators › 第2项 › value”应是数字，现在是文字“很多”。不知道时写 null。",
        "镇.yaml 第12行：“projects › 第1项 › status”的值“finished”不在可选范围内，可选：done、ongoing、planned。",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "镇.yaml：文件是空的。可以用“draftgen init -o 文件名.yaml”生成一个带说明的骨架再填写。"),
    ("- 甲镇\n", "镇.yaml 第1行：文件最外层应是“键: 值”的映射（town: …、year: …），现在是列表。"),
    ("town: 甲镇\nyear: 1800\n", "镇.yaml 第2行：“year”的值 1800 超出范围（1949—2100）。"),
    ("town: 甲镇\nyear: 2024\nhonors: 获评先进\n",
     "镇.yaml 第3行：“honors”应是列表（每项以“- ”开头），现在是文字“获评先进”。"),
    ("town: 甲镇\nyear: 2024\nindicators:\n  - name: 总值\n    value: 1\n    Unit: 亿元\n",
     "镇.yaml 第6行：“indicators › 第1项”里未知的键“Unit”，是不是“unit”？"),
])
def test_single_problem_messages(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_chinese_spellings_of_choices_are_accepted() -> None:
    facts = load_facts_text(
        "town: 甲镇\nyear: 2024\nperiod: 半年\nprojects:\n  - name: 路\n    status: 在建\n", "镇.yaml")
    assert facts.period == "half-year" and facts.projects[0].status == "ongoing"


def test_approx_true_means_yue() -> None:
    facts = load_facts_text("town: 甲镇\nyear: 2024\nindicators:\n  - {name: 收入, value: 3, approx: true}\n")
    assert facts.indicators[0].approx == "约"


def test_schema_is_valid_and_accepts_every_example() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for key in EXAMPLE_SHEETS:
        data = yaml.safe_load(example_path(key).read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))
        jsonschema.validate(data, schema)


def test_schema_rejects_unknown_keys() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"town": "甲镇", "year": 2024, "yaer": 1}, json_schema())


@pytest.mark.parametrize(("period", "date", "warned"), [
    ("annual", "2024-12-20", False), ("annual", "2025-01-08", False), ("annual", "2023-12-20", True),
    ("annual", "2030-12-31", True), ("half-year", "2024-07-05", False), ("half-year", "2025-01-08", True)])
def test_a_signing_date_of_another_time_is_a_warning(period: str, date: str, warned: bool) -> None:
    from draftgen.sheet.validation import load_facts_text

    sheet = load_facts_text(f"town: 甲镇\nyear: 2024\nperiod: {period}\ndate: {date}\n", "甲镇.yaml")
    notes = [w for w in sheet.warnings if "落款日期" in w]
    assert bool(notes) is warned
    if warned:
        assert notes[0].startswith(f"甲镇.yaml：落款日期 {date} 不像这份总结的日子")
        assert notes[0].endswith("请核对 date。")
