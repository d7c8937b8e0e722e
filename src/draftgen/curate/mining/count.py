"""Counting the reports, pass by pass: a batch of reports into :class:`Counts` (a long one
piece by piece), the texts of the keys that can reach the list recovered by reading their
first documents again (:func:`recover`), and the reports that hold each wanted key by year
(:func:`dated`). Counting is sorting keys (:mod:`~draftgen.curate.mining.tables`); the keys
come from the sentence store (:mod:`~draftgen.curate.mining.store`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from draftgen.curate.mining.sources import Source, portions, read_text, texts
from draftgen.curate.mining.store import _VOCAB, I64, KEEP_FILLERS, U64, _store, _Stream, tagged
from draftgen.curate.mining.tables import Counts, Filled, Table
from draftgen.curate.mining.years import Dated, year_of
from draftgen.text.segment import SLOT

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
