"""Safe with people's files: the same input gives the same DOCX bytes, two `phrases add`
at once keep both entries, two writers cannot both create one file, SIGTERM leaves no
temporary file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, example_path
from draftgen import build_draft
from draftgen.api import draft_docx
from draftgen.errors import WriterError
from draftgen.formats.output import write_bytes


def test_docx_bytes_are_reproducible() -> None:
    first = draft_docx(build_draft(example_path("taoyuan-town")))
    time.sleep(1.1)  # a zip's member times have two-second resolution: cross one
    assert draft_docx(build_draft(example_path("taoyuan-town"))) == first


@pytest.mark.slow
def test_fifty_adds_at_once_lose_none(tmp_path: Path) -> None:
    bank = tmp_path / "phrasebank"
    bank.mkdir()
    shutil.copy(ROOT / "phrasebank" / "topic-shengtai.yaml", bank / "topic-shengtai.yaml")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    digits = "一二三四五六七八九十"
    for round_ in range(5):
        procs = [subprocess.Popen(
            [sys.executable, "-m", "draftgen.cli", "phrases", "add", "--role", "measure", "--topic", "生态环境",
             "--file", str(bank / "topic-shengtai.yaml"), f"推进第{digits[round_]}批{digits[k]}号环境整治试点"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(10)]
        for proc in procs:
            _out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err.decode()
    text = (bank / "topic-shengtai.yaml").read_text(encoding="utf-8")
    added = [line for line in text.splitlines() if "号环境整治试点" in line]
    assert len(added) == 50
    ids = [line.split("id: ")[1].split(",")[0] for line in added]
    assert len(set(ids)) == 50


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_a_kill_during_a_bank_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    bank = tmp_path / "phrasebank"
    bank.mkdir()
    target = bank / "topic-shengtai.yaml"
    shutil.copy(ROOT / "phrasebank" / "topic-shengtai.yaml", target)
    before = target.read_bytes()
    script = tmp_path / "slow_add.py"
    script.write_text(
        "import time\nfrom pathlib import Path\nimport draftgen.formats.output as out\n"
        "from draftgen.curate.bankedit import add_entry\n"
        "real = out.os.replace\n"
        "def slow(a, b):\n    time.sleep(60)\n    real(a, b)\n"
        "out.os.replace = slow\n"
        f"add_entry('measure', '推进环境整治新试点', topic='生态环境', file=Path({str(target)!r}))\n",
        encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=env)
    for _ in range(100):  # wait until the new file is written in full beside the old one
        time.sleep(0.2)
        if any(p.name.endswith(".tmp") for p in bank.iterdir()):
            break
    proc.kill()
    proc.wait(timeout=30)
    assert target.read_bytes() == before  # killed before the rename: the bank file is the old one, whole


def test_two_writers_cannot_both_create_one_file(tmp_path: Path) -> None:
    target = tmp_path / "草稿.md"
    barrier = threading.Barrier(8)
    results: list[str] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            write_bytes(target, f"第{n}份".encode())
            results.append("written")
        except WriterError:
            results.append("refused")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused"] * 7 + ["written"]
    assert [p.name for p in tmp_path.iterdir()] == ["草稿.md"]  # no temporary file left


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_leaves_no_temporary_file(tmp_path: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text(
        "import time\nfrom pathlib import Path\nimport draftgen.formats.output as out\n"
        "from draftgen.cli import _stop_cleanly_on_terminate\n"
        "_stop_cleanly_on_terminate()\n"
        "class Slow(bytes):\n    pass\n"
        "real = out.os.fdopen\n"
        "def slow(fd, mode):\n    handle = real(fd, mode)\n    time.sleep(30)\n    return handle\n"
        "out.os.fdopen = slow\n"
        "try:\n    out.write_bytes(Path('草稿.md'), b'x')\nexcept KeyboardInterrupt:\n    raise SystemExit(130)\n",
        encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path)
    time.sleep(3)
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # it is writing
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.py"]


def test_the_template_cache_is_pruned_when_it_is_written_not_on_every_draft(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import example_path
    from draftgen.api import build_draft

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "draftgen" / "templates"
    folder.mkdir(parents=True)
    for i in range(210):  # left by templates edited many times, long ago
        stale = folder / f"__jinja2_{i:040d}.cache"
        stale.write_bytes(b"x")
        os.utime(stale, (1_000_000 + i, 1_000_000 + i))
    build_draft(example_path("taoyuan-town"))
    kept = sorted(folder.glob("__jinja2_*.cache"))
    assert len(kept) == 200
    assert not (folder / f"__jinja2_{0:040d}.cache").exists()  # the oldest went first
    written = [p for p in kept if p.stat().st_mtime > 2_000_000]
    assert written  # this draft's own compiled templates are among those kept
    # a second draft reads the cache and writes nothing: nothing is pruned
    before = {p.name: p.stat().st_mtime for p in folder.iterdir()}
    build_draft(example_path("taoyuan-town"))
    assert {p.name: p.stat().st_mtime for p in folder.iterdir()} == before
