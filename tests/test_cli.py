"""The command line: exact messages and exit codes, no overwrite without --force."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import example_path
from draftgen.cli import main


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield lambda *args: runner.invoke(main, list(args), prog_name="draftgen")
    finally:
        os.chdir(cwd)


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return Path(shutil.copy(example_path("taoyuan-town"), tmp_path / "桃源镇.yaml"))


def test_new_writes_the_conventional_file_name(run, sheet: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "2024", "--facts", str(sheet))
    assert result.exit_code == 0, result.output
    target = tmp_path / "桃源镇2024年工作总结和2025年工作打算.md"
    assert result.output == f"已生成 {target.name}。\n"
    assert target.read_text(encoding="utf-8").startswith("# 桃源镇2024年工作总结和2025年工作打算")


def test_stdout_and_form(run, sheet: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "2024", "--facts", str(sheet), "--form", "thematic", "-o", "-")
    assert result.exit_code == 0
    assert "\n——桃源镇2024年工作总结和2025年工作打算\n" in result.output
    # a half-year report of twelve months' figures would put 上半年 over 1—12月: the sheet's period
    # is drafted, and the writer is told why
    result = run("new", "2024", "--facts", str(sheet), "--form", "half-year", "-o", "-")
    assert result.exit_code == 0
    assert result.output.startswith(
        "提示：事实表的 period 是 annual（全年的数据），按年度总结起草，没有按 --form half-year；"
        "要写另一种，请先在事实表里改 period 和数据。\n# 桃源镇2024年工作总结和2025年工作打算\n")


def test_existing_file_is_not_overwritten_without_force(run, sheet: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "草稿.md"
    target.write_text("writer's own edits", encoding="utf-8")
    result = run("new", "2024", "--facts", str(sheet), "-o", "草稿.md")
    assert result.exit_code == 2
    assert result.output == "错误：文件“草稿.md”已存在，未做改动。如要覆盖请加 --force，或用 -o 指定另一个文件名。\n"
    assert target.read_text(encoding="utf-8") == "writer's own edits"
    assert run("new", "2024", "--facts", str(sheet), "-o", "草稿.md", "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# 桃源镇")


def test_bad_sheet_lists_every_problem_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "坏.yaml"
    bad.write_text("town：甲镇\nyear: 2024\nperiod: yearly\n", encoding="utf-8")
    result = run("new", "2024", "--facts", str(bad))
    assert result.exit_code == 2
    assert result.output == (
        "错误：事实表有 2 处问题，请修改后重试：\n"
        "坏.yaml 第1行：键“town”后面用了全角冒号“：”，YAML 需要半角冒号“:”加一个空格，请改成“town: ”。\n"
        "坏.yaml 第3行：“period”的值“yearly”不在可选范围内，可选：annual、half-year。\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.yaml"]
    assert "Traceback" not in result.output


def test_year_mismatch(run, sheet: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "2023", "--facts", str(sheet), "-o", "-")
    assert result.exit_code == 2
    assert result.output == (
        "错误：命令里的年度 2023 与事实表 桃源镇.yaml 中的 year: 2024 不一致。"
        "若要起草 2024 年的总结，请运行 draftgen new 2024 …；若确实要按 2023 年起草，请加上 --override-year。\n")
    assert run("new", "2023", "--facts", str(sheet), "-o", "-", "--override-year").exit_code == 0


def test_missing_facts_file(run) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "2024", "--facts", "没有.yaml")
    assert result.exit_code == 2
    assert result.output == "错误：找不到文件“没有.yaml”，请检查路径是否正确。\n"


def test_missing_output_folder(run, sheet: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "2024", "--facts", str(sheet), "-o", "不存在/稿.md")
    assert result.exit_code == 2
    assert result.output == "错误：文件夹“不存在”不存在，请先创建它或换一个输出路径。\n"


def test_placeholders_are_counted(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "甲镇.yaml").write_text("town: 甲镇\nyear: 2024\n", encoding="utf-8")
    result = run("new", "2024", "--facts", "甲镇.yaml")
    assert result.exit_code == 0
    assert result.output.startswith("已生成 甲镇2024年工作总结和2025年工作打算.md，其中 ")
    assert result.output.endswith("处【待补充】需要补写。\n")


def test_init_writes_a_sheet_that_drafts(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("init", "-o", "青川镇.yaml", "--year", "2024")
    assert result.exit_code == 0
    text = (tmp_path / "青川镇.yaml").read_text(encoding="utf-8")
    assert "town: 青川镇" in text and "year: 2024" in text and "# " in text
    drafted = run("new", "2024", "--facts", "青川镇.yaml", "-o", "-")
    assert drafted.exit_code == 0 and drafted.output.startswith("# 青川镇2024年")
    assert run("init", "-o", "青川镇.yaml").exit_code == 2


def test_schema_is_json(run) -> None:  # type: ignore[no-untyped-def]
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["required"] == ["town", "year"]


@pytest.mark.parametrize("command", [[], ["new"], ["init"], ["schema"]])
def test_every_command_has_chinese_help(run, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.output)


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"draftgen {name}" in readme


@pytest.mark.parametrize(("args", "message"), [
    (["new", "2024"], "错误：缺少选项 --facts（事实表 YAML 文件），例如：draftgen new 2024 --facts 青川镇.yaml。"
                      "运行 draftgen new --help 查看用法。\n"),
    (["new", "今年", "--facts", "x.yaml"], "错误：年度应是整数，如 2024。\n"),
    (["new", "2024", "--facts", "x.yaml", "--form", "yearly"],
     "错误：选项 --form 只能是：annual、half-year、thematic、highlights。\n"),
    (["neww"],
     "错误：没有命令“neww”，可用的命令：new、init、extract、schema、phrases、check、update、serve。"
     "运行 draftgen --help 查看用法。\n"),
])
def test_usage_errors_in_chinese(run, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 2
    assert result.output == message


def test_docx_by_format_and_by_extension(run, sheet: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    result = run("new", "2024", "--facts", str(sheet), "--format", "docx")
    assert result.exit_code == 0, result.output
    assert result.output == "已生成 桃源镇2024年工作总结和2025年工作打算.docx。\n"
    assert run("new", "2024", "--facts", str(sheet), "-o", "草稿.docx").exit_code == 0
    document = docx.Document(str(tmp_path / "草稿.docx"))
    assert document.paragraphs[0].style.name == "Title"
    assert len(list(document.comments)) == 0
    assert run("new", "2024", "--facts", str(sheet), "-o", "批注.docx", "--provenance").exit_code == 0
    assert len(list(docx.Document(str(tmp_path / "批注.docx")).comments)) > 10


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "md", "-o", "稿.docx"],
     "错误：--format md 与输出文件名“稿.docx”的扩展名不一致，请改成一致的一个。\n"),
    (["--format", "docx", "-o", "-"], "错误：DOCX 不能输出到屏幕，请用 -o 指定 .docx 文件名。\n"),
    (["-o", "稿.md", "--provenance"],
     "错误：--provenance 只用于 docx 输出，请加 --format docx 或把 -o 的扩展名改为 .docx。\n"),
    (["-o", "稿.docx", "--reference-docx", "没有.docx"], "错误：找不到参考文档“没有.docx”，请检查路径是否正确。\n"),
])
def test_docx_option_errors(  # type: ignore[no-untyped-def]
        run, sheet: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = run("new", "2024", "--facts", str(sheet), *args)
    assert result.exit_code == 2
    assert result.output == message
    assert not list(tmp_path.glob("稿.*"))


def test_phrases_commands(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listed = run("phrases", "list", "--role", "closing")
    assert listed.exit_code == 0 and listed.output.startswith("closing.01\tclosing\t-\t")
    as_json = json.loads(run("phrases", "list", "--topic", "党建", "--search", "三会一课", "--json").output)
    assert [e["id"] for e in as_json] == ["m.dangjian.03"]
    shown = run("phrases", "show", "open.lead.01")
    assert shown.exit_code == 0 and "role: opening.leadership" in shown.output
    missing = run("phrases", "show", "open.lead.999")
    assert missing.exit_code == 2 and missing.output.startswith("错误：短语库里没有 id 为“open.lead.999”的条目。")
    assert run("phrases", "lint").output == "短语库检查通过，没有发现问题。\n"
    stats = run("phrases", "stats")
    assert stats.exit_code == 0 and stats.output.startswith("共 ") and "缺口：无" in stats.output


def test_phrases_lint_exit_code_on_findings(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from draftgen.bank.phrasebank import forget_loaded

    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "x.yaml").write_text("entries:\n  - {id: y.1, role: closing, text: '好好干,加油'}\n", encoding="utf-8")
    forget_loaded()
    result = run("phrases", "lint", str(folder))
    assert result.exit_code == 1
    assert result.output.startswith("x.yaml 第2行：[punctuation]")


def test_phrases_mine_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reports = tmp_path / "报告"
    reports.mkdir()
    for i, town in enumerate(("青川镇", "石门镇", "东风镇")):
        (reports / f"{i}.txt").write_text(
            f"{town}坚持把乡村振兴摆在突出位置，全力推进人居环境整治提升。\n"
            f"{town}在产业发展上实现新突破，在城乡建设上实现新突破。\n", encoding="utf-8")
    result = run("phrases", "mine", str(reports), "--json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert {"text", "df", "count", "examples"} <= set(items[0])
    texts = {item["text"] for item in items}
    assert "在{…}上实现新突破" in texts and "全力推进人居环境整治提升" in texts
    written = run("phrases", "mine", str(reports), "-o", "候选.yaml")
    assert written.exit_code == 0 and (tmp_path / "候选.yaml").read_text(encoding="utf-8").startswith("entries:")


@pytest.mark.parametrize("value", ["0", "两个"])
def test_phrases_mine_jobs_must_be_a_positive_count(run, tmp_path: Path, value: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("坚持党建引领。", encoding="utf-8")
    result = run("phrases", "mine", str(tmp_path), "--jobs", value)
    assert result.exit_code == 2
    assert result.output == "错误：--jobs 应是正整数（进程数），如 2。运行 draftgen phrases mine --help 查看用法。\n"


def test_phrases_mine_shares_one_compilation_among_all_cores(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """By default a process for each file, up to the cores; a long file (a compilation of
    reports) is shared by all of them."""
    from draftgen import api
    from draftgen.curate.mining import sources

    used: list[int] = []
    real = api.mine
    monkeypatch.setattr(api, "mine", lambda *args, **kw: used.append(kw["jobs"]) or real(*args, **kw))
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(sources, "LONG_BYTES", 1000)
    (tmp_path / "汇编.txt").write_text("扎实推进人居环境整治，村容村貌明显改善。\n" * 40, encoding="utf-8")
    assert run("phrases", "mine", "汇编.txt", "--json").exit_code == 0
    (tmp_path / "短.txt").write_text("扎实推进人居环境整治。\n", encoding="utf-8")
    assert run("phrases", "mine", "短.txt", "--json").exit_code == 0
    assert used == [4, 1]


def test_phrases_mine_by_year(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for year in (2022, 2023):
        for town in ("青川镇", "石门镇"):
            (tmp_path / f"{town}{year}.txt").write_text(f"{town}坚持党建引领，扎实推进人居环境整治。\n",
                                                        encoding="utf-8")
    result = run("phrases", "mine", str(tmp_path), "--by-year", "--json")
    assert result.exit_code == 0
    assert "按年份：2022 年 2 篇，2023 年 2 篇" in result.stderr
    item = next(i for i in json.loads(result.stdout) if i["text"] == "扎实推进人居环境整治")
    assert item["years"] == {"2022": 2, "2023": 2} and item["trend"] == "steady"


def test_phrases_mine_leaves_out_what_it_cannot_read(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An archive of thousands of files holds a few broken ones: each is named with why, the
    rest is mined as if it were not there; only when nothing can be read does mining stop."""
    reports = tmp_path / "报告"
    reports.mkdir()
    for year in (2022, 2023):
        for town in ("青川镇", "石门镇"):
            (reports / f"{town}{year}.txt").write_text(f"{town}坚持党建引领，扎实推进人居环境整治。\n",
                                                       encoding="utf-8")
    clean = run("phrases", "mine", str(reports), "--by-year", "--json")
    (reports / "坏了的2023.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (reports / "二进制2023.txt").write_bytes(b"\x00\x01\x02" * 100)
    (reports / "半截2023.txt").write_bytes(b"\xff\xfeA\x00\x00")  # UTF-16, cut in the middle of a character
    result = run("phrases", "mine", str(reports), "--by-year", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout == clean.stdout
    lines = result.stderr.splitlines()
    assert lines[:3] == [  # in the files' order
        f"跳过：{reports / '二进制2023.txt'}：这不是文本文件（含有空字节），"
        "请提供 UTF-8 编码的文本文件（事实表、短语库是 YAML）。",
        f"跳过：{reports / '半截2023.txt'}：文件标明是 UTF-16 编码，内容却不完整，无法读取。"
        "请在编辑器里用“另存为”选择 UTF-8 编码后重试。",
        f"跳过：“{reports / '坏了的2023.docx'}”不是有效的 .docx 文件（BadZipFile），请在 Word/WPS 中打开它，“另存为” "
        ".docx 格式后重试（或用 LibreOffice：soffice --headless --convert-to docx 文件名）。"]
    assert lines[3].startswith("读了 4 篇报告（0.0 MB，") and "跳过 3 个读不了的文件（见上）" in lines[3]
    assert "按年份：2022 年 2 篇，2023 年 2 篇" in result.stderr
    nothing = tmp_path / "全坏"
    nothing.mkdir()
    (nothing / "坏了的.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (nothing / "二进制.txt").write_bytes(b"\x00\x01\x02" * 100)
    refused = run("phrases", "mine", str(nothing), "-o", "out.yaml")
    assert refused.exit_code == 2 and not (tmp_path / "out.yaml").exists()
    assert refused.output.startswith(f"错误：{nothing / '二进制.txt'}：这不是文本文件（含有空字节）")
    assert refused.output.endswith("（另有 1 个文件也读不了，没有一篇可挖掘。）\n")


def test_phrases_mine_by_year_without_years(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("扎实推进人居环境整治。\n", encoding="utf-8")
    result = run("phrases", "mine", str(tmp_path), "--by-year", "-o", "out.yaml")
    assert result.exit_code == 2
    assert "错误：没有一篇报告认得出年份。请在文件名里写上年份" in result.output
    assert not (tmp_path / "out.yaml").exists()
