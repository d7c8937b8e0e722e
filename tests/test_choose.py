"""Seeded choice: deterministic, no entry twice, one frame family per heading level."""

from __future__ import annotations

import os

from draftgen.bank.lexicon import Evidence
from draftgen.bank.phrasebank import load_bank
from draftgen.draft.choose import Chooser, Conditions, seed_for


def chooser(seed: int = 7, **cond: object) -> Chooser:
    return Chooser(load_bank(), seed, Conditions(year=2024, **cond),  # type: ignore[arg-type]
                   {"town": "甲镇", "all": "全镇", "superior_lead": "县委、县政府"})


def test_seed_depends_on_town_and_year_only() -> None:
    assert seed_for("甲镇", 2024) == seed_for("甲镇", 2024)
    assert seed_for("甲镇", 2024) != seed_for("乙镇", 2024) != seed_for("甲镇", 2025)


def test_same_seed_same_choices() -> None:
    first, second = chooser(), chooser()
    assert [first.pick("closing") for _ in range(5)] == [second.pick("closing") for _ in range(5)]


def test_no_entry_is_used_twice() -> None:
    c = chooser()
    picked = [c.pick("opening.report") for _ in range(40)]
    real = [p for p in picked if not p.startswith("【待补充")]
    assert len(real) == len(set(real)) == len(load_bank().by_role("opening.report"))
    assert picked[-1] == "【待补充：开篇结语（现将…报告如下）】"


def test_sibling_headings_share_one_family_and_no_lead_word() -> None:
    bank = load_bank()
    c = chooser()
    subjects = [(t, {"label": label}, None) for t, label in [
        ("党的建设", "党建引领"), ("项目建设", "项目建设"), ("产业发展", "产业发展"),
        ("民生保障", "民生保障"), ("社会治理", "社会治理"), ("安全生产", "安全生产")]]
    headings = c.headings("heading.work", subjects)
    used = [bank.entries[i] for i in c.used]
    assert len({e.family for e in used}) == 1
    assert all(label in h for h, (_, s, _) in zip(headings, subjects, strict=True) for label in [s["label"]])
    family = [e.text for e in bank.by_role("heading.work") if e.family == used[0].family]
    prefix = len(os.path.commonprefix(family))  # noqa: RUF071 - the family's shared opening
    leads = [e.text[prefix:prefix + 2] for e in used]
    assert len(set(leads)) == len(leads)


def test_year_data_for_an_unknown_year_is_a_placeholder() -> None:
    c = Chooser(load_bank(), 1, Conditions(year=2031), {})
    assert c.pick("year.campaign") == "【待补充：2031年本年度开展的学习教育】"


def test_conditions_pick_wording_that_fits_the_data() -> None:
    bank = load_bank()
    strong = {e.id for e in bank.by_role("opening.result") if ("growth_min", 10) in e.when}
    falling = {e.id for e in bank.by_role("opening.result") if ("trend", "fall") in e.when}
    assert strong and falling
    for seed in range(30):
        c = chooser(seed, growth=-3.0)
        for _ in range(len(bank.by_role("opening.result"))):
            c.pick("opening.result")
        assert not strong & set(c.used)
        assert falling <= set(c.used)


def test_recovery_wording_only_after_a_fall() -> None:
    bank = load_bank()
    recovery = {e.id for e in bank.by_role("opening.result") if ("trend", "recovery") in e.when}
    assert recovery
    for previous_growth, expected in ((-2.0, True), (3.0, False), (None, False)):
        c = chooser(1, growth=5.0, previous_growth=previous_growth)
        # a sheet with figures and items enough to license the overall results (the trend alone does not)
        c.evidence = Evidence(trends=frozenset(c.conditions.trends), growth=5.0, figures=12, items=8)
        for _ in range(len(bank.by_role("opening.result"))):
            c.pick("opening.result")
        assert (recovery <= set(c.used)) is expected
        # a recovery is still a rise: rise wording stays available
        assert any(("trend", "rise") in bank.entries[i].when for i in c.used)


def test_sibling_headings_open_differently_when_asked() -> None:
    from draftgen.draft.choose import heading_opening

    subjects = [(t, {"label": label}, None) for t, label in [
        ("党的建设", "党建引领"), ("项目建设", "项目建设"), ("产业发展", "产业发展"),
        ("民生保障", "民生保障"), ("社会治理", "社会治理"), ("安全生产", "安全生产")]]
    for seed in range(20):
        headings = chooser(seed, growth=6.0).headings("heading.plan", subjects, distinct_openings=True)
        assert not any(h.startswith("【待补充") for h in headings)
        openings = [heading_opening(h) for h in headings]
        assert len(set(openings)) == len(openings), headings


def test_headings_are_licensed_for_their_topic() -> None:
    from draftgen.draft.choose import Scope

    bank = load_bank()
    safety = bank.lexicon.features_of("安全生产")
    scope = Scope(subjects=(("安全生产", safety), ("安全", safety)))
    for seed in range(30):
        (heading,) = chooser(seed, growth=9.0).headings("heading.work", [("安全生产", {"label": "安全生产"}, scope)])
        assert not bank.lexicon.clashes(heading, {"安全生产": safety}), heading
