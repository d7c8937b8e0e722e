"""Opening a Word file: the one place that decides whether a file is a DOCX draftgen
can read, refuses zip bombs and oversized documents before anything is parsed, reads
a `.dotx` template like a `.docx`, and says in one Chinese line what to do with
`.doc`/`.wps`/`.odt`/`.rtf` files and strict Open XML.

Other formats are refused, not converted: the fix is one "另存为" in Word/WPS, while
a silent conversion would check text that differs from what the writer sees (text
boxes, numbering and fields change on the way) and would make the result depend on
whether and which LibreOffice happens to be installed.
"""

from __future__ import annotations

import io
import re
import zipfile
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
    elements: int = 6_000_000  # XML elements in all parts (a Word paragraph takes 5–30)


DEFAULT_LIMITS = Limits()


def is_word_file(path: Path) -> bool:
    """A Word-processor file by its name or its first bytes (zip, OLE2, RTF)."""
    if path.suffix.lower() in WORD_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf"))


def _refuse(path: Path, what: str) -> InputFileError:
    return InputFileError(f"“{path}”{what}，draftgen 只读 .docx。{_SAVE_AS}")


def _sniff(path: Path) -> None:
    """Refuse the formats that are not zip packages, by their first bytes."""
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
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as stream:
                head = stream.read(4096)
            # Word never writes a DTD; one in a part only serves entity expansion ("billion laughs")
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise InputFileError(f"“{path}”里的 {info.filename} 含有 DTD 声明（<!DOCTYPE），Word 文件不会有它，"
                                     f"已拒绝读取。{_SAVE_AS}")
    if total > limits.total_mb * MB:
        raise InputFileError(
            f"“{path}”解压后共 {total // MB} MB，超过上限 {limits.total_mb} MB：这不像正常的 Word 文件"
            "（可能是“压缩炸弹”）。如确是超大文档，请拆分后再处理，或在检查配置里调高 limits.total_mb。")


def _package_bytes(path: Path, archive: zipfile.ZipFile) -> bytes | None:
    """The package to hand to python-docx: None for the file as it is, or the bytes of
    a copy whose main part is declared a document (a .dotx/.docm read like a .docx)."""
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        raise _refuse(path, "是 OpenDocument 文件（.odt）")
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（缺少 [Content_Types].xml），{_SAVE_AS}")
    if b"purl.oclc.org/ooxml" in archive.read("_rels/.rels"):
        raise _refuse(path, "是“严格 Open XML”格式（Strict Open XML）的文档")
    types = archive.read("[Content_Types].xml")
    try:
        root = etree.fromstring(types, SAFE_XML)
    except etree.XMLSyntaxError:
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（[Content_Types].xml 无法解析），{_SAVE_AS}") from None
    declared = {el.get("ContentType", "") for el in root}
    if _MAIN in declared:
        return None
    if not any(t in declared for t in _WORD_MAINS):
        raise InputFileError(f"“{path}”不是 Word 文档（可能是 Excel、PowerPoint 或其他压缩包），{_SAVE_AS}")
    for el in root:
        if el.get("ContentType") in _WORD_MAINS:
            el.set("ContentType", _MAIN)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if info.filename == "[Content_Types].xml" else archive.read(info)
            copy.writestr(info.filename, data)
    return out.getvalue()


def open_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A python-docx Document for the Word file at ``path`` (.docx, .dotx, .docm),
    or an InputFileError with one Chinese line saying why not and what to do."""
    if not path.exists():
        raise InputFileError(f"找不到文件“{path}”，请检查路径是否正确。")
    _sniff(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(path, archive, limits)
            _check_parts(path, archive, limits)
            data = _package_bytes(path, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError) as exc:
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（{type(exc).__name__}），{_SAVE_AS}") from None
    from docx import Document

    try:
        document = Document(io.BytesIO(data) if data is not None else str(path))
    except Exception as exc:  # zip, XML and package errors all mean "not a docx"
        raise InputFileError(f"“{path}”不是有效的 .docx 文件（{type(exc).__name__}），{_SAVE_AS}") from None
    return document


_PARAGRAPH_TAG = re.compile(rb"<w:p[\s/>]")


def _check_parts(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Count paragraphs and elements in the raw XML, before a tree of millions of
    elements is built (a small part can hold millions of empty elements)."""
    paragraphs = elements = 0
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        main = info.filename in ("word/document.xml", "word/document2.xml")
        tail = b""
        with archive.open(info) as stream:
            while chunk := stream.read(MB):
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
    if paragraphs > limits.paragraphs:
        raise InputFileError(f"“{path}”有 {paragraphs} 段，超过上限 {limits.paragraphs} 段。请拆分后再处理，"
                             "或在检查配置里调高 limits.paragraphs。")
    if elements > limits.elements:
        raise InputFileError(f"“{path}”里有 {elements} 个 XML 元素，超过上限 {limits.elements} 个：这不像正常的"
                             " Word 文件。如确是超大文档，请拆分后再处理，或在检查配置里调高 limits.elements。")
