"""``draftgen init --from``: next year's fact sheet from last year's report (and the statistics table).

Last year's indicator values become ``previous`` with ``value`` left for the writer;
last year's targets become ``target``; each item of last year's plan becomes a work
item to report on (``from_plan: true``, no facts yet), which ``draftgen check`` then
holds this year's draft to; last year's problems are listed to revisit.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from draftgen.bank.phrasebank import load_bank
from draftgen.extract.reading import read_report
from draftgen.extract.sheet import Extracted, Value, extract
from draftgen.extract.table import TableRow, read_table
from draftgen.sheet.yamlio import round_trip


def next_year_sheet(report: Path, *, indicators: Path | None = None, sheet: str | None = None,
                    year: int | None = None, town: str | None = None, phrasebank: Path | None = None) -> str:
    """Next year's fact sheet as YAML; it validates, and drafts with placeholders where values are missing.
    Work is sorted into the fields of the phrase bank with the user's ``phrasebank`` folder."""
    from draftgen.sheet.validation import load_facts_text

    last = extract(read_report(report), year=year, town=town, bank=load_bank(phrasebank))
    rows = read_table(indicators, sheet) if indicators is not None else []
    text = _yaml(last, rows, report.name, indicators.name if indicators else None)
    load_facts_text(text, "init --from")
    return text


def _yaml(last: Extracted, rows: list[TableRow], source: str, table: str | None) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    root = CommentedMap()
    root.yaml_set_start_comment(
        f"由 draftgen init --from 从去年的“{source}”生成{f'，指标取自“{table}”' if table else ''}。\n"
        "value 留空的请填今年的数；from_plan 的条目是去年打算里的承诺，请写上完成情况（facts），"
        "draftgen check 会核对每一条都有交代。")
    for key in ("town", "division", "superior"):
        if key in last.top:
            root[key] = last.top[key].data
            if last.top[key].check:
                root.yaml_add_eol_comment(last.top[key].check, key)
    root["year"] = int(last.top["year"].data) + 1
    root.yaml_add_eol_comment(f"去年报告是 {last.top['year'].data} 年的总结", "year")
    root["period"] = "annual"

    indicators = CommentedSeq()
    by_name: dict[str, CommentedMap] = {}
    for found in last.indicators:
        name = str(found["name"].data)
        if name in by_name or name in ("总投资", "投资"):
            continue
        item = CommentedMap([("name", name), ("value", None)])
        item["unit"] = found["unit"].data
        previous = found["value"].data
        if previous is not None:
            item["previous"] = previous
        item.yaml_add_eol_comment(f"去年：{_short(found['name'].source)}", "name")
        if previous is None:
            item.yaml_add_eol_comment("去年的数已脱敏，请补上 previous", "value")
        by_name[name] = item
        indicators.append(item)
    for target in last.targets:
        _apply_target(by_name, target)
    for name, near in apply_rows(indicators, rows):
        # no one to ask here: the row goes in as its own, and the comment asks
        apply_rows(indicators, [r for r in rows if r.name == name], {name: ""})
        by_name[name] = next(i for i in indicators if i.get("name") == name)
        by_name[name].yaml_add_eol_comment(f"与“{near}”相近：是同一指标的话请合并成一行", "value")
    root["indicators"] = indicators

    work = CommentedSeq()
    for topic, lines in last.plan_work:
        items = CommentedSeq()
        for line in lines:
            entry = CommentedMap([("title", line.data), ("from_plan", True), ("facts", CommentedSeq())])
            items.append(entry)
        work.append(CommentedMap([("topic", topic), ("items", items)]))
    root["work"] = work
    root["projects"] = CommentedSeq()
    problems = CommentedSeq(p.data for p in last.problems)
    root["problems"] = problems
    if last.problems:
        root.yaml_set_comment_before_after_key("problems",
                                               before="去年报告提出的问题：今年解决了的请删去，仍存在的保留")
    root["plans"] = CommentedMap([("targets", CommentedSeq()), ("work", CommentedSeq())])
    yaml = round_trip()
    stream = io.StringIO()
    yaml.dump(root, stream)
    return stream.getvalue()


def apply_rows(indicators: Any, rows: list[TableRow], decided: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The statistics table's rows written into a sheet's ``indicators`` (a round-trip list):
    a row updates the indicator of its name, or is appended; its cell is noted beside the name.

    A row whose name is near an indicator's without being it (常住人口城镇化率 beside 城镇化率) is
    neither: it is held back and returned as (row's name, indicator's name), for the writer to
    say. ``decided`` carries what they said: a row's name → the indicator it updates, or "" for a
    row of its own."""
    from ruamel.yaml.comments import CommentedMap

    decided = decided or {}
    by_name = {str(item.get("name")): item for item in indicators if isinstance(item, dict)}
    held: list[tuple[str, str]] = []
    for row in rows:
        name = decided.get(row.name) or row.name
        if name not in by_name:
            near = next((n for n in by_name if _near(row.name, n)), None)
            if near is not None and row.name not in decided:
                held.append((row.name, near))
                continue
            by_name[name] = CommentedMap([("name", name), ("value", None)])
            indicators.append(by_name[name])
        item = by_name[name]
        for key in ("value", "unit", "previous", "growth", "target"):
            value = getattr(row, key)
            if value not in (None, ""):
                item[key] = value
        if hasattr(item, "yaml_add_eol_comment"):
            item.yaml_add_eol_comment(f"统计表 {row.cell}" + (f"（表中为“{row.name}”）" if name != row.name else ""),
                                      "name")
    return held


def _near(a: str, b: str) -> bool:
    """Two indicator names that may be one indicator: one holds the other (城镇化率, 常住人口城镇化率)."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and short != long and short in long


def _apply_target(by_name: dict[str, Any], target: dict[str, Value]) -> None:
    name = str(target["name"].data)
    item = by_name.get(name)
    note = f"去年定的目标：{_short(target['name'].source)}"
    if item is None:
        return
    if "value" in target and target["value"].data is not None:
        item["target"] = target["value"].data
    item.yaml_add_eol_comment(note, "unit")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
