"""The three-way merge behind ``draftgen update``, on text alone (no Word file here).

*Base* is the draft from the facts recorded when the draft was made, *theirs* the writer's
document, *new* the draft from the new facts; each is a list of paragraphs. Both diffs run
on tokens (a figure with its decimals and per-cent sign is one token, every other character
one), over the document as one string in which a paragraph ends in ``PARA`` — so a paragraph
the writer split, merged or moved a sentence out of still lines up. Paragraphs equal as a
whole anchor the diff first; only what lies between is compared token by token.

A change of the new facts is written into the writer's text where the clause it stands in
(between two of ``，。；：、``) is still the base draft's, or where that clause, whole, stands
once somewhere else in the writer's text; otherwise it is a conflict, for a comment. A
figure and what is computed from it travel together: a clause that starts with a rate word
(同比、增长、为年度目标…) goes with the figure before it, so the writer's own figure never
stands beside a rate recomputed from another.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from draftgen.text.numbers import NUMBER, TOKEN
from draftgen.text.patterns import CLAUSE_ENDS, SENTENCE_ENDS

#: a paragraph's end in the merged string (U+2029 PARAGRAPH SEPARATOR: never in a Word run's text)
PARA = "\u2029"
_CLAUSE_ENDS = frozenset(CLAUSE_ENDS + "、" + PARA)
_SENTENCE_ENDS = frozenset(SENTENCE_ENDS + PARA)
#: a clause that says what was computed from the figure before it (its growth, its share of the target)
_RATE = re.compile(r"(?:同比|比上年|较上年|比去年|增长|下降|增幅|降幅|回落|提高|减少|为年度|为全年|占|位列|居全)")
#: the verb an indicator's clause opens with, left out where a comment names the indicator
_VERB = re.compile(r"^(?:实现|完成|达到|累计完成)")
#: how alike two paragraphs must be to count as the same paragraph
SIMILAR = 0.55
#: a stretch of changed paragraphs longer than this (tokens) is compared paragraph by paragraph
GAP = 1500

Op = tuple[str, int, int, int, int]


class Text:
    """Paragraphs as one string, each ended by ``PARA``."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs
        self.starts = list(itertools.accumulate((len(p) + 1 for p in paragraphs), initial=0))
        self.string = "".join(p + PARA for p in paragraphs)

    def paragraph_at(self, at: int) -> int:
        """The paragraph the character ``at`` belongs to (its ``PARA`` included)."""
        return max(0, min(bisect_right(self.starts, at) - 1, len(self.paragraphs) - 1))

    def end(self, k: int) -> int:
        """Where paragraph ``k``'s ``PARA`` stands."""
        return self.starts[k + 1] - 1


def align(a: list[str], b: list[str]) -> list[tuple[int | None, int | None]]:
    """Pairs of indices of ``a`` and ``b`` that hold the same paragraph: equal runs first,
    then, inside the gaps, paragraphs alike enough in order; the rest stand alone."""
    out: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [(i1 + k, j1 + k) for k in range(i2 - i1)]
            continue
        j = j1
        for i in range(i1, i2):
            best, score = None, SIMILAR
            for k in range(j, j2):
                ratio = SequenceMatcher(None, a[i], b[k], autojunk=False).ratio()
                if ratio >= score:
                    best, score = k, ratio
            if best is None:
                out.append((i, None))
                continue
            out += [(None, k) for k in range(j, best)]
            out.append((i, best))
            j = best + 1
        out += [(None, k) for k in range(j, j2)]
    return out


def _token_ops(a: str, b: str, a0: int, b0: int) -> Iterator[Op]:
    ta, tb = TOKEN.findall(a), TOKEN.findall(b)
    at = list(itertools.accumulate((len(t) for t in ta), initial=0))
    bt = list(itertools.accumulate((len(t) for t in tb), initial=0))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        yield tag, a0 + at[i1], a0 + at[i2], b0 + bt[j1], b0 + bt[j2]


def diff(a: Text, b: Text, *, regroup: bool) -> list[Op]:
    """Opcodes (as difflib's, on characters of the two strings) turning ``a`` into ``b``.
    ``regroup``: a stretch of changed paragraphs is compared as one text, so that a paragraph
    split or merged lines up; otherwise paragraph by paragraph, whole ones inserted or deleted."""
    ops: list[Op] = []
    matcher = SequenceMatcher(None, a.paragraphs, b.paragraphs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a1, a2, b1, b2 = a.starts[i1], a.starts[i2], b.starts[j1], b.starts[j2]
        if tag == "equal":
            ops.append(("equal", a1, a2, b1, b2))
        elif regroup and max(a2 - a1, b2 - b1) <= GAP:
            ops += _token_ops(a.string[a1:a2], b.string[b1:b2], a1, b1)
        else:
            ca, cb = a1, b1
            for i, j in align(a.paragraphs[i1:i2], b.paragraphs[j1:j2]):
                if i is not None:
                    x1, x2 = a.starts[i1 + i], a.starts[i1 + i + 1]
                if j is not None:
                    y1, y2 = b.starts[j1 + j], b.starts[j1 + j + 1]
                if i is not None and j is not None:
                    ops += _token_ops(a.string[x1:x2], b.string[y1:y2], x1, y1)
                    ca, cb = x2, y2
                elif i is not None:
                    ops.append(("delete", x1, x2, cb, cb))
                    ca = x2
                else:
                    ops.append(("insert", ca, ca, y1, y2))
                    cb = y2
    return ops


class Alignment:
    """Where the writer's text stands against the base draft's (from ``diff``)."""

    def __init__(self, ops: list[Op]) -> None:
        self.equal = [(a1, a2, b1) for tag, a1, a2, b1, _ in ops if tag == "equal" and a2 > a1]
        self._firsts = [a1 for a1, _, _ in self.equal]
        self.edits = [(a1, a2) for tag, a1, a2, _, _ in ops if tag != "equal"]

    def map(self, at: int) -> int | None:
        """Where the base draft's position ``at`` stands in the writer's text, if they kept it."""
        k = bisect_right(self._firsts, at) - 1
        if k >= 0:
            a1, a2, b1 = self.equal[k]
            if at <= a2:
                return b1 + at - a1
        return None

    def touched(self, start: int, end: int) -> bool:
        """Whether the writer changed anything in ``start:end`` of the base draft (for an
        empty span: whether they changed something that reaches across it or right at it)."""
        for x1, x2 in self.edits:
            if start == end:
                if x1 < start < x2 or x1 == x2 == start:
                    return True
            elif (x1 < end and start < x2) or (x1 == x2 and start < x1 < end):
                return True
        return False

    def kept(self, start: int, end: int) -> bool:
        """Whether ``start:end`` of the base draft stands unchanged and in one piece in the writer's text."""
        k = bisect_right(self._firsts, start) - 1
        return k >= 0 and self.equal[k][1] >= end


@dataclass
class Hunk:
    """One change of the new facts: ``base[start:end]`` becomes ``text``."""

    start: int
    end: int
    text: str
    clause: tuple[int, int]


@dataclass
class Edit:
    """A change to make in the writer's paragraph ``paragraph`` (character offsets)."""

    paragraph: int
    start: int
    end: int
    text: str
    group: int


@dataclass
class Group:
    """Changes that go together (a figure and its rates), in the base draft's paragraph ``base``."""

    id: int
    base: int
    hunks: list[Hunk]
    #: what changes, as a writer reads it: 地区生产总值：42.8亿元 → 43.5亿元
    detail: str = ""
    #: applied | already | conflict
    outcome: str = ""
    #: the writer's paragraph it was written into, or the comment's anchor
    anchor: int | None = None
    #: the anchor is a neighbour of the paragraph (which the writer deleted)
    neighbour: bool = False
    #: the figures that changed (old, new), for the tables
    figures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Insert:
    """New paragraphs (indices into the new draft) after the writer's paragraph ``after`` (-1: first)."""

    after: int | None
    paragraphs: list[int]
    base: int


@dataclass
class Drop:
    """A base paragraph the new facts no longer have: ``paragraph`` is the writer's (unchanged) copy,
    or None when they changed it (a conflict anchored on ``anchor``)."""

    base: int
    paragraph: int | None
    anchor: int | None = None
    neighbour: bool = False


@dataclass
class Merge:
    """What ``merge`` found: the three texts, where the writer's stands against the base
    draft's, and what to do to the writer's paragraphs."""

    base: Text
    theirs: Text
    new: Text
    writer: Alignment
    groups: list[Group] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    inserts: list[Insert] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)

    def untouched(self, k: int) -> bool:
        """Whether the writer left the base draft's paragraph ``k`` exactly as drafted."""
        return self.writer.kept(self.base.starts[k], self.base.starts[k + 1])

    def anchor(self, k: int) -> tuple[int | None, bool]:
        """The writer's paragraph that holds most of base paragraph ``k`` (False), or, when
        they deleted it, the nearest one before or after that they kept (True)."""
        own = self._holder(k)
        if own is not None:
            return own, False
        # the one before first (what followed it is gone), then the one after
        for near in itertools.chain(range(k - 1, -1, -1), range(k + 1, len(self.base.paragraphs))):
            held = self._holder(near)
            if held is not None:
                return held, True
        return None, False

    def _holder(self, k: int) -> int | None:
        counts: dict[int, int] = {}
        for at in range(self.base.starts[k], self.base.end(k)):
            mapped = self.writer.map(at)
            if mapped is not None and mapped < len(self.theirs.string):
                where = self.theirs.paragraph_at(mapped)
                counts[where] = counts.get(where, 0) + 1
        return max(counts, key=lambda w: (counts[w], -w)) if counts else None


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``start:end`` (between two clause ends, the ends excluded)."""
    if start == end:
        return start, end
    left = start
    while left > 0 and text[left - 1] not in _CLAUSE_ENDS:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _CLAUSE_ENDS:
        right += 1
    return left, right


def _hunks(base: Text, new: Text, ops: list[Op]) -> tuple[list[Hunk], list[Op]]:
    """The changes inside paragraphs, and the whole-paragraph ones."""
    inside: list[Hunk] = []
    whole: list[Op] = []
    for op in ops:
        tag, a1, a2, b1, b2 = op
        if tag == "equal":
            continue
        if PARA in base.string[a1:a2] or PARA in new.string[b1:b2]:
            whole.append(op)
        else:
            inside.append(Hunk(a1, a2, new.string[b1:b2], _clause(base.string, a1, a2)))
    return inside, whole


def _groups(base: Text, hunks: list[Hunk]) -> list[Group]:
    """A figure with the rates computed from it, in one group; every other change alone."""
    groups: list[Group] = []
    for hunk in hunks:
        k = base.paragraph_at(hunk.start)
        last = groups[-1] if groups else None
        if last is not None and last.base == k:
            previous = last.hunks[-1]
            between = base.string[previous.end:hunk.start]
            clause_text = base.string[hunk.clause[0]:hunk.clause[1]]
            same_clause = hunk.clause[0] < previous.clause[1] or hunk.start <= previous.clause[1]
            same_sentence = not any(c in _SENTENCE_ENDS for c in between)
            if same_clause or (same_sentence and _RATE.match(clause_text)):
                last.hunks.append(hunk)
                continue
        groups.append(Group(len(groups), k, [hunk]))
    return groups


def _clauses(base: Text, group: Group) -> list[tuple[int, int, str]]:
    """Each clause the group changes: its span in the base draft and its new text."""
    out: list[tuple[int, int, str]] = []
    for hunk in group.hunks:
        start, end = hunk.clause  # (an insertion's is empty, where it goes)
        if out and start < out[-1][1]:
            start = out[-1][0]
            out.pop()
        inside = [h for h in group.hunks if start <= h.start and h.end <= end]
        text = base.string[start:end]
        for h in sorted(inside, key=lambda h: h.start, reverse=True):
            text = text[:h.start - start] + h.text + text[h.end - start:]
        out.append((start, end, text))
    return out


def _detail(base: Text, group: Group) -> str:
    parts = []
    for start, end, new in _clauses(base, group):
        old = base.string[start:end]
        if not old:
            parts.append(f"新增“{new.strip('，；。、')}”")
            continue
        if not new:
            parts.append(f"删去“{old}”")
            continue
        same = 0
        while same < min(len(old), len(new)) and old[same] == new[same]:
            same += 1
        while same and (old[same - 1].isdigit() or old[same - 1] == "."):
            same -= 1
        head = _VERB.sub("", old[:same])
        parts.append(f"{head}：{old[same:]} → {new[same:]}" if head else f"{old} → {new}")
    return "；".join(parts)


def _figures(base: Text, group: Group) -> list[tuple[str, str]]:
    out = []
    for hunk in group.hunks:
        old, new = base.string[hunk.start:hunk.end], hunk.text
        if NUMBER.fullmatch(old.rstrip("%")) and NUMBER.fullmatch(new.rstrip("%")):
            out.append((old, new))
    return out


def merge(base: list[str], theirs: list[str], new: list[str]) -> Merge:
    """What to change in the writer's paragraphs so that they say what the new facts say
    wherever the writer left the wording to the draft (see the module's docstring)."""
    b, t = Text(base), Text(theirs)
    result = Merge(b, t, Text(new), Alignment(diff(b, t, regroup=True)))
    hunks, whole = _hunks(b, result.new, diff(b, result.new, regroup=False))
    result.groups = _groups(b, hunks)
    for group in result.groups:
        group.detail = _detail(b, group)
        group.figures = _figures(b, group)
        group.anchor, group.neighbour = result.anchor(group.base)
        edits = _resolve(result, group)
        if edits is None:
            group.outcome = "conflict"
        elif not edits:
            group.outcome = "already"
        else:
            result.edits += edits
            group.outcome, group.anchor, group.neighbour = "applied", edits[0].paragraph, False
    for tag, a1, a2, b1, b2 in whole:
        if tag in ("delete", "replace"):
            for k in range(b.paragraph_at(a1), b.paragraph_at(a2 - 1) + 1):
                result.drops.append(_drop(result, k))
        if tag in ("insert", "replace"):
            paragraphs = list(range(result.new.paragraph_at(b1), result.new.paragraph_at(b2 - 1) + 1))
            k = b.paragraph_at(a1) if a1 < len(b.string) else len(b.paragraphs)
            if result.inserts and result.inserts[-1].base == k:
                result.inserts[-1].paragraphs += paragraphs  # a section: its heading, then its paragraphs
            else:
                result.inserts.append(Insert(_insert_after(result, a1), paragraphs, k))
    return result


def _resolve(result: Merge, group: Group) -> list[Edit] | None:
    """The edits that write the group into the writer's text: each change where its clause
    stands as drafted, or whole and once elsewhere, or nothing where the writer already wrote
    what the new facts say; None (a conflict) when one of its changes can be none of these."""
    edits = []
    for hunk in group.hunks:
        edit = _in_place(result, hunk, group.id) or _moved(result, hunk, group.id)
        if edit is not None:
            edits.append(edit)
        elif not _already(result, group, hunk):
            return None
    return edits


def _in_place(result: Merge, hunk: Hunk, group: int) -> Edit | None:
    """The change where the writer kept its clause as drafted."""
    writer = result.writer
    if writer.touched(*hunk.clause):
        return None
    x1, x2 = writer.map(hunk.start), writer.map(hunk.end)
    if x1 is None or x2 is None:
        return None
    return _edit(result.theirs, x1, x2, hunk.text, group)


def _moved(result: Merge, hunk: Hunk, group: int) -> Edit | None:
    """The change where its clause stands, whole and once, elsewhere in the writer's text
    (a sentence moved, a paragraph reworded around the clause)."""
    start, end = hunk.clause
    needle = result.base.string[start:end]
    if hunk.start == hunk.end or len(needle) < 4 or not NUMBER.search(needle):
        return None
    found = [m.start() for m in re.finditer(re.escape(needle), result.theirs.string)]
    if len(found) != 1:
        return None
    at = found[0] + hunk.start - start
    return _edit(result.theirs, at, at + hunk.end - hunk.start, hunk.text, group)


def _edit(t: Text, x1: int, x2: int, text: str, group: int) -> Edit | None:
    k = t.paragraph_at(x1)
    if x2 > t.end(k) or x1 > t.end(k):
        return None
    return Edit(k, x1 - t.starts[k], x2 - t.starts[k], text, group)


def _already(result: Merge, group: Group, hunk: Hunk) -> bool:
    """Whether the writer's paragraph already says what the new facts say in the hunk's
    clause (a figure they corrected by hand)."""
    if group.anchor is None or group.neighbour:
        return False
    theirs = result.theirs.paragraphs[group.anchor]
    for start, end, new in _clauses(result.base, group):
        if start <= hunk.start and hunk.end <= max(end, start):
            return len(new) >= 2 and new in theirs and (start == end or result.base.string[start:end] not in theirs)
    return False


def _drop(result: Merge, k: int) -> Drop:
    b, t, writer = result.base, result.theirs, result.writer
    start, end = b.starts[k], b.starts[k + 1]
    if writer.kept(start, end):
        x1 = writer.map(start)
        if x1 is not None and (x1 == 0 or t.string[x1 - 1] == PARA):
            return Drop(k, t.paragraph_at(x1))
    anchor, neighbour = result.anchor(k)
    return Drop(k, None, anchor, neighbour)


def _insert_after(result: Merge, at: int) -> int | None:
    """The writer's paragraph after which new paragraphs go that the new draft puts at the
    base draft's position ``at`` (a paragraph's start): -1 before the first, None when the
    writer's text around that place is too changed to tell."""
    writer, t = result.writer, result.theirs
    if at == 0:
        return -1 if writer.map(0) == 0 else None
    end_before = writer.map(at - 1)  # the PARA of the paragraph before
    if end_before is not None and end_before < len(t.string) and t.string[end_before] == PARA \
            and not writer.touched(at - 1, at):
        return t.paragraph_at(end_before)
    start_after = writer.map(at) if at < len(result.base.string) else None
    if start_after is not None and (start_after == 0 or t.string[start_after - 1] == PARA):
        return t.paragraph_at(start_after) - 1 if start_after else -1
    return None
