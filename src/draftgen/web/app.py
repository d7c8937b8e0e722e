"""The workbench's routes: the page, its static files and the JSON API it uses.

Every route calls the library as the command line does (``build_draft``, ``draft_docx``,
``check_file``, ``update_docx``, ``extract_file``, ``add_entry``); problems come back as
data (``{"errors": [{"line", "path", "message"}]}``) with 422, never as a traceback.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import tempfile
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from draftgen.errors import DraftgenError, Problem
from draftgen.formats.record import version
from draftgen.text.patterns import CJK
from draftgen.web import sheet
from draftgen.web.guard import MAX_JSON, MAX_UPLOAD, BodyTooLarge, Guard, GuardMiddleware

STATIC = Path(__file__).parent / "static"
#: a sheet's file name in the workspace: no folders, no leading dot, .yaml or .yml
_SHEET_NAME = re.compile(r"^[^/\\:*?\"<>|\x00-\x1f.][^/\\:*?\"<>|\x00-\x1f]{0,80}\.ya?ml$")
USER_PHRASES = "我的短语.yaml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Workbench:
    """What the routes share: the workspace folder, the guard's secrets, one lock for the work
    (the phrase-bank and lexicon caches, and the last merged YAML document, are the process's)."""

    workspace: Path
    guard: Guard
    lock: threading.Lock

    @property
    def phrasebank(self) -> Path | None:
        folder = self.workspace / "phrasebank"
        return folder if folder.is_dir() else None


Handler = Callable[[Request], Awaitable[Response]]


def _errors(status: int, problems: list[dict[str, Any]], **extra: Any) -> JSONResponse:
    return JSONResponse({"errors": problems, **extra}, status_code=status)


def _answer(func: Handler) -> Handler:
    """A route whose problems become Chinese messages: 422 for what the writer can fix,
    413 for a body too large, 500 (with no traceback) for a defect of ours."""

    @functools.wraps(func)
    async def wrapped(request: Request) -> Response:
        try:
            return await func(request)
        except BodyTooLarge as exc:
            return _errors(413, [{"message": exc.message}])
        except DraftgenError as exc:
            problems: list[dict[str, Any]] = [{"line": p.line, "path": [], "message": p.message}
                                              for p in exc.problems]
            if exc.message or not problems:
                problems.insert(0, {"line": None, "path": [], "message": exc.message or str(exc)})
            return _errors(422, problems)
        except Exception as exc:  # a defect: say so plainly, keep the server running
            return _errors(500, [{"message": f"工作台内部出错（{type(exc).__name__}），请把操作步骤告诉维护人员。"}])

    return wrapped


async def _json(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_JSON:
        raise BodyTooLarge(MAX_JSON)
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise DraftgenError("请求的内容不是 JSON。") from None
    if not isinstance(data, dict):
        raise DraftgenError("请求的内容应是一个 JSON 对象。")
    return data


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form(max_part_size=MAX_JSON)
    return dict(form.items())


def _text_field(data: dict[str, Any], key: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DraftgenError(f"请求里缺少文字字段“{key}”。")
    return value


def _int(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DraftgenError(f"{name} 应是整数。") from None


class _Upload:
    """An uploaded file saved in a private temporary folder, under a safe name, for the
    library functions that read a path; removed when done."""

    def __init__(self, upload: Any, allowed: tuple[str, ...], what: str) -> None:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise DraftgenError(f"请选择要上传的{what}。")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in allowed:
            raise DraftgenError(f"“{Path(upload.filename).name}”不是{what}（可用：{'、'.join(allowed)}）。")
        self.upload = upload
        self.name = Path(upload.filename).name
        self.suffix = suffix
        self._dir = tempfile.TemporaryDirectory(prefix="draftgen-")
        stem = re.sub(rf"[^\w{CJK}-]", "_", Path(self.name).stem)[:60] or "upload"
        self.path = Path(self._dir.name) / f"{stem}{suffix}"

    async def __aenter__(self) -> _Upload:
        size = 0
        with self.path.open("wb") as out:
            while chunk := await self.upload.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise BodyTooLarge(MAX_UPLOAD)
                out.write(chunk)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._dir.cleanup()


def _bench(request: Request) -> Workbench:
    """The workbench the request came to (each app has its own)."""
    return request.app.state.workbench  # type: ignore[no-any-return]


@functools.cache
def _pages() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True)


def _run(bench: Workbench, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func`` in a worker thread, one at a time (the caches and the merged YAML are the process's)."""
    from starlette.concurrency import run_in_threadpool

    def locked() -> Any:
        with bench.lock:
            return func(*args, **kwargs)

    return run_in_threadpool(locked)


async def page(request: Request) -> Response:
    bench = _bench(request)
    # looked up per request: Jinja reloads it when the file changed (an upgrade under a running server)
    html = _pages().get_template("page.html").render(csrf=bench.guard.csrf, version=version(),
                                                     workspace=str(bench.workspace))
    return HTMLResponse(html, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                       "Content-Security-Policy": _CSP})


@_answer
async def api_spec(request: Request) -> Response:
    from draftgen.api import FORMS
    from draftgen.bank.phrasebank import load_bank

    bench = _bench(request)
    bank = await _run(bench, load_bank, bench.phrasebank)
    return JSONResponse({"spec": sheet.spec(), "forms": list(FORMS), "form_names": _FORM_NAMES,
                         "topics": [t.name for t in sorted(bank.topics.values(), key=lambda t: t.order)]})


@_answer
async def api_skeleton(request: Request) -> Response:
    from draftgen.sheet.skeleton import skeleton

    town = request.query_params.get("town") or None
    return JSONResponse({"yaml": skeleton(town)})


@_answer
async def api_parse(request: Request) -> Response:
    data = await _json(request)
    text = _text_field(data, "yaml")
    try:
        doc = sheet.parse(text)
    except DraftgenError as exc:
        return _errors(422, [p.as_dict() for p in sheet.problems_with_paths("", exc.problems)])
    return JSONResponse({"data": sheet.to_data(doc) if doc is not None else {}, "errors": []})


@_answer
async def api_merge(request: Request) -> Response:
    bench = _bench(request)
    data = await _json(request)
    values = data.get("data")
    if not isinstance(values, dict):
        raise DraftgenError("请求里缺少表单的内容（data）。")
    return JSONResponse({"yaml": await _run(bench, sheet.merge, _text_field(data, "yaml"), values)})


def _draft(phrasebank: Path | None, text: str, form: str | None, seed: int | None) -> Any:
    from draftgen.api import build_draft

    return build_draft(_facts_of(text), form=form or None, seed=seed, phrasebank=phrasebank)


@_answer
async def api_draft(request: Request) -> Response:
    from draftgen.web.preview import render_preview

    bench = _bench(request)
    data = await _json(request)
    text = _text_field(data, "facts")
    extra: dict[str, Any] = {}
    if isinstance(data.get("data"), dict):
        # the form's values, merged into the sheet first: one round trip per edit
        text = extra["yaml"] = await _run(bench, sheet.merge, text, data["data"])
    try:
        result = await _run(bench, _draft, bench.phrasebank, text, data.get("form"), _int(data.get("seed"), "seed"))
    except DraftgenError as exc:
        problems = exc.problems or [Problem("", None, exc.message)]
        found = [p.as_dict() for p in sheet.problems_with_paths(text, problems)]
        return _errors(422, found, markdown="", html="", placeholders=[], **extra)
    preview = render_preview(result)
    return JSONResponse({"markdown": result.markdown, "html": preview.html, "placeholders": preview.placeholders,
                         "warnings": result.warnings, "errors": [], "seed": result.seed, "form": result.form,
                         "filename": result.filename, **extra})


@_answer
async def api_docx(request: Request) -> Response:
    from draftgen.api import draft_docx

    bench = _bench(request)
    if request.headers.get("content-type", "").startswith("multipart/"):
        data = await _form(request)
        template = data.get("template")
    else:
        data, template = await _json(request), None
    text = _text_field(data, "facts")
    result = await _run(bench, _draft, bench.phrasebank, text, data.get("form") or None, _int(data.get("seed"), "seed"))
    if isinstance(template, UploadFile) and template.filename:
        async with _Upload(template, (".docx", ".dotx"), "单位的 Word 模板") as upload:
            payload = await _run(bench, draft_docx, result, reference=upload.path)
    else:
        payload = await _run(bench, draft_docx, result)
    return _download(payload, result.filename.removesuffix(".md") + ".docx")


@_answer
async def api_check(request: Request) -> Response:
    bench = _bench(request)
    data = await _form(request)
    text = data.get("facts")
    facts = await _run(bench, _facts_of, text) if isinstance(text, str) and text.strip() else None
    async with _Upload(data.get("file"), (".docx", ".md", ".txt"), "改过的稿子") as upload:
        checked = await _run(bench, _checked, upload.path, facts, bench.phrasebank)
    return JSONResponse({"file": upload.name, **checked})


@_answer
async def api_update(request: Request) -> Response:
    from draftgen.api import update_docx

    bench = _bench(request)
    data = await _form(request)
    text = _text_field(data, "facts")
    facts = await _run(bench, _facts_of, text)
    async with _Upload(data.get("file"), (".docx",), "改过的 DOCX 稿子") as upload:
        result = await _run(bench, update_docx, upload.path, facts, phrasebank=bench.phrasebank)
        name = f"{Path(upload.name).stem}-更新.docx"
    changes = json.dumps([c.as_dict() for c in result.changes], ensure_ascii=True)
    response = _download(result.data, name)
    response.headers["X-Draftgen-Changes"] = quote(changes)
    response.headers["X-Draftgen-Warnings"] = quote(json.dumps(result.warnings, ensure_ascii=True))
    return response


@_answer
async def api_import(request: Request) -> Response:
    bench = _bench(request)
    data = await _form(request)
    kind = data.get("kind") or "extract"
    year = _int(data.get("year"), "year")
    town = data.get("town") if isinstance(data.get("town"), str) and data.get("town") else None
    if kind == "extract":
        from draftgen.api import extract_file

        async with _Upload(data.get("report"), (".docx", ".txt", ".md"), "报告") as report:
            extraction = await _run(bench, extract_file, report.path, year=year, town=town, phrasebank=bench.phrasebank)
        return JSONResponse({"yaml": extraction.yaml})
    if kind == "next":
        from draftgen.api import next_year_sheet

        async with _Upload(data.get("report"), (".docx", ".txt", ".md"), "去年的报告") as report:
            table = data.get("indicators")
            if isinstance(table, UploadFile) and table.filename:
                async with _Upload(table, (".xlsx", ".csv"), "指标表") as rows:
                    text = await _run(bench, next_year_sheet, report.path, indicators=rows.path, town=town,
                                     phrasebank=bench.phrasebank)
            else:
                text = await _run(bench, next_year_sheet, report.path, town=town, phrasebank=bench.phrasebank)
        return JSONResponse({"yaml": text})
    if kind == "table":
        decided = json.loads(str(data.get("decided") or "{}"))
        if not isinstance(decided, dict):
            raise DraftgenError("decided 应是“表中名称 → 事实表里的名称”的对照。")
        async with _Upload(data.get("indicators"), (".xlsx", ".csv"), "指标表") as rows:
            text, held = await _run(bench, sheet.with_table, _text_field(data, "facts", required=False), rows.path,
                                    {str(k): str(v) for k, v in decided.items()})
        return JSONResponse({"yaml": text, "near": [{"name": n, "existing": e} for n, e in held]})
    raise DraftgenError("kind 只能是 extract（从报告读出事实表）、next（从去年的报告生成今年的事实表）"
                        "或 table（把指标表并入当前事实表）。")


@_answer
async def api_files(request: Request) -> Response:
    bench = _bench(request)
    files = sorted((p for p in bench.workspace.glob("*.y*ml") if p.is_file() and _SHEET_NAME.match(p.name)),
                   key=lambda p: p.name)
    return JSONResponse({"workspace": str(bench.workspace),
                         "files": [{"name": p.name, "size": p.stat().st_size} for p in files]})


@_answer
async def api_file_read(request: Request) -> Response:
    bench = _bench(request)
    path = _sheet_path(bench.workspace, request.path_params["name"])
    if not path.is_file():
        raise DraftgenError(f"工作文件夹里没有“{path.name}”。")
    from draftgen.sheet.yamlio import read_file_text  # the command line's size limit and decoding (GB18030…)

    text, _ = read_file_text(path)
    tag = _version_of(path)
    return JSONResponse({"name": path.name, "yaml": text, "version": tag}, headers={"ETag": f'"{tag}"'})


@_answer
async def api_file_write(request: Request) -> Response:
    """Save a sheet. A save that says which version it started from (``If-Match``, or
    ``base`` in the body) is refused with 409 when the file changed on disk since (another
    tab, another colleague, the writer's editor); a new name that exists is refused unless
    ``overwrite``. The answer carries the saved file's new version."""
    from draftgen.formats.output import write_text

    bench = _bench(request)
    path = _sheet_path(bench.workspace, request.path_params["name"])
    data = await _json(request)
    text = _text_field(data, "yaml")
    sheet.parse(text)  # a file saved from the workbench is at least valid YAML
    overwrite = data.get("overwrite") is True
    base = (request.headers.get("if-match") or "").strip('"') or data.get("base")
    def save() -> tuple[str, str]:
        # the check and the write as one step (run under the workbench's lock): two tabs saving at once
        if path.exists() and not overwrite:
            if not base:
                return "exists", ""
            current = _version_of(path)
            if base != current:
                return "changed", current
        write_text(path, text, force=True)
        return "saved", _version_of(path)

    outcome, tag = await _run(bench, save)
    if outcome == "changed":
        return _errors(409, [{"message": f"“{path.name}”在别处（另一个标签页或别的程序）改过了，和您打开时不一样。"}],
                       changed=True, version=tag)
    if outcome == "exists":
        return _errors(409, [{"message": f"“{path.name}”已存在；要覆盖请确认。"}], exists=True)
    return JSONResponse({"name": path.name, "saved": True, "version": tag}, headers={"ETag": f'"{tag}"'})


@_answer
async def api_session(request: Request) -> Response:
    """The page's CSRF token, for a page that outlived a restart of the server (its own token
    is refused then): fetched again, the page goes on without a reload. Only a page the
    guard let through (this computer's name, or the LAN token) can read it."""
    return JSONResponse({"csrf": _bench(request).guard.csrf},
                        headers={"Cache-Control": "no-store"})


def _version_of(path: Path) -> str:
    """A file's version: a hash of its bytes (two saves of the same text are one version)."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:20]


@_answer
async def api_phrases(request: Request) -> Response:
    bench = _bench(request)
    entries = await _run(bench, _find_phrases, bench.phrasebank, request.query_params)
    return JSONResponse({"entries": entries[:500], "total": len(entries)})


@_answer
async def ui_phrases(request: Request) -> Response:
    bench = _bench(request)
    entries = await _run(bench, _find_phrases, bench.phrasebank, request.query_params)
    rows = "".join(f"<tr><td><code>{escape(e['id'])}</code></td><td>{escape(e['role'])}</td>"
                   f"<td>{escape(e.get('topic', ''))}</td><td>{escape(e['text'])}</td></tr>" for e in entries[:300])
    more = f"<p class='muted'>共 {len(entries)} 条，只列出前 300 条。</p>" if len(entries) > 300 else \
        f"<p class='muted'>共 {len(entries)} 条。</p>"
    return HTMLResponse(f"{more}<table class='phrases'><thead><tr><th>id</th><th>角色</th><th>领域</th>"
                        f"<th>文字</th></tr></thead><tbody>{rows}</tbody></table>")


@_answer
async def api_phrases_meta(request: Request) -> Response:
    from draftgen.bank.phrasebank import ROLES, load_bank

    bench = _bench(request)
    bank = await _run(bench, load_bank, bench.phrasebank)
    return JSONResponse({"roles": ROLES, "topics": [t.name for t in sorted(bank.topics.values(),
                                                                           key=lambda t: t.order)]})


@_answer
async def api_phrases_add(request: Request) -> Response:
    from draftgen.api import add_entry
    from draftgen.bank.phrasebank import forget_loaded

    bench = _bench(request)
    data = await _json(request)
    folder = bench.workspace / "phrasebank"

    def add() -> tuple[Path, str, str]:
        folder.mkdir(exist_ok=True)
        try:
            # everything added in the workbench goes to one file the writer can find and edit
            return add_entry(_text_field(data, "role"), _text_field(data, "text"),
                             topic=data.get("topic") or None, file=folder / USER_PHRASES)
        finally:
            forget_loaded()

    path, new_id, text = await _run(bench, add)
    # the writer's own slot names back ({label} → {领域}): what they typed, as the bank keeps it
    shown = re.sub(r"\{(\w+)\}", lambda m: "{" + _SLOT_NAMES.get(m.group(1), m.group(1)) + "}", text)
    return JSONResponse({"id": new_id, "file": path.name, "text": text, "shown": shown})


def create_app(workspace: Path, *, token: str | None = None, allowed_names: set[str] | None = None) -> Any:
    """The workbench as an ASGI app over ``workspace`` (``token``: required on a LAN)."""
    guard = Guard(csrf=secrets.token_urlsafe(32), token=token)
    if allowed_names:
        guard.allowed_names |= allowed_names
    bench = Workbench(workspace=workspace.resolve(), guard=guard, lock=threading.Lock())
    routes = [
        Route("/", page),
        Route("/api/spec", api_spec),
        Route("/api/session", api_session),
        Route("/api/skeleton", api_skeleton),
        Route("/api/sheet/parse", api_parse, methods=["POST"]),
        Route("/api/sheet/merge", api_merge, methods=["POST"]),
        Route("/api/draft", api_draft, methods=["POST"]),
        Route("/api/docx", api_docx, methods=["POST"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/update", api_update, methods=["POST"]),
        Route("/api/import", api_import, methods=["POST"]),
        Route("/api/files", api_files),
        Route("/api/files/{name}", api_file_read),
        Route("/api/files/{name}", api_file_write, methods=["POST"]),
        Route("/api/phrases", api_phrases),
        Route("/api/phrases", api_phrases_add, methods=["POST"]),
        Route("/api/phrases/meta", api_phrases_meta),
        Route("/ui/phrases", ui_phrases),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.workbench = bench
    return GuardMiddleware(app, guard)


def _slot_names() -> dict[str, str]:
    from draftgen.api import SLOT_ALIASES

    names: dict[str, str] = {}
    for chinese, slot in SLOT_ALIASES.items():
        names.setdefault(slot, chinese)
    return names


_SLOT_NAMES = _slot_names()
_FORM_NAMES = {"annual": "年度总结", "half-year": "半年总结", "thematic": "专题总结", "highlights": "亮点总结"}
#: the page loads only its own files: no inline script, nothing from elsewhere
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def _download(data: bytes, filename: str) -> Response:
    # RFC 6266/5987: a Chinese file name survives in every browser as filename*
    disposition = f"attachment; filename=\"draft.docx\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})


def _sheet_path(workspace: Path, name: str) -> Path:
    """A sheet in the workspace by its bare name; anything that could leave the folder is refused."""
    if not _SHEET_NAME.match(name) or ".." in name:
        raise DraftgenError(f"文件名“{name}”不可用：只能是工作文件夹里的 .yaml 文件名，不能含路径。")
    path = workspace / name
    resolved = path.resolve()
    if resolved.parent != workspace:
        raise DraftgenError(f"“{name}”指向工作文件夹以外，出于安全不读写。")
    return path


def _facts_of(text: str) -> Any:
    from draftgen.sheet.validation import load_facts_text

    return load_facts_text(text, "事实表")


def _checked(path: Path, facts: Any, phrasebank: Path | None) -> dict[str, Any]:
    """The findings on an uploaded draft (against the workbench's phrase bank), each linked to the
    paragraph its excerpt stands in."""
    from draftgen.api import check_read

    # the draft as check read it: its paragraphs, in order
    found, blocks = check_read(path, facts=facts, phrasebank=phrasebank)
    findings: list[dict[str, Any]] = [dict(f.as_dict()) for f in found]
    paragraphs: list[dict[str, Any]] = [{"n": i, "kind": b.kind, "where": b.where, "text": b.text}
                                        for i, b in enumerate(blocks)]
    for finding in findings:
        excerpt = str(finding["excerpt"]).strip("…")
        finding["paragraph"] = next((p["n"] for p in paragraphs if excerpt and excerpt in p["text"]), None)
    return {"findings": findings, "paragraphs": paragraphs}


def _find_phrases(phrasebank: Path | None, query: Any) -> list[dict[str, Any]]:
    from draftgen.api import as_dict, find
    from draftgen.bank.phrasebank import load_bank

    return [as_dict(e) for e in find(load_bank(phrasebank), query.get("role") or None,
                                     query.get("topic") or None, query.get("q") or None)]
