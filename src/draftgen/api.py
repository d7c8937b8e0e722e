"""The one façade the command line and the workbench call, a function for each thing a
user does: draft (``build_draft``, ``draft_docx``), review an edited draft (``check_file``,
``fix_file``, ``update_docx``), start from last year's report (``extract_file``,
``next_year_sheet``), curate the phrase bank (``mine``, ``harvest``, ``lint``, ``add_entry``).

Drafting is imported with this module; every other job only when its function is first
used, so that ``draftgen new`` does not pay for what review and curation import.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from draftgen.draft.build import DraftResult, build_draft, draft_docx
from draftgen.draft.context import title_for
from draftgen.draft.render import FORMS
from draftgen.sheet.model import FactSheet, Promise

if TYPE_CHECKING:
    from draftgen.curate.bankedit import SLOT_ALIASES as SLOT_ALIASES
    from draftgen.curate.bankedit import add_entry as add_entry
    from draftgen.curate.harvest import harvest as harvest
    from draftgen.curate.lint import describe as describe
    from draftgen.curate.lint import lint as lint
    from draftgen.curate.mining.miner import mine as mine
    from draftgen.curate.mining.sources import collect as collect
    from draftgen.curate.mining.sources import portions as portions
    from draftgen.curate.phrasetools import as_dict as as_dict
    from draftgen.curate.phrasetools import find as find
    from draftgen.curate.phrasetools import show as show
    from draftgen.curate.phrasetools import stats as stats
    from draftgen.curate.phrasetools import usage as usage
    from draftgen.draft.provenance import blocks_with_sources as blocks_with_sources
    from draftgen.extract.nextyear import apply_rows as apply_rows
    from draftgen.extract.nextyear import next_year_sheet as next_year_sheet
    from draftgen.extract.run import extract_file as extract_file
    from draftgen.extract.table import read_table as read_table
    from draftgen.findings import Finding
    from draftgen.formats.document import Block
    from draftgen.review.check import has_errors as has_errors
    from draftgen.review.check import load_settings as load_settings
    from draftgen.review.check import report_lines as report_lines
    from draftgen.review.fix import fix_file as fix_file
    from draftgen.review.rules import Settings
    from draftgen.review.update import UpdateResult

__all__ = ["FORMS", "SLOT_ALIASES", "DraftResult", "add_entry", "apply_rows", "as_dict", "blocks_with_sources",
           "build_draft", "check_file", "check_read", "collect", "describe", "draft_docx", "extract_file", "find",
           "fix_file", "harvest", "has_errors", "lint", "load_facts", "load_settings", "mine", "next_year_sheet",
           "portions", "read_table", "report_lines", "show", "stats", "title_for", "update_docx", "usage"]

#: the job module each function comes from, imported when the function is first asked for
_LAZY = {
    "SLOT_ALIASES": "curate.bankedit", "add_entry": "curate.bankedit", "harvest": "curate.harvest",
    "describe": "curate.lint", "lint": "curate.lint", "mine": "curate.mining.miner",
    "collect": "curate.mining.sources", "portions": "curate.mining.sources",
    "as_dict": "curate.phrasetools", "find": "curate.phrasetools", "show": "curate.phrasetools",
    "stats": "curate.phrasetools", "usage": "curate.phrasetools",
    "blocks_with_sources": "draft.provenance",
    "apply_rows": "extract.nextyear", "next_year_sheet": "extract.nextyear", "extract_file": "extract.run",
    "read_table": "extract.table",
    "has_errors": "review.check",
    "load_settings": "review.check", "report_lines": "review.check", "fix_file": "review.fix",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"draftgen.{module}"), name)
    globals()[name] = value
    return value


def load_facts(path: Path | str) -> FactSheet:
    """Load and validate a fact sheet file (raises :class:`FactsError`)."""
    from draftgen.sheet.validation import load_facts_file

    return load_facts_file(Path(path))


def update_docx(edited: Path, new_facts: Path | FactSheet, *, old_facts: Path | None = None,
                track: bool = True, phrasebank: Path | None = None) -> UpdateResult:
    """The edited DOCX with the new facts merged in: the draft from the recorded facts and the
    draft from the new ones are made as ``draftgen new`` makes them."""
    from draftgen.review.update import update_docx as update

    return update(edited, new_facts, redraft=build_draft, old_facts=old_facts, track=track, phrasebank=phrasebank)


def check_file(path: Path, *, facts: FactSheet | Path | None = None, year: int | None = None,
               settings: Settings | None = None, plan: Path | None = None,
               phrasebank: Path | None = None) -> list[Finding]:
    """Findings for the edited draft at ``path``, against its facts, its year, the genre's rules
    and the phrase bank (with the user's ``phrasebank`` folder); with ``plan`` (last year's
    report), also each of last year's promises left unanswered."""
    return check_read(path, facts=facts, year=year, settings=settings, plan=plan, phrasebank=phrasebank)[0]


def check_read(path: Path, *, facts: FactSheet | Path | None = None, year: int | None = None,
               settings: Settings | None = None, plan: Path | None = None,
               phrasebank: Path | None = None) -> tuple[list[Finding], list[Block]]:
    """:func:`check_file`'s findings, and the draft's blocks as it read them (to show the findings in)."""
    from draftgen.review.check import check_read as check

    promised = None
    if plan is not None:
        def promised() -> list[Promise]:  # read when the plan rule runs, after the draft itself
            from draftgen.bank.phrasebank import load_bank
            from draftgen.extract.promises import promises_from_report

            return promises_from_report(plan, load_bank(phrasebank))
    return check(path, facts=facts, year=year, settings=settings, promised=promised, phrasebank=phrasebank)
