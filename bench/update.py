"""Median wall time of `update_docx` on a long draft (about thirty pages), in process.

A sheet is made from the bundled example with every topic's work repeated until the
draft runs to about thirty A4 pages (22 lines of 28 characters); the draft is written
as DOCX, three figures are changed in a copy of the sheet, and the update is timed.
The same is timed on a copy the writer edited throughout (every fifth paragraph's opening
reworded, a paragraph deleted and one split in each ten), where the merge compares token by
token. Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHARS_PER_PAGE = 22 * 28


def long_sheet(pages: int) -> str:
    """The example sheet with each topic's work repeated until its draft fills ``pages``."""
    from draftgen import build_draft
    from draftgen.sheet.validation import load_facts_text

    data = yaml.safe_load((ROOT / "examples" / "桃源镇.yaml").read_text(encoding="utf-8"))
    n = 0
    while True:
        text = yaml.dump(data, allow_unicode=True)
        body = build_draft(load_facts_text(text)).markdown.split("\n---\n")[0]
        if len(body) >= pages * CHARS_PER_PAGE:
            return text
        n += 1
        for topic in data["work"]:
            topic["items"].append({"title": f"推进第{n}批重点任务",
                                   "facts": [f"完成第{n}批任务{10 + n}项，惠及群众{100 + n}户，投入资金{20 + n}万元",
                                             f"开展专项行动{n}次，整改问题{30 + n}个"]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=30)
    options = parser.parse_args()
    from draftgen import build_draft
    from draftgen.api import draft_docx, update_docx

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old = work / "old.yaml"
        old.write_text(long_sheet(options.pages), encoding="utf-8")
        new = work / "new.yaml"
        new.write_text(old.read_text(encoding="utf-8").replace("42.8", "43.1").replace("3200亩", "3500亩")
                       .replace("惠及群众101户", "惠及群众109户"), encoding="utf-8")
        result = build_draft(old)
        body = result.markdown.split("\n---\n")[0]
        draft = work / "draft.docx"
        draft.write_bytes(draft_docx(result))
        edited = work / "edited.docx"
        writers_edits(draft, edited)
        for label, path in (("untouched", draft), ("edited", edited)):
            times, changes = [], 0
            for _ in range(options.runs):
                start = time.perf_counter()
                updated = update_docx(path, new)
                times.append(time.perf_counter() - start)
                changes = len(updated.changes)
            print(f"update on a {len(body) // CHARS_PER_PAGE}-page draft, {label} ({len(body)} characters, "
                  f"{body.count(chr(10) * 2)} paragraphs): median {statistics.median(times) * 1000:.0f} ms, "
                  f"min {min(times) * 1000:.0f} ms over {options.runs} runs, {changes} changes", file=sys.stdout)


def writers_edits(source: Path, target: Path) -> None:
    """Edits all through the draft: openings reworded, paragraphs deleted and split."""
    from docx import Document

    document = Document(str(source))
    paragraphs = [p for p in document.paragraphs if len(p.text) > 20]
    for n, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if n % 10 == 3:
            paragraph._element.getparent().remove(paragraph._element)
            continue
        if n % 5 == 0:
            text = "这一年，" + text[4:]
        if n % 10 == 7 and "。" in text[:-1]:
            first, rest = text.split("。", 1)
            paragraph.insert_paragraph_before(first + "。", style=paragraph.style)
            text = rest
        if text != paragraph.text:
            paragraph.runs[0].text = text
            for run in paragraph.runs[1:]:
                run.text = ""
    document.save(str(target))


if __name__ == "__main__":
    main()
