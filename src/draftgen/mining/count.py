"""Counting n-grams and frames of a batch of reports with numpy.

Every span (an n-gram, a clause with one span masked) is keyed by a 64-bit
polynomial hash of its *characters*, so the same wording gets the same key
whatever the segmentation and whichever process counted it. Tokens are turned
into integer ids once per process, each with the hash of its own characters, and
a span's key is a prefix-sum difference over its tokens — no Python loop per
n-gram. A sentence is split, segmented and turned into ids once per process; when
it recurs (reports repeat themselves) it is looked up. Counting is then sorting
keys. Per key the tables keep count, document frequency, the first document it
was seen in and its length; the text is recovered later, for the few thousand
keys that can reach the list, by reading those first documents again
(:func:`recover`).
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from draftgen.mining.segment import SLOT, tokens
from draftgen.mining.sources import Source, read_text

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

MAX_N = 16  # tokens in a formulation; it is also at most 32 characters
MAX_FRAME = 14  # tokens in a clause that frames are taken from
MAX_FILLER = 4  # tokens in the masked span of a frame
KEEP_FILLERS = 8  # distinct fillings kept per frame (the smallest keys: mergeable, deterministic)

_SENTENCE = re.compile(r"[。！？；\n]+")
_CLAUSE = re.compile(r"[，：,:]")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
PUNCT = set("，。、；：！？“”‘’（）《》【】—…·,.;:!?()\"'")
_STOP_EDGE = set("的了和与及等并中是把将对也还又就而、")
_CN = "[一二三四五六七八九十]+"
_ENUM = re.compile(rf"^(?:{_CN}[、是要]|（{_CN}）|\({_CN}\)|[0-9]+[.．、])")
_SLOT_CHAR = "\ue002"
_BASE = np.uint64(0x100000001B3)
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 2**64))


@dataclass
class Table:
    """Keys (sorted, unique) with count, document frequency, first document and length."""

    keys: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    count: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    df: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    first: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    length: I64 = field(default_factory=lambda: np.zeros(0, np.int64))

    @staticmethod
    def of(keys: U64, docs: I64, length: I64) -> Table:
        """One row per key from occurrences (in any order)."""
        return Table._of(keys, docs, length, False)[0]

    @staticmethod
    def with_rows(keys: U64, docs: I64, length: I64) -> tuple[Table, I64]:
        """The table of :meth:`of` and, for each occurrence, its row."""
        return Table._of(keys, docs, length, True)

    @staticmethod
    def _of(keys: U64, docs: I64, length: I64, rows: bool) -> tuple[Table, I64]:
        if not len(keys):
            return Table(), np.zeros(0, np.int64)
        order = np.argsort(keys)
        k, d = keys[order], docs[order]
        new = np.r_[True, k[1:] != k[:-1]]
        starts = np.flatnonzero(new)
        count = np.diff(np.r_[starts, len(k)])
        group = np.cumsum(new) - 1
        row = np.zeros(0, np.int64)
        if rows:
            row = np.empty(len(k), np.int64)
            row[order] = group
        # distinct (key, document) pairs, sorted: how many per key, and the first
        low = int(d.min())
        span = int(d.max()) - low + 1
        pairs = np.sort(group * span + (d - low))
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
        paired = pairs // span
        first = np.flatnonzero(np.r_[True, paired[1:] != paired[:-1]])
        return Table(k[starts], count.astype(np.int64), np.bincount(paired, minlength=len(starts)).astype(np.int64),
                     pairs[first] % span + low, length[order[starts]]), row

    @staticmethod
    def combined(tables: list[Table]) -> Table:
        """The tables' counts added up (their documents are disjoint)."""
        tables = [t for t in tables if len(t.keys)]
        if len(tables) <= 1:
            return tables[0] if tables else Table()
        keys = np.concatenate([t.keys for t in tables])
        order = np.argsort(keys, kind="stable")
        k = keys[order]
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])

        def column(name: str) -> I64:
            return np.concatenate([getattr(t, name) for t in tables])[order]

        return Table(k[starts], np.add.reduceat(column("count"), starts), np.add.reduceat(column("df"), starts),
                     np.minimum.reduceat(column("first"), starts), column("length")[starts])

    def pruned(self, cap: int) -> Table:
        """Past ``cap`` rows, the keys seen once go: they cannot recur any more often than they did."""
        if len(self.keys) <= cap:
            return self
        keep = self.count > 1
        return Table(self.keys[keep], self.count[keep], self.df[keep], self.first[keep], self.length[keep])

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.keys, self.count, self.df, self.first, self.length))


def bottom_fillers(frames: U64, fillers: U64, keys: U64) -> tuple[U64, U64]:
    """Distinct (frame, filler) pairs of the frames in ``keys`` (sorted), at most
    :data:`KEEP_FILLERS` per frame (the smallest filler keys), sorted by frame."""
    if not len(frames) or not len(keys):
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    rows = np.minimum(np.searchsorted(keys, frames), len(keys) - 1)
    alive = keys[rows] == frames
    return _bottom(rows[alive], fillers[alive], keys)


def _bottom(rows: I64, fillers: U64, keys: U64) -> tuple[U64, U64]:
    # a frame's row and its (32-bit) filler key in one number: one sort orders and dedupes both
    pairs = np.sort((rows.astype(np.uint64) << np.uint64(32)) | fillers)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    row = pairs >> np.uint64(32)
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    rank = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)]))
    keep = rank < KEEP_FILLERS
    return keys[row[keep]], pairs[keep] & np.uint64(0xFFFFFFFF)


Filler = str | int  # a parallel frame's filling as text; a sentence's digest for the others


@dataclass
class Small:
    """Counts of the few keys per sentence counted as strings (parallel frames,
    sentence frames, heading shapes). One list per key, to stay small:
    count, df, first document, last document, then up to :data:`KEEP_FILLERS` fillings
    (the smallest: the same whatever the order documents come in)."""

    stats: dict[str, list[Any]] = field(default_factory=dict)  # [count, df, first, last, *fillings]

    def see(self, keys: Iterable[tuple[str, Filler]], doc: int) -> None:
        """Counts the (key, filler) pairs of a sentence of document ``doc``."""
        stats = self.stats
        for key, filler in keys:
            stat = stats.get(key)
            if stat is None:
                stats[key] = [1, 1, doc, doc, filler]
                continue
            stat[0] += 1
            if stat[3] != doc:
                stat[1] += 1
                stat[3] = doc
            fills = stat[4:]
            if filler in fills:
                continue
            if len(fills) < KEEP_FILLERS:
                stat.append(filler)
            else:
                largest = max(fills)
                if filler < largest:
                    stat[stat.index(largest, 4)] = filler

    @staticmethod
    def fillers(stat: list[Any]) -> list[Filler]:
        return stat[4:]

    def merge(self, other: Small) -> None:
        """Adds the counts of another process's documents (disjoint from these)."""
        if not self.stats:
            self.stats, other.stats = other.stats, {}
            return
        stats = self.stats
        for key, theirs in other.stats.items():
            stat = stats.get(key)
            if stat is None:
                stats[key] = theirs
                continue
            stat[0] += theirs[0]
            stat[1] += theirs[1]
            stat[2] = min(stat[2], theirs[2])
            stat[3] = max(stat[3], theirs[3])
            stat[4:] = sorted(set(stat[4:]) | set(theirs[4:]))[:KEEP_FILLERS]
        other.stats = {}

    def pruned(self, cap: int) -> None:
        if len(self.stats) > cap:
            for key in [k for k, s in self.stats.items() if s[0] <= 1]:
                del self.stats[key]


@dataclass
class Counts:
    """What one batch (or the whole corpus so far) counted."""

    grams: Table = field(default_factory=Table)
    frames: Table = field(default_factory=Table)
    frame_keys: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    filler_keys: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    small: Small = field(default_factory=Small)
    documents: int = 0
    bytes: int = 0

    pending: list[Counts] = field(default_factory=list)

    def merge(self, other: Counts, cap: int) -> None:
        """Adds a batch's counts; the tables are combined (and pruned) once enough batches wait."""
        self.pending.append(other)
        self.small.merge(other.small)
        self.small.pruned(cap // 4)
        self.documents += other.documents
        self.bytes += other.bytes
        if sum(len(c.grams.keys) + len(c.frame_keys) for c in self.pending) > cap // 2:
            self.flush(cap)

    def flush(self, cap: int) -> None:
        if not self.pending:
            return
        batches, self.pending = self.pending, []
        self.grams = Table.combined([self.grams] + [c.grams for c in batches]).pruned(cap)
        self.frames = Table.combined([self.frames] + [c.frames for c in batches]).pruned(cap)
        self.frame_keys, self.filler_keys = bottom_fillers(
            np.concatenate([self.frame_keys] + [c.frame_keys for c in batches]),
            np.concatenate([self.filler_keys] + [c.filler_keys for c in batches]), self.frames.keys)


class _Vocab:
    """Per process: token → id, and per id its length in characters, its flags and the
    hash of its characters (as if they started at 0), so that a span's key is a sum over
    its tokens instead of over its characters."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self._rows: list[tuple[int, bool, bool, bool, bool, int]] = []
        self.length: I64 = np.zeros(0, np.int64)
        self.flags = np.zeros((0, 4), bool)  # slot, punctuation, bad edge, ASCII
        self.hash: U64 = np.zeros(0, np.uint64)

    def id(self, token: str) -> int:
        found = self.ids.get(token)
        if found is None:
            found = self.ids[token] = len(self.tokens)
            self.tokens.append(token)
            chars = _SLOT_CHAR if token == SLOT else token
            self._rows.append((len(chars), token == SLOT, token in PUNCT, token in _STOP_EDGE or token in PUNCT,
                               any(ch.isascii() and ch.isalnum() for ch in token), _char_hash(chars)))
        return found

    def arrays(self) -> None:
        """Brings the per-id arrays up to date with the ids handed out."""
        if len(self._rows) == len(self.length):
            return
        rows = self._rows[len(self.length):]
        self.length = np.r_[self.length, np.array([r[0] for r in rows], np.int64)]
        self.flags = np.vstack([self.flags, np.array([r[1:5] for r in rows], bool).reshape(-1, 4)])
        self.hash = np.r_[self.hash, np.array([r[5] for r in rows], np.uint64)]


def _mix(code: int) -> int:
    mixed = ((code + 0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9) & _MASK64
    return mixed ^ (mixed >> 29)


def _char_hash(chars: str) -> int:
    value, power = 0, 1
    for ch in chars:
        value = (value + _mix(ord(ch)) * power) & _MASK64
        power = (power * int(_BASE)) & _MASK64
    return value


def _powers(size: int) -> tuple[U64, U64]:
    """_BASE**k and its inverse for k < size (kept per process, grown when needed)."""
    if len(_POW[0]) < size:
        size = max(size, 2 * len(_POW[0]), 1 << 16)
        _POW[0] = np.cumprod(np.r_[np.uint64(1), np.full(size - 1, _BASE, np.uint64)]).astype(np.uint64)
        _POW[1] = np.cumprod(np.r_[np.uint64(1), np.full(size - 1, _BASE_INV, np.uint64)]).astype(np.uint64)
    return _POW[0], _POW[1]


_MASK64 = (1 << 64) - 1
_Sentence = tuple["array[int]", "array[int]", tuple[tuple[str, Filler], ...]]
_POW: list[U64] = [np.zeros(0, np.uint64), np.zeros(0, np.uint64)]
_VOCAB = _Vocab()
_SLOT_HASH = np.uint64(_mix(ord(_SLOT_CHAR)))
_CACHE_SIZE = 50_000
# per process: clause → token ids and tokens; sentence (of a body line, of a heading line) → token ids,
# tokens per clause, small keys. Compact (ids as C ints): ~0.5 kB a sentence.
_CLAUSES: dict[str, tuple[array[int], tuple[str, ...]]] = {}  # tokens: the vocabulary's strings
_SENTENCES: tuple[dict[str, _Sentence], dict[str, _Sentence]] = ({}, {})


def _sentence(sentence: str, heading: bool, cut: Callable[[str], list[str]]) -> _Sentence:
    """A sentence's token ids, tokens per clause and the small keys it adds (in the order
    they are counted: parallel frames clause by clause, then the sentence's own)."""
    parts = [c for c in [c.strip() for c in _CLAUSE.split(_ENUM.sub("", sentence.strip()))] if c]
    ids: array[int] = array("i")
    sizes: array[int] = array("i")
    if not parts:
        return ids, sizes, ()
    small: list[tuple[str, Filler]] = []
    clause_tokens = []
    clauses = _CLAUSES
    for clause in parts:
        cached = clauses.get(clause)
        if cached is None:
            cids = array("i", map(_VOCAB.id, tokens(clause, cut)))
            cached = cids, tuple(_VOCAB.tokens[t] for t in cids)
            if len(clauses) < _CACHE_SIZE:
                clauses[clause] = cached
        ids += cached[0]
        ctoks = cached[1]
        clause_tokens.append(ctoks)
        sizes.append(len(ctoks))
        if "、" in clause:
            small += [("P" + skeleton, filler) for skeleton, filler in parallel_frames(_core(list(ctoks)))]
    small += _sentence_keys(parts, clause_tokens, heading)
    return ids, sizes, tuple(small)


class _Batch:
    """The tokens of a batch of documents, as arrays of token ids and flags."""

    def __init__(self, docs: list[tuple[int, str]], cut: Callable[[str], list[str]], small: Small | None) -> None:
        ids: array[int] = array("i")
        sizes: array[int] = array("i")
        per_doc: list[int] = []
        caches = _SENTENCES
        split, heading_at = _SENTENCE.split, _HEADING.match
        for doc, text in docs:
            before = len(sizes)
            # the same sentences recur across reports: each is split, segmented and
            # looked at once per process, then only looked up
            for line in text.splitlines():
                line = line.strip()
                if not line:
                    continue
                found = heading_at(line) if len(line) <= 45 else None
                if found:
                    line = line[found.end():]
                cache = caches[found is not None]
                for sentence in split(line):
                    entry = cache.get(sentence)
                    if entry is None:
                        entry = _sentence(sentence, found is not None, cut)
                        if len(cache) < _CACHE_SIZE:
                            cache[sentence] = entry
                    ids += entry[0]
                    sizes += entry[1]
                    if entry[2] and small is not None:
                        small.see(entry[2], doc)
            per_doc.append(len(sizes) - before)
        _VOCAB.arrays()
        self.ids = np.frombuffer(ids, np.intc) if len(ids) else np.zeros(0, np.intc)
        size = np.frombuffer(sizes, np.intc).astype(np.int64) if len(sizes) else np.zeros(0, np.int64)
        self.off = np.r_[0, np.cumsum(_VOCAB.length[self.ids])].astype(np.int64)
        self.clause = np.repeat(np.arange(len(sizes)), size)
        self.clause_end = np.cumsum(size)
        self.doc = np.repeat(np.repeat(np.array([d for d, _ in docs], np.int64), per_doc), size)
        flags = _VOCAB.flags[self.ids]
        self.slot, self.punct, self.edge, self.ascii = (flags[:, k] for k in range(4))
        self.pow, self.inv = _powers(int(self.off[-1]) + 2)
        self.prefix = np.r_[np.uint64(0), np.cumsum(_VOCAB.hash[self.ids] * self.pow[self.off[:-1]])]

    def hash(self, start: I64, end: I64) -> U64:
        """Key of the characters of tokens ``start:end`` (as if they started at 0)."""
        return (self.prefix[end] - self.prefix[start]) * self.inv[self.off[start]]  # type: ignore[no-any-return]

    def grams(self) -> tuple[I64, I64]:
        """Token start and end of every n-gram that can be a formulation, in document order:
        2–16 tokens of one clause, 4–32 characters, no slot or ASCII inside, no bad edge."""
        count = len(self.ids)
        blocked = self.slot | self.ascii
        starts = np.flatnonzero(~self.edge & ~blocked)  # where a formulation can begin
        if not len(starts):
            return starts, starts
        stops = np.r_[np.flatnonzero(blocked), count]
        last = np.minimum(stops[np.searchsorted(stops, starts)], self.clause_end[self.clause[starts]])
        last = np.minimum(last, starts + MAX_N)
        last = np.minimum(last, np.searchsorted(self.off, self.off[starts] + 32, side="right") - 1)
        room = np.maximum(last - starts - 1, 0)  # ends starts+2 … last
        i = np.repeat(starts, room)
        e = i + 2 + (np.arange(len(i)) - np.repeat(np.cumsum(room) - room, room))
        good = ~self.edge[e - 1] & (self.off[e] - self.off[i] >= 4)
        return i[good], e[good]

    def frames(self) -> tuple[I64, I64, I64, I64]:
        """(core start, span start, span end, core end) in tokens of every frame: a clause of
        2–14 tokens (leading and trailing slots left out) with one span of 1–4 tokens masked
        (by width, not in document order)."""
        count = len(self.ids)
        if not count:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty, empty
        new = np.r_[True, self.clause[1:] != self.clause[:-1]]
        starts = np.flatnonzero(new)
        ends = np.r_[starts[1:], count]
        # the core: without a slot at either edge
        cs = starts + self.slot[starts]
        ce = ends - (self.slot[ends - 1] & (ends - 1 > starts))
        size = ce - cs
        ok = (size >= 2) & (size <= MAX_FRAME)
        cs, ce = cs[ok], ce[ok]
        slot_sum = np.r_[0, np.cumsum(self.slot)]
        bad_sum = np.r_[0, np.cumsum(self.slot | self.punct)]
        lengths = ce - cs
        out: list[tuple[I64, I64, I64, I64]] = []
        for width in range(1, MAX_FILLER + 1):
            room = np.maximum(lengths - width + 1, 0)
            total = int(room.sum())
            if not total:
                continue
            c0 = np.repeat(cs, room)
            c1 = np.repeat(ce, room)
            first = np.repeat(np.cumsum(room) - room, room)
            i = c0 + (np.arange(total) - first)
            j = i + width
            clean = bad_sum[j] == bad_sum[i]
            fixed = (c1 - c0) - width - (slot_sum[c1] - slot_sum[c0])
            fixed_chars = (self.off[c1] - self.off[c0]) - (self.off[j] - self.off[i]) \
                - (slot_sum[c1] - slot_sum[c0])
            internal = (i > c0) & (j < c1)
            good = clean & (fixed >= 2) & (fixed_chars >= 3) & (internal | (fixed >= 3))
            out.append((c0[good], i[good], j[good], c1[good]))
        if not out:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty, empty
        c0, i, j, c1 = (np.concatenate(parts) for parts in zip(*out, strict=True))
        return c0, i, j, c1

    def frame_keys(self, c0: I64, i: I64, j: I64, c1: I64) -> tuple[U64, U64, I64]:
        """(skeleton key, filler key, skeleton length in characters)."""
        left = self.off[i] - self.off[c0]
        skeleton = self.hash(c0, i) + _SLOT_HASH * self.pow[left] + self.hash(j, c1) * self.pow[left + 1]
        return skeleton, self.hash(i, j), (self.off[c1] - self.off[j]) + left + 1


def _core(toks: list[str]) -> list[str]:
    core = toks[1:] if toks and toks[0] == SLOT else toks
    return core[:-1] if core and core[-1] == SLOT else core


def parallel_frames(toks: list[str]) -> Iterable[tuple[str, str]]:
    """Parallel halves around a 、 with the same word masked on both sides:
    小事不出村、大事不出镇 → 小事不出{…}、大事不出{…} (the filler is 村|镇)."""
    if "、" not in toks:
        return
    cut = toks.index("、")
    right = toks[cut + 1:]
    if "、" in right:
        right = right[:right.index("、")]
    size = len(right)
    left = toks[cut - size:cut] if 2 <= size <= cut else []
    if not left or SLOT in left or SLOT in right:
        return
    for k in range(size):
        if left[k] in PUNCT or right[k] in PUNCT:
            continue
        masked_left = [*left[:k], SLOT, *left[k + 1:]]
        masked_right = [*right[:k], SLOT, *right[k + 1:]]
        fixed = "".join(t for t in masked_left + masked_right if t != SLOT)
        if len(fixed) >= 4:
            yield f"{''.join(masked_left)}、{''.join(masked_right)}", f"{left[k]}|{right[k]}"


def shape(heading: str) -> str:
    """``强产业、促融合，乡村振兴迈出新步伐`` → ``{…}、{…}，{…}``."""
    parts = re.split(r"([、，；])", heading)
    if len(parts) < 3:
        return ""
    return "".join(p if p in "、，；" else SLOT for p in parts)


def _sentence_keys(parts: list[str], clause_tokens: list[tuple[str, ...]], heading: bool) -> list[tuple[str, Filler]]:
    keys: list[tuple[str, Filler]] = []
    # these fillings are only counted, never shown: a digest of the sentence stands for it
    sentence = "，".join(parts)
    digest = zlib.crc32(sentence.encode())
    if heading:
        heading_shape = shape(sentence)
        if heading_shape:
            keys.append(("H" + heading_shape, digest))
    if 2 <= len(parts) <= 4:
        # sentences whose clauses open with the same words: 聚焦…，推进…，提升…
        heads = []
        for clause in clause_tokens:
            if not clause or clause[0] == SLOT or len(clause[0]) < 2:
                break
            heads.append(clause[0])
        else:
            keys.append(("S" + "，".join(f"{h}{SLOT}" for h in heads), digest))
    return keys


def count_batch(batch: list[tuple[int, Source]], cut: Callable[[str], list[str]], small: Small) -> Counts:
    """Counts of one batch of documents (run in a worker process or inline); the few
    keys counted as strings go straight into ``small``, which documents reach in order."""
    docs = [(index, read_text(source)) for index, source in batch]
    counts = Counts(documents=len(batch), bytes=sum(s.size for _, s in batch))
    tok = _Batch(docs, cut, small)
    i, e = tok.grams()
    counts.grams = Table.of(tok.hash(i, e), tok.doc[i], tok.off[e] - tok.off[i])
    c0, s, t, c1 = tok.frames()
    skeleton, filler, length = tok.frame_keys(c0, s, t, c1)
    counts.frames, rows = Table.with_rows(skeleton, tok.doc[s], length)
    if len(rows):
        counts.frame_keys, counts.filler_keys = _bottom(rows, filler >> np.uint64(32), counts.frames.keys)
    return counts


@dataclass
class Recovered:
    """Texts of wanted keys: formulation → its tokens; frame → its fixed tokens and fillings."""

    grams: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    frames: dict[int, tuple[str, list[str], set[str]]] = field(default_factory=dict)


def recover(batch: list[tuple[int, Source]], cut: Callable[[str], list[str]], grams: U64, frames: U64) -> Recovered:
    """The text of the wanted keys seen in ``batch`` (the documents they were first seen in)."""
    docs = [(index, read_text(source)) for index, source in batch]
    tok = _Batch(docs, cut, None)
    words = [_VOCAB.tokens[t] for t in tok.ids.tolist()]
    out = Recovered()
    i, e = tok.grams()
    keys = tok.hash(i, e)
    wanted = np.flatnonzero(np.isin(keys, grams))
    _, first = np.unique(keys[wanted], return_index=True)  # one occurrence per key is enough
    at = wanted[first]
    for key, a, b in zip(keys[at].tolist(), i[at].tolist(), e[at].tolist(), strict=True):
        out.grams[key] = ("".join(words[a:b]), words[a:b])
    c0, s, t, c1 = tok.frames()
    skeleton, filler, _ = tok.frame_keys(c0, s, t, c1)
    wanted = np.flatnonzero(np.isin(skeleton, frames))
    # one occurrence per (frame, filling)
    _, first = np.unique(skeleton[wanted] * np.uint64(0x9E3779B97F4A7C15) + filler[wanted], return_index=True)
    at = wanted[first]
    for key, a, b, c, d in zip(*(x[at].tolist() for x in (skeleton, c0, s, t, c1)), strict=True):
        found = out.frames.get(key)
        if found is None:
            before, after = words[a:b], words[c:d]
            found = out.frames[key] = ("".join(before) + SLOT + "".join(after),
                                       [x for x in before + after if x != SLOT], set())
        found[2].add("".join(words[b:c]))
    return out
