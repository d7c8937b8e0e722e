"""Throughput (MB/s) and peak memory of `draftgen phrases mine` on a generated corpus.

The corpus is made of the project's own drafts (every example, many town names and
seeds, all four forms) until it reaches --mb megabytes. Each run is a fresh process
so that its peak memory (ru_maxrss) is its own; with --jobs above 1 the worker
processes' peak is printed too (the largest of them). Each segmenter runs --runs
times and the median is printed, with the best run and the CPU time of all processes
(which other load on the machine disturbs less than wall-clock time). Prints figures only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
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
from draftgen.curate.mining.miner import mine
from draftgen.curate.mining.sources import collect
sources = collect([Path(sys.argv[1])])
start = time.perf_counter()
result = mine(sources, prefer_fast=sys.argv[2] == "fast", jobs=int(sys.argv[3]), by_year=sys.argv[4] == "1")
seconds = time.perf_counter() - start
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "bytes": result.bytes, "segmenter": result.segmenter,
                  "candidates": len(result.candidates),
                  "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
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


def as_word_files(folder: Path) -> Path:
    """The drafts of ``folder`` written as .docx (a paragraph a line, python-docx's template,
    as `draftgen new -o 草稿.docx` uses), in a folder beside it."""
    import docx

    target = folder.parent / f"{folder.name}-docx"
    target.mkdir(exist_ok=True)
    start = time.perf_counter()
    for draft in sorted(folder.glob("*.md")):
        path = target / f"{draft.stem}.docx"
        if not path.exists():
            document = docx.Document()
            for line in draft.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    document.add_paragraph(line.lstrip("# "))
            document.save(str(path))
    size = sum(p.stat().st_size for p in target.glob("*.docx"))
    print(f"as Word files: {size / 1e6:.1f} MB in {target} ({time.perf_counter() - start:.0f} s; "
          f"MB/s below are of the drafts' text, as without --docx)")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (at least 20 for the record)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    parser.add_argument("--runs", type=int, default=3, help="runs per segmenter; the median is printed")
    parser.add_argument("--corpus", type=Path, help="keep the generated corpus in this folder and reuse it next time")
    parser.add_argument("--by-year", action="store_true",
                        help="with the third pass of --by-year (the drafts' titles give their year)")
    parser.add_argument("--docx", action="store_true",
                        help="mine the same drafts written as Word files (MB/s still of the drafts' text)")
    parser.add_argument("--one-file", action="store_true",
                        help="mine the corpus written as one file (a compilation): memory must stay bounded")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.corpus or Path(tmp) / "corpus"
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        drafts = sorted(folder.glob("*.md"))
        if drafts:
            size = sum(p.stat().st_size for p in drafts)
            print(f"corpus: {size / 1e6:.1f} MB in {len(drafts)} drafts (reused from {folder})")
        else:
            size = make_corpus(folder, options.mb)
            print(f"corpus: {size / 1e6:.1f} MB in {len(list(folder.iterdir()))} drafts "
                  f"(generated in {time.perf_counter() - start:.0f} s)")
        if options.one_file:
            single = Path(tmp) / "one"
            single.mkdir()
            with (single / "compilation.md").open("w", encoding="utf-8") as out:
                for draft in sorted(folder.glob("*.md")):
                    out.write(draft.read_text(encoding="utf-8") + "\n")
            print("mined as one file")
            folder = single
        if options.docx:
            folder = as_word_files(folder)
        if options.by_year:
            print("with --by-year")
        for mode in ("jieba", "fast"):
            runs = []
            for _ in range(options.runs):
                run = subprocess.run([sys.executable, "-c", CHILD, str(folder), mode, str(options.jobs),
                                      "1" if options.by_year else "0"],
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    print(f"{mode}: failed\n{run.stderr[-2000:]}")
                    break
                runs.append(json.loads(run.stdout.strip().splitlines()[-1]))
            if not runs:
                continue
            if mode == "fast" and runs[0]["segmenter"] != "rjieba":
                print("fast extra (rjieba) not installed: skipped")
                continue
            seconds = statistics.median(r["seconds"] for r in runs)
            text_bytes = size if options.docx else runs[0]["bytes"]  # a Word file's bytes are mostly its package
            rate = text_bytes / 1e6 / seconds
            workers = f", each of {options.jobs} workers {max(r['worker_mb'] for r in runs):.0f} MB" \
                if options.jobs > 1 else ""
            cpu = statistics.median(r["cpu"] for r in runs)
            print(f"{runs[0]['segmenter']}: {rate:.2f} MB/s (median {seconds:.1f} s of {len(runs)}, "
                  f"--jobs {options.jobs}; best {text_bytes / 1e6 / min(r['seconds'] for r in runs):.2f} MB/s; "
                  f"CPU {cpu:.1f} s in all processes), peak memory: main process "
                  f"{max(r['peak_mb'] for r in runs):.0f} MB{workers}; {runs[0]['candidates']} candidates")

if __name__ == "__main__":
    main()
