"""Shared fixtures: the bundled examples, the shared spec and corpus (when present)."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SPEC_EXAMPLE = SHARED / "spec" / "factsheet-example.yaml"
CORPUS = SHARED / "corpus"

#: ascii id → (file, year); ascii ids keep snapshot file names portable
EXAMPLE_SHEETS = {
    "taoyuan-town": ("桃源镇.yaml", 2024),
    "shimen-township": ("石门乡.yaml", 2023),
    "donghu-street": ("东湖街道.yaml", 2025),
    "taoyuan-half-year": ("桃源镇-上半年.yaml", 2024),
}
FORMS = ("annual", "half-year", "thematic", "highlights")


class MarkdownSnapshot(SingleFileSnapshotExtension):
    """Snapshots stored as readable .md files."""

    _write_mode = WriteMode.TEXT
    file_extension = "md"


@pytest.fixture
def md_snapshot(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(MarkdownSnapshot)


@pytest.fixture
def spec_example() -> Path:
    if not SPEC_EXAMPLE.is_file():
        pytest.skip("../shared/spec is not beside this checkout")
    return SPEC_EXAMPLE


def example_path(key: str) -> Path:
    return EXAMPLES / EXAMPLE_SHEETS[key][0]
