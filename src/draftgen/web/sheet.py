"""The fact sheet between the form and its YAML source.

The YAML text is the sheet: the form is a view of it. A form edit is merged into the
YAML through ruamel's round trip, so the writer's comments, key order and layout stay
where they were; only the values the form changed are rewritten. Validation problems
come back with the path of the field they are about, for the form to show beside it.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from draftgen.errors import DraftgenError, Problem
from draftgen.sheet.spec import FACTSHEET, Field
from draftgen.sheet.yamlio import MAX_YAML_BYTES, round_trip

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SheetProblem:
    """A problem with the sheet: its line in the YAML and, where known, the form field."""

    line: int | None
    path: list[str | int]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "path": self.path, "message": self.message}


def parse(text: str) -> CommentedMap | None:
    """The round-trip document of a sheet's YAML (None for an empty text)."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise DraftgenError(f"事实表超过 {MAX_YAML_BYTES // 1_000_000} MB，请检查是否选错了文件。")
    # the command line's loader first: its limits (aliases, nesting, size, figures of thousands of
    # digits) hold for the page too, so a hostile sheet is one Chinese line, not a stalled server
    from draftgen.sheet.yamlio import load_text

    checked = load_text(text, "事实表")
    if checked.problems:
        raise DraftgenError("", checked.problems)
    try:
        doc = round_trip(indented=True).load(text)
    except (ValueError, OverflowError, RecursionError):
        # what ruamel builds and the safe loader does not (a date such as 2024-02-30)
        raise DraftgenError("", [Problem("事实表", None, "事实表里有无法读取的值（如不存在的日期 2024-02-30），"
                                                     "请检查日期和数字的写法。")]) from None
    except YAMLError as exc:
        _explain(text)
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DraftgenError("", [Problem("事实表", line, f"YAML 格式错误（{getattr(exc, 'problem', '') or exc}），"
                                                         "请检查这一行及上一行的缩进和冒号。")]) from None
    if doc is None:
        return None
    if not isinstance(doc, CommentedMap):
        _explain(text)
        raise DraftgenError("", [Problem("事实表", 1, "事实表最外层应是“键: 值”的映射（town:、year: …）。")])
    return doc


def _explain(text: str) -> None:
    """The project's own reading of a sheet ruamel refused: its messages say what a writer
    got wrong (a full-width colon, a tab, a repeated key) in Chinese."""
    from draftgen.sheet.yamlio import load_text

    loaded = load_text(text, "事实表")
    if loaded.problems:
        raise DraftgenError("", loaded.problems)


def to_data(node: Any) -> Any:
    """Plain JSON-able data of a round-trip node (dates as ISO text)."""
    if isinstance(node, dict):
        return {str(k): to_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_data(v) for v in node]
    if isinstance(node, datetime.date):
        return node.isoformat()
    if isinstance(node, bool) or node is None or isinstance(node, int | float):
        return node
    return str(node)


def merge(text: str, data: dict[str, Any]) -> str:
    """``text`` with the values of ``data`` (the form's whole sheet) written into it.

    Unchanged values keep their spelling and comments; changed ones are replaced, new ones
    appended, removed ones deleted. Edits go by path, not by position: a key cleared and
    typed again comes back in its place with its comment; a row moved up or down (or a row
    deleted above it) takes its comments along."""
    # the page sends back the text this function wrote last time: its document is still here,
    # so an edit costs no parse (the slowest step of a preview); any other text is parsed
    kept = _LAST.pop(text, None)
    doc, removed = kept if kept is not None else (_document(text), {})
    _merge_map(doc, data, (), removed)
    written = _dumped(doc)
    _LAST.clear()  # one document kept: the latest edit's
    _LAST[written] = (doc, removed)
    return written


#: the latest merged document, by its text, with where each key the form cleared stood
_LAST: dict[str, tuple[CommentedMap, dict[Path_, int]]] = {}


def _document(text: str) -> CommentedMap:
    """The round-trip document of ``text``, an empty one for an empty text."""
    doc = parse(text) if text.strip() else None
    return CommentedMap() if doc is None else doc


def _dumped(doc: CommentedMap) -> str:
    out = io.StringIO()
    round_trip(indented=True).dump(doc, out)
    return out.getvalue()


def _merge_map(node: CommentedMap, new: dict[str, Any], path: Path_, removed: dict[Path_, int]) -> None:
    for key in [k for k in node if k not in new]:
        # remembered: typed again, the key goes back where it stood (its comment stays in node.ca)
        where = (*path, str(key))
        removed[where] = list(node).index(key)
        del node[key]
    for key, value in new.items():
        if key in node:
            node[key] = _merged(node[key], value, (*path, key), removed)
            continue
        at = removed.pop((*path, key), None)
        if at is not None and at <= len(node):
            node.insert(at, key, _fresh(value))
        else:
            node[key] = _fresh(value)


def _merge_seq(node: CommentedSeq, new: list[Any], path: Path_, removed: dict[Path_, int]) -> None:
    """The list as the form has it, each row matched to the old row it is: the one with the
    same content (a row moved or left alone), else the one at its place (a row edited)."""
    old = list(node)
    plain = [to_data(item) for item in old]
    comments = {i: node.ca.items[i] for i in range(len(old)) if i in node.ca.items}
    chosen: list[int | None] = []
    used: set[int] = set()
    for value in new:
        match = next((k for k in range(len(old)) if k not in used and plain[k] == value), None)
        chosen.append(match)
        if match is not None:
            used.add(match)
    for i, value in enumerate(new):
        if chosen[i] is None and i < len(old) and i not in used and _alike(old[i], value):
            chosen[i] = i
            used.add(i)
    items = [(_merged(old[j], value, (*path, i), removed), comments.get(j)) if j is not None else (_fresh(value), None)
             for i, (j, value) in enumerate(zip(chosen, new, strict=True))]
    if [id(v) for v, _ in items] == [id(o) for o in old]:
        return  # nothing moved, nothing added or removed: the list stays as it is
    list.__delitem__(node, slice(None))
    node.ca.items.clear()
    for i, (value, comment) in enumerate(items):
        list.append(node, value)
        if comment is not None:
            node.ca.items[i] = comment


def _alike(old: Any, new: Any) -> bool:
    """Whether an old row can take the new one's values in place (a map for a map, text for text)."""
    return isinstance(old, dict) == isinstance(new, dict) and isinstance(old, list) == isinstance(new, list)


def _merged(old: Any, new: Any, path: Path_, removed: dict[Path_, int]) -> Any:
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        _merge_map(old, new, path, removed)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _merge_seq(old, new, path, removed)
        return old
    plain = to_data(old)
    if plain == new and type(plain) is type(new):
        return old  # the same value: keep its spelling (quotes, 1.20, a date)
    return _fresh(new)


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _fresh(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        for v in value:
            seq.append(_fresh(v))
        return seq
    return value


def with_table(text: str, table: Path, decided: dict[str, str] | None = None) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with the indicators of a statistics table (.xlsx/.csv) written in, as
    ``init --from --indicators`` writes them: by name, the cell noted; the rest kept. Rows whose
    name is near an indicator's are held back and returned, unless ``decided`` says (see
    ``apply_rows``)."""
    from draftgen.api import apply_rows, read_table

    rows = read_table(table)
    if not rows:
        raise DraftgenError(f"“{table.name}”里没有读出指标（要有“名称”“数值”等列）。")
    doc = _document(text)
    if not isinstance(doc.get("indicators"), CommentedSeq):
        doc["indicators"] = CommentedSeq()
    held = apply_rows(doc["indicators"], rows, decided)
    return _dumped(doc), held


def line_paths(doc: CommentedMap | None) -> dict[int, Path_]:
    """Each line of the YAML that opens a value → the path of that value."""
    out: dict[int, Path_] = {}

    def walk(node: Any, path: Path_) -> None:
        if isinstance(node, CommentedMap):
            for key in node:
                try:
                    line = node.lc.key(key)[0] + 1
                except (KeyError, TypeError):
                    continue
                out.setdefault(line, (*path, str(key)))
                walk(node[key], (*path, str(key)))
        elif isinstance(node, CommentedSeq):
            for i, item in enumerate(node):
                try:
                    line = node.lc.item(i)[0] + 1
                except (KeyError, TypeError):
                    continue
                out.setdefault(line, (*path, i))
                walk(item, (*path, i))

    walk(doc, ())
    return out


_MISSING = re.compile(r"缺少必填项“([A-Za-z_]+)”")
_KEY_PATH = re.compile(r"“([A-Za-z_]+(?: › (?:第\d+项|[A-Za-z_]+))*)”")
#: the file's words in a message, as the form says them
_FORM_WORDS = (("单位请写在 unit 里", "单位请写在“单位”一栏"), ("不知道时写 null", "不知道时留空"),
               ("文件缺少必填项", "缺少必填项"))


def problems_with_paths(text: str, problems: list[Problem]) -> list[SheetProblem]:
    """The validation problems, each with the form path its line points at (for a missing
    key, the path of that key) and worded with the form's labels instead of the YAML keys."""
    try:
        index = line_paths(parse(text))
    except DraftgenError:
        index = {}
    out = []
    for problem in problems:
        path: Path_ = index.get(problem.line, ()) if problem.line else ()
        missing = _MISSING.search(problem.message)
        if missing:
            parent = path[:-1] if path and isinstance(path[-1], str) else path
            path = (*parent, missing.group(1))
        out.append(SheetProblem(problem.line, list(path), for_form(problem.message)))
    return out


def for_form(message: str) -> str:
    """A validation message with the form's labels: “indicators › 第1项 › value” → “主要指标 › 第1项 › 本期数值”."""

    def labels(match: re.Match[str]) -> str:
        spec: Field | None = FACTSHEET
        words = []
        for part in match.group(1).split(" › "):
            if part.startswith("第"):
                words.append(part)
                spec = spec.item if spec is not None else None
                continue
            sub = spec.fields.get(part) if spec is not None and spec.fields else None
            if sub is None:
                return match.group(0)
            words.append(_label(sub))
            spec = sub
        return "“" + " › ".join(words) + "”"

    message = _KEY_PATH.sub(labels, message)
    message = re.sub(r"（[^（）]*，如 [^（）]*）", "", message) if "缺少必填项" in message else message
    for file_word, form_word in _FORM_WORDS:
        message = message.replace(file_word, form_word)
    return message


def spec() -> dict[str, Any]:
    """The fact-sheet spec as data for the form (the same spec that validates and makes the schema)."""
    return _field(FACTSHEET)


def _label(f: Field) -> str:
    """A field's short name for the form: its own, or its description up to the first pause."""
    return f.label or re.split(r"[，：；（(,:]", f.desc, maxsplit=1)[0].strip() or f.desc


def _field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": f.kind, "desc": f.desc, "label": _label(f)}
    if f.required:
        out["required"] = True
    if f.choices:
        # done（建成）: the description says what a choice means in Chinese
        meanings = dict(re.findall(r"([\w-]+)（([^）]+)）", f.desc))
        # (the form shows the meaning alone: a writer reads 年度, the file keeps annual)
        out["choices"] = [{"value": c, "label": meanings.get(c, c)} for c in f.choices]
    if f.text_key:
        out["text_key"] = f.text_key
    if f.minimum is not None:
        out["minimum"] = f.minimum
    if f.maximum is not None:
        out["maximum"] = f.maximum
    if f.item is not None:
        out["item"] = _field(f.item)
    if f.fields is not None:
        out["fields"] = {name: _field(sub) for name, sub in f.fields.items()}
    return out
