"""`draftgen phrases add`: the YAML file is kept byte for byte apart from the new entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from draftgen.bank.phrasebank import forget_loaded, load_bank
from draftgen.curate.bankedit import add_entry
from draftgen.errors import PhrasebankError


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "phrasebank"
    shutil.copytree(ROOT / "phrasebank", folder)
    forget_loaded()
    yield folder
    forget_loaded()


def test_add_keeps_the_file_byte_for_byte(bank_copy: Path) -> None:
    target = bank_copy / "headings.yaml"
    before = target.read_bytes()
    path, new_id, text = add_entry("heading.plan", "在{领域}上实现新跨越新突破", file=target)
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before):].decode("utf-8")
    assert added == f'  - {{id: {new_id}, role: heading.plan, text: "在{{label}}上实现新跨越新突破"}}\n'
    assert text == "在{label}上实现新跨越新突破"
    assert load_bank(bank_copy).entries[new_id].text == text


def test_add_picks_the_topic_file_and_continues_its_numbering(bank_copy: Path) -> None:
    path, new_id, _ = add_entry("measure", "推动党员干部下沉一线", topic="党建", folder=bank_copy)
    assert path.name == "topic-dangjian.yaml"
    numbers = [int(i.rsplit(".", 1)[1]) for i in load_bank(bank_copy).entries if i.startswith("m.dangjian.")]
    assert new_id == f"m.dangjian.{max(numbers):02d}"
    assert path.read_text(encoding="utf-8").rstrip().endswith(
        f'- {{id: {new_id}, role: measure, topic: 党的建设, text: "推动党员干部下沉一线"}}')


@pytest.mark.parametrize(("role", "text", "message"), [
    ("closing", "为{村名}的明天而奋斗", r"槽位 \{村名\} 未知"),
    ("opening.report", "现将有关情况报告如下", r"已有相同的条目“open\.report\.01”"),
    ("closing", "奋斗2025年", "不能有阿拉伯数字"),
    ("nope", "好", "role“nope”未知"),
])
def test_add_refuses(bank_copy: Path, role: str, text: str, message: str) -> None:
    target = bank_copy / "plan.yaml"
    before = target.read_bytes()
    with pytest.raises(PhrasebankError, match=message):
        add_entry(role, text, file=target)
    assert target.read_bytes() == before


@pytest.mark.parametrize(("role", "text", "said"), [
    ("measure", "abc", "“abc”不像一句中文表述：短语至少要有两个汉字（槽位如 {领域} 不算）。"),
    ("measure", "持续推进{领域}提质增效",
     "“持续推进{领域}提质增效”以方式词“持续”开头：起草时举措会自己配上“扎实”“持续”一类方式词，"
     "请去掉开头的“持续”，写成“推进{领域}提质增效”。"),
])
def test_what_would_never_be_drafted_is_refused_with_why(tmp_path: Path, role: str, text: str, said: str) -> None:
    with pytest.raises(PhrasebankError) as refused:
        add_entry(role, text, file=tmp_path / "我的.yaml")
    assert refused.value.message == said
    assert not (tmp_path / "我的.yaml").exists()
