"""``draftgen extract``: a report in, a fact sheet out (validated before it is written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from draftgen.bank.phrasebank import load_bank
from draftgen.errors import DraftgenError, ExtractError, printable
from draftgen.extract.reading import read_report
from draftgen.extract.sheet import Extracted, extract, to_yaml


@dataclass(frozen=True)
class Extraction:
    yaml: str
    extracted: Extracted


def extract_file(path: Path, *, year: int | None = None, town: str | None = None,
                 phrasebank: Path | None = None) -> Extraction:
    """The fact sheet implied by the report at ``path``, its work sorted into the fields of the
    phrase bank with the user's ``phrasebank`` folder; it validates as a fact sheet."""
    from draftgen.sheet.validation import load_facts_text

    report = read_report(path)
    extracted = extract(report, year=year, town=town, bank=load_bank(phrasebank))
    text = to_yaml(extracted, printable(path.name))
    try:
        load_facts_text(text, f"{path.stem}.yaml")
    except DraftgenError as exc:  # pragma: no cover - a defect of the extractor, said plainly
        raise ExtractError(f"从“{path.name}”读出的事实表没有通过校验：{exc}") from None
    return Extraction(text, extracted)
