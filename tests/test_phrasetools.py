"""`phrases list/show/stats`, and how writers treated entries (from provenance comments)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from conftest import example_path
from draftgen import build_draft
from draftgen.api import draft_docx
from draftgen.bank.phrasebank import load_bank
from draftgen.curate.phrasetools import find, show, stats, usage
from draftgen.errors import DraftgenError


def test_find_by_role_prefix_topic_alias_and_text() -> None:
    bank = load_bank()
    headings = find(bank, role="heading")
    assert {e.role for e in headings} == {"heading.work", "heading.plan", "heading.highlight"}
    assert [e.id for e in find(bank, topic="党建", search="三会一课")] == ["m.dangjian.03"]


def test_show_unknown_id_suggests() -> None:
    with pytest.raises(DraftgenError, match=r"是不是：open\.lead\.01"):
        show(load_bank(), "open.lead.0")


def test_stats_has_no_gaps_in_the_shipped_bank() -> None:
    result = stats()
    assert result["gaps"] == [] and result["total"] >= 400
    assert result["table"]["measure"]["党的建设"] >= 10


def test_usage_counts_kept_changed_and_deleted(tmp_path: Path) -> None:
    result = build_draft(example_path("taoyuan-town"))
    path = tmp_path / "稿.docx"
    path.write_bytes(draft_docx(result, provenance=True))
    document = docx.Document(str(path))
    # the sections' opening paragraphs: right after each （一） heading
    paragraphs = [b for a, b in zip(document.paragraphs, document.paragraphs[1:], strict=False)
                  if a.style.name == "Heading 2" and b.style.name == "Normal"]
    changed, emptied = paragraphs[0], next(p for p in document.paragraphs if p.style.name == "Heading 2")
    for run in changed.runs:
        run.text = ""
    changed.runs[0].text = "全新的写法，与原来的措辞都不相同。"
    for run in emptied.runs:
        run.text = ""
    edited = tmp_path / "改稿.docx"
    document.save(str(edited))
    counts = usage(load_bank(), [edited])
    assert sum(counts.kept.values()) > 20
    assert sum(counts.changed.values()) >= 2
    assert sum(counts.deleted.values()) == 1
