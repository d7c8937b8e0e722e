"""Load and validate a fact sheet; every problem is reported at once.

Raw dicts stop here: the rest of draftgen sees the typed :class:`FactSheet`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from draftgen.errors import FactsError, Problem
from draftgen.sheet.model import (
    FactSheet,
    Indicator,
    Plans,
    PlanWork,
    ProblemItem,
    Project,
    Quantity,
    Target,
    TopicWork,
    WorkItem,
)
from draftgen.sheet.spec import FACTSHEET, Field
from draftgen.sheet.yamlio import Loaded, PathKey, YamlFloat, YamlInt, load_file, load_text
from draftgen.text.numbers import FIGURE
from draftgen.text.typography import chinese_punctuation

_NUMERIC = re.compile(rf"[+-]?{FIGURE}")


def _number_from_text(text: str) -> int | float:
    """A quoted number ("1.20") is still a number, written as it was."""
    number: YamlInt | YamlFloat = YamlFloat(text) if "." in text else YamlInt(text)
    number.text = text
    return number


_KIND_NAMES = {
    "text": "一段文字", "number": "数字", "year": "年份（四位数字）", "month": "月份（1—12）", "count": "整数",
    "bool": "true 或 false", "choice": "规定的选项之一", "date": "日期（如 2024-12-20）",
    "list": "列表（每项以“- ”开头）", "map": "“键: 值”的映射", "text|map": "一句话或映射",
}


def _type_name(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return " true/false "
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return f"文字“{value}”" if len(value) <= 20 else "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


def _where(path: PathKey) -> str:
    parts: list[str] = []
    for key in path:
        if isinstance(key, int):
            parts.append(f"第{key + 1}项")
        else:
            parts.append(key)
    return " › ".join(parts)


class _Validator:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []

    def problem(self, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.loaded.source, self.loaded.line(path), message))

    def check(self, value: Any, spec: Field, path: PathKey) -> Any:
        """Return the cleaned value, or None after recording a problem."""
        name = _where(path) or "文件"
        if value is None:
            if spec.nullable:
                return None
            # an optional key left blank (work:, unit:) simply says nothing
            if spec.required:
                self.problem(path, f"“{name}”不能为空，请填写{_KIND_NAMES[spec.kind]}。")
            return None
        kind = spec.kind
        if kind == "text|map":
            if isinstance(value, str):
                assert spec.text_key
                value = {spec.text_key: value}
            kind = "map"
        if kind == "map":
            return self._map(value, spec, path, name)
        if kind == "list":
            if not isinstance(value, list):
                self.problem(path, f"“{name}”应是{_KIND_NAMES['list']}，现在是{_type_name(value)}。")
                return None
            assert spec.item is not None
            return [self.check(v, spec.item, (*path, i)) for i, v in enumerate(value)]
        return self._scalar(value, spec, path, name)

    def _map(self, value: Any, spec: Field, path: PathKey, name: str) -> Any:
        assert spec.fields is not None
        if not isinstance(value, dict):
            self.problem(path, f"“{name}”应是{_KIND_NAMES['map']}，现在是{_type_name(value)}。")
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key not in spec.fields:
                self.problem((*path, key), self._unknown_key(key, spec.fields, name))
                continue
            out[key] = self.check(item, spec.fields[key], (*path, key))
        for key, sub in spec.fields.items():
            if sub.required and key not in value:
                where = f"“{name}”" if path else "文件"
                self.problem(path, f"{where}缺少必填项“{key}”（{sub.desc}）。")
        return out

    @staticmethod
    def _unknown_key(key: str, fields: dict[str, Field], name: str) -> str:
        close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
        lowered = [f for f in fields if f.lower() == key.lower()]
        guess = next(iter(lowered or close), None)
        hint = f"是不是“{guess}”？" if guess else f"可用的键有：{'、'.join(fields)}。"
        where = f"“{name}”里" if name != "文件" else ""
        return f"{where}未知的键“{key}”，{hint}"

    def _scalar(self, value: Any, spec: Field, path: PathKey, name: str) -> Any:
        kind = spec.kind
        if isinstance(value, list | dict):
            self.problem(path, f"“{name}”应是{_KIND_NAMES[kind]}，现在是{_type_name(value)}。")
            return None
        if kind == "text":
            if isinstance(value, bool):
                self.problem(path, f"“{name}”应是文字，现在是 true/false；若要写这个词，请加引号。")
                return None
            if isinstance(value, dt.date):
                return value.isoformat()
            text = chinese_punctuation(str(value))
            if _CONTROL.search(text.strip()) or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
                self.problem(path, f"“{name}”里有控制字符或换行，请删去（要分成几条就写成列表）。")
                return None
            if spec.name_like and (_PATH_CHARS.search(text) or len(text) > 60):
                self.problem(path, f"“{name}”是名称，不能含有“/”“\\”、不能以“.”开头、不超过 60 个字：它会用作文件名。")
                return None
            if not text and spec.required:
                self.problem(path, f"“{name}”是空的，请填写内容。")
                return None
            return text or None
        numeric = kind in ("number", "year", "month", "count")
        if numeric and isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
            value = _number_from_text(value.strip())
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                hint = "；单位请写在 unit 里" if isinstance(value, str) and any(c.isdigit() for c in value) else ""
                self.problem(path, f"“{name}”应是数字，现在是{_type_name(value)}{hint}。不知道时写 null。")
                return None
            if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e15:
                self.problem(path, f"“{name}”不是有效的数字（太大了，或写法不对）。")
                return None
            if spec.minimum is not None and value < spec.minimum:
                self.problem(path, f"“{name}”是 {value}，不能小于 {spec.minimum:g}：{spec.desc}。")
                return None
            return value
        if kind in ("year", "month", "count"):
            if isinstance(value, bool) or not isinstance(value, int):
                self.problem(path, f"“{name}”应是{_KIND_NAMES[kind]}，现在是{_type_name(value)}。")
                return None
            assert spec.minimum is not None and spec.maximum is not None
            if not spec.minimum <= value <= spec.maximum:
                self.problem(path, f"“{name}”的值 {value} 超出范围（{int(spec.minimum)}—{int(spec.maximum)}）。")
                return None
            return int(value)
        if kind == "bool":
            if not isinstance(value, bool):
                self.problem(path, f"“{name}”应是 true 或 false，现在是{_type_name(value)}。")
                return None
            return value
        if kind == "date":
            if isinstance(value, dt.datetime):
                value = value.date()  # 2024-12-20 10:00:00: the day is what a signature dates
            if isinstance(value, dt.date):
                return value.isoformat()
            try:
                return dt.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                self.problem(path, f"“{name}”应是日期，写成 2024-12-20 这样，现在是{_type_name(value)}。")
                return None
        if kind == "choice":
            text = "true" if value is True else str(value).strip()
            if text in spec.choices:
                return text
            aliases = dict(spec.aliases)
            if text in aliases:
                return aliases[text]
            options = "、".join(spec.choices)
            close = difflib.get_close_matches(text, [*spec.choices, *aliases], n=1, cutoff=0.6)
            hint = f"是不是“{aliases.get(close[0], close[0])}”？" if close else ""
            self.problem(path, f"“{name}”的值“{text}”不在可选范围内，{hint}可选：{options}。")
            return None
        raise AssertionError(kind)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_PATH_CHARS = re.compile(r"[/\\]|^\.")


def _opt(d: dict[str, Any], key: str, default: Any = None) -> Any:
    value = d.get(key)
    return default if value is None else value


def _build(data: dict[str, Any], loaded: Loaded) -> FactSheet:
    plans = _opt(data, "plans", {})
    warnings = list(loaded.warnings)
    indicators = []
    for raw in _opt(data, "indicators", []):
        ind = Indicator(
            name=raw["name"], value=raw.get("value"), unit=_opt(raw, "unit", ""),
            previous=raw.get("previous"), growth=raw.get("growth"),
            previous_growth=raw.get("previous_growth"), note=raw.get("note"),
            approx=raw.get("approx"), estimate=bool(raw.get("estimate")), target=raw.get("target"),
            rank=raw.get("rank"), as_of=_as_of(raw.get("as_of"), data["year"]), base=raw.get("base"),
            base_name=raw.get("base_name"))
        if ind.previous == 0 and ind.growth is None and not ind.is_rate:
            warnings.append(f"{loaded.source}：指标“{ind.name}”上年数值为 0，无法计算增长率，草稿中不写增长率。")
        indicators.append(ind)
    warnings += _date_warning(data, loaded.source)
    return FactSheet(
        town=data["town"], year=data["year"], division=_opt(data, "division", "镇"),
        superior=data.get("superior"), province=data.get("province"), setting=data.get("setting"),
        period=_opt(data, "period", "annual"), cutoff_month=data.get("cutoff_month"),
        theme=data["theme"].strip("“”\"'「」") if data.get("theme") else None, date=data.get("date"),
        wording=int(data["wording"]) if data.get("wording") else None,
        honors=tuple(_opt(data, "honors", [])),
        indicators=tuple(indicators),
        work=tuple(
            TopicWork(topic=w["topic"], items=tuple(
                WorkItem(title=i.get("title"), facts=tuple(_opt(i, "facts", [])),
                         measures=tuple(_opt(i, "measures", [])), effect=i.get("effect"), rank=i.get("rank"),
                         from_plan=bool(i.get("from_plan")))
                for i in _opt(w, "items", [])))
            for w in _opt(data, "work", [])),
        projects=tuple(
            Project(name=p["name"], topic=_opt(p, "topic", "项目建设"),
                    investment=Quantity(p["investment"].get("value"), _opt(p["investment"], "unit", ""),
                                        p["investment"].get("approx")) if p.get("investment") else None,
                    status=p.get("status") or _STAGE_STATUS.get(p.get("stage") or ""), progress=p.get("progress"),
                    stage=p.get("stage"), measures=tuple(_opt(p, "measures", [])), effect=p.get("effect"))
            for p in _opt(data, "projects", [])),
        problems=tuple(ProblemItem(text=p["text"], topic=p.get("topic"), detail=p.get("detail"))
                       for p in _opt(data, "problems", [])),
        plans=Plans(
            thinking=plans.get("thinking"),
            targets=tuple(Target(name=t["name"], value=t.get("value"), unit=_opt(t, "unit", ""),
                                 growth=t.get("growth"), note=t.get("note"))
                          for t in _opt(plans, "targets", [])),
            work=tuple(PlanWork(topic=w["topic"], items=tuple(_plan_line(i) for i in _opt(w, "items", [])))
                       for w in _opt(plans, "work", []))),
        source=loaded.source,
        warnings=tuple(warnings),
    )


def _date_warning(data: dict[str, Any], source: str) -> list[str]:
    """A signing date outside the time such a report is signed (the year itself, or the next
    January or so for an annual one): most likely last year's date left in the sheet."""
    signed = data.get("date")
    if signed is None:
        return []
    year = data["year"]
    signed_year = getattr(signed, "year", None)
    if signed_year is None:
        head = str(signed)[:4]
        signed_year = int(head) if head.isdigit() else None
    half = _opt(data, "period", "annual") == "half-year"
    if signed_year is None or signed_year == year or (signed_year == year + 1 and not half):
        return []
    when = f"{year}年内" if half else f"{year}年底或{year + 1}年初"
    return [f"{source}：落款日期 {signed} 不像这份总结的日子（{year}年的{'半年' if half else '年度'}总结一般在"
            f"{when}落款），请核对 date。"]


#: a stage says the status too: a sheet that gives the stage need not repeat it
_STAGE_STATUS = {"前期": "planned", "立项": "planned", "开工": "ongoing", "在建": "ongoing",
                 "主体完工": "ongoing", "竣工": "done", "投用": "done"}


def _as_of(value: Any, year: int) -> str | None:
    """``2024-11-20`` of the report's year reads ``11月20日``; other forms stay as written."""
    if value is None:
        return None
    text = str(value)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        y, m, d = (int(g) for g in match.groups())
        return f"{m}月{d}日" if y == year else f"{y}年{m}月{d}日"
    return text


def _plan_line(item: dict[str, Any]) -> str:
    """A plan item written as title + facts reads as one line."""
    parts = [item.get("title"), *_opt(item, "measures", []), *_opt(item, "facts", []), item.get("effect")]
    return "，".join(p.rstrip("。；，") for p in parts if p)


def _drop_empty_items(data: Any) -> Any:
    """Lists keep only the items that validated (None marks a reported problem)."""
    if isinstance(data, dict):
        return {k: _drop_empty_items(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_drop_empty_items(v) for v in data if v is not None]
    return data


def validate(loaded: Loaded) -> FactSheet:
    """Validate a parsed fact sheet; raise :class:`FactsError` listing every problem."""
    problems = list(loaded.problems)
    data = loaded.data
    if not problems or isinstance(data, dict):
        if data is None or data == "":
            problems.append(Problem(loaded.source, None,
                                    "文件是空的。可以用“draftgen init -o 文件名.yaml”生成一个带说明的骨架再填写。"))
        elif not isinstance(data, dict):
            problems.append(Problem(loaded.source, loaded.line(()),
                                    f"文件最外层应是“键: 值”的映射（town: …、year: …），现在是{_type_name(data)}。"))
        else:
            validator = _Validator(loaded)
            data = validator.check(data, FACTSHEET, ())
            problems += validator.problems
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise FactsError(f"事实表有 {len(problems)} 处问题，请修改后重试：", problems)
    return _build(_drop_empty_items(data), loaded)


def load_facts_file(path: Path) -> FactSheet:
    """Read, parse and validate a fact sheet file."""
    return validate(load_file(path))


def load_facts_text(text: str, source: str = "<text>") -> FactSheet:
    """Parse and validate fact-sheet text (for tests and the library API)."""
    return validate(load_text(text, source))
