"""The one safe YAML loader.

It keeps line numbers for every value, reports duplicate keys (plain YAML keeps
the last one silently), catches a full-width colon or a tab typed where YAML
needs ``:`` or spaces, accepts a UTF-8 BOM, decodes GB18030 files, refuses
Python tags and caps alias expansion so a hostile file cannot eat memory.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from draftgen.errors import InputFileError, Problem

if TYPE_CHECKING:
    from ruamel.yaml import YAML

    from draftgen.sheet.model import FactSheet

PathKey = tuple[str | int, ...]

MAX_ALIASES = 100
MAX_NODES = 200_000


class YamlInt(int):
    """An int that remembers how it was written."""

    text: str


class YamlFloat(float):
    """A float that remembers how it was written (``1.20`` stays ``1.20``)."""

    text: str


@dataclass
class Loaded:
    """A YAML document as plain values, with the line of every path."""

    data: Any
    source: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


#: the largest YAML file read (a fact sheet is a few KB, the whole shipped bank is 400 KB)
MAX_YAML_BYTES = 5_000_000
#: the longest single value a sheet may hold (a long fact sentence is a few hundred characters)
MAX_SCALAR = 5000


class _Loader(yaml.SafeLoader):
    """SafeLoader that counts aliases, so billion-laughs files stop early."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_count = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooManyAliases(mark.line + 1)
        return super().compose_node(parent, index)


class _TooManyAliases(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
_LEADING_TAB = re.compile(r"^( *)\t")

_YAML_MESSAGES = [
    ("mapping values are not allowed here",
     "这里不能出现“: ”。可能是缩进不对，或者值里含有半角冒号却没有加引号（可改用全角“：”或给整个值加引号）"),
    ("could not find expected ':'",
     "缺少“:”。每一项应写成“键: 值”，冒号是半角冒号，后面跟一个空格"),
    ("found character '\\t' that cannot start any token",
     "这里有制表符（Tab），YAML 只认空格缩进，请把 Tab 换成空格"),
    ("did not find expected key", "缩进不对齐：同一层的键要对齐，列表项的“-”也要对齐"),
    ("did not find expected '-' indicator", "列表项没有对齐：同一列表的“-”要在同一列"),
    ("found undefined alias", "引用了未定义的锚点（*名字），请去掉“*”或先用“&名字”定义"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了，请检查是否漏了右引号或右括号"),
    ("found unknown escape character", "双引号里有无法识别的反斜杠转义，请去掉“\\”或改用单引号"),
    ("while scanning a quoted scalar", "引号没有闭合，请补上对应的右引号"),
    ("expected <block end>, but found", "缩进不对齐，或者在一项的值后面又多写了内容"),
]


def _explain_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.problem or ''} {exc.context or ''}"
    for english, chinese in _YAML_MESSAGES:
        if english in text:
            return f"YAML 格式错误：{chinese}。"
    return f"YAML 格式错误（{(exc.problem or exc.context or '').strip()}），请检查这一行及上一行的缩进和冒号。"


def decode(data: bytes, source: str) -> tuple[str, list[str]]:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with BOM, or GB18030."""
    warnings: list[str] = []
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(f"{source}：这不是文本文件（含有空字节），"
                             "请提供 UTF-8 编码的文本文件（事实表、短语库是 YAML）。")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError:  # cut short, or a half of a character pair
            raise InputFileError(f"{source}：文件标明是 UTF-16 编码，内容却不完整，无法读取。"
                                 "请在编辑器里用“另存为”选择 UTF-8 编码后重试。") from None
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{source}：文件既不是 UTF-8 编码，也不是 GB18030/GBK 编码，无法读取。"
            "请在编辑器里用“另存为”选择 UTF-8 编码后重试。"
        ) from None
    warnings.append(f"{source}：文件是 GB18030/GBK 编码，已按此读取；建议另存为 UTF-8 编码。")
    return text, warnings


def _prescan(text: str, source: str) -> tuple[str, list[Problem]]:
    """Find tabs and full-width colons line by line, and repair them in memory
    so that parsing can go on and report the remaining problems too."""
    problems: list[Problem] = []
    out: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _LEADING_TAB.match(line):
            problems.append(Problem(source, number,
                                    "缩进里有制表符（Tab），YAML 只认空格，请把 Tab 换成空格（通常两个空格一层）。"))
            line = line.replace("\t", "  ")
        match = _KEY_FULLWIDTH_COLON.match(line)
        if match:
            key = match.group(2)
            problems.append(Problem(
                source, number,
                f"键“{key}”后面用了全角冒号“：”，YAML 需要半角冒号“:”加一个空格，请改成“{key}: ”。"))
            line = line[: match.end() - 1] + ": " + line[match.end():]
        out.append(line)
    return "\n".join(out), problems


def _scalar_with_text(value: Any, node: yaml.ScalarNode) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int):
        result: Any = YamlInt(value)
    else:
        result = YamlFloat(value)
    result.text = node.value
    return result


_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


class _Converter:
    """Turns composed nodes into plain values, recording lines and duplicate keys."""

    def __init__(self, loaded: Loaded, loader: _Loader) -> None:
        self.loaded = loaded
        self.loader = loader
        self.count = 0

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooManyAliases(node.start_mark.line + 1)
        line = node.start_mark.line + 1
        self.loaded.lines.setdefault(path, line)
        if node.tag not in _PLAIN_TAGS:
            self.loaded.problems.append(Problem(
                self.loaded.source, line,
                f"不支持的 YAML 标签“{node.tag}”。事实表只需要普通的文字、数字和列表，请删去这个标签。"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == "tag:yaml.org,2002:int" and ":" in node.value:
            # YAML 1.1 reads 190:20:30 as a base-60 number: nobody means that in a fact sheet
            self.loaded.problems.append(Problem(
                self.loaded.source, line, f"“{node.value}”会被读成六十进制的数（YAML 的老规则），"
                                          "不是一个数字；若是时间或比分，请加引号写成文字。"))
            return None
        if len(node.value) > MAX_SCALAR:
            self.loaded.problems.append(Problem(
                self.loaded.source, line, f"这个值有 {len(node.value)} 个字符，太长了（上限 {MAX_SCALAR}），"
                                          "事实表里的一项不会这么长，请检查是否粘贴错了。"))
            return None
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.loaded.problems.append(Problem(
                self.loaded.source, line, f"无法识别的值“{node.value}”，请检查写法或给它加上引号。"))
            return None
        except (ValueError, OverflowError):
            # a date that does not exist (2024-02-30), a number too long to read
            self.loaded.problems.append(Problem(
                self.loaded.source, line, f"“{node.value[:40]}”不是有效的"
                                          f"{'日期' if node.tag.endswith('timestamp') else '数字'}，请检查。"))
            return None
        return _scalar_with_text(value, node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.loaded.problems.append(Problem(
                    self.loaded.source, key_line, "键必须是一段文字，不能是列表或映射。"))
                continue
            key = str(key_node.value)
            if key in first_line:
                self.loaded.problems.append(Problem(
                    self.loaded.source, key_line,
                    f"键“{key}”重复了（第{first_line[key]}行已经写过），YAML 只会保留后一个，"
                    "请删去或合并其中一个。"))
                continue
            first_line[key] = key_line
            child: PathKey = (*path, key)
            result[key] = self.convert(value_node, child)
            # the key's line is the one a person looks for, not the value's
            self.loaded.lines[child] = key_line
        return result


_KEY_WITHOUT_COLON = re.compile(r"^[ ]*[A-Za-z_]+[ ]+[^:#\s][^:]*$")


def _colon_missing_before(text: str, line: int | None) -> tuple[int, str] | None:
    """The line before ``line`` (skipping blanks and comments) when it is a key and a value
    with no colon between them, and its text."""
    if line is None:
        return None
    lines = text.split("\n")
    for number in range(line - 1, 0, -1):
        written = lines[number - 1]
        if not written.strip() or written.lstrip().startswith("#"):
            continue
        return (number, written) if _KEY_WITHOUT_COLON.match(written) else None
    return None


def load_text(text: str, source: str) -> Loaded:
    """Parse YAML text into a :class:`Loaded`; problems are collected, not raised."""
    repaired, problems = _prescan(text, source)
    loaded = Loaded(data=None, source=source, problems=problems)
    loader = _Loader(repaired)
    try:
        node = loader.get_single_node()
        if node is not None:
            loaded.data = _Converter(loaded, loader).convert(node, ())
    except _TooManyAliases as exc:
        loaded.problems.append(Problem(
            source, exc.line, "别名（*引用）展开过多，文件可能是恶意构造的；"
                              "事实表和短语库都不需要锚点和别名，请直接写出内容。"))
        loaded.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = _explain_yaml_error(exc)
        missing = _colon_missing_before(repaired, line) if "mapping values are not allowed" in str(exc) else None
        if missing is not None:  # town 桃源镇 ⏎ year: 2024: the fault is the line before the one YAML names
            line, written = missing
            key, _, value = written.strip().partition(" ")
            message = f"“{written.strip()}”缺少冒号：应写成“{key}: {value.strip()}”（半角冒号，后面跟一个空格）。"
        if not any(p.line == line for p in loaded.problems):
            loaded.problems.append(Problem(source, line, message))
        loaded.data = None
    except yaml.YAMLError as exc:
        loaded.problems.append(Problem(source, None, f"YAML 格式错误：{exc}"))
        loaded.data = None
    except RecursionError:
        loaded.problems.append(Problem(source, None, "列表或映射嵌套了几百层，文件可能是恶意构造的；"
                                                     "事实表最多嵌套四五层，请检查方括号、花括号是否配对。"))
        loaded.data = None
    finally:
        loader.dispose()
    return loaded


def load_file(path: Path) -> Loaded:
    """Read and parse a YAML file; unreadable files raise :class:`InputFileError`."""
    text, warnings = read_file_text(path)
    loaded = load_text(text, path.name)
    loaded.warnings[:0] = warnings
    return loaded


def read_file_text(path: Path) -> tuple[str, list[str]]:
    """A YAML file's text (size limit, UTF-8, UTF-16 or GB18030) and what its decoding noted;
    unreadable files raise :class:`InputFileError`."""
    import stat

    source = path.name
    too_big = (f"“{path}”太大，事实表（YAML）不会超过 {MAX_YAML_BYTES // 1_000_000} MB，"
               "请检查是否选错了文件。")
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            # a device (/dev/zero) never ends, a pipe waits for ever: neither is a sheet
            raise InputFileError(f"“{path}”不是普通文件（是设备或管道），请给出 YAML 文件的路径。")
        if info.st_size > MAX_YAML_BYTES:
            raise InputFileError(too_big)
        with path.open("rb") as stream:
            data = stream.read(MAX_YAML_BYTES + 1)  # a file that grew since: read no more than the limit
        if len(data) > MAX_YAML_BYTES:
            raise InputFileError(too_big)
    except FileNotFoundError:
        raise InputFileError(f"找不到文件“{path}”，请检查路径是否正确。") from None
    except IsADirectoryError:
        raise InputFileError(f"“{path}”是一个文件夹，请给出 YAML 文件的路径。") from None
    except OSError as exc:
        raise InputFileError(f"无法读取文件“{path}”：{exc.strerror}。") from None
    return decode(data, source)


class _SheetDumper(yaml.SafeDumper):
    """Numbers as the sheet wrote them (``1.20`` stays ``1.20``)."""


def _number(dumper: yaml.SafeDumper, value: Any) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:int" if isinstance(value, int) else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, getattr(value, "text", None) or repr(value))


_SheetDumper.add_representer(YamlInt, _number)
_SheetDumper.add_representer(YamlFloat, _number)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {}, False, "")}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def facts_yaml(facts: FactSheet) -> str:
    """The sheet as YAML in the contract's field names: what a DOCX draft records of how it
    was made, and what loads back into the same :class:`FactSheet`."""
    data = dataclasses.asdict(facts)
    for key in ("source", "warnings"):
        data.pop(key, None)
    return yaml.dump(_clean(data), Dumper=_SheetDumper, allow_unicode=True, sort_keys=False, width=1000)


def round_trip(*, indented: bool = False) -> YAML:
    """The one ruamel round-trip set-up, for every YAML draftgen edits or writes with comments
    (a sheet from a report, the workbench's sheet, a phrase-bank file): comments, key order and
    quotes kept, a long fact never folded. ``indented``: a list indented under its key, as the
    shipped bank and the skeleton are written."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    if indented:
        yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml
