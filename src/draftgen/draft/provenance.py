"""Which facts and phrase-bank entries each paragraph of a draft came from,
for the Word comments of ``--provenance``."""

from __future__ import annotations

from dataclasses import replace

from draftgen.draft import compose
from draftgen.draft.choose import marker_indices, strip_markers
from draftgen.formats.document import Block, Run, normalize_runs, parse_markdown
from draftgen.sheet.model import FactSheet


def _fact_sources(facts: FactSheet) -> list[tuple[str, str]]:
    """(text to look for, where it is in the sheet)."""
    out: list[tuple[str, str]] = [(h, f"honors › {h}") for h in facts.honors]
    # an indicator by its name and figure, a target by its sentence: the two share names
    out += [(compose.indicator_name_and_value(i), f"indicators › {i.name}") for i in facts.indicators]
    for work in facts.work:
        for item in work.items:
            key = item.title or (item.facts[0] if item.facts else "")
            out += [(t, f"work › {work.topic} › {key}") for t in (item.title, *item.facts) if t]
    out += [(p.name, f"projects › {p.name}") for p in facts.projects]
    out += [(p.text.rstrip("。；"), f"problems › {p.text}") for p in facts.problems]
    out += [(compose.target_phrase(t), f"plans › targets › {t.name}") for t in facts.plans.targets]
    for plan in facts.plans.work:
        out += [(line.rstrip("。；"), f"plans › work › {plan.topic} › {line}") for line in plan.items]
    if facts.plans.thinking:
        out.append((facts.plans.thinking.rstrip("。"), "plans › thinking"))
    return [(text, where) for text, where in out if len(text) >= 2]


def blocks_with_sources(marked: str, picks: list[tuple[str, str]], facts: FactSheet,
                        licences: dict[str, str] | None = None) -> tuple[list[Block], list[str]]:
    """The draft's blocks (markers removed) and one provenance note per block: the facts it
    used, the phrase-bank entries, and for each claim what in the facts licensed it."""
    licences = licences or {}
    sources = _fact_sources(facts)
    blocks: list[Block] = []
    notes: list[str] = []
    for item in parse_markdown(marked):
        raw = "".join(run.text for run in item.runs)
        entries = list(dict.fromkeys(picks[i][0] for i in marker_indices(raw) if i < len(picks)))
        clean = replace(item, runs=normalize_runs(Run(strip_markers(r.text), r.bold) for r in item.runs), line=None)
        text = clean.text
        used = list(dict.fromkeys(where for needle, where in sources if needle in text))
        if item.kind in ("title", "signature") or (facts.town in text and not used):
            used.insert(0, "town")
        parts = []
        if used:
            parts.append("事实：" + "；".join(used))
        if entries:
            parts.append("短语：" + "、".join(entries))
        grounds = [f"{e}（{licences[e]}）" for e in entries if e in licences]
        if grounds:
            parts.append("依据：" + "；".join(grounds))
        blocks.append(clean)
        notes.append("\n".join(parts) if parts else "由模板生成，未用事实表内容")
    return blocks, notes
