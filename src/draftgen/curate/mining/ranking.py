"""From the counts to the curator's list: which keys are worth recovering the text of
(:func:`_wanted`), then formulations (maximal spans only), frames with their fillings and
heading shapes, scored against general language (:mod:`background`), grouped under their
frames, deduplicated and marked where the bank already has them, each with a few example
contexts from the reports."""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from draftgen.curate.mining import store
from draftgen.curate.mining.background import background
from draftgen.curate.mining.count import Recovered, split
from draftgen.curate.mining.sources import (
    Source,
    texts,
)
from draftgen.curate.mining.tables import Counts
from draftgen.text.segment import SLOT


@dataclass
class Candidate:
    """A proposed entry, for a person to review."""

    kind: str  # formulation | frame | heading
    text: str
    df: int
    count: int
    examples: list[str] = field(default_factory=list)
    fillers: int = 0
    status: str = "candidate"  # or known
    score: float = 0.0
    fillings: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    years: dict[int, int] = field(default_factory=dict)  # with by_year: year → reports using it
    trend: str = ""  # with by_year: rising | falling | steady
    key: int = 0  # the key it was counted under

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text, "df": self.df, "count": self.count,
                                "examples": self.examples, "status": self.status}
        if self.fillings:
            data["fillings"] = self.fillings
        if self.trend:
            data["years"] = dict(sorted(self.years.items()))
            data["trend"] = self.trend
        return data


def _ranked(total: Counts, found: Recovered, small: Any, fillers: dict[int, int], min_docs: int,
            min_count: int, limit: int, known: Iterable[str]) -> list[Candidate]:
    candidates = _formulations(total, found, min_docs, min_count)
    candidates += _frames(total, found, fillers)
    candidates += _small(total, small, fillers)
    for cand in candidates:
        cand.score = _score(cand)
    _mark_known(candidates, known)
    candidates.sort(key=lambda c: (-c.score, c.text))
    return _dedupe(_grouped(candidates), limit)


def _wanted(total: Counts, min_docs: int, min_count: int, limit: int) -> tuple[Any, Any, Any, dict[int, int]]:
    """Keys whose text is worth recovering: the few thousand that can reach the list
    (and, for frames and small keys, how many distinct fillers each has)."""
    g = total.grams
    ok = (g.df >= min_docs) | (g.count >= min_count)
    pre = g.df * 2 + np.log1p(g.count) + g.length / 4
    grams = _top(g.keys[ok], pre[ok], limit * 20)
    f, fillers = total.frames.table, total.frames.filler_counts()
    ok = (fillers >= 2) & (f.length >= 4) & ((f.df >= min_docs) | ((f.count >= min_count) & (fillers >= min_count)))
    pre = f.df * 2 + np.log1p(f.count) + f.length / 4 + np.log1p(fillers)
    frames = _top(f.keys[ok], pre[ok], limit * 10)
    # small keys: a heading shape seen twice; a frame with two fillings or more, in enough reports
    m, fills = total.small.table, total.small.filler_counts()
    heading = m.length == store.HEADING  # a small key's tag is its kind
    ok = np.where(heading, m.count >= min(min_count, 2),
                  (fills >= 2) & ((m.df >= min_docs) | ((m.count >= min_count) & (fills >= min_count))))
    small = _top(m.keys[ok], (m.df * 2 + np.log1p(m.count) + np.log1p(fills))[ok], limit * 10)
    chosen_frames, chosen_small = np.isin(f.keys, frames), np.isin(m.keys, small)
    keys = np.r_[f.keys[chosen_frames], m.keys[chosen_small]]
    counts = np.r_[fillers[chosen_frames], fills[chosen_small]]
    return grams, frames, small, dict(zip(keys.tolist(), counts.tolist(), strict=True))


def _top(keys: Any, score: Any, n: int) -> Any:
    """The ``n`` keys of highest score (ties by key), sorted."""
    if 0 < n < len(keys):  # only the rows that can be among them are ordered
        near = score >= np.partition(score, len(score) - n)[len(score) - n]
        keys, score = keys[near], score[near]
    order = np.lexsort((keys, -score))[:n]
    return np.sort(keys[order])


def _formulations(total: Counts, found: Recovered, min_docs: int, min_count: int) -> list[Candidate]:
    g = total.grams
    at = np.searchsorted(g.keys, np.fromiter(found.grams, np.uint64, len(found.grams)))
    rows = [Candidate("formulation", text, df, count, words=words, key=key)
            for (key, (text, words)), df, count in zip(found.grams.items(), g.df[at].tolist(),
                                                       g.count[at].tolist(), strict=True)]
    return _maximal(rows)


def _maximal(rows: list[Candidate]) -> list[Candidate]:
    """Longest first: a piece (nearly) always seen inside a longer chosen formulation,
    or overlapping one by half its length, says nothing new."""
    rows.sort(key=lambda c: (-len(c.text), -c.count, c.text))
    # the rows' texts by their first four characters (a formulation has four at least): the
    # pieces of a chosen one that are rows are found from there
    starting: dict[str, list[str]] = {}
    for row in rows:
        starting.setdefault(row.text[:4], []).append(row.text)
    inside: dict[str, Candidate] = {}  # a row's text → the chosen one holding it seen most
    heads: dict[str, Candidate] = {}
    tails: dict[str, Candidate] = {}
    chosen = []
    for cand in rows:
        text = cand.text
        if _covered(cand, inside.get(text)):
            continue
        half = max(4, (len(text) + 1) // 2)
        if any(_covered(cand, tails.get(text[:k])) or _covered(cand, heads.get(text[-k:]))
               for k in range(half, len(text))):
            continue
        chosen.append(cand)
        for i in range(len(text) - 3):
            for piece in starting.get(text[i:i + 4], ()):
                if text.startswith(piece, i):
                    best = inside.get(piece)
                    if best is None or (cand.df, cand.count) > (best.df, best.count):
                        inside[piece] = cand
        for k in range(4, len(text)):
            heads.setdefault(text[:k], cand)
            tails.setdefault(text[-k:], cand)
    return chosen


class _Texts:
    """Texts joined into one, so that those holding a piece are found at once, in order."""

    def __init__(self, texts: list[str]) -> None:
        self.joined = "\n".join(texts)
        self.begins = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))

    def holding(self, piece: str) -> Iterator[int]:
        """The places of the texts holding ``piece`` (which has no line break), each once."""
        at = self.joined.find(piece)
        while at >= 0:
            which = bisect.bisect_right(self.begins, at) - 1
            yield which
            at = self.joined.find(piece, self.begins[which + 1])  # the next text on


def _covered(cand: Candidate, other: Candidate | None) -> bool:
    return other is not None and cand.df <= other.df and cand.count <= other.count * 1.2


def _frames(total: Counts, found: Recovered, fillers: dict[int, int]) -> list[Candidate]:
    f = total.frames.table
    at = np.searchsorted(f.keys, np.fromiter(found.frames, np.uint64, len(found.frames)))
    return [Candidate("frame", text, df, count, fillers=fillers[key], words=fixed,
                      fillings=sorted(fills)[:store.KEEP_FILLERS], key=key)
            for (key, (text, fixed, fills)), df, count in zip(found.frames.items(), f.df[at].tolist(),
                                                              f.count[at].tolist(), strict=True)]


def _small(total: Counts, wanted: Any, fillers: dict[int, int]) -> list[Candidate]:
    m = total.small
    fillings: dict[int, list[str]] = {}
    parallel = (store.tag_of(m.keys) == store.PARALLEL) & np.isin(m.keys, wanted)
    for key, filler in zip(m.keys[parallel].tolist(), m.fillers[parallel].tolist(), strict=True):
        fillings.setdefault(key, []).append(total.fillings[filler])
    out = []
    at = np.searchsorted(m.table.keys, wanted)
    for key, count, df in zip(wanted.tolist(), m.table.count[at].tolist(), m.table.df[at].tolist(), strict=True):
        text = total.texts[key]
        if store.small_kind(key) == store.HEADING:
            out.append(Candidate("heading", text, df, count, fillers=fillers[key], key=key))
            continue
        if len(text.replace(SLOT, "")) < 3:
            continue
        words = [w for w in re.split(r"\{…\}|[，、]", text) if w]
        out.append(Candidate("frame", text, df, count, fillers=fillers[key], words=words,
                             fillings=sorted(fillings.get(key, [])), key=key))
    return out


def _score(cand: Candidate) -> float:
    """Recurrence (documents first, then count), weighed by how far the words are
    from general language; frames get their variety of fillings."""
    recurrence = 2 * math.log2(1 + cand.df) + math.log1p(cand.count)
    if cand.kind == "heading":
        return recurrence + math.log1p(cand.fillers)
    fixed = len(cand.text.replace(SLOT, ""))
    specific = -background().commonness(cand.words or [cand.text]) - 9
    score = recurrence + 0.6 * specific + min(fixed, 24) / 8
    if cand.kind == "frame":
        score += math.log1p(cand.fillers) + 1
    return score


def _grouped(candidates: list[Candidate]) -> list[Candidate]:
    """A formulation that fills a listed frame slot (加大投入力度 ← 加大{…}力度) goes under
    the frame as one of its fillings, when the frame ranks above it; one that is only
    the fixed words of a frame ranked above it (上争先进位) goes."""
    out: list[Candidate] = []
    # frames by their first fixed piece (a formulation filling one starts with it), in rank order
    patterns: dict[str, list[tuple[int, list[str], Candidate]]] = {}
    # a formulation's text → the first frame with it among its fixed words; the formulations by
    # their first four characters, to find those in a frame's fixed words
    pieces: dict[str, Candidate] = {}
    starting: dict[str, list[str]] = {}
    for cand in candidates:
        if cand.kind == "formulation":
            starting.setdefault(cand.text[:4], []).append(cand.text)
    for rank, cand in enumerate(candidates):
        if cand.kind == "formulation":
            text = cand.text
            options = sorted((o for k in range(1, len(text)) for o in patterns.get(text[:k], ())),
                             key=lambda o: o[0])
            match = None
            for _, parts, frame in options:
                filled = _filling(parts, text)
                if filled is not None:
                    match = filled, frame
                    break
            if match is not None:
                filling = "|".join(match[0])
                if filling not in match[1].fillings:
                    match[1].fillings.append(filling)
                continue
            if cand.text in pieces and cand.count <= pieces[cand.text].count * 1.2:
                continue  # 上争先进位: the fixed words of a listed frame
        if cand.kind == "frame":
            for piece in cand.text.split(SLOT):
                for i in range(len(piece) - 3):
                    for text in starting.get(piece[i:i + 4], ()):
                        if piece.startswith(text, i):
                            pieces.setdefault(text, cand)
        if cand.kind == "frame" and not cand.text.startswith(SLOT) and not cand.text.endswith(SLOT):
            parts = cand.text.split(SLOT)
            patterns.setdefault(parts[0], []).append((rank, parts, cand))
        out.append(cand)
    return out


def _filling(parts: list[str], text: str) -> list[str] | None:
    """What fills each slot of a frame (its fixed ``parts``) in ``text``, 1–12 characters
    a slot (the first slots as long as they can be), or None when it does not fit."""
    if len(parts) == 2:  # one slot, as most frames have
        head, tail = parts
        if 1 <= len(text) - len(head) - len(tail) <= 12 and text.startswith(head) and text.endswith(tail):
            return [text[len(head):len(text) - len(tail)]]
        return None
    found = _pattern(tuple(parts)).fullmatch(text)
    return list(found.groups()) if found else None


@functools.lru_cache(maxsize=4096)
def _pattern(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(.{1,12})".join(re.escape(p) for p in parts))


def _normal(text: str) -> str:
    return re.sub(r"\{[^{}]*\}", SLOT, text)


def _mark_known(candidates: list[Candidate], known: Iterable[str]) -> None:
    bank = [_normal(t) for t in known]
    exact = set(bank)
    for cand in candidates:
        if cand.text in exact or (cand.kind == "formulation" and any(cand.text in t for t in bank)):
            cand.status = "known"


def _dedupe(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """One candidate per wording: a frame whose fixed words are all inside another frame
    seen as often, which fixes more or ranks higher (在{…}上争先进位 over {…}上争先进位 and
    over 在{…}争先进位), is dropped."""
    frames = [c for c in candidates if c.kind == "frame"]
    rank = {id(c): i for i, c in enumerate(frames)}

    def fixed(cand: Candidate) -> int:
        return len(cand.text.replace(SLOT, ""))

    order = [(other, other.count, (fixed(other), -rank[id(other)]), other.text) for other in frames]
    holding = _Texts([other.text for other in frames]).holding  # the frames whose text holds a piece

    def subsumed(cand: Candidate) -> bool:
        pieces = [p for p in cand.text.split(SLOT) if p]
        mine = (fixed(cand), -rank[id(cand)])
        others = (order[k] for k in holding(max(pieces, key=len))) if pieces else iter(order)
        return any(other is not cand and cand.count <= count and place > mine and all(p in text for p in pieces)
                   for other, count, place, text in others)

    seen: set[str] = set()
    out = []
    for cand in candidates:
        if cand.text in seen or (cand.kind == "frame" and subsumed(cand)):
            continue
        seen.add(cand.text)
        out.append(cand)
        if len(out) >= limit:
            break
    return out


EXAMPLE_CHARS = 2_000_000  # the reread documents are looked through this much text at a time


def _examples(candidates: list[Candidate], sources: list[Source]) -> None:
    """Two or three contexts for each kept candidate, from the documents read again
    (where the candidates were first seen): the first lines holding it, in order."""
    pending = [c for c in candidates if c.kind != "heading"]
    for lines in _line_groups(sources):
        if not pending:
            return
        holding = _Texts(lines).holding
        for cand in pending:
            # a frame's first fixed piece must be in the line before the pieces are looked for in order
            piece = cand.text if cand.kind == "formulation" else next((p for p in cand.text.split(SLOT) if p), "")
            for which in holding(piece):
                if len(cand.examples) >= 3:
                    break
                line = lines[which]
                if cand.kind == "formulation" or _frame_hit(cand.text, line):
                    context = _context(line, cand.text)
                    if context not in cand.examples:
                        cand.examples.append(context)
        pending = [c for c in pending if len(c.examples) < 3]


def _line_groups(sources: list[Source]) -> Iterator[list[str]]:
    """The documents' lines (stripped), in order, about :data:`EXAMPLE_CHARS` at a time: the
    memory this takes does not grow with the archive, nor with one long file. A line is not cut
    where a piece ends (its examples would be cut with it), unless it is four pieces long."""
    group: list[str] = []
    size = 0
    for text in (text for source in sources for text in texts(source)):
        carry = ""
        for piece in split(text, EXAMPLE_CHARS):
            lines = (carry + piece).split("\n")
            carry = lines.pop()  # the line still open at the piece's end ("" after a line break)
            if len(carry) > 4 * EXAMPLE_CHARS:
                lines.append(carry)
                carry = ""
            group += (line.strip() for line in lines)
            size += len(piece)
            if size >= EXAMPLE_CHARS:
                yield group
                group, size = [], 0
        if carry:
            group.append(carry.strip())
    if group:
        yield group


def _frame_hit(frame: str, line: str) -> bool:
    pieces = [p for p in frame.split(SLOT)]
    pos = 0
    for piece in pieces:
        if not piece:
            continue
        found = line.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def _context(line: str, text: str) -> str:
    anchor = text.replace(SLOT, "")[:4] or text[:4]
    at = max(0, line.find(anchor))
    start = max(0, at - 12)
    return ("…" if start else "") + line[start:at + 40] + ("…" if at + 40 < len(line) else "")
