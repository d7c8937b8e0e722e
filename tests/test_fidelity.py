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
