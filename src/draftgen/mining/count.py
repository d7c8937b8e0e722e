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

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_

import numpy as np
import numpy.typing as npt

from draftgen.mining.segment import SLOT, SUFFIX_TOKENS, is_place, mask_text
from draftgen.mining.sources import Source, read_text

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

MAX_N = 16  # tokens in a formulation; it is also at most 32 characters
MAX_FRAME = 14  # tokens in a clause that frames are taken from
MAX_FILLER = 4  # tokens in the masked span of a frame
KEEP_FILLERS = 8  # distinct fillings kept per frame (the smallest keys: mergeable, deterministic)

_SENTENCE = re.compile(r"[^。！？；\n]+")  # a sentence: what lies between its ends
# a numbered heading line (一、 （一） (一)) after a line break; its sentences are counted apart,
# each with a mark before it
_HEADING_LINE = re.compile(r"\n[^\S\n]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）"
                           r"|\([一二三四五六七八九十]+\))([^\n]*)")
_HEADING_MARK = "\ue003"
_MARKED_ENDS = re.compile(r"([。！？；]+)")
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
    def of(keys: U64, docs: I64) -> Table:
        """One row per key from occurrences (in any order) of keys made by :func:`tagged`
        (their length, or kind, in bits 8–13), in at most 256 documents: a key and its
        document in one number, one sort counts both."""
        if not len(keys):
            return Table()
        low = int(docs.min())
        pairs = np.sort(keys | (docs - low).astype(np.uint64))
        k = pairs & ~_DOC_BITS
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        count = np.diff(np.r_[starts, len(k)])
        distinct = np.r_[True, pairs[1:] != pairs[:-1]]
        keys = k[starts]
        return Table(keys, count, np.add.reduceat(distinct, starts).astype(np.int64),
                     (pairs[starts] & _DOC_BITS).astype(np.int64) + low, tag_of(keys))

    @staticmethod
    def with_rows(keys: U64, docs: I64, length: I64) -> tuple[Table, I64]:
        """One row per key from occurrences (in any order), and for each occurrence its row."""
        return Table._of(keys, docs, length)

    @staticmethod
    def _of(keys: U64, docs: I64, length: I64) -> tuple[Table, I64]:
        if not len(keys):
            return Table(), np.zeros(0, np.int64)
        order = np.argsort(keys)
        k, d = keys[order], docs[order]
        new = np.r_[True, k[1:] != k[:-1]]
        starts = np.flatnonzero(new)
        count = np.diff(np.r_[starts, len(k)])
        group = np.cumsum(new) - 1
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
        order = np.argsort(keys)  # rows of one key are added up: their order does not matter
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


def _bottom(rows: I64, fillers: U64, keys: U64) -> tuple[U64, U64]:
    """Distinct (key, filler) pairs, at most :data:`KEEP_FILLERS` per key (the smallest
    fillers: the same whatever the order documents come in), sorted by key; ``rows``
    are the keys' rows in ``keys``, ``fillers`` 32-bit."""
    # a row and its filler in one number: one sort orders and dedupes both
    pairs = np.sort((rows.astype(np.uint64) << np.uint64(32)) | fillers)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    row = pairs >> np.uint64(32)
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    rank = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)]))
    keep = rank < KEEP_FILLERS
    return keys[row[keep]], pairs[keep] & np.uint64(0xFFFFFFFF)


@dataclass
class Filled:
    """Frames (or small keys) with their distinct fillers: the table, and up to
    :data:`KEEP_FILLERS` (key, filler) pairs per key, sorted by key."""

    table: Table = field(default_factory=Table)
    keys: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    fillers: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))

    @staticmethod
    def of(keys: U64, fillers: U64, docs: I64, length: I64) -> Filled:
        """From occurrences (in any order), with a 32-bit filler each."""
        table, rows = Table.with_rows(keys, docs, length)
        if not len(rows):
            return Filled(table)
        return Filled(table, *_bottom(rows, fillers, table.keys))

    @staticmethod
    def combined(parts: list[Filled], cap: int) -> Filled:
        """The parts' counts added up (their documents are disjoint), pruned past ``cap``."""
        table = Table.combined([p.table for p in parts]).pruned(cap)
        keys = np.concatenate([p.keys for p in parts])
        if not len(keys) or not len(table.keys):
            return Filled(table)
        rows = np.minimum(np.searchsorted(table.keys, keys), len(table.keys) - 1)
        alive = table.keys[rows] == keys
        return Filled(table, *_bottom(rows[alive], np.concatenate([p.fillers for p in parts])[alive], table.keys))

    def filler_counts(self) -> I64:
        """How many distinct fillers (up to :data:`KEEP_FILLERS`) each key of the table has."""
        found, counts = np.unique(self.keys, return_counts=True)
        out = np.zeros(len(self.table.keys), np.int64)
        out[np.searchsorted(self.table.keys, found)] = counts
        return out


@dataclass
class Counts:
    """What one batch (or the whole corpus so far) counted: formulations, frames, and
    the small keys (parallel frames, sentence frames, heading shapes: see :func:`small_kind`)."""

    grams: Table = field(default_factory=Table)
    frames: Filled = field(default_factory=Filled)
    small: Filled = field(default_factory=Filled)
    documents: int = 0
    bytes: int = 0
    # the small keys' texts, and the texts of the parallel frames' fillers (see :meth:`with_texts`)
    texts: dict[int, str] = field(default_factory=dict)
    fillings: dict[int, str] = field(default_factory=dict)

    pending: list[Counts] = field(default_factory=list)

    def merge(self, other: Counts, cap: int) -> None:
        """Adds a batch's counts; the tables are combined (and pruned) once enough batches wait."""
        self.pending.append(other)
        self.texts.update(other.texts)
        self.fillings.update(other.fillings)
        self.documents += other.documents
        self.bytes += other.bytes
        if sum(len(c.grams.keys) + len(c.frames.keys) for c in self.pending) > cap // 2:
            self.flush(cap)

    def flush(self, cap: int) -> None:
        if not self.pending:
            return
        batches, self.pending = self.pending, []
        self.grams = Table.combined([self.grams] + [c.grams for c in batches]).pruned(cap)
        self.frames = Filled.combined([self.frames] + [c.frames for c in batches], cap)
        self.small = Filled.combined([self.small] + [c.small for c in batches], cap // 4)
        if len(self.texts) > cap // 2:
            self.texts = {k: self.texts[k] for k in self.small.table.keys.tolist()}
        if len(_TEXTS) > cap // 2:  # this process's texts, when they belong to its total
            kept = set(self.small.table.keys.tolist())
            for key in [k for k in _TEXTS if k not in kept]:
                del _TEXTS[key]

    def with_texts(self) -> Counts:
        """These counts (flushed) with the texts of their small keys and fillers, which
        only the process that counted them has: they go where the counts go."""
        keys, fillers = self.small.keys.tolist(), self.small.fillers.tolist()
        self.texts = {k: _text(_TEXTS[k]) for k in self.small.table.keys.tolist()}
        self.fillings = {f: _FILLINGS[f] for k, f in zip(keys, fillers, strict=True) if small_kind(k) == PARALLEL}
        return self


_DOC_BITS = np.uint64(0xFF)
_TAG_BITS = np.uint64(0x3FFF)


def tagged(hashes: U64, tags: I64) -> U64:
    """Keys for :meth:`Table.of`: a hash with a tag below 64 (a formulation's length in
    characters, capped; a small key's kind) in bits 8–13 and the low 8 bits free."""
    return (hashes & ~_TAG_BITS) | (np.minimum(tags, 63).astype(np.uint64) << np.uint64(8))  # type: ignore[no-any-return]


def tag_of(keys: U64) -> I64:
    return ((keys >> np.uint64(8)) & np.uint64(63)).astype(np.int64)  # type: ignore[no-any-return]


PARALLEL, HEADING, SENTENCE = 0, 1, 2  # kinds of small key (its tag)


def small_kind(key: int) -> int:
    return (key >> 8) & 63


def _small_key(text: str, kind: int) -> int:
    """A small key: the hash of its text, tagged with its kind."""
    digest = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
    return (digest & ~0x3FFF) | (kind << 8)


_DROP, _SEP, _END = -1, -2, -3  # raw tokens that are no token: blank, clause separator, end of sentence
_NEW = -4  # a raw token not mapped yet


class _Vocab:
    """Per process: token → id, and per id its length in characters, its flags and the
    hash of its characters (as if they started at 0), so that a span's key is a sum over
    its tokens instead of over its characters. Id 0 is the slot. The segmenter's raw
    tokens are mapped once each (:meth:`raw_codes`): a place name or a mask is the slot,
    a blank is dropped, ，：,: part clauses and a line break parts sentences."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self._rows: list[tuple[int, bool, bool, bool, bool, int]] = []
        self.length: I64 = np.zeros(0, np.int64)
        self.flags = np.zeros((0, 4), bool)  # slot, punctuation, bad edge, ASCII
        self.hash: U64 = np.zeros(0, np.uint64)
        self.suffix = np.zeros(0, bool)  # 镇, 村…: a lone one after a slot belongs to it
        self.raw: dict[str, int] = {"\n": _END, "\ue002": 0}
        self.id(SLOT)

    def id(self, token: str) -> int:
        found = self.ids.get(token)
        if found is None:
            found = self.ids[token] = len(self.tokens)
            self.tokens.append(token)
            chars = _SLOT_CHAR if token == SLOT else token
            self._rows.append((len(chars), token == SLOT, token in PUNCT, token in _STOP_EDGE or token in PUNCT,
                               any(ch.isascii() and ch.isalnum() for ch in token), _char_hash(chars)))
        return found

    def raw_codes(self, raw: list[str]) -> I64:
        """Ids (or :data:`_DROP`, :data:`_SEP`, :data:`_END`) of the segmenter's tokens."""
        codes = self.raw
        out = np.fromiter(map(codes.get, raw, repeat(_NEW)), np.int64, len(raw))
        for at in np.flatnonzero(out == _NEW).tolist():
            token = raw[at]
            code = codes.get(token)
            if code is None:
                word = token.strip()
                code = codes[token] = (_DROP if not word else _SEP if word in "，：,:" and len(word) == 1
                                       else 0 if is_place(word) else self.id(word))
            out[at] = code
        self.arrays()
        return out

    def arrays(self) -> None:
        """Brings the per-id arrays up to date with the ids handed out."""
        if len(self._rows) == len(self.length):
            return
        rows = self._rows[len(self.length):]
        self.length = np.r_[self.length, np.array([r[0] for r in rows], np.int64)]
        self.flags = np.vstack([self.flags, np.array([r[1:5] for r in rows], bool).reshape(-1, 4)])
        self.hash = np.r_[self.hash, np.array([r[5] for r in rows], np.uint64)]
        self.suffix = np.r_[self.suffix, np.array([self.tokens[i] in SUFFIX_TOKENS
                                                   for i in range(len(self.suffix), len(self.tokens))], bool)]


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
_POW: list[U64] = [np.zeros(0, np.uint64), np.zeros(0, np.uint64)]
_SLOT_HASH = np.uint64(_mix(ord(_SLOT_CHAR)))
_ENUM_LINES = re.compile("\n" + _ENUM.pattern.lstrip("^"))  # after a line break


class _Sentences:
    """Per process: every distinct sentence seen, segmented once. A sentence (of a body
    line, of a heading line) has an id; its tokens lie in one pool of token ids, with a
    flag where a clause begins; the few sentences that add small keys keep them.
    Reports repeat themselves, so most sentences are only looked up. Past
    :data:`CACHE_SENTENCES` the store is emptied before the next batch."""

    def __init__(self) -> None:
        self.vocab = _VOCAB
        self.cache: dict[str, int] = {}
        self.start: I64 = np.zeros(0, np.int64)
        self.size: I64 = np.zeros(0, np.int64)
        self.pool = np.zeros(0, np.int32)
        self.clause_start = np.zeros(0, bool)
        self.used = 0  # tokens in the pool
        # small keys: per sentence its (key, filler) pairs, in two pools
        self.small_start: I64 = np.zeros(0, np.int64)
        self.small_size: I64 = np.zeros(0, np.int64)
        self.small_keys: U64 = np.zeros(0, np.uint64)
        self.small_fillers: U64 = np.zeros(0, np.uint64)
        self._keys: dict[str | bytes, int] = {}  # text (of a key), clause heads (token ids) → key
        self._parallel: dict[bytes, list[tuple[int, int]]] = {}  # a clause's token ids → its parallel frames

    def __len__(self) -> int:
        return len(self.start)

    def add(self, sentences: list[str], cut: Callable[[str], list[str]]) -> None:
        """Segments new sentences, all at once (their ids follow the ones there are); a
        sentence of a heading line starts with :data:`_HEADING_MARK`."""
        heading = [s.startswith(_HEADING_MARK) for s in sentences]
        text = _ENUM_LINES.sub("\n", "".join("\n" + s.lstrip(_HEADING_MARK).strip() for s in sentences))[1:]
        codes = self.vocab.raw_codes(cut(mask_text(text)))
        codes = codes[codes != _DROP]
        # a slot (or 镇, 村…) right after a slot in the same run of them is that slot
        token = codes >= 0
        slot = codes == 0
        slotlike = slot | (token & self.vocab.suffix[np.where(token, codes, 0)])
        at = np.arange(len(codes))
        last_slot = np.maximum.accumulate(np.where(slot, at, -1))
        last_other = np.maximum.accumulate(np.where(slotlike, -1, at))
        gone = np.zeros(len(codes), bool)
        gone[1:] = slotlike[1:] & (last_slot[:-1] > last_other[:-1])
        codes = codes[~gone]
        token = codes >= 0
        after_mark = np.r_[True, ~token[:-1]]  # the stream's start, a separator or a line break before
        sentence = np.cumsum(codes == _END)[token]
        ids = codes[token].astype(np.int32)
        begins = after_mark[token]
        self._grow(len(ids))
        self.pool[self.used:self.used + len(ids)] = ids
        self.clause_start[self.used:self.used + len(ids)] = begins
        size = np.bincount(sentence, minlength=len(sentences))
        self.start = np.r_[self.start, self.used + np.cumsum(size) - size]
        self.size = np.r_[self.size, size]
        self.used += len(ids)
        self._small_keys(text, heading, ids, begins, sentence, size)

    def _grow(self, more: int) -> None:
        if self.used + more > len(self.pool):
            room = max(2 * len(self.pool), self.used + more, 1 << 16)
            self.pool = np.r_[self.pool[:self.used], np.zeros(room - self.used, np.int32)]
            self.clause_start = np.r_[self.clause_start[:self.used], np.zeros(room - self.used, bool)]

    def _small_keys(self, text: str, heading: list[bool], ids: npt.NDArray[np.int32],
                    begins: npt.NDArray[np.bool_], sentence: I64, size: I64) -> None:
        """The small keys of new sentences (``text``: one a line, as segmented): parallel
        frames of clauses with 、, and a sentence's own (heading shape, clause heads)."""
        vocab = self.vocab
        count = len(heading)
        clause = np.cumsum(begins) - 1
        clause_at = np.flatnonzero(begins)
        clause_end = np.r_[clause_at[1:], len(ids)]
        clause_sentence = sentence[clause_at]
        clauses = np.bincount(clause_sentence, minlength=count)
        first_clause = np.cumsum(clauses) - clauses
        comma = vocab.ids.get("、", -1)
        parallel = clause[ids == comma] if comma >= 0 else np.zeros(0, np.int64)
        parallel = parallel[np.r_[True, parallel[1:] != parallel[:-1]]] if len(parallel) else parallel
        owner: list[int] = []
        pairs: list[tuple[int, int]] = []
        words, cached = vocab.tokens, self._parallel
        for c in parallel.tolist():
            toks = ids[clause_at[c]:clause_end[c]].tobytes()
            found = cached.get(toks)
            if found is None:
                found = []
                clause_words = [words[t] for t in ids[clause_at[c]:clause_end[c]].tolist()]
                for skeleton, filling in parallel_frames(_core(clause_words)):
                    filler = zlib.crc32(filling.encode())
                    _FILLINGS[filler] = filling
                    found.append((self._key(skeleton, PARALLEL), filler))
                if len(cached) < CACHE_SENTENCES:
                    cached[toks] = found
            owner += [int(clause_sentence[c])] * len(found)
            pairs += found
        # a digest of the sentence's wording stands for its filling (the same wording with other
        # figures is another filling)
        lines = text.split("\n")
        crc = zlib.crc32

        # sentence frames: 2–4 clauses, each opening with a word of 2 characters or more; the key
        # is made of the words' hashes, its text only written for a key not seen before
        head = ids[clause_at]
        bad = np.bincount(clause_sentence, weights=(head == 0) | (vocab.length[head] < 2), minlength=count) > 0
        opened = np.flatnonzero((clauses >= 2) & (clauses <= 4) & ~bad)
        place = np.arange(len(clause_at)) - first_clause[clause_sentence]
        weighed = vocab.hash[head] * _powers(4)[0][np.minimum(place, 3)]
        frame = np.zeros(count, np.uint64)
        frame[clauses > 0] = np.add.reduceat(weighed, first_clause[clauses > 0])
        frame = tagged(frame[opened] * np.uint64(0x9E3779B97F4A7C15), np.full(len(opened), SENTENCE))
        for key, s in zip(*np.unique(frame, return_index=True), strict=True):
            if int(key) not in _TEXTS:  # its words' ids: the text is written when it is sent
                at = first_clause[opened[s]]
                _TEXTS[int(key)] = head[at:at + clauses[opened[s]]].tobytes()
        owner += opened.tolist()
        pairs += zip(frame.tolist(), (crc(lines[s].encode()) for s in opened.tolist()), strict=True)
        # heading shapes ({…}、{…}，{…}): how many 、 each clause has
        commas = np.bincount(clause[ids == comma], minlength=len(clause_at)) if comma >= 0 else \
            np.zeros(len(clause_at), np.int64)
        for s in compress(range(count), heading):
            at, n = first_clause[s], clauses[s]
            if n > 1 or (n == 1 and commas[at]):
                heading_shape = "，".join(SLOT + ("、" + SLOT) * c for c in commas[at:at + n].tolist())
                owner.append(s)
                pairs.append((self._key(heading_shape, HEADING), crc(lines[s].encode())))
        order = np.argsort(np.array(owner, np.int64), kind="stable")
        per = np.bincount(np.array(owner, np.int64), minlength=count)
        self.small_start = np.r_[self.small_start, len(self.small_keys) + np.cumsum(per) - per]
        self.small_size = np.r_[self.small_size, per]
        if pairs:
            table = np.array(pairs, np.uint64).reshape(-1, 2)[order]
            self.small_keys = np.r_[self.small_keys, table[:, 0]]
            self.small_fillers = np.r_[self.small_fillers, table[:, 1]]

    def _key(self, text: str, kind: int) -> int:
        key = self._keys.get(text)
        if key is None:
            key = self._keys[text] = _small_key(text, kind)
            _TEXTS[key] = text
        return key

    def gather(self, sids: I64) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.bool_], I64]:
        """Token ids, clause starts and tokens per sentence of a run of sentences."""
        size = self.size[sids]
        total = int(size.sum())
        at = np.repeat(self.start[sids] - (np.cumsum(size) - size), size) + np.arange(total)
        return self.pool[at], self.clause_start[at], size

    def small_of(self, sids: I64) -> tuple[U64, U64, I64]:
        """The (key, filler) pairs of a run of sentences, and for each its place in the run."""
        size = self.small_size[sids]
        total = int(size.sum())
        at = np.repeat(self.small_start[sids] - (np.cumsum(size) - size), size) + np.arange(total)
        return self.small_keys[at], self.small_fillers[at], np.repeat(np.arange(len(sids)), size)


_VOCAB = _Vocab()
_SEEN = _Sentences()
# per process: small key → its text, a parallel frame's filler → its text (pruned with the tables)
_TEXTS: dict[int, str | bytes] = {}  # bytes: a sentence frame's words (token ids)
_FILLINGS: dict[int, str] = {}
CACHE_SENTENCES = 200_000


def _text(text: str | bytes) -> str:
    """A small key's text, from its clause heads' token ids for a sentence frame."""
    if isinstance(text, str):
        return text
    return "，".join(f"{_VOCAB.tokens[h]}{SLOT}" for h in np.frombuffer(text, np.int32).tolist())


def _mark_heading(line: re.Match[str]) -> str:
    """A numbered heading line (of at most 45 characters) without its number, with
    :data:`_HEADING_MARK` before each of its sentences; a longer line as it is."""
    marked = _MARKED.get(line[0])
    if marked is None:
        marked = line[0] if len(line[0].strip()) > 45 else \
            "\n" + _HEADING_MARK + _MARKED_ENDS.sub(r"\1" + _HEADING_MARK, line[1].strip())
        if len(_MARKED) < CACHE_SENTENCES:
            _MARKED[line[0]] = marked
    return marked


_MARKED: dict[str, str] = {}  # heading lines recur (一、主要工作…): marked once per process


class _Batch:
    """The tokens of a batch of documents, as arrays of token ids and flags."""

    def __init__(self, docs: list[tuple[int, str]], cut: Callable[[str], list[str]]) -> None:
        global _SEEN
        if len(_SEEN) > CACHE_SENTENCES:
            _SEEN = _Sentences()
        seen = _SEEN
        cache = seen.cache
        sids: list[int] = []
        per_doc: list[int] = []
        new: list[str] = []
        sentences = _SENTENCE.findall
        for _, text in docs:
            # one line break between paragraphs, whichever the file had; a heading line's sentences marked
            text = _HEADING_LINE.sub(_mark_heading, "\n" + "\n".join(text.splitlines()))
            # the same sentences recur across reports: each is segmented once per process
            found = sentences(text)
            got = list(map(cache.get, found))
            if None in got:
                for k in compress(range(len(got)), map(is_, got, repeat(None))):
                    sid = cache.get(found[k])
                    if sid is None:
                        sid = cache[found[k]] = len(seen) + len(new)
                        new.append(found[k])
                    got[k] = sid
            sids += got  # type: ignore[arg-type]  # none is None any more
            per_doc.append(len(got))
        if new:
            seen.add(new, cut)
        order = np.array(sids, np.int64)
        doc_of = np.repeat(np.array([d for d, _ in docs], np.int64), per_doc)
        ids, begins, size = seen.gather(order)
        self.small_keys, self.small_fillers, at = seen.small_of(order)
        self.small_doc = doc_of[at]
        self.ids = ids
        self.off = np.r_[0, np.cumsum(_VOCAB.length[ids])].astype(np.int64)
        self.clause = np.cumsum(begins) - 1
        self.clause_end = np.r_[np.flatnonzero(begins)[1:], len(ids)].astype(np.int64)
        self.doc = np.repeat(doc_of, size)
        flags = _VOCAB.flags[ids]
        self.slot, self.punct, self.edge, self.ascii = (flags[:, k] for k in range(4))
        self.pow, self.inv = _powers(int(self.off[-1]) + 2)
        self.prefix = np.r_[np.uint64(0), np.cumsum(_VOCAB.hash[ids] * self.pow[self.off[:-1]])]

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


def count_batch(batch: list[tuple[int, Source]], cut: Callable[[str], list[str]]) -> Counts:
    """Counts of one batch of documents (run in a worker process or inline)."""
    docs = [(index, read_text(source)) for index, source in batch]
    counts = Counts(documents=len(batch), bytes=sum(s.size for _, s in batch))
    tok = _Batch(docs, cut)
    i, e = tok.grams()
    counts.grams = Table.of(tagged(tok.hash(i, e), tok.off[e] - tok.off[i]), tok.doc[i])
    c0, s, t, c1 = tok.frames()
    skeleton, filler, length = tok.frame_keys(c0, s, t, c1)
    counts.frames = Filled.of(skeleton, filler >> np.uint64(32), tok.doc[s], length)
    counts.small = Filled.of(tok.small_keys, tok.small_fillers, tok.small_doc, tag_of(tok.small_keys))
    return counts


@dataclass
class Recovered:
    """Texts of wanted keys: formulation → its tokens; frame → its fixed tokens and fillings."""

    grams: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    frames: dict[int, tuple[str, list[str], set[str]]] = field(default_factory=dict)


def recover(batch: list[tuple[int, Source]], cut: Callable[[str], list[str]], grams: U64, frames: U64) -> Recovered:
    """The text of the wanted keys seen in ``batch`` (the documents they were first seen in)."""
    docs = [(index, read_text(source)) for index, source in batch]
    tok = _Batch(docs, cut)
    words = [_VOCAB.tokens[t] for t in tok.ids.tolist()]
    out = Recovered()
    i, e = tok.grams()
    keys = tagged(tok.hash(i, e), tok.off[e] - tok.off[i])
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
