"""Median wall time of reading big DOCX files (the one document reader) and of
`draftgen check` on them, at growing sizes, to show the cost is linear; and of
`draftgen check` refusing hostile files (a zip bomb, millions of empty elements in a
small part), which the tests bound by memory and by what is counted, not by time.

The files are generated: a title, headings every 20 paragraphs, body paragraphs of
about 90 characters with figures, a table every 500 paragraphs. Prints figures;
asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

from draftgen.formats.docx_reader import read_docx

SIZES = (12_500, 25_000, 50_000, 100_000)
BODY = ("全镇围绕年度目标任务，扎实推进重点项目建设，全年完成固定资产投资{n}亿元，"
        "新增市场主体{m}户，各项工作取得新进展，群众获得感进一步增强。")


def build(path: Path, paragraphs: int) -> None:
    document = docx.Document()
    document.add_paragraph("某镇2024年工作总结和2025年工作打算", style="Title")
    for number in range(1, paragraphs):
        if number % 400 == 1:
            document.add_paragraph(f"{'一二三四五六七八九'[number // 400 % 9]}、重点工作", style="Heading 1")
        elif number % 20 == 1:
            document.add_paragraph(f"（{'一二三四五六七八九'[number // 20 % 9]}）专项工作", style="Heading 2")
        elif number % 500 == 0:
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
            table.cell(1, 0).text, table.cell(1, 1).text = "地区生产总值", f"{number % 97}.5亿元"
        else:
            document.add_paragraph(BODY.format(n=number % 53, m=number % 311))
    document.save(str(path))


def median_ms(action: list[str] | Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if isinstance(action, Path):
            read_docx(action)
        else:
            subprocess.run(action, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def hostile(folder: Path) -> dict[str, Path]:
    """A 100 MB zip bomb and 7 million empty elements, each under 1 MB on disk."""
    import zipfile

    source = folder / "empty.docx"
    docx.Document().save(str(source))
    head = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>')
    bodies = {"bomb": head + b" " * (100 * 1024 * 1024) + b"</w:body></w:document>",
              "elements": head + b"<w:p>" + b"<w:r/>" * 7_000_000 + b"</w:p></w:body></w:document>"}
    files = {}
    for name, body in bodies.items():
        files[name] = folder / f"{name}.docx"
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(files[name], "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                if info.filename != "word/document.xml":
                    new.writestr(info.filename, old.read(info))
            new.writestr("word/document.xml", body)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in hostile(Path(tmp)).items():
            refused = median_ms([sys.executable, "-c", "from draftgen.cli import main; main()",
                                 "check", str(path), "--year", "2024"], options.runs)
            print(f"hostile {name} ({path.stat().st_size / 1e6:.2f} MB): draftgen check refuses it, "
                  f"median {refused:.0f} ms over {options.runs} runs")
        for size in options.sizes:
            path = Path(tmp) / f"{size}.docx"
            build(path, size)
            read = median_ms(path, options.runs)
            check = median_ms([sys.executable, "-c", "from draftgen.cli import main; main()",
                               "check", str(path), "--year", "2024"], options.runs)
            print(f"{size:>7} paragraphs ({path.stat().st_size / 1e6:.1f} MB): read_docx median {read:.0f} ms "
                  f"({read / size * 1000:.1f} ms per 1k); draftgen check median {check:.0f} ms "
                  f"({check / size * 1000:.1f} ms per 1k) over {options.runs} runs")


if __name__ == "__main__":
    main()
