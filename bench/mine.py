"""Throughput (MB/s) and peak memory of `draftgen phrases mine` on a generated corpus.

The corpus is made of the project's own drafts (every example, many town names and
seeds, all four forms) until it reaches --mb megabytes. Each segmenter runs in a
fresh process so that its peak memory (ru_maxrss) is its own. Prints figures only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMS = ("annual", "half-year", "thematic", "highlights")

CHILD = """
import json, resource, sys, time
from pathlib import Path
from draftgen.mining.miner import mine
from draftgen.mining.sources import collect
sources = collect([Path(sys.argv[1])])
start = time.perf_counter()
result = mine(sources, prefer_fast=sys.argv[2] == "fast")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "bytes": result.bytes, "segmenter": result.segmenter,
                  "candidates": len(result.candidates),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_corpus(folder: Path, megabytes: float) -> int:
    from draftgen import build_draft, load_facts

    sheets = [load_facts(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    size, n = 0, 0
    while size < megabytes * 1_000_000:
        facts = dataclasses.replace(sheets[n % len(sheets)], town=f"第{n}号镇")
        text = build_draft(facts, form=FORMS[n % len(FORMS)], seed=n).markdown
        path = folder / f"{n:05d}.md"
        path.write_text(text, encoding="utf-8")
        size += path.stat().st_size
        n += 1
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (at least 20 for the record)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        size = make_corpus(folder, options.mb)
        print(f"corpus: {size / 1e6:.1f} MB in {len(list(folder.iterdir()))} drafts "
              f"(generated in {time.perf_counter() - start:.0f} s)")
        for mode in ("jieba", "fast"):
            run = subprocess.run([sys.executable, "-c", CHILD, str(folder), mode],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{mode}: failed\n{run.stderr[-2000:]}")
                continue
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            if mode == "fast" and figures["segmenter"] != "rjieba":
                print("fast extra (rjieba) not installed: skipped")
                continue
            rate = figures["bytes"] / 1e6 / figures["seconds"]
            print(f"{figures['segmenter']}: {rate:.2f} MB/s ({figures['seconds']:.1f} s), "
                  f"peak memory {figures['peak_mb']:.0f} MB, {figures['candidates']} candidates")


if __name__ == "__main__":
    main()
