"""The rendered example drafts, held as readable Markdown snapshots."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE_SHEETS, example_path
from draftgen import build_draft


@pytest.mark.parametrize("key", sorted(EXAMPLE_SHEETS))
def test_example_draft(key: str, md_snapshot) -> None:  # type: ignore[no-untyped-def]
    _, year = EXAMPLE_SHEETS[key]
    assert build_draft(example_path(key), year=year).markdown == md_snapshot


@pytest.mark.parametrize("form", ["thematic", "highlights"])
def test_other_forms(form: str, md_snapshot) -> None:  # type: ignore[no-untyped-def]
    assert build_draft(example_path("taoyuan-town"), form=form).markdown == md_snapshot


def test_readme_sample_is_the_real_draft() -> None:
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = readme.split("```markdown\n", 1)[1].split("```", 1)[0]
    draft = build_draft(example_path("taoyuan-town")).markdown
    for line in sample.splitlines():
        for fragment in line.split("……"):
            assert fragment.strip() in draft
