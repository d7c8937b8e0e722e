"""Starting the workbench: a free port on this computer, the browser opened on it."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from draftgen.errors import DraftgenError

LOCAL = "127.0.0.1"


@dataclass(frozen=True)
class Started:
    url: str
    #: the address to give colleagues on the LAN (with the access token), when listening beyond this computer
    lan_url: str | None = None


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let the probe bind a port in use
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise DraftgenError(f"端口 {port} 已被占用（可能已经开着一个工作台），请用 --port 换一个端口。") from None


def serve(workspace: Path, *, host: str = LOCAL, port: int = 8765, open_browser: bool = True,
          announce: Callable[[Started], None] = lambda started: None) -> None:
    """Run the workbench until Ctrl-C; ``announce`` is told the address once it listens."""
    import uvicorn

    from draftgen.web.app import create_app
    from draftgen.web.guard import LOCAL_NAMES, lan_names

    if not workspace.is_dir():
        raise DraftgenError(f"工作文件夹“{workspace}”不存在，请先建好或用 --workspace 指定。")
    local = host in LOCAL_NAMES
    token = None if local else secrets.token_urlsafe(16)
    _check_port(host, port)
    app = create_app(workspace, token=token, allowed_names=None if local else lan_names())
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    # this computer's own address for the browser here, whatever the server listens on
    url = f"http://{'[::1]' if host == '::1' else 'localhost' if host == 'localhost' else LOCAL}:{port}/"
    lan_url = None
    if token is not None:
        url = f"{url}?token={token}"
        lan_url = f"http://{_lan_address()}:{port}/?token={token}"
    started = Started(url, lan_url)

    def when_up() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.02)
        if server.started:
            announce(started)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_up, daemon=True).start()
    threading.Thread(target=_warm, daemon=True).start()
    server.run()


def _warm() -> None:
    """Load the phrase bank and templates while the browser opens, so the first preview is quick."""
    from draftgen.bank.phrasebank import load_bank

    with contextlib.suppress(DraftgenError):  # the first request reports it
        load_bank()


def _lan_address() -> str:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()


#: where the workbench started without a terminal keeps its sheets
DEFAULT_PORT = 8765


def default_workspace() -> Path:
    """The folder a writer who never opens a terminal works in: 文档/draftgen (made if missing)."""
    home = Path.home()
    documents = next((home / name for name in ("Documents", "文档", "My Documents") if (home / name).is_dir()), home)
    folder = documents / "draftgen"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def workbench() -> None:
    """``draftgen-workbench``: the workbench with no terminal (pip makes it a double-clickable
    ``draftgen-workbench.exe`` on Windows). It works in 文档/draftgen and opens the browser; when
    one is already running on this computer, it only opens the browser on it."""
    url = f"http://{LOCAL}:{DEFAULT_PORT}/"
    try:
        serve(default_workspace(), port=DEFAULT_PORT)
    except DraftgenError:
        webbrowser.open(url)  # the port is taken: most likely by the workbench started before
