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


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by the template's own text);
    compiling them is a third of a draft's time. No cache folder, no cache."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "draftgen" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_env(user_dir: Path | None, globals_: dict[str, Any]) -> jinja2.Environment:
    """Sandboxed, strict environment; a user's folder stands in front of the
    shipped templates, file by file."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise TemplateError(f"模板文件夹“{user_dir}”不存在。")
        loaders.append(jinja2.FileSystemLoader(str(user_dir), encoding="utf-8"))
    loaders.append(jinja2.FileSystemLoader(str(data_dir("templates")), encoding="utf-8"))
    env = ImmutableSandboxedEnvironment(
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
        return tidy(template.render())
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"找不到模板“{exc.name}”。可用的文体：{'、'.join(FORMS)}。") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name} 第{exc.lineno}行：模板语法错误（{exc.message}）。") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板“{name}”引用了不存在的变量（{exc.message}）。") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"模板“{name}”做了沙箱不允许的操作（{exc}）。") from None


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

