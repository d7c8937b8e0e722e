"""How a DOCX draft was made, kept inside the document for `draftgen update`.

The record is a set of custom document properties (``docProps/custom.xml``): the
fact sheet as used (its YAML text, in pieces short enough for Word's 255-character
limit on a property), the form, the seed, draftgen's version and a fingerprint of
the phrase bank. Custom properties survive a save by Word and by LibreOffice,
where a custom XML part may not.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from html import escape  # not xml.sax.saxutils: it pulls in urllib.request and ssl (60 ms)
from importlib import metadata
from typing import Any

from lxml import etree

PREFIX = "draftgen."
PIECE = 200  # characters of the fact sheet a property holds (Word keeps 255)
_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


@dataclass(frozen=True)
class Record:
    """What `update` needs to rebuild the draft as it was generated."""

    facts: str
    form: str
    seed: int
    version: str = ""
    bank: str = ""


def version() -> str:
    try:
        return metadata.version("draftgen")
    except metadata.PackageNotFoundError:
        return "0"


def bank_fingerprint(bank: Any) -> str:
    """A short hash of the bank's entries: a changed bank rebuilds a different base draft."""
    digest = hashlib.sha256()
    for entry_id in sorted(bank.entries):
        digest.update(f"{entry_id}\t{bank.entries[entry_id].text}\n".encode())
    return digest.hexdigest()[:16]


def _properties(record: Record) -> list[tuple[str, str]]:
    pieces = [record.facts[i:i + PIECE] for i in range(0, len(record.facts), PIECE)] or [""]
    props = [("form", record.form), ("seed", str(record.seed)), ("version", record.version),
             ("bank", record.bank), ("facts.count", str(len(pieces)))]
    props += [(f"facts.{n:03d}", piece) for n, piece in enumerate(pieces, start=1)]
    return [(PREFIX + name, value) for name, value in props]


def custom_xml(record: Record, keep: list[tuple[str, str]] | None = None) -> bytes:
    """The custom-properties part holding ``record`` (and any other properties to keep)."""
    lines = [f'<Properties xmlns="{_NS}" xmlns:vt="{_VT}">']
    for pid, (name, value) in enumerate([*(keep or []), *_properties(record)], start=2):
        # property values keep their spaces: xml:space is not allowed here, so no trimming happens
        lines.append(f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name)}">'
                     f"<vt:lpwstr>{escape(value, quote=False)}</vt:lpwstr></property>")
    lines.append("</Properties>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(lines)).encode()


def add_record(document: Any, record: Record) -> None:
    """Attach the record to a python-docx Document before it is saved."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == _RELTYPE:
            package.rels.pop(rel.rId)  # one record: an old one is replaced
    part = Part(PackURI("/docProps/custom.xml"), _CONTENT_TYPE, custom_xml(record), package)
    package.relate_to(part, _RELTYPE)


def read_properties(data: bytes) -> dict[str, str]:
    """Custom document properties of a DOCX given as bytes (empty when it has none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            name = next((n for n in archive.namelist() if n.lower() == "docprops/custom.xml"), None)
            if name is None:
                return {}
            root = etree.fromstring(archive.read(name), parser=etree.XMLParser(resolve_entities=False))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        return {}
    out: dict[str, str] = {}
    for prop in root:
        name = prop.get("name")
        if name:
            out[name] = "".join(prop.itertext())
    return out


def read_record(data: bytes) -> Record | None:
    """The record of a DOCX draft made by draftgen, or None when it has none."""
    props = read_properties(data)
    if PREFIX + "facts.count" not in props:
        return None
    try:
        count = int(props[PREFIX + "facts.count"])
        facts = "".join(props[f"{PREFIX}facts.{n:03d}"] for n in range(1, count + 1))
        seed = int(props[PREFIX + "seed"])
    except (KeyError, ValueError):
        return None
    return Record(facts=facts, form=props.get(PREFIX + "form", "annual"), seed=seed,
                  version=props.get(PREFIX + "version", ""), bank=props.get(PREFIX + "bank", ""))
