"""What `draftgen extract` reads out of the real reports in ../shared/corpus, and how long it takes.

Per report: the figures of the summary part and how many of them the sheet holds under an
indicator or work item; indicators, fact sentences, projects, problems, plan targets and items;
whether the sheet drafts and the draft passes the fidelity checker; and the median time of
extract in-process. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=2023, help="for reports whose year is masked")
    args = parser.parse_args()
    from draftgen.api import build_draft
    from draftgen.errors import InputFileError
    from draftgen.extract.run import extract_file
    from draftgen.review.fidelity import check_numbers
    from draftgen.sheet.validation import load_facts_text

    reports = sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []
    if not reports:
        print(f"没有找到 {CORPUS}，跳过。")
        return
    print("report | figures held/all | share | indicators | facts | projects | problems | targets | plan items"
          " | drafts faithfully | median ms")
    for path in reports:
        try:
            result = extract_file(path)
            year = None
        except InputFileError:  # masked year
            year = args.year
            result = extract_file(path, year=year)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            extract_file(path, year=year)
            times.append((time.perf_counter() - start) * 1000)
        e = result.extracted
        got, total = e.captured()
        draft = build_draft(load_facts_text(result.yaml))
        ok = check_numbers(draft.markdown, draft.facts).ok
        facts = sum(len(f) for _, items in e.work for _, f in items)
        plan_items = sum(len(lines) for _, lines in e.plan_work)
        share = f"{got / total:.0%}" if total else "—"
        print(f"{path.name} | {got}/{total} | {share} | {len(e.indicators)} | {facts} | {len(e.projects)} | "
              f"{len(e.problems)} | {len(e.targets)} | {plan_items} | {ok} | {statistics.median(times):.0f}")


if __name__ == "__main__":
    main()
