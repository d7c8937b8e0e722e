"""The one Jinja environment, and rendering a form to Markdown text."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from draftgen.errors import TemplateError
from draftgen.resources import data_dir

FORMS = ("annual", "half-year", "thematic", "highlights")


class _BoundedCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, pruned to the newest files each time it writes one: a folder of user
    templates edited many times does not grow without end, and reading costs no listing."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        try:
            cached = sorted(Path(self.directory).glob("__jinja2_*.cache"), key=lambda p: p.stat().st_mtime)
            for old in cached[:-_CACHE_FILES] if len(cached) > _CACHE_FILES else []:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # another process pruned first


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by the template's own text);
    compiling them is a third of a draft's time. No cache folder, no cache."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "draftgen" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BoundedCache(str(folder))


#: the most a user template may write (a draft is tens of kilobytes)
MAX_OUTPUT = 2_000_000
_CACHE_FILES = 200


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with ``*`` and ``**`` watched: ``{{ "x" * 1000000000 }}`` in a user template is
    refused before it is built (and is not folded into the template cache at compile time)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise TemplateError(f"模板里的乘方 {left} ** {right} 太大了，模板不需要这样的计算。")
        if operator == "*":
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
            if sizes and counts and sizes[0] * abs(counts[0]) > MAX_OUTPUT:
                raise TemplateError(f"模板要把文字重复 {counts[0]} 次，结果超过 {MAX_OUTPUT // 1_000_000} MB，已停止。")
        return super().call_binop(context, operator, left, right)


class _FolderLoader(jinja2.FileSystemLoader):
    """A user's template folder: a file that is a link out of the folder is not read."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if root not in Path(filename).resolve().parents:
            raise TemplateError(f"模板“{template}”是指向文件夹外的链接，出于安全不读取。")
        return source, filename, uptodate


def make_env(user_dir: Path | None, globals_: dict[str, Any]) -> jinja2.Environment:
    """Sandboxed, strict environment; a user's folder stands in front of the
    shipped templates, file by file."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise TemplateError(f"模板文件夹“{user_dir}”不存在。")
        loaders.append(_FolderLoader(str(user_dir), encoding="utf-8"))
    loaders.append(jinja2.FileSystemLoader(str(data_dir("templates")), encoding="utf-8"))
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals.update(globals_)
    return env


def render(env: jinja2.Environment, form: str) -> str:
    """Render ``<form>.md.j2``; template problems keep their file and line."""
    name = f"{form}.md.j2"
    try:
        template = env.get_template(name)
        out = []
        size = 0
        for piece in template.generate():
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TemplateError(f"模板“{name}”写出的内容超过 {MAX_OUTPUT // 1_000_000} MB，已停止；"
                                    "草稿不会这么长，请检查模板里的循环。")
            out.append(piece)
        return tidy("".join(out))
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"找不到模板“{exc.name}”。可用的文体：{'、'.join(FORMS)}。") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name} 第{exc.lineno}行：模板语法错误（{exc.message}）。") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板“{name}”引用了不存在的变量（{exc.message}）。") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"模板“{name}”做了沙箱不允许的操作（{exc}）。") from None
    except (OverflowError, RecursionError, MemoryError) as exc:
        raise TemplateError(f"模板“{name}”的计算太大（{type(exc).__name__}），已停止；"
                            "请检查模板里的循环和递归。") from None
    except (TypeError, ValueError, ZeroDivisionError, KeyError, IndexError, AttributeError) as exc:
        # an error inside a user's template expression: say where, not a traceback
        raise TemplateError(f"模板“{name}”运行出错（{type(exc).__name__}：{exc}）。") from None


_FIXES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[，；、]+。"), "。"),
    (re.compile(r"。{2,}"), "。"),
    (re.compile(r"，{2,}"), "，"),
    (re.compile(r"：。"), "："),
    (re.compile(r"[ \t]+\n"), "\n"),
    (re.compile(r"\n{3,}"), "\n\n"),
]


def tidy(text: str) -> str:
    """Collapse doubled punctuation and blank lines left by optional parts."""
    for pattern, repl in _FIXES:
        text = pattern.sub(repl, text)
    return text.strip() + "\n"

