"""The safe YAML loader: lines, duplicates, typos YAML cannot see, encodings, hostile files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from draftgen.errors import InputFileError
from draftgen.sheet.yamlio import YamlFloat, load_file, load_text


def messages(text: str) -> list[str]:
    return [str(p) for p in load_text(text, "t.yaml").problems]


def test_every_path_has_its_line() -> None:
    loaded = load_text("town: 甲镇\nindicators:\n  - name: 总值\n    value: 1.20\n", "t.yaml")
    assert loaded.line(("indicators", 0, "value")) == 4
    assert loaded.line(("indicators", 0)) == 3
    # a number keeps the way it was written
    value = loaded.data["indicators"][0]["value"]
    assert isinstance(value, YamlFloat) and value.text == "1.20"


def test_duplicate_key_is_reported_with_both_lines() -> None:
    assert messages("town: 甲镇\nyear: 2024\ntown: 乙镇\n") == [
        "t.yaml 第3行：键“town”重复了（第1行已经写过），YAML 只会保留后一个，请删去或合并其中一个。"
    ]


def test_full_width_colon_after_a_key() -> None:
    assert messages("town：甲镇\nyear: 2024\n") == [
        "t.yaml 第1行：键“town”后面用了全角冒号“：”，YAML 需要半角冒号“:”加一个空格，请改成“town: ”。"
    ]


def test_full_width_colon_inside_a_value_is_fine() -> None:
    assert messages("problems:\n  - 主要问题：人口流动大\n") == []


def test_tab_indentation() -> None:
    assert messages("work:\n\t- topic: 党的建设\n") == [
        "t.yaml 第2行：缩进里有制表符（Tab），YAML 只认空格，请把 Tab 换成空格（通常两个空格一层）。"
    ]


def test_syntax_error_is_explained_in_chinese() -> None:
    (message,) = messages("town: 甲镇\n  year: 2024\n")
    assert message.startswith("t.yaml 第2行：YAML 格式错误：")


def test_python_tags_are_refused() -> None:
    (message,) = messages("town: !!python/object/apply:os.system [echo]\n")
    assert "不支持的 YAML 标签" in message and message.startswith("t.yaml 第1行")


def test_alias_bomb_stops_early() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    (message,) = messages("\n".join(lines))
    assert "别名" in message


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, b""])
def test_utf8_with_or_without_bom(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(bom + "town: 甲镇\n".encode())
    assert load_file(path).data == {"town": "甲镇"}


def test_gb18030_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("town: 甲镇\n".encode("gb18030"))
    loaded = load_file(path)
    assert loaded.data == {"town": "甲镇"}
    assert loaded.warnings == ["s.yaml：文件是 GB18030/GBK 编码，已按此读取；建议另存为 UTF-8 编码。"]


def test_binary_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputFileError, match="这不是文本文件"):
        load_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="找不到文件"):
        load_file(tmp_path / "nope.yaml")
