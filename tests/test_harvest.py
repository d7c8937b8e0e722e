"""Harvest: a rewritten paragraph is found, and nothing else."""

from __future__ import annotations

from pathlib import Path

import docx

from conftest import example_path
from draftgen import build_draft
from draftgen.api import draft_docx
from draftgen.bank.phrasebank import load_bank
from draftgen.curate.harvest import harvest


def test_harvest_finds_the_rewritten_paragraph_only(tmp_path: Path) -> None:
    original = tmp_path / "原稿.docx"
    original.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    document = docx.Document(str(original))
    # the first section's opening paragraph: right after the first （一） heading
    target = next(b for a, b in zip(document.paragraphs, document.paragraphs[1:], strict=False)
                  if a.style.name == "Heading 2" and b.style.name == "Normal")
    for run in target.runs[1:]:
        run.text = ""
    target.runs[0].text = "以党建引领凝聚发展合力，推动基层组织全面进步过硬。一是开展党纪学习教育。"
    edited = tmp_path / "修改稿.docx"
    document.save(str(edited))

    found = harvest(edited, load_bank(), draft=original)
    assert [h.text for h in found] == ["以党建引领凝聚发展合力，推动基层组织全面进步过硬。", "开展党纪学习教育。"]
    assert {h.topic for h in found} == {"党的建设"}
    assert {h.role for h in found} == {"measure"}


def test_unchanged_draft_harvests_nothing(tmp_path: Path) -> None:
    path = tmp_path / "稿.docx"
    path.write_bytes(draft_docx(build_draft(example_path("donghu-street"))))
    assert harvest(path, load_bank(), draft=path) == []


def test_a_sentence_where_only_figures_changed_is_not_a_new_phrase(tmp_path: Path) -> None:
    original = tmp_path / "原稿.md"
    original.write_text("# 甲镇工作总结\n\n全年新建道路12公里，改造危房35户。\n", encoding="utf-8")
    edited = tmp_path / "修改稿.md"
    edited.write_text("# 甲镇工作总结\n\n全年新建道路14.5公里，改造危房38户。坚持把群众满意作为工作标准。\n",
                      encoding="utf-8")
    assert [h.text for h in harvest(edited, load_bank(), draft=original)] == ["坚持把群众满意作为工作标准。"]


def test_harvest_reads_tables_and_text_boxes_of_the_edited_draft(tmp_path: Path) -> None:
    from docx_cases import add_table, add_text_box

    original = tmp_path / "原稿.docx"
    original.write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    document = docx.Document(str(original))
    add_text_box(document.paragraphs[2], ["坚持把群众满意作为检验工作成效的根本标准。"])
    add_table(document, [["创新做法", "推行“一站式”便民服务，群众办事更加方便快捷。"]])
    edited = tmp_path / "修改稿.docx"
    document.save(str(edited))
    found = [h.text for h in harvest(edited, load_bank(), draft=original)]
    assert found == ["坚持把群众满意作为检验工作成效的根本标准。", "推行“一站式”便民服务，群众办事更加方便快捷。"]
