"""Wording that fits its facts, over many drafts: every example in every form, with
four seeds and twelve town names. No clashing pair, no programme the sheet does
not name in the summary, no stock evaluation twice, sibling headings that open
differently (annual and half-year), no other year's wording; and `check` finds
the clashes of the drafts written before the lexicon, kept as test data."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLE_SHEETS, FORMS, example_path
from draftgen import build_draft, load_facts
from draftgen.api import check_file
from draftgen.bank.phrasebank import load_bank
from draftgen.draft.choose import heading_opening
from draftgen.formats.document import HEADING, PARAGRAPH, parse_markdown
from draftgen.review.model import Draft, locate
from draftgen.review.rules import Settings, year_wording
from draftgen.sheet.model import FactSheet

TOWNS = ["青川镇", "桃源镇", "石门镇", "东风镇", "白沙镇", "龙泉镇",
         "柳林镇", "金川镇", "清水镇", "红星镇", "新华镇", "永安镇"]
SEEDS = (None, 1, 2, 3)
BEFORE = DATA / "drafts-before-lexicon"


def _problems(markdown: str, facts: FactSheet, form: str) -> list[str]:
    """Everything in a draft the wording rules of issue 8 forbid, as readable lines."""
    lexicon = load_bank().lexicon
    subjects = load_bank().subjects()
    blocks = parse_markdown(markdown)
    located = locate(blocks, facts.year, form)
    sheet = "\n".join(text for _, text in facts.texts()).replace("“", "").replace("”", "")
    # the year's own framing (“十五五”) and campaigns are dated wording, not a town's programme
    dated = {n for role in ("year.stands", "year.guide", "year.campaign")
             for e in load_bank().by_role(role) for n in lexicon.names_in(e.text)}
    out: list[str] = []
    evaluations: Counter[str] = Counter()
    siblings: dict[tuple[tuple[str, ...], bool], list[str]] = {}
    for item in located:
        if item.block.kind not in (PARAGRAPH, HEADING):
            continue
        text = item.text
        out += [f"搭配：{c.words}（{text[:30]}）"
                for c in lexicon.clashes(text, subjects, cues=item.block.kind == HEADING)]
        evaluations.update(phrase for _, phrase in lexicon.evaluations_in(text))
        if not item.in_plan and item.block.kind == PARAGRAPH:
            out += [f"名目：{name}（{text[:30]}）" for name in lexicon.names_in(text)
                    if name not in sheet and name not in dated]
        if item.block.kind == HEADING and item.block.level == 2:
            siblings.setdefault((item.path, item.in_plan), []).append(text.split("）", 1)[-1])
    out += [f"评价用了{n}次：{phrase}" for phrase, n in evaluations.items() if n > 1]
    if form in ("annual", "half-year"):
        for heads in siblings.values():
            openings = Counter(heading_opening(h) for h in heads)
            out += [f"同级标题同一开头：{o}（{heads}）" for o, n in openings.items() if n > 1]
    draft = Draft("draft.md", markdown=True, blocks=located, year=facts.year, form=form, facts=facts)
    out += [f"年份：{f.excerpt}" for f in year_wording(draft, Settings())]
    return out


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_wording_fits_over_seeds_and_towns(key: str, form: str) -> None:
    base = load_facts(example_path(key))
    found: list[str] = []
    for seed in SEEDS:
        for town in TOWNS:
            facts = dataclasses.replace(base, town=town)
            result = build_draft(facts, form=form, seed=seed)  # (a half-year form of a year's sheet drafts the year)
            found += [f"{town} seed={seed}: {p}" for p in _problems(result.markdown, facts, result.form)]
    assert found == []


def test_an_urban_town_gets_no_village_work() -> None:
    facts = load_facts(example_path("donghu-street"))
    town = dataclasses.replace(facts, division="镇", town="东湖镇")  # a 镇 whose facts are all 社区 and 小区
    for seed in SEEDS:
        markdown = build_draft(town, seed=seed).markdown
        summary = markdown.split("## 三、")[0]
        assert not any(word in summary for word in ("驻村", "改厕", "村级", "村集体", "返贫")), seed


def test_a_fall_is_not_achieved() -> None:
    markdown = build_draft(example_path("shimen-township")).markdown
    assert "实现农业总产值" not in markdown and "农业总产值" in markdown


def test_a_repair_is_finished_not_built(tmp_path: Path) -> None:
    sheet = tmp_path / "修路.yaml"
    sheet.write_text(
        "town: 会坪镇\nyear: 2024\nprojects:\n"
        "  - {name: 王家庄会坪社水毁道路维修, topic: 城镇建设与基础设施, status: done,"
        " investment: {value: 193, unit: 万元}}\n", encoding="utf-8")
    for seed in SEEDS:
        markdown = build_draft(sheet, seed=seed).markdown
        line = next(line for line in markdown.splitlines() if "水毁道路维修" in line)
        assert not any(word in line for word in ("建成", "投用", "投入使用")), line


def test_a_named_programme_in_the_sheet_may_be_named(tmp_path: Path) -> None:
    # 雪亮工程 is one of the bank's measures for 社会治理: once the sheet names it, it may appear
    base = load_facts(example_path("taoyuan-town"))
    named = "\n".join(text for _, text in base.texts())
    assert "雪亮工程" not in named
    for seed in range(8):
        markdown = build_draft(base, seed=seed).markdown
        assert "雪亮工程" not in markdown.split("## 三、")[0]


@pytest.mark.parametrize("path", sorted(BEFORE.glob("*.md")), ids=lambda p: p.stem)
def test_check_finds_the_clashes_of_earlier_drafts(path: Path) -> None:
    key = next(k for k, (name, _) in EXAMPLE_SHEETS.items() if path.stem.startswith(Path(name).stem + "-")
               and not (k == "taoyuan-town" and path.stem.startswith("桃源镇-上半年")))
    findings = check_file(path, facts=example_path(key))
    wording = [f for f in findings if f.rule in ("wording.collocation", "wording.unearned",
                                                 "wording.evaluation-repeat", "year.wording")]
    assert wording, path.name
    text = path.read_text(encoding="utf-8")
    for clash in ("及时开展主题教育", "做大乡村振兴", "务实防止规模性返贫"):
        if clash in text:
            assert any(clash[:4] in f.excerpt for f in wording if f.rule == "wording.collocation"), clash


def test_check_finds_none_of_that_in_new_drafts(tmp_path: Path) -> None:
    for key in sorted(EXAMPLE_SHEETS):
        for form in FORMS:
            result = build_draft(example_path(key), form=form)
            path = tmp_path / f"{key}-{form}.md"
            path.write_text(result.markdown, encoding="utf-8")
            findings = check_file(path, facts=example_path(key))
            assert [str(f) for f in findings if f.rule in (
                "wording.collocation", "wording.unearned", "wording.evaluation-repeat", "year.wording")] == []


def test_counts_before_and_after() -> None:
    """The closing note's figures: clashes in the earlier drafts, none now."""
    before = sum(len([f for f in check_file(p, facts=example_path(next(
        k for k, (name, _) in EXAMPLE_SHEETS.items() if p.stem.startswith(Path(name).stem + "-")
        and not (k == "taoyuan-town" and p.stem.startswith("桃源镇-上半年")))))
        if f.rule == "wording.collocation"]) for p in BEFORE.glob("*.md"))
    assert before >= 20
