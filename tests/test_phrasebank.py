"""The shipped phrase bank: size, organisation, dated year data, user overrides."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from draftgen.bank.phrasebank import ROLES, SLOTS, load_bank
from draftgen.errors import PhrasebankError

TOPICS = ["党的建设", "经济运行", "项目建设", "产业发展", "乡村振兴", "生态环境与人居环境", "民生保障",
          "社会治理", "安全生产", "营商环境与招商引资", "文化旅游", "城镇建设与基础设施", "教育卫生"]


def test_bank_is_large_enough_for_distinct_drafts() -> None:
    bank = load_bank()
    assert len(bank.entries) >= 400
    families = {role: {e.family for e in bank.by_role(role)} for role in ("heading.work", "heading.plan")}
    assert len(families["heading.work"]) >= 8
    assert len(families["heading.plan"]) >= 6


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_ten_formulations(topic: str) -> None:
    bank = load_bank()
    assert bank.resolve_topic(topic) is not None
    assert len([e for e in bank.by_role("measure") if e.topic == topic]) >= 10


@pytest.mark.parametrize("year", range(2019, 2027))
@pytest.mark.parametrize("role", ["year.stands", "year.guide", "year.campaign"])
def test_year_data_covers_2019_to_2026(year: int, role: str) -> None:
    assert any(e.valid_in(year) for e in load_bank().by_role(role))


def test_year_data_keeps_meetings_in_their_years() -> None:
    bank = load_bank()
    for entry in bank.by_role("year.guide"):
        assert entry.years is not None
        start = entry.years[0]
        assert start is not None
        if "十九" in entry.text:
            assert start <= 2022, entry.id
        if "二十届" in entry.text:
            assert start >= 2023, entry.id


def test_entries_are_well_formed() -> None:
    bank = load_bank()
    texts = Counter((e.role, e.text, e.years) for e in bank.entries.values())
    assert [t for t, n in texts.items() if n > 1] == []
    for entry in bank.entries.values():
        assert entry.role in ROLES
        assert set(entry.slots) <= set(SLOTS)
        if entry.role != "year.marker":  # markers quote wording as reports write it
            assert not re.search(r"[0-9]", entry.text), entry.id
        assert not re.search(r'[,;:"]', entry.text), entry.id


def test_family_members_keep_lead_words_distinct() -> None:
    bank = load_bank()
    for role in ("heading.work", "heading.plan"):
        families: dict[str, list[str]] = {}
        for entry in bank.by_role(role):
            families.setdefault(entry.family or "", []).append(entry.text)
        for name, texts in families.items():
            assert len(texts) >= 10, name


def test_user_folder_adds_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "entries:\n"
        "  - {id: open.report.01, role: opening.report, text: 现将本镇工作报告如下}\n"
        "  - {id: my.closing, role: closing, text: '让我们为{town}的明天共同努力'}\n"
        "  - {id: open.report.02, disabled: true}\n", encoding="utf-8")
    bank = load_bank(tmp_path)
    assert bank.entries["open.report.01"].text == "现将本镇工作报告如下"
    assert "my.closing" in bank.entries and "open.report.02" not in bank.entries


def test_malformed_user_bank_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "entries:\n  - {id: a, role: closing, text: '为{village}努力'}\n  - {id: b, role: nope, text: 好}\n",
        encoding="utf-8")
    with pytest.raises(PhrasebankError) as info:
        load_bank(tmp_path)
    lines = [str(p) for p in info.value.problems]
    assert lines[0].startswith("bad.yaml 第2行：短语“a”用了未知的槽位 {village}")
    assert lines[1].startswith("bad.yaml 第3行：短语“b”的 role“nope”未知")


# -- the validated-bank cache -------------------------------------------------------------
@pytest.fixture()
def cold_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from draftgen.bank.phrasebank import forget_loaded

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_loaded()
    yield tmp_path / "cache" / "draftgen" / "phrasebank"
    forget_loaded()


def test_bank_from_its_cache_equals_the_bank_checked_entry_by_entry(cold_cache: Path) -> None:
    from draftgen.bank.phrasebank import forget_loaded

    checked = load_bank()
    assert len(list(cold_cache.glob("bank-*.json"))) == 1
    forget_loaded()
    cached = load_bank()
    assert cached is not checked
    assert cached.entries == checked.entries
    assert cached.topics == checked.topics
    assert [e.slots for e in cached.entries.values()] == [e.slots for e in checked.entries.values()]
    assert cached.lexicon.manners == checked.lexicon.manners
    entry = next(iter(cached.entries.values()))
    assert hash(entry.id) and isinstance(entry.keywords, tuple) and isinstance(entry.when, tuple)
    with pytest.raises(AttributeError):
        entry.text = "改写"  # type: ignore[misc]  # still frozen


def test_a_broken_cache_is_read_past_and_written_again(cold_cache: Path) -> None:
    from draftgen.bank.phrasebank import forget_loaded

    expected = load_bank().entries
    for broken in ("{", '{"fields": ["id"], "entries": []}', '{"fields": null}'):
        (cache,) = cold_cache.glob("bank-*.json")
        cache.write_text(broken, encoding="utf-8")
        forget_loaded()
        assert load_bank().entries == expected
        assert cache.read_text(encoding="utf-8") != broken


def test_an_edited_bank_file_is_checked_again_not_taken_from_the_cache(
        cold_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import draftgen.bank.phrasebank as phrasebank
    from draftgen.bank.phrasebank import forget_loaded
    from draftgen.resources import data_dir

    copy = tmp_path / "bank"
    shutil.copytree(data_dir("phrasebank"), copy)
    monkeypatch.setattr(phrasebank, "data_dir", lambda name: copy)
    assert load_bank().entries["fx.generic.01"].text == "各项任务有序落实"
    path = copy / "effects.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("各项任务有序落实", "各项任务扎实落地"), encoding="utf-8")
    forget_loaded()
    assert load_bank().entries["fx.generic.01"].text == "各项任务扎实落地"
    # a mistake written into the file is reported, not hidden behind a cached copy
    path.write_text(text.replace("role: section.effect, text: \"各项任务有序落实\"",
                                 "role: 不存在, text: \"各项任务有序落实\""), encoding="utf-8")
    forget_loaded()
    with pytest.raises(PhrasebankError, match="不存在"):
        load_bank()
    assert len(list(cold_cache.glob("bank-*.json"))) == 2


def test_coined_formulations_are_not_copied_from_the_public_reports() -> None:
    """The thematic and highlights forms live on coinages (要素汇集大畅通, 便民服务惠及力): the bank's
    are its own, not a real report's. (Set political phrases such as 统筹发展和安全 are everyone's.)"""
    from conftest import CORPUS

    files = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("../shared/corpus 不在")
    corpus = re.sub(r"\s", "", "".join(f.read_text(encoding="utf-8") for f in files))
    bank = load_bank()
    copied = [(e.id, piece) for role in ("thematic.push", "thematic.lift", "thematic.title",
                                        "heading.highlight", "highlight.economy", "highlight.honors",
                                        "highlight.work", "plan.direction", "plan.situation")
              for e in bank.by_role(role)
              for piece in re.split(r"\{[a-z_]+\}|[，。；：、“”]", e.text) if len(piece) >= 6 and piece in corpus]
    assert copied == []
