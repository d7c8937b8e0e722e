"""Statistics wording: growth from last year, 下降 for a fall, 个百分点 for rates."""

from __future__ import annotations

import pytest

from draftgen.sheet.model import Indicator, indicator_change
from draftgen.sheet.validation import load_facts_text
from draftgen.text.numbers import chinese_numeral, completion, count_numeral, growth_rate, numeral_value, quantity


def change_words(**kw: object) -> str | None:
    change = indicator_change(Indicator(name="x", **kw))  # type: ignore[arg-type]
    return None if change is None else change.words()


@pytest.mark.parametrize(("kw", "expected"), [
    ({"value": 35.6, "previous": 33.1}, "增长7.6%"),
    ({"value": 5.62, "previous": 5.88}, "下降4.4%"),
    ({"value": 10, "previous": 10}, "与上年持平"),
    ({"value": 8.2, "growth": 12.3}, "增长12.3%"),
    ({"value": 8.2, "growth": -3}, "下降3%"),
    ({"value": 68.5, "previous": 67.9, "unit": "%"}, "提高0.6个百分点"),
    ({"value": 12.0, "previous": 13.5, "unit": "%"}, "下降1.5个百分点"),
    ({"value": 3, "previous": 0}, None),
    ({"value": None, "previous": 3}, None),
])
def test_change_words(kw: dict[str, object], expected: str | None) -> None:
    assert change_words(**kw) == expected


def test_growth_rounds_half_up_to_one_decimal() -> None:
    assert str(growth_rate(1.0025, 1)) == "0.3"
    assert str(growth_rate(107.25, 100)) == "7.3"


def test_numbers_keep_the_sheet_spelling() -> None:
    facts = load_facts_text("town: 甲\nyear: 2024\nindicators:\n  - {name: 收入, value: 1.20, unit: 亿元}\n")
    assert quantity(facts.indicators[0].value, "亿元") == "1.20亿元"  # type: ignore[arg-type]


@pytest.mark.parametrize(("approx", "expected"), [
    (None, "220户"), ("约", "约220户"), ("余", "220余户"), ("近", "近220户"), ("左右", "220户左右")])
def test_approximation_words_only_when_asked(approx: str | None, expected: str) -> None:
    assert quantity(220, "户", approx) == expected


def test_completion_and_numerals() -> None:
    assert str(completion(46, 40)) == "115.0"
    assert [chinese_numeral(n) for n in (1, 10, 12, 20, 36)] == ["一", "十", "十二", "二十", "三十六"]
    assert count_numeral(2) == "两" and count_numeral(6) == "六"


@pytest.mark.parametrize(("label", "value"), [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                              ("12", 12), ("两", 0)])
def test_a_labels_numeral_reads_back(label: str, value: int) -> None:
    assert numeral_value(label) == value
    if value and not label.isdigit():
        assert chinese_numeral(value) == label
