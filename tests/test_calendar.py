"""What was known when: a draft names no plenum, campaign or framing from after the day it is
written (December for an annual report, July for a half-year one), names the last plenum held
by then, and gives the year its defining standing first."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLE_SHEETS, FORMS, example_path
from draftgen.api import build_draft, load_facts
from draftgen.bank.calendar import Calendar, plenums_in, writing_date
from draftgen.bank.phrasebank import forget_loaded, load_bank
from draftgen.curate.lint import lint
from draftgen.errors import PhrasebankError

YEARS = range(2018, 2028)


def wording(text: str, facts: object) -> str:
    """A draft without the sheet's own words (a 2024 sheet moved to 2018 still says 党纪学习教育)."""
    for _, own in sorted(facts.texts(), key=lambda t: -len(t[1])):  # type: ignore[attr-defined]
        text = text.replace(own, "")
    return text


def test_a_guide_behind_its_day_is_told() -> None:
    calendar = Calendar.of(load_bank().by_role("year.marker"))
    assert calendar.behind("扎实贯彻党的十九大和十九届历次全会精神", "2022-12-20") == "党的二十大"
    assert calendar.behind("全面贯彻党的二十大和二十届二中全会精神", "2024-12-20") == "二十届三中全会"
    assert calendar.behind("全面贯彻党的二十大和二十届二中全会精神", "2024-07-05") is None
    assert calendar.behind("全面贯彻党的二十大和二十届历次全会精神", "2025-12-20") is None


def test_a_run_of_plenums_is_read_one_by_one() -> None:
    assert plenums_in("党的二十大和二十届二中、三中全会精神") == ["二十届二中全会", "二十届三中全会"]
    assert plenums_in("十九届四中全会") == ["十九届四中全会"]
    assert plenums_in("党的二十大和二十届历次全会精神") == []


def test_the_writing_day() -> None:
    assert writing_date(2024, False, None) == "2024-12-31"
    assert writing_date(2024, True, None) == "2024-07-01"
    assert writing_date(2024, True, "2024-07-25") == "2024-07-25"


@pytest.mark.parametrize("year", YEARS)
def test_no_draft_names_what_came_after_its_writing(year: int) -> None:
    bank = load_bank()
    calendar = Calendar.of(bank.by_role("year.marker"))
    for key in ("taoyuan-town", "taoyuan-half-year"):
        facts = dataclasses.replace(load_facts(example_path(key)), year=year, date=None)
        half = facts.period == "half-year"
        written = writing_date(year, half, None)
        for form in FORMS:
            if half != (form == "half-year") and form in ("annual", "half-year"):
                continue
            for seed in range(10):
                text = wording(build_draft(facts, form=form, seed=seed).markdown, facts)
                assert calendar.too_new(text, written) is None, (key, form, seed, calendar.too_new(text, written))
                if half:  # a half-year report speaks neither of the whole year nor of a quarter
                    assert not re.search(r"季度|一年来|全年工作|回顾全年", text), (form, seed)


@pytest.mark.parametrize("year", [2019, 2021, 2022, 2024, 2025])
def test_a_december_report_names_the_last_plenum_held(year: int) -> None:
    """孙庙乡's December 2024 report quoted 二十届二中全会 only, 清江镇's December 2022 one 党的十九大
    only: the guiding lines name the congress and the plenum of that year (or 历次全会)."""
    bank = load_bank()
    calendar = Calendar.of(bank.by_role("year.marker"))
    facts = dataclasses.replace(load_facts(example_path("taoyuan-town")), year=year, date=None)
    for seed in range(10):
        text = wording(build_draft(facts, seed=seed).markdown, facts)
        guides = [s for s in re.split(r"[，。]", text) if re.search(r"党的[^，。]*(大|全会)[^，。]*精神", s)]
        assert guides, seed
        for guide in guides:
            assert calendar.behind(guide, f"{year}-12-31") is None, (seed, guide)


def test_july_2024_does_not_know_the_third_plenum() -> None:
    facts = load_facts(example_path("taoyuan-half-year"))  # signed 2024-07-05
    for form in FORMS[1:]:
        for seed in range(10):
            text = build_draft(facts, form=form, seed=seed).markdown
            assert "三中全会" not in text and "进一步全面深化改革" not in text, (form, seed)


@pytest.mark.parametrize(("year", "stage"), [(2020, "“十三五”规划"), (2021, "“十四五”规划开局之年"),
                                             (2023, "全面贯彻党的二十大精神的开局之年"),
                                             (2025, "“十四五”规划收官之年"), (2026, "“十五五”规划开局之年")])
def test_the_year_is_first_what_its_plan_period_makes_it(year: int, stage: str) -> None:
    """2026年是中国共产党成立一百零五周年 stood alone where the year's defining standing is the
    opening of the fifteenth five-year plan: the plan period comes first, an anniversary second."""
    facts = dataclasses.replace(load_facts(example_path("taoyuan-town")), year=year - 1, date=None)
    for seed in range(10):
        text = build_draft(facts, seed=seed).markdown
        line = next(p for p in text.split("\n") if p.startswith(f"{year}年是"))
        first = line.removeprefix(f"{year}年是").split("，")[0].split("。")[0]
        assert stage in first and "周年" not in first, (seed, line[:60])


def _bank_with(tmp_path: Path, entry: str) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "mine.yaml").write_text(f"entries:\n  - {entry}\n", encoding="utf-8")
    forget_loaded()
    return folder


def test_a_marker_needs_a_real_day(tmp_path: Path) -> None:
    folder = _bank_with(tmp_path, '{id: my.marker, role: year.marker, years: [2024, 2024], since: "2024-02-30", '
                                  'text: "某某专项行动"}')
    with pytest.raises(PhrasebankError) as raised:
        load_bank(folder)
    assert "since 应是一个日期" in str(raised.value.problems[0])


def test_lint_asks_every_marker_for_its_day(tmp_path: Path) -> None:
    folder = _bank_with(tmp_path, '{id: my.marker, role: year.marker, years: [2024, 2024], text: "某某专项行动"}')
    findings = [f for f in lint(folder) if f.rule == "since"]
    assert findings and "my.marker" in findings[0].message


def test_check_tells_a_december_guide_that_misses_the_years_plenum(tmp_path: Path) -> None:
    from draftgen.api import check_file

    draft = tmp_path / "稿.md"
    text = build_draft(example_path("taoyuan-town")).markdown  # signed 2024-12-18
    assert "二十届二中、三中全会精神" in text
    draft.write_text(text.replace("二十届二中、三中全会精神", "二十届二中全会精神", 1), encoding="utf-8")
    found = [str(f) for f in check_file(draft, facts=example_path("taoyuan-town")) if f.rule == "year.wording"]
    assert len(found) == 1 and "已开过二十届三中全会" in found[0] and "2024年12月18日" in found[0]


SHEETS = [example_path(key) for key in sorted(EXAMPLE_SHEETS)] + sorted((DATA / "real-sheets").glob("*.yaml"))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_every_draft_speaks_of_its_own_period(sheet: Path) -> None:
    """The period audit: a half-year draft (in any form) says nothing of the whole year's review or
    of a quarter (the lexicon's annual-only words), an annual one nothing of 上半年/下半年, beyond what
    the sheet itself says."""
    bank = load_bank()
    facts = load_facts(sheet)
    half = facts.period == "half-year"
    for form in FORMS:
        if form in ("annual", "half-year") and half != (form == "half-year"):
            continue
        for seed in range(10):
            text = wording(build_draft(facts, form=form, seed=seed).markdown, facts)
            if half:
                said = [w for w in bank.lexicon.annual_only if w in text]
                assert said == [], (form, seed, said)
            else:
                assert not re.search(r"上半年|下半年|半年来", text), (form, seed)
