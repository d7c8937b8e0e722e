"""Writing files safely: never over an existing file without ``force``, and
atomically (a temporary file in the same folder, then a rename)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from draftgen.errors import WriterError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _exists_error(path: Path) -> WriterError:
    return WriterError(f"文件“{path}”已存在，未做改动。如要覆盖请加 --force，或用 -o 指定另一个文件名。")


def _publish_new(tmp: Path, path: Path) -> None:
    """Put the finished file in place only if no file of that name exists, in one step: a
    hard link fails when the name is taken, so two writers cannot both "win" (a check
    followed by a rename could let them)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists_error(path) from None
    except OSError:
        # a file system without hard links: exclusive creation, then the bytes
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IMODE(tmp.stat().st_mode))
        except FileExistsError:
            raise _exists_error(path) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(tmp.read_bytes())
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_text(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` in UTF-8; refuse to replace a file unless ``force``."""
    write_bytes(path, text.encode("utf-8"), force=force)


def write_bytes(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; refuse to replace a file unless ``force``."""
    if len(os.fsencode(path.name)) > 240:  # (fsencode: a name with undecodable bytes has them back)
        raise WriterError(f"文件名太长（{len(path.name)} 个字），请用 -o 指定一个短一些的文件名。")
    if path.exists() and not force:
        raise _exists_error(path)
    if path.is_dir():
        raise WriterError(f"“{path}”是一个文件夹，请用 -o 指定文件名。")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriterError(f"文件夹“{folder}”不存在，请先创建它或换一个输出路径。")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriterError(f"无法在“{folder}”中写入文件：{exc.strerror}。") from None
    try:
        # mkstemp makes the file owner-only; a draft gets the permissions of any new file
        # (a shared office folder's umask), or keeps those of the file it replaces
        os.fchmod(fd, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if force:
            os.replace(tmp, path)
        else:
            _publish_new(Path(tmp), path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
