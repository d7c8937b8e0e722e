"""Every number in every draft comes from the sheet or from it by computation, and
every number of the sheet is in the draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE_SHEETS, FORMS, example_path
from draftgen import build_draft
from draftgen.fidelity import check_numbers


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_examples_carry_every_number_and_invent_none(key: str, form: str) -> None:
    result = build_draft(example_path(key), form=form)
    report = check_numbers(result.markdown, result.facts, form)
    assert report.invented == []
    assert report.missing == []


@pytest.mark.parametrize("form", FORMS)
def test_contract_example_in_every_form(spec_example: Path, form: str) -> None:
    result = build_draft(spec_example, form=form)
    assert check_numbers(result.markdown, result.facts, form).ok


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
    from draftgen.facts import load_facts_text

    facts = load_facts_text(EDGE_SHEET)
    result = build_draft(facts, form=form)
    assert check_numbers(result.markdown, facts, form).ok
    if form == "annual":
        md = result.markdown
        assert "税收【待补充：税收（亿元）】，年度目标3.5亿元" in md
        assert "财政收入2.1亿元，与上年持平" in md and "城镇化率56%，与上年持平" in md
        assert "村集体收入村均增长8%左右" in md and "粮食产量下降2%左右" in md
