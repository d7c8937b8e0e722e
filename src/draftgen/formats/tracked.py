"""Edits to a writer's DOCX as Word tracked changes (w:ins / w:del), or plainly.

Only the characters that change are touched: the rest of a paragraph keeps its
runs and their formatting, so 审阅 → 接受/拒绝 works change by change in Word, WPS
and LibreOffice.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from docx.oxml.ns import qn

from draftgen.text.numbers import TOKEN

W_R, W_T, W_DEL_TEXT = qn("w:r"), qn("w:t"), qn("w:delText")
W_INS, W_DEL, W_RPR, W_PPR = qn("w:ins"), qn("w:del"), qn("w:rPr"), qn("w:pPr")


@dataclass
class Editor:
    """Makes changes in one document, numbering them and signing them as ``author``."""

    track: bool = True
    author: str = "draftgen"
    date: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def __post_init__(self) -> None:
        self._ids = itertools.count(9000)

    def _mark(self, tag: str) -> Any:
        from docx.oxml import OxmlElement

        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self._ids)))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element

    # -- reading ---------------------------------------------------------
    @staticmethod
    def text_runs(paragraph: Any) -> list[tuple[Any, str]]:
        """The runs whose text a reader sees (tracked insertions included, deletions not)."""
        out = []
        for run in paragraph.iter(W_R):
            if any(a.tag == W_DEL for a in run.iterancestors()):
                continue
            text = "".join(t.text or "" for t in run.iter(W_T))
            if text:
                out.append((run, text))
        return out

    @classmethod
    def text(cls, paragraph: Any) -> str:
        return "".join(text for _, text in cls.text_runs(paragraph))

    @classmethod
    def simple(cls, paragraph: Any) -> bool:
        """Whether every visible run holds plain text only (no fields, tabs, breaks or
        hyperlinks to keep intact), so that its characters can be edited in place."""
        for run, _ in cls.text_runs(paragraph):
            if run.getparent().tag not in (qn("w:p"), W_INS):
                return False
            if any(child.tag not in (W_RPR, W_T) for child in run):
                return False
        return True

    # -- changing --------------------------------------------------------
    def rewrite(self, paragraph: Any, new_text: str) -> bool:
        """Change a paragraph's text to ``new_text``, touching only what differs.
        False (and nothing changed) when the paragraph is not plain text."""
        old_text = self.text(paragraph)
        if old_text == new_text:
            return True
        if not self.simple(paragraph):
            return False
        # a figure is one token: 42.8 → 43.1 is one change, not 2 → 3 and 8 → 1
        old_tokens, new_tokens = TOKEN.findall(old_text), TOKEN.findall(new_text)
        old_at = list(itertools.accumulate((len(t) for t in old_tokens), initial=0))
        opcodes = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in reversed(opcodes):
            if tag != "equal":
                self.replace(paragraph, old_at[i1], old_at[i2], "".join(new_tokens[j1:j2]))
        return True

    def replace(self, paragraph: Any, start: int, end: int, new: str) -> None:
        """Replace the characters ``start:end`` of the paragraph's text with ``new``."""
        runs = self._split(paragraph, start, end)
        inside = [run for run, a, b in runs if start <= a and b <= end and a < b]
        anchor = inside[-1] if inside else self._run_at(paragraph, start)
        template = copy.deepcopy(anchor.find(W_RPR)) if anchor is not None and anchor.find(W_RPR) is not None \
            else None
        added = None
        if new:
            added = self._new_run(new, template)
            if self.track:
                wrapper = self._mark("w:ins")
                wrapper.append(added)
                added = wrapper
        if inside and added is not None:
            first = inside[0]
            (first.getparent() if first.getparent().tag == W_INS else first).addprevious(added)
        elif added is not None:
            self._place_at(paragraph, start, added)
        for run in inside:
            if self.track:
                for t in run.findall(W_T):
                    t.tag = W_DEL_TEXT
                wrapper = self._mark("w:del")
                run.addprevious(wrapper)
                wrapper.append(run)
            else:
                run.getparent().remove(run)

    def _place_at(self, paragraph: Any, start: int, element: Any) -> None:
        before = [(r, a, b) for r, a, b in self._offsets(paragraph) if b <= start]
        if before:
            anchor = before[-1][0]
            anchor = anchor.getparent() if anchor.getparent().tag == W_INS else anchor
            anchor.addnext(element)
        else:
            ppr = paragraph.find(W_PPR)
            if ppr is not None:
                ppr.addnext(element)
            else:
                paragraph.insert(0, element)

    def _offsets(self, paragraph: Any) -> list[tuple[Any, int, int]]:
        out, at = [], 0
        for run, text in self.text_runs(paragraph):
            out.append((run, at, at + len(text)))
            at += len(text)
        return out

    def _run_at(self, paragraph: Any, position: int) -> Any:
        offsets = self._offsets(paragraph)
        for run, a, b in offsets:
            if a <= position <= b:
                return run
        return offsets[-1][0] if offsets else None

    def _split(self, paragraph: Any, start: int, end: int) -> list[tuple[Any, int, int]]:
        """Split runs so that ``start`` and ``end`` fall on run boundaries."""
        for cut in (start, end):
            for run, a, b in self._offsets(paragraph):
                if a < cut < b:
                    self._split_run(run, cut - a)
                    break
        return self._offsets(paragraph)

    @staticmethod
    def _split_run(run: Any, at: int) -> None:
        text = "".join(t.text or "" for t in run.iter(W_T))
        second = copy.deepcopy(run)
        for element, part in ((run, text[:at]), (second, text[at:])):
            ts = element.findall(W_T)
            for t in ts[1:]:
                element.remove(t)
            ts[0].text = part
            ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.addnext(second)

    @staticmethod
    def _new_run(text: str, rpr: Any) -> Any:
        from docx.oxml import OxmlElement

        run = OxmlElement("w:r")
        if rpr is not None:
            run.append(rpr)
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
        return run

    def delete_paragraph(self, paragraph: Any) -> None:
        """Remove a paragraph: tracked, its text and its paragraph mark are marked deleted."""
        if not self.track:
            paragraph.getparent().remove(paragraph)
            return
        for run, _ in self.text_runs(paragraph):
            for t in run.findall(W_T):
                t.tag = W_DEL_TEXT
            wrapper = self._mark("w:del")
            run.addprevious(wrapper)
            wrapper.append(run)
        self._mark_paragraph(paragraph, "w:del")

    def insert_paragraph_after(self, anchor: Any, text: str, like: Any | None = None,
                               style_id: str | None = None) -> Any:
        """A new paragraph after ``anchor`` (its properties copied from ``like``, or the
        style ``style_id``), marked inserted when tracking."""
        from docx.oxml import OxmlElement

        paragraph = OxmlElement("w:p")
        source_ppr = like.find(W_PPR) if like is not None else None
        if source_ppr is not None:
            ppr = copy.deepcopy(source_ppr)
            for old in ppr.findall(W_RPR):
                ppr.remove(old)
            paragraph.append(ppr)
        elif style_id:
            ppr = OxmlElement("w:pPr")
            style = OxmlElement("w:pStyle")
            style.set(qn("w:val"), style_id)
            ppr.append(style)
            paragraph.append(ppr)
        rpr = None
        if like is not None:
            first = next((r for r, _ in self.text_runs(like)), None)
            if first is not None and first.find(W_RPR) is not None:
                rpr = copy.deepcopy(first.find(W_RPR))
        run = self._new_run(text, rpr)
        if self.track:
            wrapper = self._mark("w:ins")
            wrapper.append(run)
            paragraph.append(wrapper)
            self._mark_paragraph(paragraph, "w:ins")
        else:
            paragraph.append(run)
        anchor.addnext(paragraph)
        return paragraph

    def _mark_paragraph(self, paragraph: Any, tag: str) -> None:
        from docx.oxml import OxmlElement

        ppr = paragraph.find(W_PPR)
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            paragraph.insert(0, ppr)
        rpr = ppr.find(W_RPR)
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(self._mark(tag))
