"""Every claim a draft makes has a licence in the facts: a result, a count or praise in the
summary is written only where the passage's facts hold what its entry's licence needs."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLE_SHEETS, FORMS, example_path
from draftgen.api import build_draft, load_facts
from draftgen.bank.evidence import licence_unmet
from draftgen.bank.phrasebank import CLAIM_ROLES, load_bank
from draftgen.curate.lint import lint
from draftgen.sheet.validation import load_facts_text
from draftgen.text.patterns import around_slots

REAL_SHEETS = sorted((DATA / "real-sheets").glob("*.yaml"))
SHEETS = [example_path(key) for key in sorted(EXAMPLE_SHEETS)] + REAL_SHEETS


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_every_claim_written_has_its_licence_met(sheet: Path, form: str) -> None:
    facts = load_facts(sheet)
    bank = load_bank()
    for seed in range(10):
        result = build_draft(facts, form=form, seed=seed)
        traced = [entry.id for entry, _, _ in result.claims]
        # every claim-role entry the summary used is in the trace (the plan part may aim high)
        assert traced and set(traced) <= set(result.used_entries)
        for entry, scope, evidence in result.claims:
            assert entry.role in CLAIM_ROLES and entry.licence is not None, entry.id
            features = frozenset().union(*(f for _, f in scope.subjects))
            assert licence_unmet(entry, evidence, scope.topic, features) is None, (seed, entry.id, entry.text)
        used_claims = [i for i in result.used_entries if bank.entries[i].role in CLAIM_ROLES]
        assert sorted(used_claims) == sorted(traced)


THIN = """
town: 青川镇
division: 镇
year: 2024
period: annual
indicators:
  - {name: 地区生产总值, value: 10.5, unit: 亿元, growth: 6.1}
work:
  - topic: 生态环境与人居环境
    items:
      - title: 整治人居环境
        facts: [清理垃圾120吨]
  - topic: 民生保障
    items:
      - title: 兜牢民生底线
        facts: [走访困难群众300户]
projects:
  - {name: 青川河生态治理项目, topic: 生态环境与人居环境, status: planned}
honors: [入选全省乡村治理试点名单]
"""


def test_counts_and_praise_are_not_claimed_without_the_count_behind_them() -> None:
    facts = load_facts_text(THIN)
    for form in FORMS:
        for seed in range(10):
            text = build_draft(dataclasses.replace(facts), form=form, seed=seed).markdown
            summary = text.split("## 二、")[0]
            # one planned project: no 一批, no progress under way; one listing: no 表彰, no 先后
            moving = r"一批[^。]*项目|项目[^。；]*(稳步推进|有序推进|扎实推进|积极进展)："
            assert not re.search(moving, summary), (form, seed)
            assert "获得表彰" not in summary and "先后" not in summary, (form, seed)
            # no money in the facts: no result about funds; no mechanism named: none formed
            assert "资金保障" not in summary and "机制初步形成" not in summary, (form, seed)


def test_a_result_needs_the_facts_its_licence_names() -> None:
    bank = load_bank()
    responses = bank.entries["fx.zhili.09"]  # 群众诉求回应更加及时
    assert dict(responses.licence or ())["words"]
    from draftgen.bank.lexicon import Evidence

    assert licence_unmet(responses, Evidence(facts="排查化解矛盾纠纷412件"), "社会治理") \
        == "这部分的事实里没有提到诉求、信访、热线"
    assert licence_unmet(responses, Evidence(facts="办理12345热线诉求860件"), "社会治理") is None


def test_lint_fails_a_claim_without_a_licence_and_a_licence_naming_what_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        'entries:\n'
        '  - {id: my.fx.01, role: section.effect, text: "各项工作成效卓著"}\n'
        '  - {id: my.fx.02, role: section.effect, text: "治理格局更加完善", licence: {topics: [不存在的领域]}}\n'
        '  - {id: my.fx.03, role: section.effect, text: "产业链条更加完整", licence: {features: [不存在的性质]}}\n',
        encoding="utf-8")
    messages = {f.location.split("：")[0]: f.message for f in lint(tmp_path)}
    found = " ".join(f"{f.excerpt} {f.message}" for f in lint(tmp_path))
    assert "my.fx.01" in found and "licence" in found
    assert "不存在的领域" in found and "不存在的性质" in found
    assert messages


def test_a_licence_with_an_unknown_test_is_refused_when_the_bank_is_read(tmp_path: Path) -> None:
    from draftgen.errors import PhrasebankError

    (tmp_path / "mine.yaml").write_text(
        'entries:\n  - {id: my.fx.01, role: section.effect, text: "成效显著", licence: {items_more: 3}}\n',
        encoding="utf-8")
    with pytest.raises(PhrasebankError, match=r"licence 里的“items_more”未知"):
        load_bank(tmp_path)


def test_check_warns_of_a_claim_whose_passage_has_no_fact_behind_it(tmp_path: Path) -> None:
    sheet = example_path("taoyuan-town")
    text = build_draft(sheet, seed=1).markdown
    lead = next(line for line in text.splitlines() if line.startswith("坚持社会治理"))
    edited = text.replace(lead, lead.replace("。", "，群众诉求回应更加及时。", 1), 1)
    draft = tmp_path / "稿.md"
    draft.write_text(edited, encoding="utf-8")
    from draftgen.api import check_file

    found = [f for f in check_file(draft, facts=sheet) if f.rule == "wording.unlicensed"]
    assert [f.severity for f in found] == ["warning"]
    assert "群众诉求回应更加及时" in found[0].excerpt and "没有提到诉求、信访、热线" in found[0].message
    # the same claim over facts that hold it stands
    facts = load_facts(sheet)
    work = [dataclasses.replace(w, items=(*w.items, dataclasses.replace(w.items[0], facts=("办理12345热线诉求860件",))))
            if w.topic == "社会治理" else w for w in facts.work]
    held = tmp_path / "事实.yaml"
    from draftgen.sheet.yamlio import facts_yaml

    held.write_text(facts_yaml(dataclasses.replace(facts, work=tuple(work))), encoding="utf-8")
    assert [f for f in check_file(draft, facts=held) if f.rule == "wording.unlicensed"] == []


def test_provenance_names_what_licensed_each_claim() -> None:
    from draftgen.api import blocks_with_sources

    result = build_draft(example_path("taoyuan-town"), seed=1)
    _, notes = blocks_with_sources(result.marked, result.picks, result.facts, result.licences())
    grounds = [line for note in notes for line in note.splitlines() if line.startswith("依据：")]
    assert len(grounds) >= 5
    assert any("项荣誉" in g for g in grounds) and any("事实里提到" in g for g in grounds)


def test_no_result_is_claimed_of_what_the_sheet_calls_a_problem() -> None:
    # 桃源镇's problems: 柑橘产业链条短 … 基础设施欠账较多 … 干部队伍年龄偏大
    facts = load_facts(example_path("taoyuan-town"))
    for form in FORMS:
        for seed in range(10):
            summary = build_draft(facts, form=form, seed=seed).markdown.split("## 二、")[0]
            for contradiction in ("产业链条逐步延伸", "基础设施短板逐步补上", "干部队伍结构进一步优化"):
                assert contradiction not in summary, (form, seed)


def test_a_fall_is_not_told_as_progress() -> None:
    facts = load_facts_text(THIN.replace("growth: 6.1", "growth: -6.2"))
    for form in FORMS:
        for seed in range(10):
            opening = build_draft(facts, form=form, seed=seed).markdown.split("##")[0]
            for praise in ("迈出坚实步伐", "综合实力进一步增强", "发展质效稳步提升", "稳中有进", "良好态势"):
                assert praise not in opening, (form, seed, praise)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_check_has_no_warning_on_any_draft_of_the_set(sheet: Path, form: str, tmp_path: Path) -> None:
    from draftgen.api import check_file

    draft = tmp_path / "稿.md"
    draft.write_text(build_draft(sheet, form=form).markdown, encoding="utf-8")
    # (a thin sheet's drafts keep their placeholders: errors a writer fills in, not warnings)
    assert [str(f) for f in check_file(draft, facts=sheet) if f.severity == "warning"] == []


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_a_thematic_title_counts_only_what_the_body_has(sheet: Path) -> None:
    from draftgen.text.numbers import count_numeral

    facts = load_facts(sheet)
    for seed in range(10):
        text = build_draft(facts, form="thematic", seed=seed).markdown
        title = text.splitlines()[0]
        parts = re.findall(r"^## [一二三四五六七八九十]+、聚焦.+，推进.+，提升.+$", text, flags=re.M)
        # as many 聚焦, 推进 and 提升 as the title counts; no 工程, 目标, 突破 the body never names
        counts = set(re.findall(r"([一两二三四五六七八九十]+)(?=个|项|大|方面)", title))
        assert counts == {count_numeral(len(parts))}, (seed, title)
        # the sheet's theme is the only quoted slogan a title may carry
        assert re.findall(r"“([^”]+)”", title) == ([facts.theme] if facts.theme else []), (seed, title)
        assert not re.search(r"工程|目标|突破|跨越|进展", title), (seed, title)


def test_a_plan_names_no_programme_a_county_coined_unless_the_sheet_does() -> None:
    bank = load_bank()
    for sheet in SHEETS:
        facts = load_facts(sheet)
        own = sheet.read_text(encoding="utf-8")
        for form in FORMS:
            for seed in range(10):
                text = build_draft(facts, form=form, seed=seed).markdown
                for name in bank.lexicon.local_names:
                    assert name not in text or name in own, (sheet.stem, form, seed, name)


def test_a_plan_heading_fits_its_area() -> None:
    """抓安全 heads the safety area, 抓招商 an area of investment, 抓整改 an area that answers a
    problem: a plan heading's licence names the areas it fits, and the chooser keeps to it."""
    bank = load_bank()
    for sheet in SHEETS:
        facts = load_facts(sheet)
        for seed in range(10):
            result = build_draft(facts, form="annual" if facts.period == "annual" else None, seed=seed)
            plan = result.markdown.split("\n## ")[-1]  # the last part is the plan
            for entry_id in result.used_entries:
                entry = bank.entries[entry_id]
                if entry.role != "heading.plan" or entry.licence is None:
                    continue
                needs = dict(entry.licence)
                shape = re.compile(".+?".join(re.escape(p) for p in around_slots(entry.text) if p))
                line = next((ln for ln in plan.splitlines() if ln.startswith("### ") and shape.search(ln)), None)
                assert line is not None, (sheet.stem, seed, entry.id)
                if "topics" in needs:
                    named = [t for t in needs["topics"] if bank.topics[t].label in line
                             or (bank.topics[t].street_label and bank.topics[t].street_label in line)]
                    assert named, (sheet.stem, seed, line)


def test_a_highlight_over_figures_with_no_change_is_a_plain_verdict() -> None:
    """孙庙乡's indicators have values and no change: the economy's ——line was a 【待补充】; it is a verdict
    that judges no trend (经济运行有序推进), never 稳中向好."""
    from draftgen.bank.phrasebank import load_bank

    plain = {e.text for e in load_bank().by_role("highlight.economy") if e.licence and
             dict(e.licence).get("trend") == ["unknown"]}
    for seed in range(10):
        markdown = build_draft(DATA / "real-sheets" / "sunmiaoxiang.yaml", form="highlights", seed=seed).markdown
        line = next(p for p in markdown.split("\n\n") if p.startswith("**——") and "万元" in p)
        verdict = line.removeprefix("**——").split("。")[0]
        assert verdict in plain, (seed, verdict)


def test_no_claim_praises_what_the_sheet_calls_a_problem_or_a_topic_that_fell() -> None:
    """东湖街道 said 企业运行总体稳定 beside its problem 商贸企业经营承压; 石门乡 wrote 产业发展根基更牢 in the
    year its 农业总产值 fell 4.4%. A summary claim does not speak well of a problem's subject, and a
    topic whose indicator fell takes none of the lexicon's upbeat words in its heading, lead or result."""
    upbeat = load_bank().lexicon.upbeat
    donghu = load_facts(example_path("donghu-street"))
    shimen = load_facts(example_path("shimen-township"))
    for form in FORMS:
        for seed in range(10):
            summary = build_draft(donghu, form=form, seed=seed).markdown.split("## 二、")[0]
            assert "企业运行总体稳定" not in summary, (form, seed)
            if form == "half-year":
                continue
            markdown = build_draft(shimen, form=form, seed=seed).markdown
            parts = re.split(r"^#+ ", markdown, flags=re.M)
            part = next(p for p in parts if "种植高山蔬菜" in p)  # the 产业发展 section
            heading, body = part.split("\n", 1)
            lead = body.strip().split("。")[0]
            # (a thematic heading's 推进…，提升… is the form's frame of aims, not a claim of success)
            claims = ("" if form == "thematic" else heading) + lead.split("，")[-1]
            assert not [w for w in upbeat if w in claims], (form, seed, heading, lead)
