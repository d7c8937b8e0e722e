"""The count tables of mining: per key its count, document frequency, the first document it
was seen in and its length (:class:`Table`); frames with a few of their fillings
(:class:`Filled`); and what one batch or the whole corpus counted (:class:`Counts`), combined
across batches and processes and pruned to a cap."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from draftgen.curate.mining.store import (
    _DOC_BITS,
    _FILLINGS,
    _TEXTS,
    I32,
    I64,
    KEEP_FILLERS,
    PARALLEL,
    U8,
    U64,
    _text,
    forget_texts,
    small_kind,
    tag_of,
)


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
            forget_texts(set(self.small.table.keys.tolist()))

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


