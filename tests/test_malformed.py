"""Malformed fact sheets never end in a traceback: every failure is a DraftgenError
(exit 2 in the CLI) naming the file, and nothing else escapes."""

from __future__ import annotations

import random

import pytest

from conftest import EXAMPLE_SHEETS, example_path
from draftgen import build_draft
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
