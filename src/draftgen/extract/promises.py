"""What last year's report promised: the items and targets of its plan part, which this
year's draft must answer (``check --plan``)."""

from __future__ import annotations

from pathlib import Path

from draftgen.bank.phrasebank import PhraseBank
from draftgen.extract.reading import read_report
from draftgen.extract.sheet import extract
from draftgen.sheet.model import TARGET_GROWTH, Promise


def promises_from_report(path: Path, bank: PhraseBank | None = None) -> list[Promise]:
    """The plan items and targets of last year's report (DOCX, Markdown or text), by the
    ``bank``'s fields of work."""
    last = extract(read_report(path), year=0, town="去年报告", bank=bank)
    out: list[Promise] = []
    for target in last.targets:
        growth = target["growth"].data if "growth" in target else None
        out.append(Promise(target["name"].source.rstrip("。；"), f"{path.name}（去年的目标）",
                           indicator=str(target["name"].data),
                           growth=float(growth) if growth is not None else None))
    for topic, lines in last.plan_work:
        out += [Promise(line.data, f"{path.name} › {topic[:24]}") for line in lines
                if not TARGET_GROWTH.search(line.data)]  # targets are held to their figures above
    return out
