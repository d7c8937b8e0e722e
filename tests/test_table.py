"""The statistics office's indicator table (.xlsx, .csv) read for init --from --indicators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from draftgen.cli import main
from draftgen.errors import InputFileError
from draftgen.extract.table import TableRow, read_table


def _xlsx(path: Path, rows: list[list[object]], merge: tuple[str, ...] = (), title: str = "指标") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    book.save(str(path))
    return path


def test_xlsx_with_merged_cells_blank_rows_and_units_in_the_header(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "统计表.xlsx", [
        ["2025年主要经济指标", None, None, None, None],  # a title merged across the table
        ["指标名称", "数值（亿元）", "上年", "增长", "目标"],
        ["地区生产总值", 13.3, 12.5, "6.4%", 13],
        [None, None, None, None, None],
        ["固定资产投资", "3.6", None, None, None],
        ["规上工业产值", 8, 7.5, None, None],
        [None, None, None, None, None],  # merged with the row above: the name carries down
    ], merge=("A1:E1", "A6:A7"))
    assert read_table(path) == [TableRow("地区生产总值", "A3", 13.3, "亿元", 12.5, 6.4, 13),
                                TableRow("固定资产投资", "A5", 3.6, "亿元"),
                                TableRow("规上工业产值", "A6", 8, "亿元", 7.5)]


def test_csv_with_english_headers_and_a_unit_column(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("name,value,unit,previous,growth\n财政收入,1.2,亿元,1.1,\n\n农村居民人均可支配收入,18600,元,,7.1\n",
                    encoding="utf-8")
    assert read_table(path) == [TableRow("财政收入", "A2", 1.2, "亿元", 1.1),
                                TableRow("农村居民人均可支配收入", "A4", 18600, "元", None, 7.1)]


def test_the_sheet_can_be_chosen(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "表.xlsx", [["名称", "数值", "单位"], ["财政收入", 2, "亿元"]], title="2025")
    assert read_table(path, "2025")[0].value == 2
    with pytest.raises(InputFileError, match=re.escape("“表.xlsx”里没有工作表“2024”，有：2025。")):
        read_table(path, "2024")


@pytest.mark.parametrize(("rows", "message"), [
    ([], "“表.xlsx”是空表，没有可读的指标。"),
    ([["数值", "单位"], [1, "亿元"]], "“表.xlsx”第1行（表头）没有“名称”列"),
    ([["名称", "数值"], ["财政收入", "一点二"], ["税收", "n/a"]],
     "“表.xlsx”有读不出的单元格：B2：“一点二”不是数字；B3：“n/a”不是数字。"),
    ([["名称", "数值"]], "“表.xlsx”只有表头，没有指标行。"),
])
def test_bad_tables_say_where(tmp_path: Path, rows: list[list[object]], message: str) -> None:
    with pytest.raises(InputFileError, match=re.escape(message)):
        read_table(_xlsx(tmp_path / "表.xlsx", rows))


def test_init_from_with_indicators_fills_this_year(tmp_path: Path) -> None:
    report = tmp_path / "去年.txt"
    report.write_text("清溪镇2024年工作总结\n\n2024年，清溪镇党委带领全镇干部群众扎实工作，地区生产总值完成12.5亿元。\n"
                      "一、2025年工作打算\n新建高标准茶园500亩。\n", encoding="utf-8")
    table = _xlsx(tmp_path / "统计表.xlsx", [["名称", "数值", "单位", "上年"], ["地区生产总值", 13.3, "亿元", 12.5]])
    out = tmp_path / "2025.yaml"
    result = CliRunner().invoke(main, ["init", "--from", str(report), "--indicators", str(table), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "name: 地区生产总值  # 统计表 A2" in text and "value: 13.3" in text and "previous: 12.5" in text
    bad = CliRunner().invoke(main, ["init", "--from", str(report), "--indicators", str(tmp_path / "无.xlsx"),
                                    "-o", str(tmp_path / "x.yaml")])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "找不到文件" in bad.output
    assert not (tmp_path / "x.yaml").exists()


def _far_cell(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "名称", "数值", "地区生产总值", 42.8
    sheet["ZZ100000"] = "远处的单元格"
    book.save(str(path))
    return path


@pytest.mark.parametrize(("name", "make", "said"), [
    ("宽字段.csv", lambda p: p.write_text("名称,数值\n地区生产总值," + "1" * 200_000 + "\n", encoding="utf-8"),
     "过长或引号不配对"),
    ("长数字.csv", lambda p: p.write_text("名称,数值\n地区生产总值," + "9" * 5000 + "\n", encoding="utf-8"),
     "不是数字"),
    ("多行.csv", lambda p: p.write_text("名称,数值\n" + "甲,1\n" * 6000, encoding="utf-8"), "超出指标表的范围"),
    ("远处.xlsx", _far_cell, "超出指标表的范围"),
    ("坏的.xlsx", lambda p: p.write_bytes(b"PK\x03\x04 not a zip"), "不是可读的 Excel 表格"),
])
def test_a_hostile_table_is_one_chinese_line(tmp_path: Path, name: str, make: object, said: str) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(InputFileError) as refused:
        read_table(path)
    assert said in refused.value.message and "Traceback" not in refused.value.message


def test_a_device_is_no_table(tmp_path: Path) -> None:
    link = tmp_path / "零.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputFileError, match="不是普通文件"):
        read_table(link)
