"""Opening a Word file: the one place that decides whether a file is a DOCX draftgen
can read, refuses zip bombs and oversized documents before anything is parsed, reads
a `.dotx` template like a `.docx`, and says in one Chinese line what to do with
`.doc`/`.wps`/`.odt`/`.rtf` files and strict Open XML.

Two ways in, with the same checks: :func:`open_docx`, python-docx's document (for
the commands that write the file back or read its comments), and :func:`read_parts`,
only the parts the reader needs (for the commands that read many files: mining,
harvesting), several times faster.

Other formats are refused, not converted: the fix is one "另存为" in Word/WPS, while
a silent conversion would check text that differs from what the writer sees (text
boxes, numbering and fields change on the way) and would make the result depend on
whether and which LibreOffice happens to be installed.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from draftgen.errors import InputFileError

MB = 1024 * 1024

#: main-part content types of Word files that are a DOCX inside
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_MAINS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
#: suffixes that name a Word-processor file (read here, or refused here with the fix)
WORD_SUFFIXES = (".docx", ".dotx", ".docm", ".dotm", ".doc", ".dot", ".wps", ".wpt", ".odt", ".ott", ".rtf")
_SAVE_AS = ("请在 Word/WPS 中打开它，“另存为” .docx 格式后重试"
            "（或用 LibreOffice：soffice --headless --convert-to docx 文件名）。")

#: a parser for parts python-docx leaves as bytes (footnotes…): no entities, no network
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


@dataclass(frozen=True)
class Limits:
    """How big a Word file may be. A real report is a few MB; these leave room for
    big archives (settable in the check config) and stop zip bombs before parsing."""

    part_mb: int = 64  # one part (document.xml, an image…) uncompressed
    total_mb: int = 256  # all parts uncompressed
    paragraphs: int = 200_000
    parts: int = 5_000
    # XML elements in all parts (a Word paragraph takes 5–30); when only reading
    # (read_parts), in the parts that are parsed: the others cannot cost anything
    elements: int = 6_000_000


DEFAULT_LIMITS = Limits()


WORD_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")  # how a zip, OLE2 or RTF file begins


def is_word_file(path: Path) -> bool:
    """A Word-processor file by its name or its first bytes (zip, OLE2, RTF)."""
    if path.suffix.lower() in WORD_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith(WORD_MAGIC)


def _refuse(path: Path, what: str) -> InputFileError:
    return InputFileError(f"“{path}”{what}，draftgen 只读 .docx。{_SAVE_AS}")


def _sniff(path: Path) -> None:
    """Refuse a missing file and the formats that are not zip packages, by their first bytes."""
    if not path.exists():
        raise InputFileError(f"找不到文件“{path}”，请检查路径是否正确。")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except IsADirectoryError:
        raise InputFileError(f"“{path}”是一个文件夹，不是 Word 文件。") from None
    except OSError as exc:
        raise InputFileError(f"无法读取“{path}”：{exc.strerror}。") from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(path, "是旧版 Word/WPS 文件（.doc/.wps）")
    if head.startswith(b"{\\rtf"):
        raise _refuse(path, "是 RTF 文件")


def _check_sizes(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise InputFileError(f"“{path}”里有 {len(infos)} 个部件，超过上限 {limits.parts} 个：这不像正常的 Word 文件。")
    total = 0
    for info in infos:
        # zipfile never inflates past the declared size (it stops with a CRC error), so the
        # declared sizes bound the memory a part can take
        if info.file_size > limits.part_mb * MB:
            raise InputFileError(
                f"“{path}”里的 {info.filename} 解压后有 {info.file_size // MB} MB，超过上限 {limits.part_mb} MB："
                "这不像正常的 Word 文件（可能是“压缩炸弹”）。如确是超大文档，请拆分后再处理，"
                "或在检查配置里调高 limits.part_mb。")
        total += info.file_size
    if total > limits.total_mb * MB:
        raise InputFileError(
            f"“{path}”解压后共 {total // MB} MB，超过上限 {limits.total_mb} MB：这不像正常的 Word 文件"
            "（可能是“压缩炸弹”）。如确是超大文档，请拆分后再处理，或在检查配置里调高 limits.total_mb。")


_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)  # what may come before the root, but a DTD


def _check_head(path: Path, name: str, head: bytes) -> None:
    """Refuse a DTD: Word never writes one; in a part it only serves entity expansion
    ("billion laughs"). It stands before the root element, after any comments and
    processing instructions, which ``head`` (the part's first chunk) must hold."""
    start = _PROLOG.match(head.removeprefix(codecs.BOM_UTF8)).end()  # type: ignore[union-attr]
    rest = head.removeprefix(codecs.BOM_UTF8)[start:]
    if rest.startswith(b"<!"):  # <!DOCTYPE, <!ENTITY, or anything else no Word part has there
        raise InputFileError(f"“{path}”里的 {name} 含有 DTD 声明（<!DOCTYPE），Word 文件不会有它，"
                             f"已拒绝读取。{_SAVE_AS}")
    if not rest and len(head) >= MB:
        raise InputFileError(f"“{path}”里的 {name} 开头不像 Word 写的 XML（根元素之前的注释、声明过长），"
                             f"已拒绝读取。{_SAVE_AS}")


#: how an XML parser tells the encoding from the first bytes (XML 1.0, appendix F)
_SIGNATURES = ((b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"), (b"\xfe\xff", "utf-16-be"),
               (b"\xff\xfe", "utf-16-le"), (b"\x00\x00\x00<", "UTF-32"), (b"<\x00\x00\x00", "UTF-32"),
               (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"), (b"\x4c\x6f\xa7\x94", "EBCDIC"))
_DECLARED = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")


def _codec(path: Path, name: str, head: bytes) -> str | None:
    """How to read a part's bytes for checking them, as the parser will read them: None for
    UTF-8, a codec for UTF-16. Any other encoding is refused: a package's XML is UTF-8 or
    UTF-16 (ECMA-376 part 2), and in another the checks made on the bytes could be fooled
    (UTF-7 may write ``<`` as ``+ADw-``)."""
    found: str | None = None
    for signature, codec in _SIGNATURES:
        if head.startswith(signature):
            found = codec
            break
    else:
        declared = _DECLARED.match(head.removeprefix(codecs.BOM_UTF8))
        label = declared.group(1).decode("ascii").lower().replace("_", "-") if declared else "utf-8"
        # labelled UTF-16 without its byte signature, or after a UTF-8 one: read as UTF-8
        if head.startswith(codecs.BOM_UTF8) or label in ("utf-8", "utf8") or label.startswith("utf-16"):
            return None
        found = declared.group(1).decode("ascii") if declared else label
    if found.startswith("utf-16"):
        return found
    raise InputFileError(f"“{path}”里的 {name} 用的是 {found} 编码，Word 文件只用 UTF-8 或 UTF-16，"
                         f"已拒绝读取。{_SAVE_AS}")


def _checked(path: Path, name: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A part's bytes, chunk by chunk, as UTF-8 for counting, refused if it declares a DTD."""
    stream = iter(chunks)
    first = next(stream, b"")
    codec = _codec(path, name, first)
    decoder = codecs.getincrementaldecoder(codec)("replace") if codec else None
    for number, chunk in enumerate(itertools.chain([first], stream)):
        data = decoder.decode(chunk).encode("utf-8") if decoder else chunk
        if number == 0:
            _check_head(path, name, data)
        yield data


class _Reading:
    """The parts the lean way in reads, each checked (no DTD) and counted (elements, the
    main part's paragraphs) before it is parsed, the counts kept within the limits."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.path, self.archive, self.limits = path, archive, limits
        self.elements = self.paragraphs = 0
        self.counted: dict[str, int] = {}  # elements by part

    def read(self, name: str, main: bool = False) -> bytes:
        """A part's bytes, checked and counted."""
        data = self.archive.read(name)
        view = memoryview(data)
        chunks = (bytes(view[at:at + MB]) for at in range(0, len(data), MB))
        self._count(name, *_tally(_checked(self.path, name, chunks), main))
        return data

    def shared(self, name: str, kind: str) -> Any:
        """The root of a styles or numbering part parsed for an earlier file, when this file
        stores the same bytes for it (files made from one template): then it is not even
        decompressed, and counts what it counted then. None otherwise."""
        key = _shared_key(self.archive, name, kind)
        found = _SHARED.get(key) if key is not None else None
        if key is None or found is None:
            return None
        _SHARED.move_to_end(key)
        self._count(name, found[1], 0)
        return found[0]

    def _count(self, name: str, elements: int, paragraphs: int) -> None:
        self.counted[name] = elements
        self.elements += elements
        self.paragraphs += paragraphs
        _check_tally(self.path, self.elements, self.paragraphs, self.limits)


def _main_types(path: Path, archive: zipfile.ZipFile, read: Callable[[str], bytes] | None = None) -> Any:
    """The parsed [Content_Types].xml of a Word package, or an InputFileError saying what
    else the file is (OpenDocument, strict Open XML, Excel…). ``read``: how parts are read
    (checked and counted when they were not all before)."""
    read = read or archive.read
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        raise _refuse(path, "是 OpenDocument 文件（.odt）")
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（缺少 [Content_Types].xml），{_SAVE_AS}")
    if b"purl.oclc.org/ooxml" in read("_rels/.rels"):
        raise _refuse(path, "是“严格 Open XML”格式（Strict Open XML）的文档")
    types = read("[Content_Types].xml")
    try:
        root = etree.fromstring(types, SAFE_XML)
    except etree.XMLSyntaxError:
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（[Content_Types].xml 无法解析），{_SAVE_AS}") from None
    declared = {el.get("ContentType", "") for el in root}
    if _MAIN not in declared and not any(t in declared for t in _WORD_MAINS):
        raise InputFileError(f"“{path}”不是 Word 文档（可能是 Excel、PowerPoint 或其他压缩包），{_SAVE_AS}")
    return root


def _package_bytes(path: Path, archive: zipfile.ZipFile) -> bytes | None:
    """The package to hand to python-docx: None for the file as it is, or the bytes of a
    copy it can open: the main part declared a document (a .dotx/.docm read like a .docx),
    and without relationships to parts the file does not have (LibreOffice sometimes keeps
    one to a chart's spreadsheet it did not write back; Word and LibreOffice open such a
    file, python-docx stops at it)."""
    root = _main_types(path, archive)
    changed: dict[str, bytes] = {}
    if not any(el.get("ContentType") == _MAIN for el in root):
        for el in root:
            if el.get("ContentType") in _WORD_MAINS:
                el.set("ContentType", _MAIN)
        changed["[Content_Types].xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    names = set(archive.namelist())
    followed = _followed_by_id()
    for name in names:
        source = _source_of(name)
        # only the relationships of a part python-docx keeps as bytes (a chart, a diagram): the
        # package's and those of the parts it reads (the body, headers, footers…) are followed by
        # id, and a file that lacks one of their targets is refused as before
        if source is None or source not in names or _content_type(root, source) in followed:
            continue
        if (kept := _without_dangling(archive.read(name), posixpath.dirname(source), names)) is not None:
            changed[name] = kept
    if not changed:
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            copy.writestr(info.filename, changed[info.filename] if info.filename in changed else archive.read(info))
    return out.getvalue()


def _source_of(rels: str) -> str | None:
    """The part a relationships part belongs to (word/_rels/document.xml.rels → word/document.xml),
    or None for the package's own (_rels/.rels) and for a name that is not a relationships part."""
    folder, name = posixpath.split(rels)
    if not name.endswith(".rels") or posixpath.basename(folder) != "_rels" or name == ".rels":
        return None
    return posixpath.join(posixpath.dirname(folder), name[:-len(".rels")])


def _followed_by_id() -> frozenset[str]:
    """Content types of the parts python-docx reads as XML and whose relationships it follows by id."""
    from docx.opc.part import PartFactory

    return frozenset(PartFactory.part_type_for)


def _without_dangling(xml: bytes, folder: str, names: set[str]) -> bytes | None:
    """A relationships part (of a part in ``folder``) without the relationships to parts not
    among ``names``, or None when it has none such (or is not a relationships part:
    python-docx then says what is wrong)."""
    try:
        root = etree.fromstring(xml, SAFE_XML)
    except etree.XMLSyntaxError:
        return None
    if root.tag != _RELATIONSHIPS + "s":
        return None
    gone = [rel for rel in root if rel.tag == _RELATIONSHIPS and rel.get("TargetMode") != "External"
            and _target(folder, rel.get("Target", "")) not in names]
    if not gone:
        return None
    for rel in gone:
        root.remove(rel)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def open_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A python-docx Document for the Word file at ``path`` (.docx, .dotx, .docm),
    or an InputFileError with one Chinese line saying why not and what to do."""
    _sniff(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(path, archive, limits)
            _check_parts(path, archive, limits)
            data = _package_bytes(path, archive)
    except _BROKEN as exc:
        raise _broken(path, exc) from None
    from docx import Document

    try:
        document = Document(io.BytesIO(data) if data is not None else str(path))
    except Exception as exc:  # zip, XML and package errors all mean "not a docx"
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（{type(exc).__name__}），{_SAVE_AS}") from None
    return document


_PARAGRAPH_TAG = re.compile(rb"<w:p[\s/>]")


def _tally(chunks: Iterable[bytes], main: bool) -> tuple[int, int]:
    """Elements and (in the main part) paragraphs in a part's XML, given whole or in chunks,
    counted in the raw bytes before a tree of millions of elements is built."""
    paragraphs = elements = 0
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        # keep a few bytes so a tag cut at the chunk's end is counted once, in the next round
        cut = max(0, len(data) - 4)
        elements += data.count(b"<", 0, cut) - data.count(b"</", 0, cut)
        if main:
            paragraphs += len(_PARAGRAPH_TAG.findall(data)) - len(_PARAGRAPH_TAG.findall(data[cut:]))
        tail = data[cut:]
    elements += tail.count(b"<") - tail.count(b"</")
    if main:
        paragraphs += len(_PARAGRAPH_TAG.findall(tail))
    return elements, paragraphs


def _check_parts(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a DTD in any part, and count paragraphs and elements in the raw XML of every
    part, before a tree of millions of elements is built (a small part can hold millions of
    empty elements)."""
    paragraphs = elements = 0
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            part = _tally(_checked(path, info.filename, iter(lambda: stream.read(MB), b"")),
                          info.filename in ("word/document.xml", "word/document2.xml"))
        elements += part[0]
        paragraphs += part[1]
    _check_tally(path, elements, paragraphs, limits)


def _check_tally(path: Path, elements: int, paragraphs: int, limits: Limits) -> None:
    if paragraphs > limits.paragraphs:
        raise InputFileError(f"“{path}”有 {paragraphs} 段，超过上限 {limits.paragraphs} 段。请拆分后再处理，"
                             "或在检查配置里调高 limits.paragraphs。")
    if elements > limits.elements:
        raise InputFileError(f"“{path}”里有 {elements} 个 XML 元素，超过上限 {limits.elements} 个：这不像正常的"
                             " Word 文件。如确是超大文档，请拆分后再处理，或在检查配置里调高 limits.elements。")


# a broken zip (zlib.error: a damaged stream; NotImplementedError: an unknown compression;
# RuntimeError: encrypted), a missing part, bad XML
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError, zlib.error,
           NotImplementedError, RuntimeError, etree.XMLSyntaxError)


def _broken(path: Path, exc: Exception) -> InputFileError:
    kind = "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__  # its own name is "error"
    return InputFileError(f"“{path}”不是有效的 .docx 文件（{kind}），{_SAVE_AS}")


#: parts as python-docx parses them (blank text between elements dropped), so that both ways
#: in give the reader the same trees; no entities, no network
PART_XML = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True, huge_tree=False)
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"


@dataclass(frozen=True)
class Parts:
    """What the reader needs of a Word file, parsed: the body, and the roots of the
    styles, numbering, footnotes and endnotes parts (None where the file has none).
    ``shared``: those of them (styles, numbering) that other files may share too, not
    to be changed."""

    body: Any
    styles: Any = None
    numbering: Any = None
    footnotes: Any = None
    endnotes: Any = None
    shared: frozenset[str] = frozenset()


def read_parts(path: Path, limits: Limits = DEFAULT_LIMITS) -> Parts:
    """The parts of the Word file at ``path`` that the reader needs, checked as
    :func:`open_docx` checks them (DTDs and elements in the parts it reads: the others
    are never parsed), without building python-docx's package (the ~20 parts it loads,
    styles parsed into its own classes): what mining an archive of Word files costs.
    Files made from one template share their styles and numbering, which are parsed
    once (the last few kept, known by a digest of their bytes as the zip stores them)."""
    _sniff(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(path, archive, limits)
            reading = _Reading(path, archive, limits)
            return _parts(reading, _main_types(path, archive, reading.read))
    except _BROKEN as exc:
        raise _broken(path, exc) from None


#: the parts the reader reads besides the main one, by their relationship's type
PART_KINDS = ("styles", "numbering", "footnotes", "endnotes")
#: those python-docx parses (only when declared as what they are); it leaves the notes as bytes
XML_KINDS = ("styles", "numbering")
_TYPES = {kind: f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml" for kind in XML_KINDS}


def _parts(reading: _Reading, types: Any) -> Parts:
    names = set(reading.archive.namelist())
    main = _related(reading, names, "")["officeDocument"]
    document = reading.read(main, main=True)
    related = _related(reading, names, main)
    wanted = [kind for kind in PART_KINDS if kind in related
              and (kind not in _TYPES or _content_type(types, related[kind]) == _TYPES[kind])]
    roots: dict[str, tuple[Any, bool]] = {}
    data: dict[str, bytes] = {}
    for kind in wanted:  # all counted before any is parsed
        root = reading.shared(related[kind], kind) if kind in XML_KINDS else None
        if root is not None:
            roots[kind] = root, True
        else:
            data[kind] = reading.read(related[kind])
    for kind, xml in data.items():
        roots[kind] = _parsed(kind, xml, reading.counted[related[kind]],
                              _shared_key(reading.archive, related[kind], kind))
    return Parts(etree.fromstring(document, PART_XML).find(_W_BODY), **{k: r for k, (r, _) in roots.items()},
                 shared=frozenset(k for k, (_, shared) in roots.items() if shared))


def _content_type(types: Any, name: str) -> str:
    """A part's content type: its Override, or the Default for its extension."""
    extension = name.rpartition(".")[2].lower()
    default = ""
    for el in types:
        if el.tag.endswith("Override") and el.get("PartName", "").lstrip("/").lower() == name.lower():
            return str(el.get("ContentType", ""))
        if el.tag.endswith("Default") and el.get("Extension", "").lower() == extension:
            default = str(el.get("ContentType", ""))
    return default


def _related(reading: _Reading, names: set[str], part: str) -> dict[str, str]:
    """The parts a part (or the package, for "") relates to, by the last word of their
    relationship type (the first of each), as names in the archive."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in names:
        return {}
    found: dict[str, str] = {}
    for rel in etree.fromstring(reading.read(rels), SAFE_XML).iter(_RELATIONSHIPS):
        target, kind = rel.get("Target", ""), rel.get("Type", "").rpartition("/")[2]
        if rel.get("TargetMode") != "External" and target and kind not in found:
            found[kind] = _target(folder, target)
    return found


def _target(folder: str, target: str) -> str:
    """The archive name of a relationship's target, as python-docx resolves it: joined to the
    folder of the part that holds the relationship (an absolute target from the top)."""
    return posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")


def parse_notes(xml: bytes) -> Any:
    """A footnotes or endnotes part's root, or None when it does not parse (the text is still read)."""
    try:
        return etree.fromstring(xml, SAFE_XML)
    except etree.XMLSyntaxError:
        return None


#: the styles and numbering parts last parsed, by a digest of their stored bytes (see
#: :func:`_shared_key`): a few, and only small ones (a template's styles hold some thousands of elements),
#: so that what is kept stays small
_SHARED: OrderedDict[tuple[str, bytes], tuple[Any, int]] = OrderedDict()  # root, elements
_SHARED_KEPT = 4
_SHARED_ELEMENTS = 30_000


def _shared_key(archive: zipfile.ZipFile, name: str, kind: str) -> tuple[str, bytes] | None:
    """What a styles or numbering part is known by between files: a digest of its bytes as
    the zip stores them (compressed: reading them costs no decompression, and the same stored
    bytes are the same part), with how they are stored. None when they cannot be read so (an
    encrypted entry, a local header that is not one): that part is not shared."""
    info = archive.getinfo(name)
    if info.flag_bits & 0x1 or archive.fp is None:
        return None
    archive.fp.seek(info.header_offset)
    head = archive.fp.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", head[26:30])
    archive.fp.seek(name_length + extra_length, 1)
    stored = archive.fp.read(info.compress_size)
    if len(stored) != info.compress_size:
        return None
    digest = hashlib.blake2b(b"%d:%d:" % (info.compress_type, info.file_size), digest_size=16)
    digest.update(stored)
    return kind, digest.digest()


def _parsed(kind: str, xml: bytes, elements: int, key: tuple[str, bytes] | None) -> tuple[Any, bool]:
    """A part's root: styles and numbering parsed as python-docx parses them, notes as the
    reader parses what python-docx leaves as bytes (None when they do not parse: the text
    is still read). A small styles or numbering part is kept under its ``key`` for the next
    files (see :meth:`_Reading.shared`); with the root, whether it is shared so."""
    if kind not in XML_KINDS:
        return parse_notes(xml), False
    root = etree.fromstring(xml, PART_XML)
    if elements > _SHARED_ELEMENTS or key is None:
        return root, False
    _SHARED[key] = root, elements
    if len(_SHARED) > _SHARED_KEPT:
        _SHARED.popitem(last=False)
    return root, True
