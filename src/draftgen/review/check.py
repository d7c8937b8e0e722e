"""Reading the draft, running the rules, applying the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from pathlib import Path

from draftgen.bank.phrasebank import load_bank
from draftgen.errors import CheckError, InputFileError
from draftgen.findings import ERROR, Finding
from draftgen.formats.document import TITLE, Block
from draftgen.formats.read import DEFAULT_LIMITS, Limits, read_draft
from draftgen.review.model import Draft, locate
from draftgen.review.rules import ALL_RULES, Settings
from draftgen.sheet.model import FactSheet, Promise
from draftgen.sheet.validation import load_facts_file
from draftgen.text.patterns import YEAR, report_year

RULE_IDS = ["leftover.placeholder", "leftover.template", "leftover.comment", "year.wording", "year.heading",
            "year.date", "structure.sequence", "structure.parent", "structure.double-number", "structure.parallel",
            "wording.repeat", "wording.overused", "wording.half-width", "wording.brackets", "wording.collocation",
            "wording.unearned", "wording.unlicensed", "wording.evaluation-repeat", "fact.unknown-number",
            "fact.missing", "fact.stale", "fact.direction", "fact.growth", "plan.unanswered", "plan.target-missed"]


def load_settings(path: Path | None, ignore: tuple[str, ...] = ()) -> Settings:
    settings = Settings()
    if path is not None:
        from draftgen.sheet.yamlio import load_file

        loaded = load_file(path)
        if loaded.problems:
            raise InputFileError(f"配置文件有问题：{loaded.problems[0]}")
        data = loaded.data or {}
        if not isinstance(data, dict):
            raise CheckError(f"{path.name}：配置文件应是映射（ignore、overused、repeat_min_chars…）。")
        settings.ignore |= set(data.get("ignore") or [])
        settings.overused.update({str(k): int(v) for k, v in (data.get("overused") or {}).items()})
        for key in ("repeat_min_chars", "heading_length_tolerance"):
            if key in data:
                setattr(settings, key, int(data[key]))
        settings.limits = _limits(path, data.get("limits"))
    settings.ignore |= set(ignore)
    unknown = sorted(r for r in settings.ignore
                     if r not in RULE_IDS and not any(i.startswith(r + ".") for i in RULE_IDS))
    if unknown:
        raise CheckError(f"没有规则“{unknown[0]}”，可用：{'、'.join(RULE_IDS)}。")
    return settings


def _limits(path: Path, data: object) -> Limits:
    """`limits:` in the check config: raise them for a big archive."""
    if data is None:
        return DEFAULT_LIMITS
    names = [f.name for f in fields(Limits)]
    if not isinstance(data, dict) or any(k not in names for k in data) \
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in data.values()):
        raise CheckError(f"{path.name}：limits 应是映射，键为 {'、'.join(names)}，值为正整数。")
    return replace(DEFAULT_LIMITS, **data)


def _title_year(blocks: list[Block]) -> int | None:
    for block in blocks[:3]:
        if block.kind == TITLE:
            match = YEAR.search(block.text)
            if match:
                return int(match.group(1))
    return None


def _half_year_subtitle(blocks: list[Block]) -> bool:
    """A thematic report names its period in the subtitle under its title
    (——桃源镇2024年上半年工作总结和下半年工作打算): a line, not a sentence (a highlights
    report's ——经济运行稳中有进。…上半年增长5.2% is not one)."""
    return any(b.text.startswith("——") and "上半年" in b.text and "。" not in b.text
               and any(word in b.text for word in ("总结", "报告", "打算")) for b in blocks[1:3])


def check_read(path: Path, *, facts: FactSheet | Path | None = None, year: int | None = None,
               settings: Settings | None = None, promised: Callable[[], list[Promise]] | None = None,
               phrasebank: Path | None = None) -> tuple[list[Finding], list[Block]]:
    """Findings for the draft at ``path`` (DOCX as edited, Markdown or text), against the phrase
    bank with the user's ``phrasebank`` folder; with ``promised`` (last year's promises, read
    from its report when the plan rule runs), or a sheet from ``init --from``, also each of
    last year's promises left unanswered. With them, the draft's blocks as it read them (to
    show the findings in)."""
    settings = settings or Settings()
    read = read_draft(path, settings.limits)
    draft, raw_blocks = Draft(read.source, markdown=read.markdown, comments=read.comments), read.blocks
    if isinstance(facts, Path):
        facts = load_facts_file(facts)
    draft.facts = facts
    draft.bank = load_bank(phrasebank)
    title = next((b.text for b in raw_blocks if b.kind == TITLE), "")
    draft.form = "half-year" if "上半年" in title or _half_year_subtitle(raw_blocks) else "annual"
    # the year as extract reads it: the title's, else the earliest named in the opening lines
    draft.year = year or (facts.year if facts is not None else None) or _title_year(raw_blocks) \
        or report_year("\n".join(b.text for b in raw_blocks[:12])) or 0
    if not draft.year:
        raise CheckError(f"{path.name}：看不出是哪一年的总结，请加 --year 或 --facts。")
    draft.blocks = locate(raw_blocks, draft.year, draft.form)
    findings: list[Finding] = []
    for rule in [*ALL_RULES, _plan_rule(promised)]:
        for finding in rule(draft, settings):
            if finding.rule in settings.ignore or finding.rule.split(".")[0] in settings.ignore:
                continue
            findings.append(finding)
    order = {"error": 0, "warning": 1, "hint": 2}
    return sorted(findings, key=lambda f: order[f.severity]), raw_blocks


def _plan_rule(promised: Callable[[], list[Promise]] | None) -> Callable[[Draft, Settings], Iterator[Finding]]:
    """Last year's promises, from the report given (read when the rule runs) or from the sheet's
    from_plan items."""
    from draftgen.review.plan import plan_findings, promises_from_facts

    def rule(draft: Draft, settings: Settings) -> Iterator[Finding]:
        promises = promised() if promised is not None else promises_from_facts(draft.facts)
        return plan_findings(draft, promises)

    return rule


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)



def report_lines(findings: list[Finding], keep: int = 3, over: int = 8) -> list[str]:
    """The findings as lines for a person: a rule found more than ``over`` times shows its
    first ``keep`` and a count (231 half-width commas are one problem, not 231 lines)."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    lines: list[str] = []
    shown: set[str] = set()
    for finding in findings:
        group = by_rule[finding.rule]
        if len(group) <= over:
            lines.append(str(finding))
        elif finding.rule not in shown:
            shown.add(finding.rule)
            lines += [str(f) for f in group[:keep]]
            lines.append(f"…… [{finding.rule}] 还有 {len(group) - keep} 处同类问题（共 {len(group)} 处；"
                         "用 --json 可看全部）")
    return lines
