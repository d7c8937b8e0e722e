"""Reports as plain text (.txt, .md, .docx; folders walked): a file whole, or a long one a portion at a time."""

from __future__ import annotations

import codecs
import contextlib
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from draftgen.errors import InputFileError, MiningError
from draftgen.formats.read import WORD_MAGIC, WORD_SUFFIXES, is_word_file, plain_text, word_text

SUFFIXES = (".txt", ".md", ".docx", ".dotx")
LONG_BYTES = 1_000_000  # a larger file (a compilation of reports) is read a portion at a time
PORTION_BYTES = 16_000_000  # at most about this much of a long text file is read at once


@dataclass(frozen=True)
class Source:
    path: Path
    size: int
    # while mining: where a Word file's text was kept once read (:func:`keep_texts`)
    kept: Kept | None = field(default=None, compare=False)
    # why it cannot be read, found while listing (a folder that cannot be opened): said when read
    unreadable: str | None = field(default=None, compare=False)


def collect(paths: list[Path]) -> list[Source]:
    """The files to read, in a stable order, each once (a folder and a file in it may both be
    given); a missing path is an error. A file that cannot even be looked at is listed all
    the same: reading it says why, and mining leaves it out."""
    found: list[Source] = []
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            files = _files(path)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES and not is_word_file(path):
                raise InputFileError(f"“{path}”不是 .txt、.md 或 .docx 文件。")
            files = [(path, None)]
        else:
            raise InputFileError(f"找不到“{path}”，请检查路径是否正确。")
        for file, why in files:
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                found.append(Source(file, _size(file), unreadable=why))
    if not found:
        raise MiningError("没有找到可读的报告（.txt、.md 或 .docx）。")
    return found


def _files(folder: Path) -> list[tuple[Path, str | None]]:
    """The reports in a folder and the folders under it (symbolic links to folders not
    followed), sorted; a folder that cannot be opened is listed too, with why."""
    found: list[tuple[Path, str | None]] = []

    def unopened(error: OSError) -> None:
        found.append((Path(error.filename), f"无法打开文件夹“{error.filename}”：{error.strerror or error}，"
                                            "里面的文件都没有读。"))

    for root, _, names in os.walk(folder, onerror=unopened):
        for name in names:
            path = Path(root, name)
            if path.suffix.lower() in SUFFIXES:
                try:
                    if not path.is_file():
                        continue
                except OSError:  # in a folder whose names can be listed, not looked at
                    pass
                found.append((path, None))
    return sorted(found, key=lambda item: item[0])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class Kept:
    """Where a Word file's text was kept: a store file in the run's folder, and the place in it."""

    name: str
    offset: int
    length: int


class _Store:
    """This process's part of a mining run: the texts of the Word files it has read, appended
    to one file of its own in the run's temporary folder (a file a text would cost a file
    system a millisecond each to make) and found again by their place; and the files it
    could not read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"{os.getpid()}.txt"
        self.file: BinaryIO | None = None
        self.own: dict[Path, Kept] = {}  # what this process kept
        self.new: list[tuple[Path, Kept]] = []  # …and has not told the main process yet
        self.skipped: list[tuple[Path, str]] = []  # files it could not read, and why: not told yet either
        self.full = False

    def keep(self, path: Path, text: str) -> None:
        if self.full:
            return
        data = text.encode("utf-8", "surrogatepass")  # as bytes: a \r stays as it was
        try:
            if self.file is None:
                self.file = (self.folder / self.name).open("ab")
            offset = self.file.tell()
            self.file.write(data)
            self.file.flush()  # for the other processes, once the main process tells them where
        except OSError:  # no room left: the files are taken apart again next time
            self.full = True
            self.close()  # what is left in the buffer is dropped, not written again at the end
            return
        self.own[path] = kept = Kept(self.name, offset, len(data))
        self.new.append((path, kept))

    def read(self, kept: Kept) -> str:
        with (self.folder / kept.name).open("rb") as file:
            file.seek(kept.offset)
            return file.read(kept.length).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        file, self.file = self.file, None
        if file is not None:
            with contextlib.suppress(OSError):  # the disk filled while the last text was written: it was not kept
                file.close()


_STORE: list[_Store] = []  # while mining: this process's part of the run (see _Store)


def keep_texts(folder: Path | None) -> None:
    """From now on keep the text of each Word file read in ``folder`` (a temporary one, its
    own to each mining run), to read it from there the next time (:func:`read_text`); None:
    no more (the store file is closed, so that the folder can go)."""
    for store in _STORE:
        store.close()
    _STORE[:] = [_Store(folder)] if folder else []


def kept_texts() -> list[tuple[Path, Kept]]:
    """Where this process kept the Word files it read since the last call: for the main
    process, which hands the places on with the reports (:func:`with_kept`)."""
    if not _STORE:
        return []
    new, _STORE[0].new = _STORE[0].new, []
    return new


def skipped_files() -> list[tuple[Path, str]]:
    """The files this process could not read since the last call, each with the one line
    saying why (while mining, a file that cannot be read is left out, not the end of the
    run: an archive of thousands of files holds a few broken ones)."""
    if not _STORE:
        return []
    skipped, _STORE[0].skipped = _STORE[0].skipped, []
    return skipped


def _failure(source: Source, error: OSError | InputFileError) -> InputFileError:
    """Why a file cannot be read, in one line."""
    if isinstance(error, InputFileError):
        return error
    return InputFileError(f"无法读取“{source.path}”：{error.strerror or error}。")  # gone, or not ours to read


def _skipped(source: Source, error: InputFileError) -> None:
    """While mining, note a file that cannot be read; otherwise, the error it is."""
    if not _STORE:
        raise error
    _STORE[0].skipped.append((source.path, str(error)))


def with_kept(source: Source, kept: dict[Path, Kept]) -> Source:
    """The report with where its text was kept, if it was: any process then reads it from there."""
    place = kept.get(source.path)
    return replace(source, kept=place) if place is not None else source


def read_text(source: Source) -> str:
    """A report's text, one paragraph a line. A Word file is taken apart once in a mining
    run (which reads the reports two or three times): its text is kept (:func:`keep_texts`)
    and read from there by any process that knows where (``source.kept``), or by the one
    that kept it. While mining, a file that cannot be read is noted and read as empty."""
    try:
        return _text(source)
    except (OSError, InputFileError) as error:
        _skipped(source, _failure(source, error))
    return ""


def _text(source: Source) -> str:
    if source.unreadable:
        raise InputFileError(source.unreadable)
    path = source.path
    if path.suffix.lower() not in WORD_SUFFIXES:  # read once, and looked at as is_word_file would
        data = path.read_bytes()
        if not data.startswith(WORD_MAGIC):
            return plain_text(data, str(path))
    store = _STORE[0] if _STORE else None
    if store is not None:
        kept = source.kept or store.own.get(path)
        if kept is not None:
            with contextlib.suppress(OSError):  # the store itself cannot be read: the file is taken apart again
                return store.read(kept)
    text = word_text(path)
    if store is not None:
        store.keep(path, text)
    return text


def is_long(source: Source) -> bool:
    """A file past :data:`LONG_BYTES`: its portions are counted apart (by all the workers)."""
    return source.size > LONG_BYTES


def portions(source: Source, parts: int = 1) -> int:
    """In how many portions a file is read: one, or for a long file at least ``parts`` and
    enough that none is much over :data:`PORTION_BYTES`."""
    return max(parts, math.ceil(source.size / PORTION_BYTES)) if is_long(source) else 1


def texts(source: Source) -> Iterator[str]:
    """A file's text, a portion at a time for a long one (see :func:`read_portion`)."""
    n = portions(source)
    if n == 1:
        yield read_text(source)
        return
    for k in range(n):
        yield read_portion(source, k, n)[0]


def read_portion(source: Source, k: int, n: int) -> tuple[str, int]:
    """Portion ``k`` of ``n`` of a file's text, cut after a line break, and its share of the
    file's bytes. Of a .txt or .md file only that portion is read (each portion decoded as
    UTF-8, or else GB18030, as a whole file is); a Word file, or one in UTF-16, is read
    whole and cut by characters."""
    path = source.path
    if not is_word_file(path) and not source.unreadable:
        try:
            return _text_portion(source, k, n)
        except (OSError, InputFileError) as error:
            _skipped(source, _failure(source, error))
        return "", 0
    return _cut(read_text(source), source.size, k, n)


def unreadable(source: Source, n: int) -> str | None:
    """Why the long text file ``source``, read in ``n`` portions, cannot be read (None when it
    can): asked before any portion is counted, for a file left out must leave no trace (a
    portion counted in a process changes what that process counts next)."""
    if source.unreadable or is_word_file(source.path):
        return None  # read whole in each portion: none of it is counted if it cannot be read
    try:
        for k in range(n):
            _text_portion(source, k, n, markup=False)
    except (OSError, InputFileError) as error:
        return str(_failure(source, error))
    return None


def _text_portion(source: Source, k: int, n: int, markup: bool = True) -> tuple[str, int]:
    path = source.path
    with path.open("rb") as file:
        head = file.read(2)
        if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            size = file.seek(0, 2)
            a, b = _byte_bound(file, size, k, n), _byte_bound(file, size, k + 1, n)
            file.seek(a)
            return plain_text(file.read(b - a), str(path), markup=markup), b - a
    return _cut(plain_text(path.read_bytes(), str(path), markup=markup), source.size, k, n)


def _byte_bound(file: BinaryIO, size: int, j: int, n: int) -> int:
    """Where portion ``j`` of ``n`` of an open file starts: after the first line break at or
    past its share (a line break is one byte in UTF-8 and in GB18030)."""
    if j <= 0 or j >= n:
        return 0 if j <= 0 else size
    at = file.seek(size * j // n)
    while chunk := file.read(1 << 16):
        found = chunk.find(b"\n")
        if found >= 0:
            return at + found + 1
        at += len(chunk)
    return size


def _cut(text: str, size: int, k: int, n: int) -> tuple[str, int]:
    """Portion ``k`` of ``n`` of a text read whole, cut after a line break, and its share of
    the file's ``size`` bytes (by characters)."""
    if not text:
        return "", size if k == 0 else 0

    def bound(j: int) -> int:
        if j <= 0 or j >= n:
            return 0 if j <= 0 else len(text)
        return text.find("\n", len(text) * j // n) + 1 or len(text)

    a, b = bound(k), bound(k + 1)
    return text[a:b], size * b // len(text) - size * a // len(text)
