"""Every number in every draft comes from the sheet or from it by computation, and
every number of the sheet is in the draft."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import EXAMPLE_SHEETS, FORMS, example_path
from draftgen import build_draft
from draftgen.review.fidelity import check_numbers


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_examples_carry_every_number_and_invent_none(key: str, form: str) -> None:
    result = build_draft(example_path(key), form=form)
    report = check_numbers(result.markdown, result.facts, result.form)
    assert report.invented == []
    assert report.missing == []


@pytest.mark.parametrize("form", FORMS)
def test_contract_example_in_every_form(spec_example: Path, form: str) -> None:
    result = build_draft(spec_example, form=form)
    assert check_numbers(result.markdown, result.facts, result.form).ok


def test_an_invented_number_is_caught() -> None:
    result = build_draft(example_path("taoyuan-town"))
    tampered = result.markdown.replace("新建标准化柑橘基地3200亩", "新建标准化柑橘基地3300亩")
    report = check_numbers(tampered, result.facts)
    assert [n for n, _ in report.invented] == ["3300"]
    assert [m.text for m in report.missing] == ["3200"]


def test_a_wrong_growth_rate_is_caught() -> None:
    result = build_draft(example_path("taoyuan-town"))
    assert "同比增长7.3%" in result.markdown  # (42.8 - 39.9) / 39.9
    report = check_numbers(result.markdown.replace("同比增长7.3%", "同比增长7.5%"), result.facts)
    assert [n for n, _ in report.invented] == ["7.5"]


def test_previous_values_may_be_left_to_the_growth_rate() -> None:
    result = build_draft(example_path("taoyuan-town"))
    assert "39.9" not in result.markdown
    assert check_numbers(result.markdown, result.facts).ok


EDGE_SHEET = """town: 丁镇
year: 2024
indicators:
  - {name: 税收, value: null, unit: 亿元, target: 3.5}
  - {name: 财政收入, value: 2.1, unit: 亿元, growth: 0}
  - {name: 城镇化率, value: 56, unit: "%", previous: 56}
  - {name: 净迁出人口, value: -120, unit: 人}
plans:
  thinking: 建设10个示范村
  targets:
    - {name: 村集体收入, growth: 8, note: 村均}
    - {name: 粮食产量, growth: -2}
"""


@pytest.mark.parametrize("form", FORMS)
def test_edge_cases_carry_every_number(form: str) -> None:
    from draftgen.sheet.validation import load_facts_text

    facts = load_facts_text(EDGE_SHEET)
    result = build_draft(facts, form=form)
    assert check_numbers(result.markdown, facts, result.form).ok
    if form == "annual":
        md = result.markdown
        assert "税收【待补充：税收（亿元）】，年度目标3.5亿元" in md
        assert "财政收入2.1亿元，与上年持平" in md and "城镇化率56%，与上年持平" in md
        assert "村集体收入村均增长8%左右" in md and "粮食产量下降2%左右" in md


def _random_sheet(rng: random.Random, n: int) -> str:
    topics = ["党的建设", "经济运行", "项目建设", "产业发展", "乡村振兴", "生态环境与人居环境", "民生保障",
              "社会治理", "安全生产", "营商环境与招商引资", "文化旅游", "城镇建设与基础设施", "教育卫生", "统战工作"]
    units = ["亿元", "万元", "元", "%", "户", "亩", ""]

    def num() -> str:
        value = rng.choice([rng.randint(0, 5000), round(rng.uniform(0, 100), rng.choice([1, 2]))])
        return str(value)

    lines = [f"town: 测试{n}镇", f"division: {rng.choice(['镇', '乡', '街道'])}", "superior: 河东区",
             f"year: {rng.choice([2019, 2021, 2023, 2024, 2025, 2026])}",
             f"period: {rng.choice(['annual', 'half-year'])}"]
    if rng.random() < 0.5:
        lines.append(f"date: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    lines.append("honors:\n  - 获评第" + num() + "届先进集体")
    lines.append("indicators:")
    for i in range(rng.randint(0, 5)):
        unit = rng.choice(units)
        item = [f"name: 指标{i}", f"value: {rng.choice([num(), 'null'])}", f"unit: '{unit}'"]
        for key in ("previous", "growth", "target", "previous_growth"):
            if rng.random() < 0.4:
                item.append(f"{key}: {rng.choice([num(), '-' + num(), '0'])}")
        if rng.random() < 0.2:
            item.append(f"approx: {rng.choice(['约', '余', '近', '超', '左右'])}")
        if rng.random() < 0.2:
            item.append("rank: 全区第" + str(rng.randint(1, 9)))
        lines.append("  - {" + ", ".join(item) + "}")
    lines.append("work:")
    for topic in rng.sample(topics, rng.randint(0, 5)):
        lines.append(f"  - topic: {topic}\n    items:")
        for _ in range(rng.randint(1, 3)):
            facts = ", ".join(f"'完成事项{num()}件，投入{num()}万元'" for _ in range(rng.randint(0, 2)))
            lines.append(f"      - {{title: 推进工作{num()}, facts: [{facts}]}}")
    lines.append("projects:")
    for _ in range(rng.randint(0, 3)):
        lines.append(f"  - {{name: 项目{num()}号, topic: {rng.choice(topics)}, "
                     f"investment: {{value: {num()}, unit: 万元}}, "
                     f"status: {rng.choice(['done', 'ongoing', 'planned'])}, progress: 完成{num()}%}}")
    lines.append("problems:\n  - 问题一涉及" + num() + "户")
    lines.append("plans:\n  thinking: 建设" + num() + "个示范点\n  targets:")
    for i in range(rng.randint(0, 3)):
        lines.append(f"    - {{name: 目标{i}, value: {rng.choice([num(), 'null'])}, unit: 万元, "
                     f"growth: {rng.choice([num(), '-' + num(), 'null'])}}}")
    lines.append("  work:")
    for topic in rng.sample(topics, rng.randint(0, 3)):
        lines.append(f"    - {{topic: {topic}, items: ['新建{num()}处', '改造{num()}户']}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("n", range(40))
def test_random_sheets_carry_every_number_and_invent_none(n: int) -> None:
    from draftgen.sheet.validation import load_facts_text

    text = _random_sheet(random.Random(n), n)
    facts = load_facts_text(text, f"random{n}.yaml")
    for form in FORMS:
        result = build_draft(facts, form=form)
        report = check_numbers(result.markdown, facts, result.form)
        assert report.invented == [] and report.missing == [], (form, text)
