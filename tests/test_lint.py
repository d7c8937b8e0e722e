"""`draftgen phrases lint`: the shipped bank passes; each kind of defect is found."""

from __future__ import annotations

from pathlib import Path

from draftgen.bank.phrasebank import forget_loaded
from draftgen.curate.lint import describe, lint


def test_shipped_bank_passes() -> None:
    assert [describe(f) for f in lint()] == []


def test_defects_are_found(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "entries:\n"
        "  - {id: x.1, role: closing, text: '我们将继续努力,再创佳绩'}\n"
        "  - {id: x.2, role: closing, text: '让我们为{town}的明天而奋斗'}\n"
        "  - {id: x.3, role: closing, text: '让我们为{town}明天而奋斗'}\n"
        "  - {id: x.4, role: closing, text: '让我们为{town}的明天而奋斗'}\n"
        "  - {id: x.5, role: year.campaign, years: [2026, 2024], text: '扎实开展学习'}\n"
        "  - {id: x.6, role: heading.work, family: odd, text: '凝心聚力，{label}再上台阶'}\n"
        "  - {id: x.7, role: heading.work, family: odd, text: '{label}稳步推进'}\n"
        "  - {id: x.8, role: heading.work, family: odd, text: '精准施策，{label}提质增效'}\n",
        encoding="utf-8")
    forget_loaded()
    findings = lint(tmp_path)
    rules = sorted({f.rule for f in findings})
    # the headings claim something of their sections and declare no licence: never written
    assert rules == ["duplicate", "family", "licence", "near-duplicate", "punctuation", "years"]
    assert sorted(f.excerpt for f in findings if f.rule == "licence") == [
        "{label}稳步推进", "凝心聚力，{label}再上台阶", "精准施策，{label}提质增效"]
    assert any(describe(f).startswith("mine.yaml 第2行：[punctuation]") for f in findings)
    assert any("x.4" in f.message and "x.2" in f.message for f in findings if f.rule == "duplicate")
    assert any("x.7" in f.message for f in findings if f.rule == "family")
