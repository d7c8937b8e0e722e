"""The wording lexicon: known clashes are found, good pairs are left alone, praise
needs its data, named programmes and rural/urban wording follow the sheet."""

from __future__ import annotations

import pytest

from draftgen.bank.lexicon import Evidence, Lexicon
from draftgen.bank.phrasebank import load_bank


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_bank().lexicon


def subjects() -> dict[str, frozenset[str]]:
    return load_bank().subjects()


# our own list of wording a township writer would strike out
CLASHES = [
    # a verb that does not take this field as its object
    "做大乡村振兴，", "做足安全生产，", "做新经济发展，", "做大党建引领，", "做强安全生产，", "做大社会治理，",
    "做足民生保障，", "做稳安全生产，", "做活社会治理，", "做靓安全生产，", "做精社会治理，", "守牢经济发展，",
    "建强招商引资，", "壮大社会治理，", "做大民生保障，",
    # a predicate that does not fit the field
    "安全生产要提速提质、争先进位", "生态环境多点突破", "安全生产稳中有进", "社会治理量质齐升", "民生保障跑出加速度",
    "安全生产势头强劲", "党建引领捷报频传", "生态环境进位赶超", "社会治理全面提速", "乡村振兴稳中有进",
    "民生保障平安稳定", "经济发展更有温度", "招商引资坚强有力", "安全生产活力迸发", "党建引领面貌一新",
    "社会事业大跨越", "安全生产工作稳中有进", "生态环境要争先进位", "社会治理多点开花", "城乡建设稳中有进",
    "民生保障补链强链", "安全生产多措并举、稳中有进", "安全生产要精准发力、提速提质",
    # a manner word against its verb, or on a noun
    "及时开展主题教育", "务实防止规模性返贫", "高质量加强汛期值班巡查", "有序兜牢民生底线", "用心防返贫监测帮扶",
    "着力安全生产提速", "及时推进项目建设", "务实加强作风建设", "稳妥有序强化考核激励", "高效兜牢兜实民生底线",
    "用心推进重点项目", "有序守牢安全底线", "及时培育经营主体", "坚决培育特色产业", "务实化解矛盾纠纷",
    "稳步排查安全隐患", "深入兜牢民生底线", "主动加强队伍建设", "认真兜牢民生底线", "统筹化解矛盾纠纷",
    "牢牢推进项目建设", "严格培育经营主体", "有效学习贯彻会议精神", "全力学习贯彻会议精神", "着力党建引领",
    "扎实安全生产",
]

# a heading speaks of one field: words that belong to another field clash with it
HEADING_CLASHES = [
    ("惠民生、暖民心，党建引领展现新作为", "党建引领"),
    ("抓安全、守底线，产业发展提质升级", "产业发展"),
    ("强队伍、提能力，生态环境持续改善", "生态环境"),
    ("抓生态、增颜值，招商引资有力有效", "招商引资"),
    ("保持“快”的节奏，在生态环境上做出表率", "生态环境"),
]

GOOD = [
    "做大产业发展，", "做强经济发展，", "做实党建引领，", "做细社会治理，", "做优民生保障，", "做靓生态环境，",
    "做精文化旅游，", "守牢安全生产，", "深化社会治理，", "强化安全生产，", "做优招商引资，", "做强文化旅游，",
    "产业发展多点突破", "经济发展稳中有进", "项目建设全面提速", "招商引资量质齐升", "社会治理和谐稳定",
    "民生保障更有温度", "生态环境持续改善", "党建引领坚强有力", "城乡建设面貌一新", "文化旅游活力迸发",
    "项目建设捷报频传", "经济发展势头强劲", "安全生产平安稳定", "社会事业持续改善", "产业发展要提速提质",
    "经济发展要争先进位", "城乡建设提速增效", "安全生产扎实推进", "乡村振兴走深走实",
    "扎实开展党纪学习教育", "深入学习贯彻习近平新时代中国特色社会主义思想", "坚决贯彻落实党的二十届三中全会精神",
    "及时化解矛盾纠纷", "及时发放救助资金", "有序推进老旧小区改造", "坚决守牢安全底线", "切实兜牢民生底线",
    "全力防范化解重大风险", "大力发展特色产业", "积极引导群众参与", "稳步提升公共服务水平", "统筹推进乡村振兴",
    "高质量推进项目建设", "用心做好民生实事", "务实推进重点工作", "多措并举促进就业", "加快建设冷链物流中心",
    "进一步优化营商环境", "不断增强群众获得感", "有效防范安全风险", "精准落实帮扶政策", "严格落实安全生产责任制",
    "牢牢守住不发生规模性返贫底线", "认真开展“回头看”", "主动服务企业", "全方位加强宣传",
    "坚持以高质量党建引领高质量发展", "全面从严治党", "高效办成一件事", "全面推进乡村振兴", "持续深化党建引领，",
    "进一步全面深化改革", "有效提升群众满意度", "大力宣传政策法规", "经营主体不断壮大",
]

HEADING_GOOD = [
    ("惠民生、暖民心，民生保障展现新作为", "民生保障"),
    ("抓安全、守底线，安全生产平稳有序", "安全生产"),
    ("强队伍、提能力，党建引领展现新作为", "党建引领"),
    ("抓生态、增颜值，生态环境持续改善", "生态环境"),
    ("保持“快”的节奏，在项目建设上跑出加速度", "项目建设"),
]


def test_the_lists_are_long_enough() -> None:
    assert len(CLASHES) + len(HEADING_CLASHES) >= 60
    assert len(GOOD) + len(HEADING_GOOD) >= 60
    assert not set(CLASHES) & set(GOOD)


@pytest.mark.parametrize("text", CLASHES)
def test_known_clash_is_found(lexicon: Lexicon, text: str) -> None:
    found = lexicon.clashes(text, subjects())
    assert found, text
    assert all(text[c.start:c.end] == c.words for c in found)


@pytest.mark.parametrize("text", GOOD)
def test_good_pair_is_left_alone(lexicon: Lexicon, text: str) -> None:
    assert lexicon.clashes(text, subjects()) == []


@pytest.mark.parametrize(("text", "label"), HEADING_CLASHES)
def test_a_heading_keeps_to_its_field(lexicon: Lexicon, text: str, label: str) -> None:
    assert [c.kind for c in lexicon.clashes(text, subjects()) if c.kind == "topic"], text


@pytest.mark.parametrize(("text", "label"), HEADING_GOOD)
def test_a_heading_on_its_own_field_passes(lexicon: Lexicon, text: str, label: str) -> None:
    assert lexicon.clashes(text, subjects()) == []


def test_cues_are_not_judged_in_prose(lexicon: Lexicon) -> None:
    # a paragraph may range over several fields: only headings are held to one
    text = "经济发展持续向好，产业升级步伐加快，惠民生、暖民心的实事落地见效"
    assert lexicon.clashes(text, subjects(), cues=False) == []


def test_clash_messages_name_both_words(lexicon: Lexicon) -> None:
    clash = lexicon.clashes("做大乡村振兴，", subjects())[0]
    assert clash.message == "“做大”不宜以“乡村振兴”作宾语"
    clash = lexicon.clashes("及时开展主题教育", subjects())[0]
    assert clash.message == "“及时”不宜修饰“开展”"


@pytest.mark.parametrize(("phrase", "evidence", "reason"), [
    ("稳中有进", Evidence(trends=frozenset({"fall"})), "主要指标没有增长"),
    ("稳中有进", Evidence(trends=frozenset({"rise"})), None),
    ("稳中有进", Evidence(trends=frozenset({"recovery", "rise"})), None),
    ("各项指标稳中有进", Evidence(trends=frozenset({"rise"}), all_rise=False), "并非所有指标都在增长"),
    ("多点突破", Evidence(items=1), "这部分只有1项工作，撑不起这个评价"),
    ("多点突破", Evidence(items=3), None),
    ("压茬推进", Evidence(projects=1), "这部分只有1个项目，撑不起这个评价"),
    ("压茬推进", Evidence(projects=2), None),
    ("短板补齐", Evidence(items=9, figures=30), "事实表里没有能说明这一点的数据"),
    ("走在前列", Evidence(), "事实表里没有排名"),
    ("走在前列", Evidence(rank=True), None),
    ("圆满完成", Evidence(), "事实表里没有全部完成的目标"),
    ("势头强劲", Evidence(trends=frozenset({"rise"}), growth=5.0), "主要指标增速不到8%"),
    ("势头强劲", Evidence(trends=frozenset({"rise"}), growth=9.0), None),
])
def test_praise_needs_its_data(lexicon: Lexicon, phrase: str, evidence: Evidence, reason: str | None) -> None:
    assert lexicon.unearned(phrase, evidence) == reason


def test_evaluations_are_found_longest_first(lexicon: Lexicon) -> None:
    assert lexicon.evaluations_in("党建引领各项指标稳中有进，亮点纷呈") == [(4, "各项指标稳中有进"), (13, "亮点纷呈")]


def test_names_are_quoted_terms_and_listed_programmes(lexicon: Lexicon) -> None:
    assert lexicon.names_in("大力落实“三会一课”，深化雪亮工程建设") == ["三会一课", "雪亮工程"]
    assert lexicon.names_in("加强党员教育管理监督") == []


@pytest.mark.parametrize(("text", "setting"), [
    ("新改建农村户厕860座", "rural"),
    ("完成老旧小区改造17个，惠及居民6300户", "urban"),
    ("选优配强村（社区）“两委”班子", "mixed"),
    ("检查生产经营单位380家次", None),
])
def test_setting_of_text(lexicon: Lexicon, text: str, setting: str | None) -> None:
    assert lexicon.setting_of(text) == setting


def test_rural_wording_stays_out_of_an_urban_town(lexicon: Lexicon) -> None:
    assert not lexicon.fits_setting("强化驻村帮扶力量", "urban")
    assert lexicon.fits_setting("强化驻村帮扶力量", "mixed")
    assert not lexicon.fits_setting("推进老旧小区改造", "rural")
    assert lexicon.fits_setting("加强党员教育管理监督", "urban")


@pytest.mark.parametrize(("verb", "direction", "fits"), [
    ("实现", "rise", True), ("实现", "fall", False), ("完成", "fall", True), ("达到", "fall", False),
])
def test_indicator_verbs_follow_the_direction(lexicon: Lexicon, verb: str, direction: str, fits: bool) -> None:
    assert lexicon.indicator_verb_fits(verb, direction) is fits


@pytest.mark.parametrize(("name", "kind", "wording", "fits"), [
    ("王家庄会坪社水毁道路维修", "repair", "顺利建成", False),
    ("王家庄会坪社水毁道路维修", "repair", "已完工", True),
    ("桃源大道提质改造工程", "repair", "竣工投用", False),
    ("柑橘冷链物流中心", "construction", "建成投用", True),
    ("全民健身月活动", "campaign", "已完工", False),
    ("全民健身月活动", "campaign", "顺利完成", True),
])
def test_project_wording_follows_its_kind(lexicon: Lexicon, name: str, kind: str, wording: str, fits: bool) -> None:
    assert lexicon.project_kind(name) == kind
    assert lexicon.project_wording_fits(wording, kind) is fits


def test_a_users_bank_extends_the_lexicon(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "mine.yaml").write_text(
        "lexicon:\n  verbs:\n    擦亮: [culture]\n  names: [红色物业]\n", encoding="utf-8")
    lexicon = load_bank(tmp_path).lexicon
    assert lexicon.clashes("擦亮安全生产，", subjects())
    assert lexicon.verbs["做大"]  # the shipped tables are still there
    assert "红色物业" in lexicon.names_in("推行红色物业")


def test_a_sections_names_are_found_as_an_alternation_would_find_them() -> None:
    """The direct search for a section's few names gives the spans the regular expression
    of those names gives: the longest at each place, no overlap."""
    import random

    from draftgen.bank.lexicon import Lexicon, _alternation

    lexicon = Lexicon()
    rng = random.Random(8)
    alphabet = "党建经济安全生产乡村振兴党的建设引领"
    for _ in range(3000):
        names = tuple({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
                       for _ in range(rng.randint(1, 6))})
        text = "".join(rng.choice(alphabet + "，。") for _ in range(rng.randint(0, 40)))
        pattern = _alternation(names)
        expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)] if pattern else []
        assert lexicon._subject_spans(text, names) == expected, (names, text)
