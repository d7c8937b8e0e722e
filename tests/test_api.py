"""Drafting through the library: structure of each form, placeholders, year checks, templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import example_path
from draftgen import build_draft
from draftgen.errors import FactsError, TemplateError
from draftgen.sheet.validation import load_facts_text

MINIMAL = "town: 甲镇\nyear: 2024\n"


def headings(markdown: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", markdown, flags=re.M)


def test_annual_structure() -> None:
    md = build_draft(example_path("taoyuan-town")).markdown
    assert headings(md, 1) == ["桃源镇2024年工作总结和2025年工作打算"]
    level1 = headings(md, 2)
    assert [h[:2] for h in level1] == ["一、", "二、", "三、"]
    assert level1[0].startswith("一、2024年") and level1[2].startswith("三、2025年")
    level2 = headings(md, 3)
    assert [h[:3] for h in level2[:8]] == [f"（{n}）" for n in "一二三四五六七八"]
    # topics in conventional order: 党建 first, 安全生产 last among the work sections
    assert "党建引领" in level2[0] and "安全生产" in level2[7]
    assert md.split("\n")[2].startswith("2024年是")
    assert md.rstrip().endswith("桃源镇人民政府\n\n2024年12月18日")


def test_half_year_structure_names_the_cutoff() -> None:
    md = build_draft(example_path("taoyuan-half-year")).markdown
    assert headings(md, 1) == ["桃源镇2024年上半年工作总结和下半年工作打算"]
    assert [h[:2] for h in headings(md, 2)] == ["一、", "二、"]
    assert "1—6月，" in md
    assert "预计实现地区生产总值20.1亿元" in md


@pytest.mark.parametrize("form", ["thematic", "highlights"])
def test_a_half_year_sheet_in_another_form_still_speaks_of_the_half_year(form: str) -> None:
    """The figures of a half-year sheet are of January to June, whatever the form: the
    indicator paragraph says so, and no wording speaks of the whole year's work."""
    from draftgen.bank.phrasebank import load_bank
    from draftgen.review.fidelity import check_numbers

    result = build_draft(example_path("taoyuan-half-year"), form=form)
    md = result.markdown
    assert re.search(r"^(\*\*——[^*]+\*\*)?1—6月，预计实现地区生产总值20.1亿元", md, flags=re.M), md[:600]
    assert [w for w in load_bank().lexicon.annual_only if w in md] == []
    assert check_numbers(md, result.facts, form).ok


def test_thematic_headings_are_triples() -> None:
    md = build_draft(example_path("taoyuan-town"), form="thematic").markdown
    title, subtitle = md.split("\n")[0], md.split("\n")[2]
    assert title.startswith("# ") and "“" in title
    # the subtitle names what is in it: the problems and the plan come after the eight parts
    assert subtitle == "——桃源镇2024年工作总结和2025年工作打算"
    # the eight work parts are triples, and the title counts them; the problems and the plan
    # follow under plain headings of their own
    parts = headings(md, 2)
    assert len(parts) == 10
    assert all(re.match(r"^[一二三四五六七八]、聚焦.+，推进.+，提升.+$", h) for h in parts[:8])
    # the title is the sheet's theme with the count (以“项目攻坚年”为统揽　聚焦八个方面…)
    assert "“项目攻坚年”" in title and "八个" in title
    assert "聚焦" not in parts[8] + parts[9] and "2025年" in parts[9]


def test_highlights_dash_paragraphs() -> None:
    md = build_draft(example_path("taoyuan-town"), form="highlights").markdown
    dashes = re.findall(r"^\*\*——(.+?)。\*\*(.+)$", md, flags=re.M)
    # verdicts over the headline figures and the honours; the work stays whole in the body
    assert len(dashes) == 2
    assert dashes[0][1].startswith("全年") and "地区生产总值42.8亿元" in dashes[0][1]
    assert "省级文明村镇" in dashes[1][1]
    assert md.count("警示教育12场次") == 1 and "覆盖党员干部1260人次" in md


def test_a_fall_is_written_as_a_fall() -> None:
    md = build_draft(example_path("shimen-township")).markdown
    assert "农业总产值5.62亿元，同比下降4.4%" in md
    assert "森林覆盖率达到68.5%，提高0.6个百分点" in md
    assert "村级集体经济收入超300万元" in md
    assert "预计完成招商引资到位资金1.2亿元，为年度目标1.5亿元的80%" in md
    assert "增长-" not in md


def test_missing_facts_become_visible_placeholders() -> None:
    md = build_draft(load_facts_text(MINIMAL)).markdown
    assert "【待补充：存在的问题（写在事实表的“存在的问题”里）】" in md
    assert "【待补充：下一步重点工作（写在事实表“下一阶段打算 › 重点工作”里）】" in md
    assert "【待补充：落款日期】" in md
    assert "在【待补充：上级党委政府" in md


def test_null_value_is_a_placeholder_not_a_guess(spec_example: Path) -> None:
    md = build_draft(spec_example).markdown
    assert "社会消费品零售总额【待补充：社会消费品零售总额（亿元）】" in md


def test_a_year_without_data_gets_placeholders() -> None:
    md = build_draft(load_facts_text("town: 甲镇\nyear: 2030\n")).markdown
    assert "2030年是【待补充：2030年本年度的定位（某某之年）】" in md
    assert "【待补充：2030年本年度开展的学习教育】" in md


def test_year_mismatch_is_an_error_unless_overridden() -> None:
    facts = load_facts_text(MINIMAL, "甲镇.yaml")
    with pytest.raises(FactsError, match=r"命令里的年度 2023 与事实表 甲镇\.yaml 中的 year: 2024 不一致"):
        build_draft(facts, year=2023)
    assert build_draft(facts, year=2023, override_year=True).markdown.startswith("# 甲镇2023年工作总结")


def test_unknown_topic_is_drafted_with_a_warning() -> None:
    text = MINIMAL + "work:\n  - topic: 统战工作\n    items:\n      - title: 联系乡贤\n"
    result = build_draft(load_facts_text(text, "甲镇.yaml"))
    assert "统战工作" in result.markdown and "联系乡贤" in result.markdown
    assert result.warnings == ["甲镇.yaml：领域“统战工作”不在领域表中，已用通用表述起草；"
                               "最接近的是“党的建设”，如指同一领域，请把领域改成“党的建设”。"]


def test_an_unknown_topic_is_offered_the_nearest_known_one() -> None:
    text = MINIMAL + "work:\n  - topic: 生态环保\n    items:\n      - title: 整治河道\n"
    result = build_draft(load_facts_text(text, "甲镇.yaml"))
    # its words are the topic's: drafted as it, under its headings
    assert result.warnings == ["甲镇.yaml：领域“生态环保”不在领域表中，按最接近的“生态环境与人居环境”起草；"
                               "如不是同一领域，请在领域一栏另选。"]
    assert "整治河道" in result.markdown and "【待补充：工作部分" not in result.markdown


def test_an_unknown_topic_never_blanks_the_headings() -> None:
    """A topic named after an old report's heading (树牢底线思维): every heading is still written."""
    text = example_path("taoyuan-town").read_text(encoding="utf-8").replace("topic: 安全生产", "topic: 树牢底线思维")
    result = build_draft(load_facts_text(text, "桃源镇.yaml"))
    assert "工作部分的（一）级标题框架" not in result.markdown
    assert "树牢底线思维" in result.markdown


def test_topic_aliases_join_their_topic() -> None:
    md = build_draft(example_path("shimen-township")).markdown
    assert "开展专题学习研讨9次" in md and "党建引领" in md


def test_same_input_same_bytes_and_seed_override() -> None:
    path = example_path("donghu-street")
    first, second = build_draft(path).markdown, build_draft(path).markdown
    assert first == second
    assert build_draft(path, seed=1).markdown != first


def test_no_template_clause_twice_in_a_draft() -> None:
    from draftgen.draft.choose import clauses
    for key in ("taoyuan-town", "donghu-street"):
        result = build_draft(example_path(key))
        seen: list[str] = [c for _, text in result.picks for c in clauses(text)]
        assert len(seen) == len(set(seen))
        assert len(result.used_entries) == len(set(result.used_entries))


def test_user_templates_override_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "annual.md.j2").write_text("# {{ title }}\n\n{{ p('closing') }}。\n", encoding="utf-8")
    md = build_draft(load_facts_text(MINIMAL), templates=tmp_path).markdown
    assert md.startswith("# 甲镇2024年工作总结和2025年工作打算\n\n") and md.count("\n") == 3


@pytest.mark.parametrize(("template", "message"), [
    ("{{ f.__class__.__mro__ }}", "沙箱不允许"),
    ("{{ nothing_here }}", "不存在的变量"),
    ("{% if %}", "annual.md.j2 第1行：模板语法错误"),
])
def test_user_templates_are_sandboxed_and_strict(tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "annual.md.j2").write_text(template, encoding="utf-8")
    with pytest.raises(TemplateError, match=message):
        build_draft(load_facts_text(MINIMAL), templates=tmp_path)


def test_sheets_written_loosely_still_draft_faithfully() -> None:
    from draftgen.review.fidelity import check_numbers

    text = MINIMAL + (
        "theme: “三抓三促”\n"
        "indicators:\n"
        "  - {name: 财政收入, growth: 5}\n"                         # no value at all
        "  - {name: 地区生产总值, value: null, unit: 亿元, previous: 33.1}\n"
        "  - {name: 新增企业, value: '12', unit: 家, previous: 0}\n"  # quoted number, zero base
        "projects:\n  - {name: 村道硬化, investment: {value: '1.20', unit: 亿元}}\n"
        "plans:\n  work:\n    - topic: 党的建设\n      items:\n        - {title: 抓班子, facts: [培训干部3次]}\n")
    result = build_draft(load_facts_text(text))
    md = result.markdown
    assert "财政收入【待补充：财政收入】，同比增长5%" in md
    assert "地区生产总值【待补充：地区生产总值（亿元）】，上年为33.1亿元" in md
    assert "新增企业12家，上年为0家" in md
    assert "村道硬化（总投资1.20亿元）。" in md  # no status given: no progress claimed
    assert "抓班子，培训干部3次。" in md
    assert "““" not in md and "“三抓三促”" in md
    assert check_numbers(md, result.facts).ok


def test_last_years_fall_is_named_when_reversed() -> None:
    text = MINIMAL + ("indicators:\n"
                      "  - {name: 地区生产总值, value: 10.5, unit: 亿元, previous: 10, previous_growth: -2.1}\n")
    md = build_draft(load_facts_text(text)).markdown
    assert "实现地区生产总值10.5亿元，同比增长5.0%，扭转了上年下降2.1%的态势" in md


def test_rates_are_written_as_the_office_writes_them(tmp_path: Path) -> None:
    """115.0% reads as a machine's; a growth given to two decimals is written to one."""
    from draftgen.review.fidelity import check_numbers

    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("""town: 甲镇
year: 2024
indicators:
  - {name: 招商引资签约额, value: 46, unit: 亿元, target: 40}
  - {name: 税收收入, value: 18.7, unit: 亿元, growth: 13.88}
  - {name: 清收欠款, value: 320, unit: 笔, base: 400, base_name: 清收任务}
""", encoding="utf-8")
    result = build_draft(sheet)
    md = result.markdown
    assert "为年度目标40亿元的115%" in md and "115.0%" not in md
    assert "增长13.9%" in md and "13.88" not in md
    assert "占清收任务400笔的80%" in md
    assert check_numbers(md, result.facts, "annual").ok


def test_an_indicator_name_with_its_own_verb_takes_no_second(tmp_path: Path) -> None:
    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("""town: 甲镇
year: 2024
indicators:
  - {name: 区级重点项目完成投资, value: 2.59, unit: 亿元, growth: 12}
  - {name: 地区生产总值, value: 10.5, unit: 亿元, growth: 6}
""", encoding="utf-8")
    for seed in range(10):
        md = build_draft(sheet, seed=seed).markdown
        assert "区级重点项目完成投资2.59亿元" in md
        assert not re.search(r"(完成|实现|达到)区级重点项目完成投资", md), seed


def test_a_run_of_estimates_says_预计_once_and_claims_none_done() -> None:
    """平湖镇's figures are all estimates: 预计 stands once at the head of the run, and the figures
    after it take no 完成/实现/达到, which would say the estimate was achieved."""
    md = build_draft(Path(__file__).parent / "data" / "real-sheets" / "pinghuzhen.yaml").markdown
    run = next(p for p in md.split("\n\n") if "预计工农业总值" in p)
    figures = run.split("预计", 1)[1].split("。")[0].split("；")
    assert run.count("预计") == 1
    assert not [f for f in figures[1:] if f.startswith(("完成", "实现", "达到"))], figures


def test_a_street_builds_its_city_not_villages() -> None:
    """东湖街道 wrote 城乡建设: a street's draft names the field by its street label (城市建设)."""
    md = build_draft(example_path("donghu-street")).markdown
    assert "城市建设" in md and "城乡建设" not in md
    assert "城乡建设" in build_draft(example_path("taoyuan-town")).markdown
