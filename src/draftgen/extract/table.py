"""The statistics office's indicator table (.xlsx or .csv) as indicators.

Columns are found by their headers, Chinese or English (名称/数值/单位/上年/增长/目标);
a unit written in a header (``产值（亿元）``, ``数值(万元)``) applies to the column's
rows that give none. Merged cells take the value of their first cell, blank rows are
skipped, and a cell that cannot be read is reported by its address (``B5``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from draftgen.errors import InputFileError
from draftgen.text.numbers import NUMBER

_HEADERS = {
    "name": ("名称", "指标", "指标名称", "项目", "name", "indicator"),
    "value": ("数值", "本年", "今年", "本期", "完成", "value", "current"),
    "unit": ("单位", "计量单位", "unit"),
    "previous": ("上年", "去年", "上年同期", "previous", "last year"),
    "growth": ("增长", "增幅", "增速", "增长率", "同比", "growth"),
    "target": ("目标", "计划", "target"),
}
_HEADER_UNIT = re.compile(r"^(.*?)\s*[（(]\s*([^）)]+?)\s*[）)]\s*$")
_NUMBER_CELL = re.compile(rf"^\s*([+-]?{NUMBER.pattern})\s*([%％]?)\s*$")
#: an indicator table is a page or two: what is far bigger is no table of indicators (or is hostile)
MAX_TABLE_BYTES = 10 * 1024 * 1024
MAX_ROWS, MAX_COLUMNS, MAX_CELL = 5000, 60, 2000
#: a figure longer than this is no statistic (and Python refuses to convert 4,300 digits and more)
MAX_DIGITS = 24


@dataclass(frozen=True)
class TableRow:
    """One indicator as the table gives it; ``cell`` is where its name stands."""

    name: str
    cell: str
    value: int | float | None = None
    unit: str = ""
    previous: int | float | None = None
    growth: int | float | None = None
    target: int | float | None = None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _grid_xlsx(path: Path, sheet: str | None) -> list[list[object]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(str(path), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, IndexError, TypeError) as exc:
        # (a part missing, not XML, a DTD or an entity, a broken shared-string index: lxml's errors
        # are SyntaxErrors, openpyxl's ValueErrors or KeyErrors)
        raise InputFileError(f"“{path.name}”不是可读的 Excel 表格（{type(exc).__name__}），"
                             "请在 Excel/WPS 中另存为 .xlsx 或 .csv 后重试。") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise InputFileError(f"“{path.name}”里没有工作表“{sheet}”，有：{'、'.join(book.sheetnames)}。")
    if not book.worksheets:
        raise InputFileError(f"“{path.name}”里没有工作表。")
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        # a cell far away (ZZ100000) would make millions of empty ones
        raise InputFileError(f"“{path.name}”的表格有 {ws.max_row} 行、{ws.max_column} 列，超出指标表的范围"
                             f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）；请只留下指标所在的区域。")
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        first = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, min(merged.max_col, MAX_COLUMNS) + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = first
    return grid


def _grid_csv(path: Path) -> list[list[object]]:
    from draftgen.sheet.yamlio import decode

    text, _ = decode(path.read_bytes(), path.name)
    grid: list[list[object]] = []
    try:
        for number, row in enumerate(csv.reader(text.splitlines()), start=1):
            if number > MAX_ROWS or len(row) > MAX_COLUMNS:
                raise InputFileError(f"“{path.name}”超出指标表的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），"
                                     "请只留下指标所在的行和列。")
            grid.append(list(row))
    except csv.Error:
        raise InputFileError(f"“{path.name}”第{len(grid) + 1}行有一个过长或引号不配对的单元格，"
                             "不像指标表；请在 Excel/WPS 中打开检查后另存为 .csv。") from None
    return grid


def read_table(path: Path, sheet: str | None = None) -> list[TableRow]:
    """The indicators in the table at ``path`` (.xlsx or .csv), or one Chinese error."""
    if not path.exists():
        raise InputFileError(f"找不到文件“{path}”，请检查路径是否正确。")
    if not path.is_file():
        raise InputFileError(f"“{path.name}”不是普通文件（是文件夹、设备或管道），请给出表格文件。")
    if path.stat().st_size > MAX_TABLE_BYTES:
        raise InputFileError(f"“{path.name}”超过 {MAX_TABLE_BYTES // (1024 * 1024)} MB，不像指标表；"
                             "请检查是否选错了文件。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid = _grid_xlsx(path, sheet)
    elif suffix == ".csv":
        grid = _grid_csv(path)
    else:
        raise InputFileError(f"“{path.name}”不是 .xlsx 或 .csv 表格；.xls 请先另存为 .xlsx。")
    rows = [(i, row) for i, row in enumerate(grid, start=1) if any(_text(c) for c in row)]
    if not rows:
        raise InputFileError(f"“{path.name}”是空表，没有可读的指标。")
    # a title row (often merged across the table) may stand above the header
    at = next((i for i, (_, row) in enumerate(rows[:5]) if "name" in _columns(row)[0]), 0)
    header_line, header = rows[at]
    columns, units = _columns(header)
    if "name" not in columns:
        raise InputFileError(f"“{path.name}”第{header_line}行（表头）没有“名称”列（也可写 指标、指标名称、name），"
                             "请在表头加上这一列。")
    out: list[TableRow] = []
    problems: list[str] = []
    for line, row in rows[at + 1:]:
        name_col = columns["name"]
        name = _text(row[name_col] if name_col < len(row) else None)
        if not name:
            continue
        values: dict[str, int | float | None] = {}
        unit = ""
        for key, col in columns.items():
            cell = row[col] if col < len(row) else None
            if key == "name":
                continue
            if key == "unit":
                unit = _text(cell)
                continue
            number, percent = _number(cell)
            if number is None and _text(cell):
                shown = _text(cell) if len(_text(cell)) <= 20 else _text(cell)[:20] + "…"
                problems.append(f"{_column_letter(col)}{line}：“{shown}”不是数字")
            values[key] = number
            if key in ("value", "target") and percent and not unit:
                unit = "%"
        unit = unit or units.get("value", "")
        if out and out[-1].name == name and not any(v is not None for v in values.values()):
            continue  # the lower part of a name merged over two rows
        out.append(TableRow(name, f"{_column_letter(name_col)}{line}", values.get("value"), unit,
                            values.get("previous"), values.get("growth"), values.get("target")))
    if problems:
        raise InputFileError(f"“{path.name}”有读不出的单元格：{'；'.join(problems)}。请改成阿拉伯数字（可带 %），"
                             "不知道的留空。")
    if not out:
        raise InputFileError(f"“{path.name}”只有表头，没有指标行。")
    return out


def _columns(header: list[object]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    units: dict[str, str] = {}
    for index, cell in enumerate(header):
        text = _text(cell)
        unit = ""
        match = _HEADER_UNIT.match(text)
        if match:
            text, unit = match.group(1).strip(), match.group(2).strip()
        key = next((k for k, words in _HEADERS.items() if text.lower() in words), None)
        if key is None and unit:
            key = "value"  # 产值（亿元）: a value column named by what it measures
        if key is not None and key not in columns:
            columns[key] = index
            if unit and unit not in ("%", "％"):
                units[key] = unit
    return columns, units


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()[:MAX_CELL]


def _number(cell: object) -> tuple[int | float | None, bool]:
    if isinstance(cell, bool) or cell is None:
        return None, False
    if isinstance(cell, int | float):
        return (int(cell) if float(cell).is_integer() else round(float(cell), 4)), False
    match = _NUMBER_CELL.match(str(cell).replace(",", ""))
    if not match:
        return None, False
    text = match.group(1)
    if len(text) > MAX_DIGITS:
        return None, False  # reported as a cell that is no figure
    return (float(text) if "." in text else int(text)), bool(match.group(2))
