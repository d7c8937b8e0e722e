"""Drafts get the permissions of a normally created file: the umask decides (a shared
office folder with umask 002 gives group-writable files), not mkstemp's 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftgen.formats.output import write_text


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    path = tmp_path / "稿.md"
    write_text(path, "# 标题\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask: None) -> None:
    path = tmp_path / "稿.md"
    path.write_text("旧\n", encoding="utf-8")
    path.chmod(0o640)
    write_text(path, "新\n", force=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text(encoding="utf-8") == "新\n"
