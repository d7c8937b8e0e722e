"""Median wall time of `draftgen new` on the bundled examples, in fresh processes.

Also checks that the drafting path does not import jieba (segmentation is only
for mining the phrase bank). Prints figures; asserts nothing about speed.

The runs may write Python's bytecode cache (PYTHONDONTWRITEBYTECODE is dropped for
them): an installed wheel has its .pyc files, so a writer never waits for Python to
compile draftgen's source on every run, and neither should the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [("桃源镇.yaml", "2024"), ("东湖街道.yaml", "2025"), ("桃源镇-上半年.yaml", "2024")]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_runs(args: list[str], runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=tmp, env=ENV)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys; from draftgen.api import build_draft; "
         f"build_draft({str(ROOT / 'examples' / '桃源镇.yaml')!r}); "
         "print('jieba' in sys.modules, 'docx' in sys.modules)"],
        capture_output=True, text=True, check=True)
    jieba_loaded, docx_loaded = probe.stdout.split()
    print(f"drafting imports jieba: {jieba_loaded}; python-docx: {docx_loaded}")
    # warm the caches once (bytecode, phrase bank, templates), as any second run on a machine has them
    subprocess.run([sys.executable, "-m", "draftgen.cli", "new", CASES[0][1], "--facts",
                    str(ROOT / "examples" / CASES[0][0]), "-o", "-"], check=True, stdout=subprocess.DEVNULL, env=ENV)
    for name, year in CASES:
        args = [sys.executable, "-m", "draftgen.cli", "new", year, "--facts",
                str(ROOT / "examples" / name), "-o", "-"]
        times = time_runs(args, options.runs)
        print(f"draftgen new {name}: median {statistics.median(times) * 1000:.0f} ms, "
              f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {len(times)} runs")
    name, year = CASES[0]
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "draftgen.cli", "new", year, "--facts", str(ROOT / "examples" / name),
                "-o", str(Path(tmp) / "draft.docx"), "--force"]
        times = time_runs(args, options.runs)
        print(f"draftgen new {name} -o draft.docx: median {statistics.median(times) * 1000:.0f} ms, "
              f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {len(times)} runs")
        times = time_runs([*args, "--provenance"], options.runs)
        print(f"  with --provenance: median {statistics.median(times) * 1000:.0f} ms")
    if jieba_loaded != "False":
        sys.exit("the drafting path imports jieba")


if __name__ == "__main__":
    main()
