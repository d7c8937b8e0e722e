"""The built wheel carries its templates and phrase bank: installed outside the
checkout, it drafts the example on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import ROOT, example_path

pytestmark = pytest.mark.slow  # builds and installs the wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0 and "hatchling" in build.stderr:
        pytest.skip("hatchling is not installed (pip install -e '.[test]')")
    assert build.returncode == 0, build.stderr
    (wheel,) = (work / "dist").glob("draftgen-*.whl")
    env_dir = work / "venv"
    # draftgen itself only from the wheel; its dependencies from the environment running the tests
    # (a virtual environment's own packages: system_site_packages would give the base Python's, so a
    # dependency missing from pyproject would go unnoticed wherever the base Python happens to have it)
    venv.create(env_dir, system_site_packages=False, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run([python, "-c", "import site; print(site.getsitepackages()[0])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target,
                    str(wheel)], check=True)
    # a plain path in a .pth file: the running environment's packages, but not its editable draftgen
    # (that one is switched on by a .pth file of its own, which a plain path entry does not run)
    paths = sysconfig.get_paths()
    (Path(target) / "_test_dependencies.pth").write_text(
        "\n".join(dict.fromkeys([paths["purelib"], paths["platlib"]])) + "\n", encoding="utf-8")
    return env_dir


def test_wheel_drafts_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([python, "-c", "import draftgen, sys; print(draftgen.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert str(ROOT / "src") not in where.stdout
    result = subprocess.run(
        [python, "-m", "draftgen.cli", "new", "2024", "--facts", str(example_path("taoyuan-town")),
         "-o", "-"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# 桃源镇2024年工作总结和2025年工作打算")
    assert "【待补充" not in result.stdout


def test_wheel_ships_the_bank_tools(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    lint = subprocess.run([python, "-m", "draftgen.cli", "phrases", "lint"], capture_output=True, text=True,
                          cwd=tmp_path, env=env)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    report = tmp_path / "报告.txt"
    report.write_text("甲镇坚持把乡村振兴摆在突出位置。\n乙镇坚持把乡村振兴摆在突出位置。\n", encoding="utf-8")
    mined = subprocess.run([python, "-m", "draftgen.cli", "phrases", "mine", str(report), "--json", "--min-docs", "1"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert mined.returncode == 0, mined.stderr
    draft = tmp_path / "稿.docx"
    made = subprocess.run([python, "-m", "draftgen.cli", "new", "2024", "--facts", str(example_path("taoyuan-town")),
                           "-o", str(draft)], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([python, "-m", "draftgen.cli", "check", str(draft), "--facts",
                              str(example_path("taoyuan-town"))], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_wheel_serves_the_workbench_with_its_own_files(installed: Path, tmp_path: Path) -> None:
    import json
    import socket
    import time
    import urllib.request

    python = installed / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([python, "-m", "draftgen", "serve", "--no-browser", "--port", str(port),
                               "--workspace", str(tmp_path)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                page = urllib.request.urlopen(url, timeout=2).read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "the workbench did not start"
                time.sleep(0.05)
        for asset in ("app.js", "app.css", "htmx.min.js"):
            assert urllib.request.urlopen(f"{url}static/{asset}").status == 200
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        body = json.dumps({"facts": example_path("taoyuan-town").read_text(encoding="utf-8")}).encode("utf-8")
        request = urllib.request.Request(f"{url}api/draft", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-CSRF-Token": token})
        answer = json.loads(urllib.request.urlopen(request).read())
        assert answer["markdown"].startswith("# 桃源镇2024年工作总结和2025年工作打算")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.stdout is not None
    assert f"工作台已启动：http://127.0.0.1:{port}/" in server.stdout.read().decode("utf-8")


def test_wheel_starts_the_workbench_without_a_terminal(installed: Path, tmp_path: Path) -> None:
    """``draftgen-workbench`` is a GUI script (a double-clickable .exe on Windows) and works in
    文档/draftgen, made when missing."""
    python = installed / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HOME": str(tmp_path)}
    (tmp_path / "Documents").mkdir()
    probe = ("from importlib.metadata import entry_points\n"
             "(ep,) = [e for e in entry_points(group='gui_scripts') if e.name == 'draftgen-workbench']\n"
             "print(ep.value)\n"
             "from draftgen.web.server import default_workspace\n"
             "print(default_workspace())\n")
    found = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert found.returncode == 0, found.stderr
    assert found.stdout.split("\n")[:2] == ["draftgen.web.server:workbench", str(tmp_path / "Documents" / "draftgen")]
    assert (tmp_path / "Documents" / "draftgen").is_dir()
