"""One reading of a draft for every command: check, harvest and update see the same blocks,
and a user's phrase bank reaches check as it reaches drafting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import example_path
from draftgen.api import build_draft, check_file, check_read, draft_docx, harvest
from draftgen.bank.phrasebank import load_bank
from draftgen.cli import main
from draftgen.formats.read import open_word, text_paragraphs
from draftgen.formats.tracked import Editor

REPORT = """青川镇2024年工作总结
一、2024年工作情况
（一）聚焦产业发展，村集体经济稳步壮大
全年新建高标准农田3200亩，带动群众务工增收。
二、2025年工作打算
（一）持续壮大特色产业
力争新建冷链仓储中心一个。
"""


def _kinds(blocks: list) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return [(b.kind, b.level, b.text) for b in blocks]


def test_a_text_report_reads_alike_in_check_and_harvest(tmp_path: Path) -> None:
    report = tmp_path / "青川镇.txt"
    report.write_text(REPORT, encoding="utf-8")
    _, blocks = check_read(report, year=2024)
    assert _kinds(blocks) == [
        ("title", 0, "青川镇2024年工作总结"),
        ("heading", 1, "一、2024年工作情况"),
        ("heading", 2, "（一）聚焦产业发展，村集体经济稳步壮大"),
        ("paragraph", 0, "全年新建高标准农田3200亩，带动群众务工增收。"),
        ("heading", 1, "二、2025年工作打算"),
        ("heading", 2, "（一）持续壮大特色产业"),
        ("paragraph", 0, "力争新建冷链仓储中心一个。"),
    ]
    # harvest reads the same blocks: the numbered lines are headings of their parts (a text file
    # read as Markdown made them sentences of the opening)
    empty = tmp_path / "原稿.md"
    empty.write_text("# 青川镇2024年工作总结\n", encoding="utf-8")
    roles = {h.context: h.role for h in harvest(report, load_bank(), empty)}
    assert roles["（一）聚焦产业发展，村集体经济稳步壮大"] == "heading.work"
    assert roles["（一）持续壮大特色产业"] == "heading.plan"
    assert roles["力争新建冷链仓储中心一个。"] == "measure"


def test_a_word_draft_reads_alike_in_check_harvest_and_update(tmp_path: Path) -> None:
    draft = tmp_path / "桃源镇.docx"
    draft.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    _, blocks = check_read(draft, year=2024)
    texts = [b.text for b in blocks]
    # update edits the paragraphs check reads, one for one
    assert [Editor.text(p).strip() for p in text_paragraphs(open_word(draft))] == texts
    # harvest, against the same draft, finds nothing new in it
    assert harvest(draft, load_bank(), draft) == []
    assert len(texts) > 30


def _user_bank(tmp_path: Path) -> Path:
    folder = tmp_path / "本单位短语库"
    folder.mkdir()
    (folder / "lexicon.yaml").write_text(
        "lexicon:\n  evaluations:\n    捷报频传: {needs: {never: true}}\n", encoding="utf-8")
    return folder


def test_a_users_lexicon_entry_changes_what_check_finds(tmp_path: Path) -> None:
    sheet = example_path("taoyuan-town")
    draft = tmp_path / "稿.md"
    text = build_draft(sheet).markdown
    opening = next(line for line in text.splitlines()[1:] if line and not line.startswith("#"))
    draft.write_text(text.replace(opening, opening + "各项工作捷报频传。", 1), encoding="utf-8")
    bank = _user_bank(tmp_path)

    def unearned(**options: object) -> list[str]:
        return [f.excerpt for f in check_file(draft, facts=sheet, **options) if f.rule == "wording.unearned"]

    assert not any("捷报频传" in e for e in unearned())
    assert any("捷报频传" in e for e in unearned(phrasebank=bank))

    runner = CliRunner()
    plain = runner.invoke(main, ["check", str(draft), "--facts", str(sheet)])
    mine = runner.invoke(main, ["check", str(draft), "--facts", str(sheet), "--phrasebank", str(bank)])
    assert "捷报频传" not in plain.output
    assert "wording.unearned" in mine.output and "捷报频传" in mine.output


def test_check_reports_what_fix_mends_beside_any_chinese_character(tmp_path: Path) -> None:
    # 䶮 stands in CJK extension A: check and --fix share one range of Chinese characters
    draft = tmp_path / "稿.md"
    draft.write_text("# 青川镇2024年工作总结\n\n全年走访群众䶮,\n", encoding="utf-8")
    half = [f for f in check_file(draft, year=2024) if f.rule == "wording.half-width"]
    assert [f.excerpt for f in half] == ["走访群众䶮,"]
    result = CliRunner().invoke(main, ["check", str(draft), "--year", "2024", "--fix", "-o", str(tmp_path / "改.md")])
    assert result.exit_code == 0
    assert "䶮，" in (tmp_path / "改.md").read_text(encoding="utf-8")
