"""Command line: each command maps options onto one library call and prints.

This is the one place where errors become a message and an exit code.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from draftgen.errors import DraftgenError, MiningError, printable

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DraftgenError as exc:
            _secho(f"错误：{exc}", fg="red", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _secho("已中断，没有写入任何文件。", fg="red", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _echo(message: Any = None, **options: Any) -> None:
    """click.echo for any text, a file name's undecodable bytes included."""
    click.echo(printable(message) if isinstance(message, str) else message, **options)


def _secho(message: Any = None, **options: Any) -> None:
    click.secho(printable(message) if isinstance(message, str) else message, **options)


def _warn(messages: list[str]) -> None:
    for message in messages:
        _secho(f"提示：{message}", fg="yellow", err=True)


def _usage_message(exc: click.UsageError) -> str:
    """Click's usage errors, said in Chinese with the fix."""
    command = exc.ctx.command_path if exc.ctx else "draftgen"
    hint = f"运行 {command} --help 查看用法。"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        if exc.param.name == "facts_path":
            return f"缺少选项 --facts（事实表 YAML 文件），例如：draftgen new 2024 --facts 青川镇.yaml。{hint}"
        if exc.param.name == "year":
            return f"缺少年度，例如：draftgen new 2024 --facts 青川镇.yaml。{hint}"
        return f"缺少参数 {exc.param.name}。{hint}"
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        param = exc.param
        if isinstance(param.type, click.Choice):
            choices = "、".join(str(c) for c in param.type.choices)
            return f"选项 {param.opts[0]} 只能是：{choices}。"
        if param.name in ("year", "seed"):
            return "年度应是整数，如 2024。" if param.name == "year" else "--seed 应是整数，如 7。"
        if param.name == "jobs":
            return f"--jobs 应是正整数（进程数），如 2。{hint}"
        return f"参数 {param.opts[0]} 的值不对：{exc.format_message()}。{hint}"
    if isinstance(exc, click.NoSuchOption):
        guess = f"是不是 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}。{guess}{hint}"
    message = exc.format_message()
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        commands = "、".join(main.commands)
        return f"没有命令“{name}”，可用的命令：{commands}。运行 draftgen --help 查看用法。"
    return f"用法不对（{message}）。{hint}"


def _stop_cleanly_on_terminate() -> None:
    """SIGTERM (a closed terminal, a killed job) unwinds like Ctrl-C, so a half-written
    temporary file is removed and no output is left behind."""
    import signal

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # not the main thread, or no SIGTERM on this platform: nothing to do
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGTERM, interrupt)


class _Group(click.Group):
    """Usage errors in Chinese, exit code 2, in one place."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        _stop_cleanly_on_terminate()
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            _echo(exc.ctx.get_help() if exc.ctx else "")
            sys.exit(0)
        except click.UsageError as exc:
            _secho(f"错误：{_usage_message(exc)}", fg="red", err=True)
            sys.exit(2)
        except click.exceptions.Abort:
            _secho("已中断，没有写入任何文件。", fg="red", err=True)
            sys.exit(130)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="draftgen", message="draftgen %(version)s")
def main() -> None:
    """draftgen：根据事实表（YAML）起草乡镇、街道年度工作总结和工作打算。

    \b
    常用：
      draftgen init -o 青川镇.yaml            生成带说明的事实表骨架
      draftgen new 2024 --facts 青川镇.yaml   起草 2024 年工作总结
      draftgen schema > factsheet.schema.json 导出事实表的 JSON Schema
      draftgen serve                          在浏览器里打开工作台（不用命令行也能用）
    """


@main.command("new")
@click.argument("year", type=int)
@click.option("--facts", "facts_path", required=True, type=click.Path(path_type=Path),
              help="事实表 YAML 文件。")
@click.option("--form", type=click.Choice(["annual", "half-year", "thematic", "highlights"]),
              help="文体：annual 年度总结和打算，half-year 半年总结，thematic 专题体（聚焦…推进…提升…），"
                   "highlights 亮点体（——领起）。默认按事实表的 period。")
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]),
              help="输出格式：md（Markdown）或 docx（公文格式的 Word 文档）。默认按 -o 的扩展名，否则 md。")
@click.option("-o", "--output", type=str,
              help="输出文件；“-”表示输出到屏幕（仅 Markdown）。"
                   "默认按标题命名，如 青川镇2024年工作总结和2025年工作打算.md。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.option("--reference-docx", type=click.Path(path_type=Path, dir_okay=False),
              help="本单位的模板 .docx：沿用其中的页面设置和样式（只用于 docx）。")
@click.option("--provenance", is_flag=True,
              help="在 docx 的每段加批注，写明用到的事实和短语库条目；定稿前删除批注即可。")
@click.option("--seed", type=int, help="措辞选择的随机种子；默认由乡镇名称和年度决定，同样的输入得到同样的草稿。")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False),
              help="自定义模板文件夹，其中的同名文件覆盖自带模板。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="自定义短语库文件夹，其中的条目补充或覆盖自带短语库。")
@click.option("--override-year", is_flag=True, help="命令里的年度与事实表 year 不一致时，按命令里的年度起草。")
@_handle_errors
def new_command(year: int, facts_path: Path, form: str | None, fmt: str | None, output: str | None,
                force: bool, reference_docx: Path | None, provenance: bool, seed: int | None,
                templates: Path | None, phrasebank: Path | None, override_year: bool) -> None:
    """起草 YEAR 年的工作总结（Markdown 或 DOCX）。"""
    from draftgen.api import build_draft, draft_docx
    from draftgen.formats.output import write_bytes

    fmt = _output_format(fmt, output, reference_docx, provenance)
    result = build_draft(facts_path, year=year, form=form, seed=seed, templates=templates,
                         phrasebank=phrasebank, override_year=override_year)
    _warn(result.warnings)
    if output == "-":
        _echo(result.markdown, nl=False)
        return
    if fmt == "docx":
        notices: list[str] = []
        data = draft_docx(result, reference=reference_docx, provenance=provenance, notices=notices)
        _warn(notices)
        target = Path(output) if output else Path(result.filename).with_suffix(".docx")
    else:
        data = result.markdown.encode("utf-8")
        target = Path(output) if output else Path(result.filename)
    write_bytes(target, data, force=force)
    note = f"，其中 {result.placeholders} 处【待补充】需要补写" if result.placeholders else ""
    _echo(f"已生成 {target}{note}。")


def _output_format(fmt: str | None, output: str | None, reference: Path | None, provenance: bool) -> str:
    """md or docx, from --format, else from the output's extension; contradictions are errors."""
    from draftgen.errors import DraftgenError

    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    by_name = {".docx": "docx", ".md": "md", ".markdown": "md"}.get(suffix)
    if fmt and by_name and fmt != by_name:
        raise DraftgenError(f"--format {fmt} 与输出文件名“{output}”的扩展名不一致，请改成一致的一个。")
    chosen = fmt or by_name or ("docx" if reference or provenance else "md")
    if output == "-" and chosen == "docx":
        raise DraftgenError("DOCX 不能输出到屏幕，请用 -o 指定 .docx 文件名。")
    if chosen == "md" and (reference or provenance):
        flag = "--reference-docx" if reference else "--provenance"
        raise DraftgenError(f"{flag} 只用于 docx 输出，请加 --format docx 或把 -o 的扩展名改为 .docx。")
    return chosen


@main.command("init")
@click.option("-o", "--output", type=str, default="-", show_default=True,
              help="写入的文件；“-”表示输出到屏幕。")
@click.option("--town", help="乡镇（街道）名称；默认取输出文件名（--from 时取去年的报告）。")
@click.option("--year", type=int, help="总结的年度；默认今年（--from 时为去年报告的下一年）。")
@click.option("--from", "from_report", type=click.Path(path_type=Path, dir_okay=False),
              help="去年的报告（.docx/.txt/.md）：上年数、目标、去年打算的各条和问题都从它来。")
@click.option("--indicators", type=click.Path(path_type=Path, dir_okay=False),
              help="统计部门的指标表（.xlsx 或 .csv；列：名称/数值/单位/上年/增长/目标）。")
@click.option("--sheet", help="指标表里的工作表名；默认第一张。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="与 --from 一起用：叠加在自带短语库上的文件夹，按其中的领域归类去年的工作。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的文件。")
@_handle_errors
def init_command(output: str, town: str | None, year: int | None, from_report: Path | None,
                 indicators: Path | None, sheet: str | None, phrasebank: Path | None, force: bool) -> None:
    """生成一份带中文说明的事实表骨架；用 --from 时从去年的报告生成今年的事实表。"""
    from draftgen.formats.output import write_text
    from draftgen.sheet.skeleton import skeleton

    if from_report is None and (indicators or sheet):
        raise click.UsageError("--indicators 和 --sheet 要和 --from 一起用。")
    if from_report is not None:
        from draftgen.api import next_year_sheet

        last_year = year - 1 if year is not None else None
        text = next_year_sheet(from_report, indicators=indicators, sheet=sheet, year=last_year, town=town,
                               phrasebank=phrasebank)
    else:
        name = town or (Path(output).stem if output != "-" else None)
        text = skeleton(name, year)
    if output == "-":
        _echo(text, nl=False)
        return
    write_text(Path(output), text, force=force)
    _echo(f"已生成 {output}，请按注释填写后运行 draftgen new。")


@main.command("extract")
@click.argument("report", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=str, default="-", show_default=True,
              help="写入的事实表；“-”表示输出到屏幕。")
@click.option("--year", type=int, help="总结的年度；报告里没有（或已脱敏）时必须给出。")
@click.option("--town", help="乡镇（街道）名称；默认从报告里读。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="叠加在自带短语库上的文件夹：按其中的领域归类报告里的工作。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的文件。")
@_handle_errors
def extract_command(report: Path, output: str, year: int | None, town: str | None, phrasebank: Path | None,
                    force: bool) -> None:
    """从一份已有的报告（.docx、.txt 或 .md）读出事实表：每个值后注明原文，供逐条核对。"""
    from draftgen.api import extract_file

    result = extract_file(report, year=year, town=town, phrasebank=phrasebank)
    got, total = result.extracted.captured()
    _emit(result.yaml, output, force)
    if total:
        _echo(f"总结部分共 {total} 个数字，读入事实表 {got} 个；请对照“原文”注释核对。", err=True)


@main.command("schema")
@_handle_errors
def schema_command() -> None:
    """输出事实表的 JSON Schema，供编辑器补全和检查 YAML。"""
    from draftgen.sheet.spec import json_schema

    _echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.group("phrases")
def phrases_group() -> None:
    """查看、添加、检查短语库，从报告里挖掘新表述，从改过的稿子里收集新写法。"""


def _dump_yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def _emit(text: str, output: str | None, force: bool) -> None:
    from draftgen.formats.output import write_text

    if output and output != "-":
        write_text(Path(output), text, force=force)
        _echo(f"已写入 {output}。", err=True)
    else:
        _echo(text, nl=False)


@phrases_group.command("list")
@click.option("--role", help="只看某个角色（可写前缀，如 heading）。")
@click.option("--topic", help="只看某个领域（名称或别名）。")
@click.option("--search", help="只看包含这段文字的条目。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False), help="叠加在自带短语库上的文件夹。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@_handle_errors
def phrases_list(role: str | None, topic: str | None, search: str | None, phrasebank: Path | None,
                 as_json: bool) -> None:
    """列出短语库条目。"""
    from draftgen.api import as_dict, find
    from draftgen.bank.phrasebank import load_bank

    entries = find(load_bank(phrasebank), role, topic, search)
    if as_json:
        _echo(json.dumps([as_dict(e) for e in entries], ensure_ascii=False, indent=2))
        return
    for entry in entries:
        _echo(f"{entry.id}\t{entry.role}\t{entry.topic or '-'}\t{entry.text}")
    _echo(f"共 {len(entries)} 条。", err=True)


@phrases_group.command("show")
@click.argument("entry_id")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False), help="叠加在自带短语库上的文件夹。")
@_handle_errors
def phrases_show(entry_id: str, phrasebank: Path | None) -> None:
    """显示一条短语的全部信息。"""
    from draftgen.api import as_dict, show
    from draftgen.bank.phrasebank import load_bank

    _echo(_dump_yaml(as_dict(show(load_bank(phrasebank), entry_id))), nl=False)


@phrases_group.command("add")
@click.argument("text")
@click.option("--role", required=True, help="角色，如 measure、closing、heading.work。")
@click.option("--topic", help="领域（名称或别名）。")
@click.option("--file", "file_", type=click.Path(path_type=Path, dir_okay=False),
              help="写入哪个短语库文件；默认为 ./phrasebank 里已放同类条目最多的文件。")
@click.option("--id", "entry_id", help="条目 id；默认接着文件里的编号。")
@_handle_errors
def phrases_add(text: str, role: str, topic: str | None, file_: Path | None, entry_id: str | None) -> None:
    """往短语库文件里添加一条（保留原文件的注释、顺序和格式）。槽位可写中文名，如 {领域}。"""
    from draftgen.api import add_entry

    path, new_id, written = add_entry(role, text, topic=topic, file=file_, entry_id=entry_id)
    _echo(f"已添加 {new_id} 到 {path}：{written}")


@phrases_group.command("lint")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@_handle_errors
def phrases_lint(folder: Path | None) -> None:
    """检查短语库（默认自带的；给出文件夹则检查它叠加后的结果）。有问题时退出码为 1。"""
    from draftgen.api import describe, lint

    findings = lint(folder)
    for finding in findings:
        _echo(describe(finding))
    if findings:
        _secho(f"发现 {len(findings)} 处问题。", fg="red", err=True)
        sys.exit(1)
    _echo("短语库检查通过，没有发现问题。")


@phrases_group.command("stats")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False), help="叠加在自带短语库上的文件夹。")
@click.option("--usage", "drafts", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="用 --provenance 生成、又经人修改的 .docx：统计各条目被保留、改写、删除的次数（可多次给出）。")
@_handle_errors
def phrases_stats(phrasebank: Path | None, drafts: tuple[Path, ...]) -> None:
    """各角色、各领域的条目数，缺口，以及写作者对条目的取舍。"""
    from draftgen.api import stats, usage
    from draftgen.bank.phrasebank import load_bank

    result = stats(phrasebank)
    used = usage(load_bank(phrasebank), list(drafts)) if drafts else None  # a bad file stops before any output
    _echo(f"共 {result['total']} 条。")
    for role, topics in sorted(result["table"].items()):
        parts = "，".join(f"{t} {n}" for t, n in sorted(topics.items()))
        _echo(f"{role}\t{sum(topics.values())}\t{parts}")
    _echo("缺口：" + ("；".join(result["gaps"]) if result["gaps"] else "无"))
    if used is not None:
        ids = sorted(set(used.kept) | set(used.changed) | set(used.deleted))
        _echo("条目\t保留\t改写\t删除")
        for entry_id in ids:
            _echo(f"{entry_id}\t{used.kept[entry_id]}\t{used.changed[entry_id]}\t{used.deleted[entry_id]}")


@phrases_group.command("mine")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", help="写入候选条目的 YAML 文件；默认输出到屏幕。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组（text、df、count、examples…）。")
@click.option("--min-docs", default=2, show_default=True, help="至少在几篇报告里出现。")
@click.option("--limit", default=300, show_default=True, help="最多列出多少条。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="用几个进程分词计数；默认用上全部 CPU 核。")
@click.option("--by-year", is_flag=True,
              help="按年份统计每条候选用在几篇报告里、用得越来越多还是越来越少（年份取自文件名或标题）。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="叠加在自带短语库上的文件夹：其中已有的表述标为已收录。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@_handle_errors
def phrases_mine(paths: tuple[Path, ...], output: str | None, as_json: bool, min_docs: int, limit: int,
                 jobs: int | None, by_year: bool, phrasebank: Path | None, force: bool) -> None:
    """从报告（.txt、.md、.docx 或文件夹）里挖掘反复出现的表述、带槽位的框架和标题样式。"""
    import os
    import time

    from draftgen.api import collect, mine, portions
    from draftgen.bank.phrasebank import load_bank

    sources = collect(list(paths))
    total = sum(s.size for s in sources)
    known = [e.text for e in load_bank(phrasebank).entries.values()]
    cores = os.cpu_count() or 1
    # no more processes than there is work for: a file each, a long file (a compilation) shared by all
    jobs = jobs or min(cores, max(1, sum(portions(s, cores) for s in sources)))
    if total > 2_000_000:
        start = time.perf_counter()
        passes = 2 if by_year else 1  # with --by-year the reports are read once more, to count by year

        def rate(done: int | None) -> str:
            seconds = time.perf_counter() - start
            return f"{(done or 0) / passes / 1e6 / seconds:.1f} MB/s" if seconds > 0.5 else ""

        with click.progressbar(length=total * passes, label="挖掘中", file=sys.stderr, item_show_func=rate) as bar:
            result = mine(sources, min_docs=min_docs, limit=limit, known=known, jobs=jobs, by_year=by_year,
                          progress=lambda size: bar.update(size, bar.pos + size))
    else:
        result = mine(sources, min_docs=min_docs, limit=limit, known=known, jobs=jobs, by_year=by_year)
    if result.skipped and not result.documents:
        first, *others = result.skipped.values()
        raise MiningError(first + (f"（另有 {len(others)} 个文件也读不了，没有一篇可挖掘。）" if others else ""))
    for why in result.skipped.values():
        _echo(f"跳过：{why}", err=True)
    if by_year and not result.reports_by_year:
        raise MiningError("没有一篇报告认得出年份。请在文件名里写上年份（如“石门乡-2023.txt”），"
                             "或让标题写明年份（如“2023年工作总结”）。")
    skipped = f"，跳过 {len(result.skipped)} 个读不了的文件（见上）" if result.skipped else ""
    _echo(f"读了 {result.documents} 篇报告（{result.bytes / 1e6:.1f} MB，分词：{result.segmenter}）{skipped}，"
               f"得到 {len(result.candidates)} 条候选。", err=True)
    if by_year:
        years = "，".join(f"{year} 年 {n} 篇" for year, n in result.reports_by_year.items())
        rising = sum(c.trend == "rising" for c in result.candidates)
        falling = sum(c.trend == "falling" for c in result.candidates)
        _echo(f"按年份：{years}；用得越来越多的 {rising} 条（trend: rising），"
                   f"越来越少的 {falling} 条（trend: falling）。", err=True)
    items = [c.as_dict() for c in result.candidates]
    if as_json:
        _emit(json.dumps(items, ensure_ascii=False, indent=2) + "\n", output, force)
        return
    entries = [{"id": f"cand.{i:04d}", **item} for i, item in enumerate(items, start=1)]
    _emit(_dump_yaml({"entries": entries}), output, force)


@phrases_group.command("harvest")
@click.argument("edited", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--draft", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="draftgen 生成的原稿（.docx 或 .md）；给出时只比较两稿。")
@click.option("-o", "--output", help="写入候选条目的 YAML 文件；默认输出到屏幕。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="叠加在自带短语库上的文件夹：其中已有的写法不再列出。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@_handle_errors
def phrases_harvest(edited: Path, draft: Path | None, output: str | None, phrasebank: Path | None,
                    force: bool) -> None:
    """从写作者改过的稿子里找出新写、改写的句子和标题，作为候选条目。"""
    from draftgen.api import harvest
    from draftgen.bank.phrasebank import load_bank

    found = harvest(edited, load_bank(phrasebank), draft)
    entries = [h.as_dict(i, edited.name) for i, h in enumerate(found, start=1)]
    _echo(f"找到 {len(entries)} 条新写或改写的表述。", err=True)
    _emit(_dump_yaml({"entries": entries}), output, force)



@main.command("check")
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--facts", "facts_path", type=click.Path(path_type=Path, dir_okay=False),
              help="事实表：核对数字是否与事实表一致（过时的数字、增减写反、增幅不对、删掉的事实）。")
@click.option("--year", type=int, help="总结的年度；默认取事实表的 year 或标题里的年份。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组（rule、severity、excerpt、location、message）。")
@click.option("--ignore", multiple=True, help="不检查某条规则（可多次给出；写 wording 表示整组）。")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="配置文件（YAML）：ignore 列表，overused 各词上限，repeat_min_chars 等。")
@click.option("--plan", "plan", type=click.Path(path_type=Path, dir_okay=False),
              help="去年的报告（.docx/.txt/.md）：去年工作打算里的每一条、每个目标，今年的稿子是否都有交代。")
@click.option("--fix", is_flag=True,
              help="把机械性的问题（中文里的半角标点、重复的标点）改好，写进 -o 指定的副本：DOCX 以修订方式标出。")
@click.option("-o", "--output", "fix_output", type=click.Path(path_type=Path, dir_okay=False),
              help="与 --fix 一起用：改好后的副本；默认在原文件名后加“-已改”。原文件不会被改动。")
@click.option("--force", is_flag=True, help="与 --fix 一起用：允许覆盖已存在的副本。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="叠加在自带短语库上的文件夹：起草时用了 --phrasebank，检查时也给出同一个"
                   "（年份提法、搭配、评价按它检查）。")
@_handle_errors
def check_command(draft: Path, facts_path: Path | None, year: int | None, as_json: bool,
                  ignore: tuple[str, ...], config: Path | None, plan: Path | None, fix: bool,
                  fix_output: Path | None, force: bool, phrasebank: Path | None) -> None:
    """检查改过的稿子（.docx 或 .md）：数字、残留的占位符和批注、年份提法、序号和标题、措辞。

    有“错误”时退出码为 1，没有为 0，输入有问题为 2。
    """
    from draftgen.api import check_file, has_errors, load_settings, report_lines
    from draftgen.sheet.validation import load_facts_file

    settings = load_settings(config, ignore)
    facts = load_facts_file(facts_path) if facts_path else None
    findings = check_file(draft, facts=facts, year=year, settings=settings, plan=plan, phrasebank=phrasebank)
    if fix:
        from draftgen.api import fix_file
        from draftgen.formats.output import write_bytes

        target = fix_output or draft.with_name(f"{draft.stem}-已改{draft.suffix}")
        if target.resolve() == draft.resolve():
            from draftgen.errors import DraftgenError

            raise DraftgenError("副本不能是原稿本身，请用 -o 指定另一个文件名。")
        result = fix_file(draft)
        write_bytes(target, result.data, force=force)
        _echo(f"已把 {result.paragraphs} 段里的半角标点、重复标点改好，写入 {target}"
                   f"{'（以修订方式标出，可逐条接受或拒绝）' if target.suffix.lower() == '.docx' else ''}。", err=True)
    if as_json:
        _echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for line in report_lines(findings):
            _echo(line)
        errors = sum(f.severity == "error" for f in findings)
        others = len(findings) - errors
        _echo(f"共 {errors} 个错误、{others} 个警告或提示。" if findings else "没有发现问题。", err=True)
    if has_errors(findings):
        sys.exit(1)


@main.command("update")
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--facts", "facts_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="新的事实表（统计数据定稿后的数字、新完成的项目、新增的问题……）。")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出文件；默认在原文件名后加“-更新”。原文件不会被改动。")
@click.option("--old-facts", type=click.Path(path_type=Path, dir_okay=False),
              help="起草时用的事实表；稿子里没有 draftgen 的起草记录时必须给出。")
@click.option("--no-track", is_flag=True, help="直接改写，不以修订（审阅）方式标出改动。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出改动清单。")
@click.option("--phrasebank", type=click.Path(path_type=Path, file_okay=False),
              help="叠加在自带短语库上的文件夹：起草时用了 --phrasebank，更新时也给出同一个。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@_handle_errors
def update_command(draft: Path, facts_path: Path, output: Path | None, old_facts: Path | None,
                   no_track: bool, as_json: bool, phrasebank: Path | None, force: bool) -> None:
    """把新事实表里的数字更新进已经改过的 DOCX 稿：改动以修订方式标出，可逐条接受或拒绝。

    没改过的段落换成新稿的文字；改过的段落只替换变了的数字，放不准的地方保留原文并加批注说明。
    """
    from draftgen.api import update_docx
    from draftgen.formats.output import write_bytes

    target = output or draft.with_name(f"{draft.stem}-更新{draft.suffix or '.docx'}")
    if target.resolve() == draft.resolve():
        from draftgen.errors import DraftgenError

        raise DraftgenError("输出文件不能是原稿本身，请用 -o 指定另一个文件名。")
    result = update_docx(draft, facts_path, old_facts=old_facts, track=not no_track, phrasebank=phrasebank)
    _warn(result.warnings)
    write_bytes(target, result.data, force=force)
    if as_json:
        _echo(json.dumps({"output": str(target), "changes": [c.as_dict() for c in result.changes]},
                              ensure_ascii=False, indent=2))
        return
    labels = {"updated": "整段更新", "figures": "改过的段落里更新", "inserted": "新增", "deleted": "删去",
              "conflict": "需要人工处理（已加批注）"}
    for change in result.changes:
        _echo(f"{labels[change.kind]}：{change.where} —— {change.detail}")
    summary = "，".join(f"{labels[k]} {result.count(k)} 处" for k in labels if result.count(k))
    _echo(f"已生成 {target}：{summary or '没有需要更新的内容'}。", err=True)



@main.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听的地址；默认只有本机能打开。写 0.0.0.0 让同一局域网的同事也能用（会生成访问口令）。")
@click.option("--workspace", type=click.Path(path_type=Path, file_okay=False), default=".",
              show_default=True, help="工作文件夹：事实表从这里打开、保存到这里，添加的短语存进其中的 phrasebank。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@_handle_errors
def serve_command(port: int, host: str, workspace: Path, no_browser: bool) -> None:
    """在浏览器里打开工作台：填事实表、看草稿随改随变、下载 DOCX、上传改过的稿子检查或更新、管理短语库。

    按 Ctrl+C 关闭。
    """
    from draftgen.web.server import Started, serve

    def announce(started: Started) -> None:
        _echo(f"工作台已启动：{started.url}")
        if started.lan_url:
            _echo(f"局域网内的同事请打开：{started.lan_url}")
            _echo("这个地址里含有访问口令，只发给需要的人；关闭工作台后口令作废。")
        _echo("按 Ctrl+C 关闭。")

    serve(workspace, host=host, port=port, open_browser=not no_browser, announce=announce)


if __name__ == "__main__":
    main()
