"""ruff and mypy are part of the test command, so CI holds the code to them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize("tool", [["ruff", "check", "src", "tests", "bench"],
                                  pytest.param(["mypy"], marks=pytest.mark.slow)])
def test_tool_is_clean(tool: list[str]) -> None:
    if shutil.which(tool[0]) is None:
        pytest.skip(f"{tool[0]} is not installed (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
