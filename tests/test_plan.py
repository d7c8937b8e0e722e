"""The plan and the problems carry weight, each form keeps its shape, and the sheet
can say more (measures, effect, stage, as_of, base, rank, detail)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLE_SHEETS, example_path
from draftgen import build_draft, load_facts
from draftgen.draft.compose import quoted_problem
from draftgen.errors import FactsError
from draftgen.review.fidelity import check_numbers
from draftgen.sheet.model import indicator_change
from draftgen.sheet.spec import json_schema
from draftgen.sheet.validation import load_facts_text

ANNUAL = [k for k in sorted(EXAMPLE_SHEETS) if k != "taoyuan-half-year"]


def plan_part(markdown: str) -> str:
    """From the plan part's heading to the signature."""
    level_one = [m.start() for m in re.finditer(r"^## ", markdown, flags=re.M)]
    return markdown[level_one[-1]:markdown.index("\n---\n")]

def tea_town(tmp_path: Path, town: str, problems: tuple[str, ...] = (), plans: tuple[str, ...] = ()) -> Path:
    """A small sheet: one tea item, the given problems and plans of 产业发展."""
    text = (f"town: {town}\nyear: 2024\nwork:\n"
            "  - topic: 产业发展\n    items: [{title: 发展茶叶, facts: [新建茶园500亩]}]\n")
    if problems:
        text += "problems:\n" + "".join(f"  - {p}\n" for p in problems)
    if plans:
        text += "plans:\n  work:\n    - topic: 产业发展\n      items: [" + ", ".join(plans) + "]\n"
    sheet = tmp_path / f"{town}.yaml"
    sheet.write_text(text, encoding="utf-8")
    return sheet



@pytest.mark.parametrize("key", ANNUAL)
def test_annual_plan_is_a_third_of_the_draft(key: str) -> None:
    markdown = build_draft(example_path(key), form="annual").markdown
    body = markdown[:markdown.index("\n---\n")]
    assert len(plan_part(markdown)) >= len(body) / 3


@pytest.mark.parametrize("key", ANNUAL)
def test_every_problem_is_answered_in_the_plan(key: str) -> None:
    facts = load_facts(example_path(key))
    plan = plan_part(build_draft(facts, form="annual").markdown)
    for problem in facts.problems:
        assert quoted_problem(problem.text) in plan, problem.text


@pytest.mark.parametrize("key", ANNUAL)
@pytest.mark.parametrize("seed", [None, 1, 2])
def test_annual_plan_has_guiding_line_and_party_building(key: str, seed: int | None) -> None:
    facts = load_facts(example_path(key))
    plan = plan_part(build_draft(facts, form="annual", seed=seed).markdown)
    guide = plan.split("\n\n")[1]
    assert guide.startswith(f"{facts.year + 1}年是") and "习近平新时代中国特色社会主义思想" in guide
    assert "精神" in guide  # the plan year's meetings
    assert any("党建" in h for h in re.findall(r"^### （.）(.+)$", plan, flags=re.M))


def test_plan_areas_carry_measures_items_and_answers() -> None:
    plan = plan_part(build_draft(example_path("taoyuan-town")).markdown)
    area = next(p for p in plan.split("\n\n") if "柑橘标准园" in p)
    # the sheet's items lead the area, then the answer to its problem: no stock measure between
    assert area.startswith("一是新建柑橘标准园2000亩；二是培育柑橘深加工企业2家。")
    assert len(area.split("。")) == 3  # the items, the answer (and the empty tail)
    assert "柑橘产业链条短、精深加工能力不足" in area


def test_a_plan_written_in_december_quotes_no_later_meeting() -> None:
    # 石门乡 is drafted in December 2023: the plenum of July 2024 cannot be in its 2024 plan
    markdown = build_draft(example_path("shimen-township")).markdown
    assert "三中全会" not in markdown


def test_problems_say_what_they_mean() -> None:
    markdown = build_draft(example_path("shimen-township")).markdown
    problems = next(p for p in markdown.split("\n\n") if "一是自然灾害频发" in p)
    # the sheet's detail, as written
    assert "一是自然灾害频发，农业生产抗风险能力弱，汛期山洪和地质灾害对道路、农田的威胁年年都有；" in problems
    # a problem of two clauses stands as written (a stock tail after it is filler)
    second = problems.split("二是", 1)[1].split("；")[0]
    assert second == "产业规模小，带动群众增收能力有限", second


def test_a_problem_of_one_clause_gets_an_elaboration_without_a_figure(tmp_path: Path) -> None:
    sheet = tea_town(tmp_path, "丁镇", problems=("产业链条短", "干部队伍老化，年轻干部不足"))
    for seed in range(5):
        markdown = build_draft(sheet, seed=seed).markdown
        problems = next(p for p in markdown.split("\n\n") if "一是产业链条短" in p)
        first = problems.split("一是", 1)[1].split("；")[0]
        assert first.startswith("产业链条短，") and len(first) > len("产业链条短，") + 4, first
        assert not re.search(r"[0-9]", first)
        second = problems.split("二是", 1)[1].split("。")[0].split("；")[0]
        assert second == "干部队伍老化，年轻干部不足", second


@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_thematic_shape_and_title(key: str) -> None:
    facts = load_facts(example_path(key))
    markdown = build_draft(facts, form="thematic").markdown
    lines = markdown.splitlines()
    assert lines[0].startswith("# 聚焦") or "“" in lines[0]
    subtitle = lines[2]
    # every form has a plan part (a placeholder where the sheet lists none), and its title says so
    assert subtitle.startswith("——") and "工作打算" in subtitle
    parts = re.findall(r"^## (.+)$", markdown, flags=re.M)
    work = len(parts) - (2 if facts.problems and facts.period == "annual" else 1)
    assert all(re.match(r"^[一二三四五六七八九十]+、聚焦.+，推进.+，提升.+$", p) for p in parts[:work]), parts
    assert not any("聚焦" in p for p in parts[work:]), parts


def test_highlights_lead_with_work_when_the_sheet_has_no_figures_or_honours(tmp_path: Path) -> None:
    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("""town: 甲镇
year: 2024
work:
  - topic: 产业发展
    items:
      - title: 壮大特色产业
        facts: [新建茶园1200亩，带动农户380户]
  - topic: 社会治理
    items:
      - title: 化解矛盾纠纷
        facts: [排查化解矛盾纠纷96件]
  - topic: 党的建设
    items:
      - 开展主题党日活动
""", encoding="utf-8")
    markdown = build_draft(sheet, form="highlights").markdown
    dashes = re.findall(r"^\*\*——(.+?)。\*\*(.+)$", markdown, flags=re.M)
    assert [d[1] for d in dashes] == ["新建茶园1200亩，带动农户380户。", "排查化解矛盾纠纷96件。"]
    assert dashes[0][0].startswith("产业发展") and dashes[1][0].startswith("社会治理")


@pytest.mark.parametrize("form", ["highlights", "thematic"])
def test_a_half_year_sheet_keeps_half_year_wording(form: str) -> None:
    markdown = build_draft(example_path("taoyuan-half-year"), form=form).markdown
    assert "上半年" in markdown.splitlines()[0] + markdown.splitlines()[2]
    for word in ("一年来", "全年工作", "全年来看", "综合全年", "2025年"):
        assert word not in markdown, word


@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
@pytest.mark.parametrize("form", ["annual", "highlights"])
def test_plan_headings_do_not_reuse_the_summary_frame(key: str, form: str) -> None:
    from draftgen.bank.phrasebank import load_bank
    from draftgen.draft.choose import family_frame

    bank = load_bank()
    for seed in (None, 1, 2, 3):
        result = build_draft(example_path(key), form=form, seed=seed)
        families = {}
        for entry_id in result.used_entries:
            entry = bank.entries[entry_id]
            if entry.role.startswith("heading.") and entry.family:
                members = [e for e in bank.by_role(entry.role) if e.family == entry.family]
                families[entry.role] = family_frame(members)
        assert len(families) == 2 and len(set(families.values())) == 2, (seed, families)


# -- the richer sheet --------------------------------------------------------------

RICH = """town: 会坪镇
year: 2024
indicators:
  - {name: 清收欠款, value: 320, unit: 笔, base: 659, base_name: 清收任务, as_of: 2024-11-20}
work:
  - topic: 安全生产
    items:
      - title: 抓好防汛救灾
        measures: [汛前排查地质灾害隐患点]
        facts: [转移避险群众326人]
        effect: 汛期未发生人员伤亡
        rank: 全市第2
projects:
  - {name: 王家庄会坪社水毁道路维修, topic: 城镇建设与基础设施, investment: {value: 193, unit: 万元},
     status: done, effect: 方便了群众出行}
  - {name: 游客服务中心, topic: 文化旅游, stage: 主体完工, measures: [成立项目专班]}
problems:
  - {text: 自然灾害频发, detail: 汛期山洪对道路的威胁年年都有}
"""


def test_new_fields_are_rendered() -> None:
    facts = load_facts_text(RICH, "会坪镇.yaml")
    for seed in range(6):
        markdown = build_draft(facts, seed=seed).markdown
        assert "截至11月20日，清收欠款320笔，占清收任务659笔的48.6%" in markdown
        assert "汛前排查地质灾害隐患点，转移避险群众326人，位列全市第2，汛期未发生人员伤亡。" in markdown
        assert "方便了群众出行" in markdown and "王家庄会坪社水毁道路维修" in markdown
        assert "成立项目专班，游客服务中心主体工程已完工" in markdown
        assert "自然灾害频发，汛期山洪对道路的威胁年年都有" in markdown
        assert check_numbers(markdown, facts).ok


def test_the_repair_can_lead_with_its_figure() -> None:
    facts = load_facts_text(RICH, "会坪镇.yaml")
    texts = {build_draft(facts, seed=seed).markdown for seed in range(12)}
    assert any("投入193万元完成王家庄会坪社水毁道路维修，方便了群众出行" in t for t in texts)
    assert not any("建成王家庄" in t or "王家庄会坪社水毁道路维修（总投资193万元）顺利建成" in t for t in texts)


def test_a_stage_implies_the_status() -> None:
    facts = load_facts_text(RICH, "会坪镇.yaml")
    assert facts.projects[1].status == "ongoing" and facts.projects[1].stage == "主体完工"


@pytest.mark.parametrize(("bad", "message"), [
    ("  - {name: 甲, stage: 快完了}", r"会坪镇\.yaml 第\d+行：.*stage"),
    ("  - {name: 甲, measures: 成立专班}", r"会坪镇\.yaml 第\d+行：.*measures"),
    ("  - {name: 甲, effect: [方便出行]}", r"会坪镇\.yaml 第\d+行：.*effect"),
])
def test_new_fields_are_validated(bad: str, message: str) -> None:
    text = RICH.replace("  - {name: 游客服务中心, topic: 文化旅游, stage: 主体完工, measures: [成立项目专班]}", bad)
    with pytest.raises(FactsError) as raised:
        load_facts_text(text, "会坪镇.yaml")
    assert re.search(message, str(raised.value) + "\n" + "\n".join(map(str, raised.value.problems)))


def test_base_must_be_a_number() -> None:
    with pytest.raises(FactsError):
        load_facts_text(RICH.replace("base: 659", "base: 很多"), "会坪镇.yaml")


def test_new_fields_are_in_the_schema() -> None:
    schema = json_schema()
    props = schema["properties"]
    indicator = props["indicators"]["items"]["properties"]
    assert {"as_of", "base", "base_name"} <= set(indicator)
    item = props["work"]["items"]["properties"]["items"]["items"]["anyOf"][1]["properties"]
    assert {"measures", "effect", "rank"} <= set(item)
    project = props["projects"]["items"]["properties"]
    assert {"stage", "measures", "effect"} <= set(project)
    assert "主体完工" in project["stage"]["enum"]
    problem = props["problems"]["items"]["anyOf"][1]["properties"]
    assert "detail" in problem
    assert props["setting"]["enum"][:3] == ["urban", "rural", "mixed"]


@pytest.mark.parametrize("key", ANNUAL)
def test_a_problem_is_answered_by_a_measure_of_its_own_words_or_a_plain_remedy(key: str) -> None:
    """干部队伍年龄偏大 is not answered with 纠治“四风” because both say 干部: the answer shares three
    characters running or two words with the problem, or it is a remedy that names no measure."""
    from draftgen.bank.phrasebank import load_bank

    bank = load_bank()
    remedies = {e.text for e in bank.by_role("plan.remedy")}
    facts = load_facts(example_path(key))
    for seed in range(10):
        plan = plan_part(build_draft(facts, form="annual", seed=seed).markdown)
        for problem in facts.problems:
            quoted = quoted_problem(problem.text)
            areas = plan[plan.index("### "):]  # (the head's judgment of the situation names problems too)
            sentence = next(s for s in areas.split("。") if quoted in s)
            answer = sentence.split(quoted, 1)[1].split("，", 1)[1]
            if answer in remedies:
                continue
            pairs = {quoted[i:i + 2] for i in range(len(quoted) - 1)}
            shared = {answer[i:i + 2] for i in range(len(answer) - 1)} & pairs
            assert len(shared) >= 2 or any(answer[i:i + 3] in quoted for i in range(len(answer) - 2)), \
                (seed, quoted, answer)


def test_a_problem_without_a_topic_is_answered_in_its_own_field(tmp_path: Path) -> None:
    """流动人口多 was answered under 党建: a problem's words route it (社会治理, 民生, 招商), and the
    plan answers it in that area."""
    sheet = tmp_path / "甲街道.yaml"
    sheet.write_text("""town: 甲街道
division: 街道
year: 2024
work:
  - topic: 经济运行
    items: [{title: 培育税源, facts: [走访企业120家次]}]
problems:
  - 流动人口多、综合管理难度大
  - 群众办事不够便捷
  - 可供开发的产业空间不足
plans:
  work:
    - topic: 经济运行
      items: [新培育规上企业3家]
""", encoding="utf-8")
    plan = plan_part(build_draft(sheet).markdown)
    areas = re.split(r"^### ", plan, flags=re.M)[1:]
    for problem, label in (("流动人口多、综合管理难度大", "社会治理"), ("群众办事不够便捷", "民生保障"),
                           ("可供开发的产业空间不足", "招商引资")):
        area = next(a for a in areas if problem in a)
        assert label in area.split("\n")[0], (problem, area.split("\n")[0])


@pytest.mark.parametrize("key", ANNUAL)
def test_the_plans_thinking_names_the_sheets_priorities(key: str) -> None:
    """A 思路 of one stock sentence says nothing of the town: where the sheet gives no thinking of its
    own, it names the areas the sheet plans for (突出抓好项目建设、产业发展……)."""
    facts = load_facts(example_path(key))
    planned = [w.topic for w in facts.plans.work if w.items]
    for seed in range(5):
        result = build_draft(facts, form="annual", seed=seed)
        guide = plan_part(result.markdown).split("\n\n")[1]
        if facts.plans.thinking:
            assert facts.plans.thinking.rstrip("。") in guide
            continue
        thinking = guide.split("是：", 1)[1].split("。")[0]
        from draftgen.bank.phrasebank import load_bank

        bank = load_bank()
        labels = [bank.resolve_topic(t).label for t in planned]  # type: ignore[union-attr]
        assert any(label in thinking for label in labels[:3]), (seed, thinking)


def test_a_problem_of_a_known_kind_gets_a_remedy_of_that_kind() -> None:
    """干部队伍年龄偏大 with no measure of 党建 tied to it is answered for what it is (培养年轻干部…),
    and the words that bring in an answer do not say the problem's words again (短板的短板弱项)."""
    from draftgen.bank.phrasebank import load_bank

    capacity = {e.text for e in load_bank().by_role("plan.remedy") if "干部" in e.keywords}
    facts = load_facts(example_path("taoyuan-town"))
    for seed in range(10):
        plan = plan_part(build_draft(facts, form="annual", seed=seed).markdown)
        sentence = next(s for s in plan[plan.index("### "):].split("。") if "干部队伍年龄偏大、专业人才短缺" in s)
        answer = sentence.split("干部队伍年龄偏大、专业人才短缺", 1)[1].split("，", 1)[1]
        assert answer in capacity or "干部" in answer or "人才" in answer, (seed, sentence)
    shimen = load_facts(example_path("shimen-township"))
    for seed in range(10):
        plan = plan_part(build_draft(shimen, form="annual", seed=seed).markdown)
        assert "短板的短板" not in plan and "不足的不足" not in plan, seed


def test_a_petition_backlog_is_answered_by_taking_the_cases_one_by_one(tmp_path: Path) -> None:
    """信访积案 is a 社会治理 problem and is answered as offices answer it (领导包案、逐案化解…),
    not by a stock measure of some other field."""
    from draftgen.bank.phrasebank import load_bank

    petition = {e.text for e in load_bank().by_role("plan.remedy") if "积案" in e.keywords}
    sheet = tea_town(tmp_path, "乙镇", problems=("个别信访积案化解难度大",), plans=("新建茶园300亩",))
    for seed in range(10):
        plan = plan_part(build_draft(sheet, seed=seed).markdown)
        area = next(a for a in re.split(r"^### ", plan, flags=re.M)[1:] if "信访积案" in a)
        assert "社会治理" in area.split("\n")[0], (seed, area.split("\n")[0])
        answer = area.split("个别信访积案化解难度大", 1)[1].split("。")[0].split("，", 1)[1]
        assert answer in petition, (seed, answer)


@pytest.mark.parametrize("key", ANNUAL)
def test_the_plans_head_judges_the_situation_from_the_sheet(key: str) -> None:
    """A real plan opens with the year's standing and a judgment of the situation: here what rose
    (its indicators by name) against what fell and the first problems, in the sheet's own words, with
    no figure; a fall is owned (东柳街道's 地区生产总值 fell: not only what rose is told)."""
    facts = load_facts(example_path(key))
    changes = [(i.name, c.direction) for i in facts.indicators
               if (c := indicator_change(i)) is not None and not i.is_rate and c.direction]
    rose = [name for name, d in changes if d > 0]
    fell = [name for name, d in changes if d < 0]
    heads = [re.split(r"[，、；]", p.text)[0] for p in facts.problems[: 2 - bool(fell)]]
    for seed in range(10):
        head = plan_part(build_draft(facts, form="annual", seed=seed).markdown).split("\n\n")[1]
        situation = head.split("。")[1]
        assert all(h in situation for h in heads), (seed, situation)
        assert rose[0] in situation, (seed, situation)
        if fell:
            assert f"{fell[0]}下降" in situation or f"{fell[0]}和" in situation, (seed, situation)
        assert not re.search(r"[0-9]", situation.replace(str(facts.year + 1), "")), (seed, situation)


def test_a_project_an_item_names_is_told_once(tmp_path: Path) -> None:
    """引进井圈臻选食品基地建设项目 in an item and again as a project sentence told it twice: the
    investment goes beside the item's mention, and a progress that ends in the mention's verb takes its place."""
    sheet = tmp_path / "丙乡.yaml"
    sheet.write_text("""town: 丙乡
division: 乡
year: 2024
work:
  - topic: 营商环境与招商引资
    items:
      - {title: 招引项目, measures: [引进甲乙食品基地建设项目]}
projects:
  - {name: 甲乙食品基地建设项目, topic: 营商环境与招商引资, investment: {value: 3300, unit: 万元},
     progress: 2024年成功引进}
  - {name: 丙丁冷库项目, topic: 营商环境与招商引资, investment: {value: 800, unit: 万元}, progress: 主体完工}
""", encoding="utf-8")
    for seed in range(5):
        markdown = build_draft(sheet, seed=seed).markdown
        assert markdown.count("甲乙食品基地建设项目") == 1, seed
        assert "2024年成功引进甲乙食品基地建设项目（总投资3300万元）。" in markdown, seed
        assert "丙丁冷库项目（总投资800万元）" in markdown, seed


def test_an_area_the_sheet_plans_nothing_for_holds_no_invented_measure(tmp_path: Path) -> None:
    """Readers would not sign 有效加强秸秆禁烧 in a 民生 area the sheet never planned, nor a padded
    direction after the sheet's own items: an area that stands in every annual plan but has no item
    of the sheet holds one direction (坚持…，…) and a placeholder for its measures; an area with items
    holds the items and the answers to its problems, nothing else."""
    from draftgen.bank.phrasebank import load_bank

    bank = load_bank()
    directions = [e.text.replace("{label}", "民生保障") for e in bank.by_role("plan.direction")]
    measures = {e.text for e in bank.by_role("measure")}
    sheet = tea_town(tmp_path, "戊镇", plans=("新建茶园300亩",))
    for seed in range(10):
        plan = plan_part(build_draft(sheet, seed=seed).markdown)
        areas = re.split(r"^### ", plan, flags=re.M)[1:]
        area = next(a for a in areas if "民生保障" in a.split("\n")[0])
        body = area.split("\n\n")[1]
        said, asked = body.split("。", 1)
        assert said.startswith("坚持") and asked.strip() == "【待补充：民生保障的具体打算】", (seed, body)
        assert all(c in directions for c in said.split("，", 1)[1:]) or "，" not in said, (seed, said)
        assert not any(m in body for m in measures), (seed, body)
        tea = next(a for a in areas if "新建茶园300亩" in a)
        assert tea.split("\n\n")[1].strip() == "新建茶园300亩。", (seed, tea)


@pytest.mark.parametrize("form", ["half-year", "thematic", "highlights"])
def test_a_half_year_plan_has_a_head_and_its_problems_stay_in_part_one(form: str) -> None:
    """下阶段，桃源镇将把各项任务落实到具体项目和具体工作上。 was the whole head of the second half's
    plan: it has the guiding line known in July, the situation, and a closing; the problems close
    part one in every form, under no heading of their own."""
    facts = load_facts(example_path("taoyuan-half-year"))
    for seed in range(5):
        markdown = build_draft(facts, form=form, seed=seed).markdown
        plan = plan_part(markdown)
        head = plan.split("\n\n")[1]
        assert "习近平新时代中国特色社会主义思想" in head and "精神" in head, (form, seed, head)
        assert "部分项目要素保障滞后" in head, (form, seed, head)  # the situation names the problems
        assert not re.search(r"^## .*(问题|不足)", markdown, flags=re.M), (form, seed)
        before = markdown[: markdown.index(plan)]
        assert "柑橘销售渠道单一" in before, (form, seed)
        closing = plan.rstrip().split("\n\n")[-1]
        assert not closing.startswith(("一是", "###")), (form, seed, closing)


def test_a_planned_project_is_told_in_the_plan_only(tmp_path: Path) -> None:
    """桃花溪生态治理项目 was 已纳入项目盘子 in the summary and 启动 in the plan: a project still to come that the
    plan names is told there, once, with its planned investment."""
    markdown = build_draft(example_path("taoyuan-town")).markdown
    plan = plan_part(markdown)
    assert markdown.count("桃花溪生态治理项目") == 1
    assert "启动桃花溪生态治理项目（计划总投资2300万元）" in plan
