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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_, methodcaller
from typing import Any

import numpy as np
import numpy.typing as npt

from draftgen.curate.mining.sources import Source, portions, read_text, texts
from draftgen.curate.mining.years import Dated, year_of
from draftgen.text.patterns import CN, SENTENCE_ENDS
from draftgen.text.segment import SLOT, SUFFIX_TOKENS, is_place, mask_text

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U8 = npt.NDArray[np.uint8]

MAX_N = 16  # tokens in a formulation; it is also at most 32 characters
MAX_FRAME = 14  # tokens in a clause that frames are taken from
MAX_FILLER = 4  # tokens in the masked span of a frame
KEEP_FILLERS = 8  # distinct fillings kept per frame (the smallest keys: mergeable, deterministic)

_SENTENCE = re.compile(rf"[^{SENTENCE_ENDS}\n]+")  # a sentence: what lies between its ends
_CLAUSE_OR_LINE = re.compile(r"[，：,:]|(\n)")  # what parts clauses; a line break, sentences
# a numbered heading line (一、 （一） (一)) after a line break; its sentences are counted apart,
# each with a mark before it
_HEADING_LINE = re.compile(rf"\n[^\S\n]*(?:[{CN}]+、|（[{CN}]+）|\([{CN}]+\))([^\n]*)")
_HEADING_MARK = "\ue003"
_MARKED_ENDS = re.compile(rf"([{SENTENCE_ENDS}]+)")
PUNCT = set("，。、；：！？“”‘’（）《》【】—…·,.;:!?()\"'")
_STOP_EDGE = set("的了和与及等并中是把将对也还又就而、")
_CN = f"[{CN}]+"
_ENUM = re.compile(rf"^(?:{_CN}[、是要]|（{_CN}）|\({_CN}\)|[0-9]+[.．、])")
_SLOT_CHAR = "\ue002"
_BASE = np.uint64(0x100000001B3)
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 2**64))


@dataclass
class Table:
    """Keys (sorted, unique) with count, document frequency, first document and length
    (or kind): 21 bytes a row, the tables being what a run's memory goes to."""

    keys: U64 = field(default_factory=lambda: np.zeros(0, np.uint64))
    count: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    df: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    first: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    length: U8 = field(default_factory=lambda: np.zeros(0, np.uint8))

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
        count = np.diff(np.r_[starts, len(k)]).astype(np.int32)
        distinct = np.r_[True, pairs[1:] != pairs[:-1]]
        keys = k[starts]
        return Table(keys, count, np.add.reduceat(distinct, starts, dtype=np.int32),
                     ((pairs[starts] & _DOC_BITS).astype(np.int64) + low).astype(np.int32),
                     tag_of(keys).astype(np.uint8))

    @staticmethod
    def combined(tables: list[Table], cap: int | None = None) -> Table:
        """The tables' counts added up (their documents are disjoint), at most ``cap`` rows
        (see :func:`_kept_rows`: the rows that go are never made)."""
        tables = [t for t in tables if len(t.keys)]
        if len(tables) <= 1:
            return (tables[0] if tables else Table()).pruned(cap)
        # one column at a time, each gathered into the same buffer: this runs on the largest tables
        # the tables are sorted: a stable sort (timsort) merges them; rows of one key are added up in any order
        order = np.argsort(np.concatenate([t.keys for t in tables]), kind="stable")
        buffer = np.empty(len(order), np.uint64)

        def column(name: str) -> npt.NDArray[Any]:
            values = np.concatenate([getattr(t, name) for t in tables])
            return np.take(values, order, out=buffer.view(values.dtype)[:len(order)])

        k = column("keys")
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        keys = k[starts]
        count = np.add.reduceat(column("count"), starts, dtype=np.int32)
        keep = _kept_rows(count, cap)
        return Table(keys[keep], count[keep], np.add.reduceat(column("df"), starts, dtype=np.int32)[keep],
                     np.minimum.reduceat(column("first"), starts)[keep], column("length")[starts][keep])

    def pruned(self, cap: int | None) -> Table:
        """At most ``cap`` rows (see :func:`_kept_rows`)."""
        keep = _kept_rows(self.count, cap)
        if isinstance(keep, slice):
            return self
        return Table(self.keys[keep], self.count[keep], self.df[keep], self.first[keep], self.length[keep])


def _kept_rows(count: I32, cap: int | None) -> I64 | slice:
    """The rows a table keeps: all up to ``cap``; past it, the keys seen once go, and more
    of the rarest if that is not enough. A key that goes is counted again from where it
    recurs: only a key that was rare when it went can come out short."""
    if cap is None or len(count) <= cap:
        return slice(None)
    floor = int(np.partition(count, len(count) - cap - 1)[len(count) - cap - 1])
    if floor <= 1:
        return np.flatnonzero(count > 1)
    # seen more often than the cap-th: kept; as often: the first keys, up to the cap
    above, tied = np.flatnonzero(count > floor), np.flatnonzero(count == floor)
    return np.sort(np.r_[above, tied[:cap - len(above)]])


def _kept(table: U64, keys: U64, fillers: U64) -> tuple[U64, U64]:
    """The (key, filler) pairs whose key is in ``table`` (sorted), at most
    :data:`KEEP_FILLERS` distinct ones per key (see :func:`_bottom`)."""
    if not len(keys) or not len(table):
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    rows = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    alive = table[rows] == keys
    if not alive.any():  # the keys of these pairs have all been pruned
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    return _bottom(rows[alive], fillers[alive], table)


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
    def of(table: Table, keys: U64, fillers: U64) -> Filled:
        """A table with (key, 32-bit filler) pairs: those of its keys are kept."""
        return Filled(table, *_kept(table.keys, keys, fillers))

    @staticmethod
    def combined(parts: list[Filled], cap: int) -> Filled:
        """The parts' counts added up (their documents are disjoint), pruned past ``cap``."""
        table = Table.combined([p.table for p in parts], cap)
        return Filled.of(table, np.concatenate([p.keys for p in parts]), np.concatenate([p.fillers for p in parts]))

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
    process_total: bool = False  # all that this process counts in a run (its texts can be pruned with it)

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
        self.grams = Table.combined([self.grams] + [c.grams for c in batches], cap)
        self.frames = Filled.combined([self.frames] + [c.frames for c in batches], cap)
        self.small = Filled.combined([self.small] + [c.small for c in batches], cap // 4)
        if len(self.texts) > cap // 2:
            self.texts = {k: self.texts[k] for k in self.small.table.keys.tolist()}
        if self.process_total and len(_TEXTS) > cap // 2:
            # this process's texts, when these are all it counts: those of keys gone go, and
            # with them the store, whose sentences would bring the keys back without a text
            kept = set(self.small.table.keys.tolist())
            for key in [k for k in _TEXTS if k not in kept]:
                del _TEXTS[key]
            _STORE[:] = []

    def one_document(self) -> None:
        """These counts are of the pieces of one document: each key is in one document."""
        for table in (self.grams, self.frames.table, self.small.table):
            table.df = np.ones(len(table.keys), np.int32)

    def with_texts(self) -> Counts:
        """These counts (flushed) with the texts of their small keys and fillers, which
        only the process that counted them has: they go where the counts go."""
        keys, fillers = self.small.keys.tolist(), self.small.fillers.tolist()
        self.texts = {k: _TEXTS[k] for k in self.small.table.keys.tolist()}  # type: ignore[misc]
        for key in [k for k, text in self.texts.items() if isinstance(text, bytes)]:
            self.texts[key] = _text(key)
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


class _Pool:
    """Growable columns of equal length, in runs: run k is rows start[k] … start[k] + size[k]."""

    def __init__(self, **dtypes: Any) -> None:
        self.columns: dict[str, npt.NDArray[Any]] = {name: np.zeros(0, dtype) for name, dtype in dtypes.items()}
        self.start: I64 = np.zeros(0, np.int64)
        self.size: I64 = np.zeros(0, np.int64)
        self.used = 0

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.columns[name]

    def add(self, runs: int, owner: I64, **values: npt.NDArray[Any]) -> None:
        """Appends ``runs`` runs; row i of ``values`` goes to run ``owner[i]`` (rows in owner order)."""
        size = np.bincount(owner, minlength=runs) if len(owner) else np.zeros(runs, np.int64)
        more = len(owner)
        for name, column in self.columns.items():
            if self.used + more > len(column):
                grown = np.zeros(max(2 * len(column), self.used + more, 1 << 12), column.dtype)
                grown[:self.used] = column[:self.used]
                self.columns[name] = column = grown
            column[self.used:self.used + more] = values[name]
        self.start = np.r_[self.start, self.used + np.cumsum(size) - size]
        self.size = np.r_[self.size, size]
        self.used += more

    def rows(self, runs: I64) -> tuple[I64, I64]:
        """The rows of the given runs, in order, and for each row which of them it is of."""
        size = self.size[runs]
        total = int(size.sum())
        at = np.repeat(self.start[runs] - (np.cumsum(size) - size), size) + np.arange(total)
        return at, np.repeat(np.arange(len(runs)), size)


class _Store:
    """Per process: every distinct sentence and clause seen, and what they count.

    Reports repeat themselves, and their clauses far more than their sentences
    (numbers and place names are slots). A sentence (of a body line, of a heading line)
    has an id and is a run of clause ids; it is split once, then only looked up. A
    clause (by its tokens) is segmented once, and its formulations, frames and parallel
    frames are keyed once; a batch then gathers the keys of the clauses it holds. A
    sentence keeps its own small keys (heading shape, clause heads). Past
    :data:`CACHE_SENTENCES` sentences the store is emptied before the next batch."""

    def __init__(self) -> None:
        self.vocab = _VOCAB
        self.sentences: dict[str, int] = {}
        self.sentence_clauses = _Pool(clause=np.int32)
        self.sentence_small = _Pool(key=np.uint64)
        self.clause_ids: dict[str, int] = {}  # a clause's text → its id
        self._by_tokens: dict[bytes, int] = {}  # a clause's tokens → its id
        self.tokens = _Pool(id=np.int32)
        self.grams = _Pool(key=np.uint64)
        self.frames = _Pool(key=np.uint64)
        self.parallel = _Pool(key=np.uint64)
        # the (key, filler) pairs of the clauses and sentences keyed since the last batch took them:
        # a clause's pairs are the same wherever it occurs, so they are counted once, when it is new
        self.fresh_frames: list[tuple[U64, U64]] = []
        self.fresh_small: list[tuple[U64, U64]] = []
        self.head: I64 = np.zeros(0, np.int64)  # a clause's first token
        self.commas: I64 = np.zeros(0, np.int64)  # how many 、 a clause has
        self.read = np.zeros(0, bool)  # a clause whose frames' fillings were recovered

    def occurrences(self, docs: list[tuple[int, str]], cut: Callable[[str], list[str]]) -> tuple[I64, I64]:
        """The sentences of the documents, in order, and for each its document."""
        cache = self.sentences
        sids: list[int] = []
        per_doc: list[int] = []
        new: list[str] = []
        sentences = _SENTENCE.findall
        for _, text in docs:
            # one line break between paragraphs, whichever the file had; a heading line's sentences marked
            text = _HEADING_LINE.sub(_mark_heading, "\n" + "\n".join(text.splitlines()))
            found = sentences(text)
            got = list(map(cache.get, found))
            if None in got:
                for k in compress(range(len(got)), map(is_, got, repeat(None))):
                    sid = cache.get(found[k])
                    if sid is None:
                        sid = cache[found[k]] = len(self.sentence_clauses.size) + len(new)
                        new.append(found[k])
                    got[k] = sid
            sids += got  # type: ignore[arg-type]  # none is None any more
            per_doc.append(len(got))
        if new:
            self._add_sentences(new, cut)
        return np.array(sids, np.int64), np.repeat(np.array([d for d, _ in docs], np.int64), per_doc)

    def _add_sentences(self, sentences: list[str], cut: Callable[[str], list[str]]) -> None:
        """Splits new sentences into clauses (segmenting the new clauses) and keys their own
        small keys; a sentence of a heading line starts with :data:`_HEADING_MARK`."""
        count = len(sentences)
        heading = np.fromiter(map(methodcaller("startswith", _HEADING_MARK), sentences), bool, count)
        text = _ENUM_LINES.sub("\n", "".join("\n" + s.lstrip(_HEADING_MARK).strip() for s in sentences))[1:]
        # all the sentences split at once: clause texts at even places, and at odd ones what parted
        # them, a line break (the sentence ends) or None (the next clause of the sentence)
        pieces = _CLAUSE_OR_LINE.split(text)
        stripped = list(map(str.strip, pieces[0::2]))
        ends = np.fromiter(map(bool, pieces[1::2]), bool, len(stripped) - 1)
        kept = np.fromiter(map(bool, stripped), bool, len(stripped))
        owner = np.r_[0, np.cumsum(ends)][kept]  # each clause's sentence
        texts = list(compress(stripped, kept))
        ids = self.clause_ids
        cids = list(map(ids.get, texts))
        if None in cids:
            fresh = list(dict.fromkeys(texts[k] for k in compress(range(len(cids)), map(is_, cids, repeat(None)))))
            for t, cid in zip(fresh, self._add_clauses(fresh, cut), strict=True):
                ids[t] = cid
            cids = list(map(ids.__getitem__, texts))
        clauses = np.bincount(owner, minlength=count)
        clause = np.array(cids, np.int64)
        self.sentence_clauses.add(count, owner, clause=clause)
        first_clause = np.cumsum(clauses) - clauses
        place = np.arange(len(clause)) - first_clause[owner]
        owners: list[npt.NDArray[Any]] = []
        keys: list[npt.NDArray[Any]] = []
        fillers: list[npt.NDArray[Any]] = []
        # a digest of the sentence's wording stands for its filling (the same wording with other
        # figures is another filling): of its clauses' texts, in order
        crc = np.fromiter(map(zlib.crc32, map(str.encode, texts)), np.uint64, len(texts))
        wording = _sums(crc * _powers(int(clauses.max(initial=0)) + 1)[0][place], first_clause, clauses)
        wording = (wording * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
        # sentence frames: 2–4 clauses, each opening with a word of 2 characters or more; the key
        # is made of the words' hashes, its text only written for a key not seen before
        vocab = self.vocab
        head = self.head[clause]
        bad = np.bincount(owner, weights=(head == 0) | (vocab.length[head] < 2), minlength=count) > 0
        opened = np.flatnonzero((clauses >= 2) & (clauses <= 4) & ~bad)
        frame = _sums(vocab.hash[head] * _powers(4)[0][np.minimum(place, 3)], first_clause, clauses)
        frame = tagged(frame[opened] * np.uint64(0x9E3779B97F4A7C15), np.full(len(opened), SENTENCE))
        unique, first = np.unique(frame, return_index=True)
        heads = head.astype(np.int32)
        for key, s in zip(unique.tolist(), opened[first].tolist(), strict=True):
            if key not in _TEXTS:  # its words' ids: the text is written when it is sent
                at = first_clause[s]
                _TEXTS[key] = heads[at:at + clauses[s]].tobytes()
        owners.append(opened)
        keys.append(frame)
        fillers.append(wording[opened])
        # heading shapes ({…}、{…}，{…}): how many 、 each clause has
        commas = self.commas[clause]
        alone = np.zeros(count, bool)  # a sentence of one clause with 、 in it
        alone[clauses == 1] = commas[first_clause[clauses == 1]] > 0
        shaped = np.flatnonzero(heading & ((clauses > 1) | alone))
        if len(shaped):
            listed = commas.tolist()
            shapes = [_heading_shape(tuple(listed[a:a + n])) for a, n in
                      zip(first_clause[shaped].tolist(), clauses[shaped].tolist(), strict=True)]
            owners.append(shaped)
            keys.append(np.array(shapes, np.uint64))
            fillers.append(wording[shaped])
        who = np.concatenate(owners)
        order = np.argsort(who, kind="stable")
        self.sentence_small.add(count, who[order], key=np.concatenate(keys)[order])
        self.fresh_small.append((np.concatenate(keys), np.concatenate(fillers)))

    def _add_clauses(self, texts: list[str], cut: Callable[[str], list[str]]) -> list[int]:
        """Ids of new clause texts: segmented all at once; a clause whose tokens are those
        of one seen before gets its id, another is keyed (:meth:`_key_clauses`)."""
        codes = self.vocab.raw_codes(cut(mask_text("\n".join(texts))))
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
        owner = np.cumsum(codes == _END)[token]
        ids = codes[token].astype(np.int32)
        ends = np.cumsum(np.bincount(owner, minlength=len(texts)))
        out: list[int] = []
        fresh: list[tuple[int, int]] = []
        by_tokens = self._by_tokens
        for a, b in zip(np.r_[0, ends[:-1]].tolist(), ends.tolist(), strict=True):
            tokens = ids[a:b].tobytes()
            cid = by_tokens.get(tokens)
            if cid is None:
                cid = by_tokens[tokens] = len(self.head) + len(fresh)
                fresh.append((a, b))
            out.append(cid)
        if fresh:
            self._key_clauses(np.concatenate([ids[a:b] for a, b in fresh]),
                              np.array([b - a for a, b in fresh], np.int64))
        return out

    def _key_clauses(self, ids: npt.NDArray[np.int32], size: I64) -> None:
        """Keys of new clauses (their tokens one after another): formulations, frames,
        parallel frames; their first token and how many 、 they have."""
        count = len(size)
        owner = np.repeat(np.arange(count), size)
        starts = np.cumsum(size) - size
        self.tokens.add(count, owner, id=ids)
        self.head = np.r_[self.head, ids[starts]]
        comma = self.vocab.ids.get("、", -1)
        self.commas = np.r_[self.commas, np.bincount(owner[ids == comma], minlength=count)]
        stream = _Stream(ids, np.isin(np.arange(len(ids)), starts))
        i, e = stream.grams()
        self.grams.add(count, stream.clause[i], key=tagged(stream.hash(i, e), stream.off[e] - stream.off[i]))
        c0, s, t, c1 = stream.frames()
        skeleton, filler, length = stream.frame_keys(c0, s, t, c1)
        skeleton = tagged(skeleton, length)
        order = np.argsort(stream.clause[s], kind="stable")
        self.frames.add(count, stream.clause[s][order], key=skeleton[order])
        self.fresh_frames.append((skeleton, filler >> np.uint64(32)))
        # parallel frames: clauses with 、 in them
        words = self.vocab.tokens
        owners: list[int] = []
        pairs: list[tuple[int, int]] = []
        for c in np.flatnonzero(self.commas[len(self.commas) - count:]).tolist():
            clause_words = [words[t] for t in ids[starts[c]:starts[c] + size[c]].tolist()]
            for skeleton_text, filling in parallel_frames(_core(clause_words)):
                code = zlib.crc32(filling.encode())
                _FILLINGS[code] = filling
                owners.append(c)
                pairs.append((self._key(skeleton_text, PARALLEL), code))
        table = np.array(pairs, np.uint64).reshape(-1, 2)
        self.parallel.add(count, np.array(owners, np.int64), key=table[:, 0])
        self.fresh_small.append((table[:, 0], table[:, 1]))

    def _key(self, text: str, kind: int) -> int:
        key = _small_key(text, kind)
        _TEXTS.setdefault(key, text)
        return key

    def unread(self, cids: I64) -> npt.NDArray[np.bool_]:
        """Which of the clauses were not read yet for recovery (:data:`read`)."""
        if len(self.read) < len(self.head):
            self.read = np.r_[self.read, np.zeros(len(self.head) - len(self.read), bool)]
        return ~self.read[cids]

    def take_fresh(self) -> tuple[tuple[U64, U64], tuple[U64, U64]]:
        """The (key, filler) pairs of frames and of small keys keyed since the last call."""
        def joined(pairs: list[tuple[U64, U64]]) -> tuple[U64, U64]:
            return (np.concatenate([k for k, _ in pairs]), np.concatenate([f for _, f in pairs])) if pairs \
                else (np.zeros(0, np.uint64), np.zeros(0, np.uint64))

        out = joined(self.fresh_frames), joined(self.fresh_small)
        self.fresh_frames, self.fresh_small = [], []
        return out

    def clauses_of(self, sids: I64) -> tuple[I64, I64]:
        """The clauses of a run of sentences, and for each which sentence of the run it is in."""
        at, which = self.sentence_clauses.rows(sids)
        return self.sentence_clauses["clause"][at].astype(np.int64), which


_VOCAB = _Vocab()
_STORE: list[_Store] = []  # this process's store, made when first needed
CACHE_SENTENCES = 100_000
CACHE_KEYS = 1_000_000
# per process: small key → its text, a parallel frame's filler → its text (pruned with the tables)
_TEXTS: dict[int, str | bytes] = {}  # bytes: a sentence frame's words (token ids)
_FILLINGS: dict[int, str] = {}


def tokens(clause: str, cut: Callable[[str], list[str]]) -> list[str]:
    """The tokens a clause is counted as: masks, numbers and place names are :data:`SLOT`."""
    store = _Store()
    at, _ = store.tokens.rows(np.array(store._add_clauses([clause], cut), np.int64))
    return [_VOCAB.tokens[t] for t in store.tokens["id"][at].tolist()]


def start() -> None:
    """Empties this process's store before a mining run: a clause's (frame, filler) pairs
    are counted when it is new to the store, so a store left from another run would
    leave them out."""
    _STORE[:] = []
    _TEXTS.clear()
    _FILLINGS.clear()


def _store() -> _Store:
    """This process's store, emptied once it holds :data:`CACHE_SENTENCES` sentences or
    :data:`CACHE_KEYS` keys (of long clauses: a report without punctuation)."""
    if not _STORE or len(_STORE[0].sentences) > CACHE_SENTENCES \
            or _STORE[0].grams.used + _STORE[0].frames.used > CACHE_KEYS:
        _STORE[:] = [_Store()]
    return _STORE[0]


def _text(key: int) -> str:
    """A small key's text; a sentence frame's is written from its clause heads' token ids
    the first time it is asked for (each run hands all its small keys' texts on)."""
    text = _TEXTS[key]
    if isinstance(text, bytes):
        text = _TEXTS[key] = "，".join(f"{_VOCAB.tokens[h]}{SLOT}" for h in np.frombuffer(text, np.int32).tolist())
    return text


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
_SHAPES: dict[tuple[int, ...], tuple[int, str]] = {}  # a heading shape's key and text, by its 、 a clause


def _heading_shape(commas: tuple[int, ...]) -> int:
    """The key of a heading shape: its clauses, each with this many 、."""
    found = _SHAPES.get(commas)
    if found is None:
        shape = "，".join(SLOT + ("、" + SLOT) * c for c in commas)
        found = _SHAPES[commas] = (_small_key(shape, HEADING), shape)
    _TEXTS.setdefault(*found)  # again, when pruning took it
    return found[0]


def _sums(values: U64, starts: I64, sizes: I64) -> U64:
    """Sums (wrapping) of consecutive groups of ``values``: group k is ``sizes[k]`` values
    from ``starts[k]``; an empty one sums to 0."""
    out = np.zeros(len(sizes), np.uint64)
    some = sizes > 0
    if len(values):
        out[some] = np.add.reduceat(values, starts[some])
    return out


class _Stream:
    """Tokens one after another (of clauses, where ``begins``), as arrays of token ids and
    flags, with their characters' offsets and hashes."""

    def __init__(self, ids: npt.NDArray[np.int32], begins: npt.NDArray[np.bool_]) -> None:
        self.ids = ids
        self.off = np.r_[0, np.cumsum(_VOCAB.length[ids])].astype(np.int64)
        self.clause = np.cumsum(begins) - 1
        self.clause_end = np.r_[np.flatnonzero(begins)[1:], len(ids)].astype(np.int64)
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


PIECE_CHARS = 50_000  # a longer report (a compilation of many) is counted piece by piece


def _parts(docs: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """The documents counted at once, then each piece of a document longer than
    :data:`PIECE_CHARS` (see :func:`split`). Memory stays bounded whatever one file holds."""
    short = [(i, t) for i, t in docs if len(t) <= PIECE_CHARS]
    if short:
        yield short
    for index, text in docs:
        if len(text) > PIECE_CHARS:
            for piece in split(text, PIECE_CHARS):
                yield [(index, piece)]


def split(text: str, size: int) -> Iterator[str]:
    """``text`` in consecutive pieces of at most ``size`` characters, each cut after a line
    break (inside a line longer than that only where there is none)."""
    start = 0
    while start < len(text):
        end = text.rfind("\n", start, start + size) + 1 if start + size < len(text) else len(text)
        if end <= start:  # a line longer than a piece
            end = start + size
        yield text[start:end]
        start = end


def count_batch(batch: list[tuple[int, Source]], cut: Callable[[str], list[str]], cap: int = 1_000_000) -> Counts:
    """Counts of one batch of documents (run in a worker process or inline): the keys of
    the clauses it holds, each with its document."""
    docs = [(index, read_text(source)) for index, source in batch]
    short = [(i, t) for i, t in docs if len(t) <= PIECE_CHARS]
    parts = [_count_part(short, cut)] if short else []
    parts += [count_long(i, t, cut, cap) for i, t in docs if len(t) > PIECE_CHARS]
    if len(parts) == 1:
        counts = parts[0]
    else:
        counts = Counts()
        for counted in parts:
            counts.merge(counted, cap)
        counts.flush(cap)
    counts.documents, counts.bytes = len(batch), sum(s.size for _, s in batch)
    return counts


def count_long(index: int, text: str, cut: Callable[[str], list[str]], cap: int) -> Counts:
    """Counts of a long document (or of a portion of one), piece by piece: each key it holds
    is in one document."""
    counts = Counts()
    for part in _parts([(index, text)]):
        counts.merge(_count_part(part, cut), cap)
    counts.flush(cap)
    counts.one_document()
    return counts


def _count_part(docs: list[tuple[int, str]], cut: Callable[[str], list[str]]) -> Counts:
    counts = Counts()
    store = _store()
    sids, doc_of = store.occurrences(docs, cut)
    cids, which = store.clauses_of(sids)
    clause_doc = doc_of[which]
    at, which = store.grams.rows(cids)
    counts.grams = Table.of(store.grams["key"][at], clause_doc[which])
    at, which = store.frames.rows(cids)
    frames = Table.of(store.frames["key"][at], clause_doc[which])
    at, which = store.parallel.rows(cids)
    mine, whose = store.sentence_small.rows(sids)
    small = Table.of(np.r_[store.parallel["key"][at], store.sentence_small["key"][mine]],
                     np.r_[clause_doc[which], doc_of[whose]])
    (frame_keys, frame_fillers), (small_keys, small_fillers) = store.take_fresh()
    counts.frames = Filled.of(frames, frame_keys, frame_fillers)
    counts.small = Filled.of(small, small_keys, small_fillers)
    return counts


@dataclass
class Recovered:
    """Texts of wanted keys: formulation → its tokens; frame → its fixed tokens and fillings."""

    grams: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    frames: dict[int, tuple[str, list[str], set[str]]] = field(default_factory=dict)

    def update(self, other: Recovered) -> None:
        for key, value in other.grams.items():
            self.grams.setdefault(key, value)
        for key, (text, fixed, fills) in other.frames.items():
            self.frames.setdefault(key, (text, fixed, set()))[2].update(fills)


def recover(docs: list[tuple[int, str]], cut: Callable[[str], list[str]], grams: U64, frames: U64) -> Recovered:
    """The text of the wanted keys seen in ``docs`` (the documents, or a portion of one,
    where they were first seen)."""
    out = Recovered()
    for part in _parts(docs):
        found = _recover_part(part, cut, grams, frames, out)
        if len(found):  # a formulation's text is read once; a frame's fillings in every part
            grams = grams[~np.isin(grams, found)]
    for key, (text, fixed, fills) in out.frames.items():  # the fillings listed are the first in order
        if len(fills) > KEEP_FILLERS:
            out.frames[key] = (text, fixed, set(sorted(fills)[:KEEP_FILLERS]))
    return out


def _recover_part(docs: list[tuple[int, str]], cut: Callable[[str], list[str]], grams: U64, frames: U64,
                  out: Recovered) -> U64:
    """Adds to ``out`` the texts of the wanted keys in ``docs`` (a frame keeps the text it was
    first found with, and gathers fillings); returns the formulations' keys found."""
    store = _store()
    cids = np.unique(store.clauses_of(store.occurrences(docs, cut)[0])[0])
    store.take_fresh()  # nothing is counted here
    # a key's text is the same wherever it occurs: only the distinct clauses holding one are read,
    # and for frames only those not read before (their fillings have gone with what was recovered)
    held = np.zeros(len(cids), bool)
    rows, which = store.grams.rows(cids)
    held[which[_among(store.grams["key"][rows], grams)]] = True
    unread = np.flatnonzero(store.unread(cids))
    rows, which = store.frames.rows(cids[unread])
    framed = np.zeros(len(cids), bool)
    framed[unread[which[_among(store.frames["key"][rows], frames)]]] = True
    store.read[cids[framed]] = True
    held |= framed
    framed, cids = framed[held], cids[held]
    at, which = store.tokens.rows(cids)
    tok = _Stream(store.tokens["id"][at], np.r_[True, which[1:] != which[:-1]] if len(which) else np.zeros(0, bool))
    words = [_VOCAB.tokens[t] for t in tok.ids.tolist()]
    i, e = tok.grams()
    keys = tagged(tok.hash(i, e), tok.off[e] - tok.off[i])
    wanted = np.flatnonzero(_among(keys, grams))
    _, first = np.unique(keys[wanted], return_index=True)  # one occurrence per key is enough
    at = wanted[first]
    for key, a, b in zip(keys[at].tolist(), i[at].tolist(), e[at].tolist(), strict=True):
        out.grams[key] = ("".join(words[a:b]), words[a:b])
    read = keys[at]
    c0, s, t, c1 = tok.frames()
    skeleton, filler, length = tok.frame_keys(c0, s, t, c1)
    skeleton = tagged(skeleton, length)
    wanted = np.flatnonzero(_among(skeleton, frames) & framed[tok.clause[c0]])
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
    return read


def dated(batch: list[tuple[int, Source]], cut: Callable[[str], list[str]], wanted: U64) -> Dated:
    """For the reports of ``batch`` whose year is known: how many there are of each year,
    and how many of them hold each of the ``wanted`` keys (sorted) — found as counting
    finds them, so that a key's reports over the years add up to its df among them."""
    out = Dated()
    docs: list[tuple[int, str]] = []  # the reports read whole, looked through together
    indices: list[int] = []  # the dated reports, in order, as the batch is
    years: list[int] = []
    # (report, key) pairs, a report's place among the dated ones times the number of keys plus
    # the key's place among them: a key once per report, though several of its clauses hold it;
    # made distinct part by part, so that they stay as few as the reports and keys
    pairs = np.zeros(0, np.int64)

    def add(held: tuple[U64, I64]) -> None:
        nonlocal pairs
        keys, doc = held
        place = np.searchsorted(np.array(indices, np.int64), doc)
        pairs = np.unique(np.r_[pairs, place * len(wanted) + np.searchsorted(wanted, keys)])

    for index, source in batch:
        for k, text in enumerate(texts(source)):  # a long report a portion at a time
            if k == 0:
                found = year_of(source, text)
                if found is None:
                    break
                out.reports[found] = out.reports.get(found, 0) + 1
                indices.append(index)
                years.append(found)
            if portions(source) == 1:
                docs.append((index, text))
            else:
                for part in _parts([(index, text)]):
                    add(_held(part, cut, wanted))
    for part in _parts(docs):
        add(_held(part, cut, wanted))
    if not len(pairs):
        return out
    year = np.array(years, np.int64)[pairs // len(wanted)]
    # then (key, year) pairs: years lie between 1950 and 2099
    uses, counts = np.unique((pairs % len(wanted)) * 256 + (year - 1950), return_counts=True)
    for use, n in zip(uses.tolist(), counts.tolist(), strict=True):
        out.uses.setdefault(int(wanted[use // 256]), {})[use % 256 + 1950] = n
    return out


def _held(docs: list[tuple[int, str]], cut: Callable[[str], list[str]], wanted: U64) -> tuple[U64, I64]:
    """Each (wanted key, document) where a clause or sentence of the document holds it."""
    store = _store()
    sids, doc_of = store.occurrences(docs, cut)
    store.take_fresh()  # nothing is counted here
    cids, which = store.clauses_of(sids)
    clause_doc = doc_of[which]
    keys: list[U64] = []
    owners: list[I64] = []
    for pool, runs, run_doc in ((store.grams, cids, clause_doc), (store.frames, cids, clause_doc),
                                (store.parallel, cids, clause_doc), (store.sentence_small, sids, doc_of)):
        rows, whose = pool.rows(runs)
        key = pool["key"][rows]
        hit = _among(key, wanted)
        keys.append(key[hit])
        owners.append(run_doc[whose[hit]])
    return np.concatenate(keys), np.concatenate(owners)


def _among(keys: U64, wanted: U64) -> npt.NDArray[np.bool_]:
    """Which of ``keys`` are in ``wanted`` (sorted, a few thousand): a table of their top
    bits first, so that only the few keys that pass it are looked up."""
    out = np.zeros(len(keys), bool)
    if not len(wanted) or not len(keys):
        return out
    bits = np.zeros(1 << 20, bool)
    bits[(wanted >> np.uint64(44)).astype(np.intp)] = True
    maybe = np.flatnonzero(bits[(keys >> np.uint64(44)).astype(np.intp)])
    at = np.minimum(np.searchsorted(wanted, keys[maybe]), len(wanted) - 1)
    out[maybe] = wanted[at] == keys[maybe]
    return out
