"""What stands between the network and the workbench: the Host header (DNS rebinding),
the access token on an office LAN, the CSRF token on every POST, and size limits.

It is plain ASGI middleware, so a refused request never reaches a route, and every
refusal is a short Chinese message, never a traceback.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_HEADER = "x-csrf-token"
TOKEN_COOKIE = "draftgen_token"
#: a DOCX a writer uploads (a report with photographs is a few MB), a report to import, a table
MAX_UPLOAD = 20 * 1024 * 1024
#: a JSON body: a fact sheet is at most 5 MB (the YAML limit) and a little around it
MAX_JSON = 6 * 1024 * 1024
LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}


@dataclass
class Guard:
    """The server's secrets and what it accepts."""

    csrf: str
    #: set when the workbench listens beyond this computer: every request must carry it
    token: str | None = None
    allowed_names: set[str] = field(default_factory=lambda: set(LOCAL_NAMES))

    def host_allowed(self, host: str) -> bool:
        name = _host_name(host)
        if name in self.allowed_names:
            return True
        if self.token is None:
            return False
        # on a LAN the page is reached by the computer's address: an IP literal is no
        # rebinding risk (a rebinding attack needs a domain name the attacker controls)
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True


def lan_names() -> set[str]:
    """This computer's own names, besides the loopback ones, for ``--host 0.0.0.0``."""
    names = set(LOCAL_NAMES)
    try:
        hostname = socket.gethostname().lower()
        names |= {hostname, f"{hostname}.local", socket.getfqdn().lower()}
    except OSError:
        pass
    return names


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8765
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class GuardMiddleware:
    """Refuses what must not reach the routes: 400 a wrong Host, 401 no access token,
    403 no CSRF token, 413 a body said or found to be too large."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"]
        if not self.guard.host_allowed(headers.get("host", "")):
            await _refuse(send, 400, "请求的 Host 不被允许：请用 http://127.0.0.1 打开工作台"
                                     "（为防 DNS 重绑定攻击，别的域名一律拒绝）。")
            return
        if self.guard.token is not None:
            cookie = _cookie(headers.get("cookie", ""), TOKEN_COOKIE)
            query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
            if query and hmac.compare_digest(query, self.guard.token):
                if method == "GET" and scope["path"] == "/":
                    # the link printed at start: remember the token in a cookie, then drop it from the address
                    await _redirect_with_cookie(send, self.guard.token)
                    return
            elif not (cookie and hmac.compare_digest(cookie, self.guard.token)):
                await _refuse(send, 401, "需要访问口令：请用启动 draftgen serve 时屏幕上显示的完整地址打开工作台。")
                return
        if method not in ("GET", "HEAD", "OPTIONS"):
            sent = headers.get(CSRF_HEADER, "")
            if not (sent and hmac.compare_digest(sent, self.guard.csrf)):
                await _refuse(send, 403, "请求缺少工作台页面的校验码（X-CSRF-Token），已拒绝；请刷新页面后再试。")
                return
            limit = MAX_UPLOAD if headers.get("content-type", "").startswith("multipart/") else MAX_JSON
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > limit:
                await _refuse(send, 413, too_large(limit))
                return
            receive = _capped(receive, limit)
        await self.app(scope, receive, send)


class BodyTooLarge(Exception):
    """A body went past its limit while it was read (the routes answer 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(too_large(limit))
        self.message = too_large(limit)


def too_large(limit: int) -> str:
    return f"上传的内容超过 {limit // (1024 * 1024)} MB，已拒绝：请检查是否选错了文件。"


def _capped(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body (chunked, or longer than it said) past ``limit``."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"errors": [{"message": message}]}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Send, token: str) -> None:
    cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", b"/"), (b"set-cookie", cookie), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
