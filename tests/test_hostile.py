"""Hostile input, generated here (no stored bombs): every case is one Chinese line naming
the problem, exit code 2, no traceback, nothing written, in bounded time and memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import example_path

SHEETS = {
    "impossible date": ("town: 甲镇\nyear: 2024\ndate: 2024-02-30\n", "第3行：“2024-02-30”不是有效的日期"),
    "5000-digit number": ("town: 甲镇\nyear: 2024\nindicators:\n  - {name: 产值, value: 1" + "9" * 5000
                          + ", unit: 亿元}\n", "第4行：这个值有 5001 个字符，太长了"),
    "base-60 number": ("town: 甲镇\nyear: 2024\nindicators:\n  - {name: 产值, value: 190:20:30, unit: 亿元}\n",
                       "第4行：“190:20:30”会被读成六十进制的数"),
    "path in town": ("town: ../../x/甲镇\nyear: 2024\n", "第1行：“town”是名称，不能含有“/”"),
    "absolute path in town": ("town: /tmp/甲镇\nyear: 2024\n", "第1行：“town”是名称"),
    "line break in town": ('town: "甲镇\\n# 注入的标题"\nyear: 2024\n', "第1行：“town”里有控制字符或换行"),
    "control character": ('town: "甲\\x07镇"\nyear: 2024\n', "第1行：“town”里有控制字符"),
    "negative investment": ("town: 甲镇\nyear: 2024\nprojects:\n  - {name: 路, investment: {value: -5, unit: 万元}}\n",
                            "第4行：“projects › 第1项 › investment › value”是 -5，不能小于 0"),
    "negative base": ("town: 甲镇\nyear: 2024\nindicators:\n  - {name: 清收, value: 3, unit: 笔, base: -9}\n",
                      "不能小于 0"),
    "number too big": ("town: 甲镇\nyear: 2024\nindicators:\n  - {name: 产值, value: 1.0e+300, unit: 亿元}\n",
                       "不是有效的数字"),
    "long name": ("town: " + "甲" * 80 + "镇\nyear: 2024\n", "不超过 60 个字"),
    "deep nesting": ("town: 甲镇\nyear: 2024\nwork: " + "[" * 400 + "]" * 400 + "\n", "嵌套了几百层"),
}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "draftgen.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_hostile_sheet(tmp_path: Path, name: str) -> None:
    text, message = SHEETS[name]
    (tmp_path / "事实表.yaml").write_text(text, encoding="utf-8")
    result = run(["new", "2024", "--facts", "事实表.yaml", "--format", "docx"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and message in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["事实表.yaml"]


TEMPLATES = {
    "string times a billion": ('{{ "x" * 1000000000 }}', "模板要把文字重复 1000000000 次"),
    "huge power": ("{{ 10 ** 100000 }}", "乘方"),
    "range too big": ("{% for i in range(100000000) %}x{% endfor %}", "计算太大"),
    "output too long": ("{% for i in range(90000) %}{% for j in range(90000) %}x{% endfor %}{% endfor %}",
                        "写出的内容超过 2 MB"),
    "recursion": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "计算太大"),
    "division by zero": ("{{ 1 / 0 }}", "运行出错"),
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_hostile_template(tmp_path: Path, name: str) -> None:
    source, message = TEMPLATES[name]
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "annual.md.j2").write_text(source, encoding="utf-8")
    (tmp_path / "事实表.yaml").write_text("town: 甲镇\nyear: 2024\n", encoding="utf-8")
    result = run(["new", "2024", "--facts", "事实表.yaml", "--templates", "模板"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and message in result.stderr, result.stderr
    assert not list(tmp_path.glob("*.md"))
    cached = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert cached < 5_000_000  # no blown-up template kept in the cache


def test_template_link_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("不该出现在草稿里的内容", encoding="utf-8")
    (folder / "_macros.md.j2").symlink_to(secret)
    (folder / "annual.md.j2").write_text('{% include "_macros.md.j2" %}', encoding="utf-8")
    (tmp_path / "事实表.yaml").write_text("town: 甲镇\nyear: 2024\n", encoding="utf-8")
    result = run(["new", "2024", "--facts", "事实表.yaml", "--templates", "模板", "-o", "-"], tmp_path)
    assert result.returncode == 2 and "指向文件夹外的链接" in result.stderr
    assert "不该出现" not in result.stdout


def test_bank_link_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    bank = tmp_path / "短语库"
    bank.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("entries:\n  - {id: x.01, role: closing, text: 外面的条目}\n", encoding="utf-8")
    (bank / "mine.yaml").symlink_to(outside)
    (tmp_path / "事实表.yaml").write_text("town: 甲镇\nyear: 2024\n", encoding="utf-8")
    result = run(["new", "2024", "--facts", "事实表.yaml", "--phrasebank", "短语库", "-o", "-"], tmp_path)
    assert result.returncode == 2 and "指向短语库文件夹外的链接" in result.stderr


def test_user_bank_bombs_and_broken_files(tmp_path: Path) -> None:
    bank = tmp_path / "短语库"
    bank.mkdir()
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(12):  # ten to the twelfth items once expanded
        lines.append(f"b{i}: &b{i} [" + ", ".join([f"*{'a' if i == 0 else f'b{i - 1}'}"] * 10) + "]")
    lines.append("entries: *b11")
    cases = {
        "alias bomb": ("\n".join(lines) + "\n", "别名（*引用）展开过多"),
        "entries not a list": ("entries: 42\n", "entries: 应是一个列表"),
        "duplicate key": ("entries:\n  - {id: a.1, id: a.2, role: closing, text: 甲}\n", "键“id”重复了"),
    }
    (tmp_path / "事实表.yaml").write_text("town: 甲镇\nyear: 2024\n", encoding="utf-8")
    for name, (text, message) in cases.items():
        (bank / "mine.yaml").write_text(text, encoding="utf-8")
        result = run(["new", "2024", "--facts", "事实表.yaml", "--phrasebank", "短语库", "-o", "-"], tmp_path)
        assert result.returncode == 2 and message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr


def test_oversized_text_inputs(tmp_path: Path) -> None:
    sheet = tmp_path / "事实表.yaml"
    sheet.write_bytes(b"town: \xe7\x94\xb2\xe9\x95\x87\nyear: 2024\n" + b"# " + b"x" * 6_000_000 + b"\n")
    result = run(["new", "2024", "--facts", "事实表.yaml"], tmp_path)
    assert result.returncode == 2 and "事实表（YAML）不会超过 5 MB" in result.stderr
    config = tmp_path / "规则.yaml"
    config.write_text("limits: {total_mb: 1}\n", encoding="utf-8")
    draft = tmp_path / "草稿.md"
    draft.write_text("# 甲镇2024年工作总结\n\n" + "完成任务。" * 300_000, encoding="utf-8")
    result = run(["check", "草稿.md", "--year", "2024", "--config", "规则.yaml"], tmp_path)
    assert result.returncode == 2 and "超过上限 1 MB" in result.stderr


def test_many_findings_of_one_kind_are_grouped(tmp_path: Path) -> None:
    draft = tmp_path / "稿.md"
    draft.write_text("# 甲镇2024年工作总结\n\n## 一、工作\n\n"
                     + "\n\n".join(f"完成第{i}项任务,推进工作。" for i in range(40)) + "\n", encoding="utf-8")
    result = run(["check", "稿.md", "--year", "2024"], tmp_path)
    half = [line for line in result.stdout.splitlines() if "wording.half-width" in line]
    assert len(half) == 4 and "还有 37 处同类问题（共 40 处" in half[-1]
    as_json = run(["check", "稿.md", "--year", "2024", "--json"], tmp_path)
    assert as_json.stdout.count('"wording.half-width"') == 40


BAD_FILES = {
    "binary.docx": bytes(range(256)) * 40,
    "binary.txt": b"\x00\x01\x02" * 5000,
    "empty.docx": b"",
    "not-a-zip.docx": b"PK\x03\x04 not a zip at all",
}
COMMANDS = {
    "check": ["check", "{file}", "--year", "2024"],
    "harvest": ["phrases", "harvest", "{file}"],
    "stats": ["phrases", "stats", "--usage", "{file}"],
    "mine": ["phrases", "mine", "{file}"],
    "update": ["update", "{file}", "--facts", "事实表.yaml"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_every_reading_command_refuses_bad_files(tmp_path: Path, command: str, name: str) -> None:
    (tmp_path / name).write_bytes(BAD_FILES[name])
    (tmp_path / "事实表.yaml").write_text("town: 甲镇\nyear: 2024\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run([a.replace("{file}", name) for a in COMMANDS[command]], tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.startswith("错误：") and name in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == [b for b in before if b != "cache"]


def test_a_device_or_a_pipe_given_as_a_sheet_is_refused_at_once(tmp_path: Path) -> None:
    """/dev/zero never ends and a pipe waits for ever: one Chinese line, no memory spent."""
    import os

    pipe = tmp_path / "管道.yaml"
    os.mkfifo(pipe)
    for given in ("/dev/zero", "/dev/urandom", str(pipe)):
        result = run(["new", "2024", "--facts", given, "-o", "-"], tmp_path)
        assert result.returncode == 2 and "不是普通文件（是设备或管道）" in result.stderr, (given, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_file_name_that_is_not_utf8_is_shown_not_a_traceback(tmp_path: Path) -> None:
    """A name with bytes that are not UTF-8 (copied from an old GBK system): every command that
    reads or writes it says its one line, the odd byte shown as �."""
    import shutil

    from draftgen import build_draft
    from draftgen.api import draft_docx

    name = os.fsdecode(b"bad\xff.docx")
    (tmp_path / name).write_bytes(draft_docx(build_draft(example_path("taoyuan-town"))))
    shutil.copy(example_path("taoyuan-town"), tmp_path / "桃源镇.yaml")
    for args in (["check", name], ["extract", name, "-o", "-"], ["check", "--fix", name],
                 ["update", name, "--facts", "桃源镇.yaml"]):
        result = run(args, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert (tmp_path / os.fsdecode(b"bad\xff-\xe6\x9b\xb4\xe6\x96\xb0.docx")).is_file()  # bad?-更新.docx
