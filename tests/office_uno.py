"""Run by Debian's own Python (which has LibreOffice's ``uno`` bridge), never imported by the
tests: one LibreOffice, started once, does a list of jobs on Word files as a writer's office
would.

    /usr/bin/python3 tests/office_uno.py jobs.json

Each job is ``{"do": "resave" | "accept", "source": ..., "target": ...}``: *resave* opens
the file and saves it again as .docx (what any round trip through LibreOffice does to it);
*accept* accepts every tracked change (审阅 → 接受所有修订) and writes the body's
paragraphs, one a line, as UTF-8 text to ``target``.

Debian's ``libreoffice-writer-nogui`` (what CI installs) aborts when it opens a view of a
document with comments: the comment margin's window needs UI files that package leaves out
(a full LibreOffice, or ``--convert-to``, which opens no view, is fine). So *accept* works on
a copy without the comments; they have no part in what accepting tracked changes does.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _props(**values: object) -> tuple[PropertyValue, ...]:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # LibreOffice is still starting
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


def _paragraphs(document: object) -> list[str]:
    out = []
    enumeration = document.getText().createEnumeration()  # type: ignore[attr-defined]
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.Paragraph"):
            out.append(element.getString())
    return out


_COMMENT_MARKS = re.compile(
    rb"<w:commentRange(?:Start|End)\b[^>]*/>|<w:r>(?:(?!</w:r>).)*?<w:commentReference\b[^>]*/></w:r>", re.S)


def _without_comments(source: Path, folder: Path) -> Path:
    """A copy of the document with its comments' marks taken out (see the docstring)."""
    target = folder / f"{len(list(folder.iterdir()))}.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                data = _COMMENT_MARKS.sub(b"", data)
            new.writestr(item, data)
    return target


def main() -> None:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    copies = Path(tempfile.mkdtemp(prefix="lo-copies-"))
    pipe = f"draftgen_tests_{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
         "--nologo", f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = _connect(pipe)
        manager = context.ServiceManager  # type: ignore[attr-defined]
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        for job in jobs:
            source = Path(job["source"]).resolve()
            if job["do"] == "accept":
                source = _without_comments(source, copies)
            url = uno.systemPathToFileUrl(str(source))
            document = desktop.loadComponentFromURL(url, "_blank", 0,
                                                    _props(Hidden=True, FilterName="MS Word 2007 XML"))
            try:
                if job["do"] == "resave":
                    target = uno.systemPathToFileUrl(str(Path(job["target"]).resolve()))
                    document.storeToURL(target, _props(Hidden=True, FilterName="MS Word 2007 XML"))
                else:
                    frame = document.getCurrentController().getFrame()
                    dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
                    Path(job["target"]).write_text("\n".join(_paragraphs(document)), encoding="utf-8")
            finally:
                document.close(True)
        with contextlib.suppress(Exception):  # the bridge goes down with LibreOffice
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(copies, ignore_errors=True)


if __name__ == "__main__":
    main()
