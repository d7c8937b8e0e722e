"""Malformed fact sheets never end in a traceback: every failure is a DraftgenError
(exit 2 in the CLI) naming the file, and nothing else escapes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_SHEETS, example_path
from draftgen import build_draft
from draftgen.cli import main
from draftgen.errors import DraftgenError
from draftgen.sheet.validation import load_facts_text

NOISE = ["-", " ", '"', "'", "[", "]", "{", "}", "null", "1.5", "&a", "*a", "!!str", "?", "#", ":", "：", "\t",
         "!!python/object:os.system", "<<: *a", "｜", "|", ">", "%", "@", "`"]


def _mutants(count: int) -> list[str]:
    rng = random.Random(20241)
    sources = [example_path(k).read_text(encoding="utf-8") for k in sorted(EXAMPLE_SHEETS)]
    out = []
    for _ in range(count):
        lines = rng.choice(sources).split("\n")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(lines))
            op = rng.randrange(5)
            if op == 0:
                del lines[i]
            elif op == 1:
                lines.insert(i, rng.choice(lines))
            elif op == 2:
                lines[i] = "\t" + lines[i]
            else:
                j = rng.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:j] + rng.choice(NOISE) + (lines[i][j:] if op == 3 else "")
        out.append("\n".join(lines))
    return out


@pytest.mark.parametrize("text", _mutants(150))
def test_mutated_sheet_drafts_or_fails_cleanly(text: str) -> None:
    try:
        facts = load_facts_text(text, "坏.yaml")
        build_draft(facts)
    except DraftgenError as exc:
        message = str(exc)
        assert "坏.yaml" in message or "命令里的年度" in message
        assert "Traceback" not in message


def test_a_key_without_its_colon_is_named_on_its_own_line(tmp_path: Path) -> None:
    sheet = tmp_path / "甲镇.yaml"
    sheet.write_text("# 甲镇\ntown 甲镇\nyear: 2024\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "2024", "--facts", str(sheet), "-o", "-"])
    assert result.exit_code == 2
    assert "甲镇.yaml 第2行：“town 甲镇”缺少冒号：应写成“town: 甲镇”（半角冒号，后面跟一个空格）。" in result.output
