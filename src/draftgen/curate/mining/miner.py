"""Mining candidate phrase-bank entries from a county's archive of reports.

Three kinds of candidates, each with its document frequency (df), count and
two or three example contexts, ranked for a curator to review:

- formulations: token n-grams inside a clause that recur across documents
  (slogans, runs of 四字格, set phrases) — maximal spans only: a piece that is
  (nearly) always part of a longer recurring one, or overlaps it, is dropped;
- frames: recurring skeletons whose content varies (``在{…}上实现新突破``,
  ``聚焦{…}，推进{…}，提升{…}``): clauses with one span masked, and sentences
  whose clauses follow such frames; formulations that are fillings of a listed
  frame (``加大投入力度`` under ``加大{…}力度``) are grouped under it;
- heading patterns: the shapes of numbered headings (``{…}、{…}，{…}``).

Ranking weighs recurrence against general language (:mod:`background`): a
formulation made of words everyone writes (``产业发展``) ranks below one made of
the domain's own words (``人居环境整治``).

Two passes. The first counts keys (hashes of the wording, :mod:`count`) batch
by batch, in ``jobs`` processes; the tables are pruned when they pass a cap, so
memory stays bounded however large the corpus. The second reads again only the
documents where the few thousand best keys were first seen, to get their text.
With ``by_year``, a third pass in the workers counts, for the keys listed, the
reports of each year that hold them (:mod:`years`).
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from draftgen.curate.mining import count as counting
from draftgen.curate.mining import years
from draftgen.curate.mining.background import background
from draftgen.curate.mining.count import Counts, Recovered
from draftgen.curate.mining.sources import (
    Kept,
    Source,
    is_long,
    keep_texts,
    kept_texts,
    portions,
    read_portion,
    read_text,
    skipped_files,
    texts,
    unreadable,
    with_kept,
)
from draftgen.curate.mining.years import Dated
from draftgen.text.segment import SLOT, segmenter

BATCH_BYTES = 512_000
BATCH_DOCUMENTS = 256  # a batch's documents are numbered in 8 bits while it is counted


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


@dataclass
class MineResult:
    candidates: list[Candidate]
    documents: int
    bytes: int
    segmenter: str
    reports_by_year: dict[int, int] = field(default_factory=dict)
    skipped: dict[Path, str] = field(default_factory=dict)  # files that could not be read: why


_CUT: list[Callable[[str], list[str]]] = []


def _init(prefer_fast: bool, kept: Path | None, worker: bool = False) -> None:
    if worker:
        import signal

        # a worker writes only to the run's temporary folder, which the main process removes:
        # when the pool ends it with SIGTERM it just goes, whatever handler it inherited (the
        # CLI's turns SIGTERM into KeyboardInterrupt, to unwind)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        gc.disable()  # see _no_collection
    _CUT[:] = [segmenter(prefer_fast)[1]]  # segmenter() is cached: loading happens once per process
    counting.start()
    if kept is not None:
        keep_texts(kept)


Counted = tuple[int | None, Counts, list[tuple[Path, Kept]], list[tuple[Path, str]]]


def _count(job: tuple[Any, ...]) -> Counted:
    """A run of consecutive batches, counted and combined where it runs (only the combined
    tables cross to the main process); or a portion of one long document, with its index.
    With them, where the Word files read were kept (for the passes after), and the files
    that could not be read (counted as empty), with why."""
    total = Counts(process_total=True)
    if job[0] == "portion":
        _, index, source, k, n, cap = job
        text, total.bytes = read_portion(source, k, n)
        total.merge(counting.count_long(index, text, _CUT[0], cap), cap)
    else:
        _, batches, cap = job
        for batch in batches:
            total.merge(counting.count_batch(batch, _CUT[0], cap), cap)
        index = None
    total.flush(cap)
    return index, total.with_texts(), kept_texts(), skipped_files()


def _recover(job: tuple[Any, ...]) -> Recovered:
    """The texts of wanted keys in a batch of documents, or in a portion of a long one."""
    if job[0] == "portion":
        _, index, source, k, n, grams, frames = job
        docs = [(index, read_portion(source, k, n)[0])]
    else:
        _, batch, grams, frames = job
        docs = [(index, read_text(source)) for index, source in batch]
    return counting.recover(docs, _CUT[0], grams, frames)


def _dated(job: tuple[list[tuple[int, Source]], Any]) -> Dated:
    return counting.dated(job[0], _CUT[0], job[1])


@contextmanager
def _workers(jobs: int, prefer_fast: bool) -> Iterator[Any]:
    """A pool of ``jobs`` processes (None when 1: everything runs in this one), which keep
    the text of the Word files they read in a temporary folder, removed at the end."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="draftgen-mine-") as folder:
        keep_texts(Path(folder))  # for this process's own reading (examples)
        try:
            if jobs <= 1:
                _init(prefer_fast, None)
                yield None
                return
            import multiprocessing

            # each worker loads the dictionary itself, at the same time as the others: the main
            # process, which only combines tables, stays small
            context = multiprocessing.get_context()
            with context.Pool(jobs, _init, (prefer_fast, Path(folder), True)) as pool:
                yield pool
        finally:
            keep_texts(None)


RUN_BYTES = 16_000_000


def _count_all(pool: Any, items: list[tuple[int, Source]], jobs: int, cap: int,
               progress: Callable[[int], None] | None) -> tuple[Counts, dict[Path, Kept], dict[Path, str]]:
    """Counts of all documents, in this process batch by batch or in the workers a run of
    consecutive batches at a time (three runs a worker, the last in halves on a long list, so
    that they finish together and progress shows, more past :data:`RUN_BYTES` a run; few runs,
    because the main process combines what each hands back while the workers count). A file larger than
    :data:`sources.LONG_BYTES` is counted a portion at a time (a portion in each worker),
    and the portions are added up here as one document. With the counts, where each Word
    file's text was kept, and the files left out (they could not be read), with why."""
    # a long file that cannot be read is left out before any portion of it is counted
    skipped = {source.path: why for _, source in items if is_long(source)
               if (why := unreadable(source, portions(source, jobs))) is not None}
    if progress and skipped:
        progress(sum(source.size for _, source in items if source.path in skipped))
    batches = _batches([item for item in items if not is_long(item[1])])
    size = sum(s.size for batch in batches for _, s in batch)
    runs = len(batches) if pool is None else min(len(batches), max(jobs * 3, math.ceil(size / RUN_BYTES)))
    # as many batches in each run, give or take one; in the workers the last runs are halves, so
    # that they end close together (the others' runs take longer or shorter, with what is new to them)
    weights = [1] * runs
    if pool is not None and runs >= 2 * jobs and len(batches) >= 4 * (runs + jobs):  # two batches a half at least
        weights = [2] * (runs - jobs) + [1] * (2 * jobs)
    edges = [len(batches) * w // sum(weights) for w in itertools.accumulate(weights, initial=0)] if runs else []
    tasks = itertools.chain((("run", batches[a:b], cap) for a, b in itertools.pairwise(edges)),
                            (("portion", *portion, cap) for index, source in items
                             if is_long(source) and source.path not in skipped
                             for portion in _portions(index, source, jobs)))
    if pool is None:
        results: Iterator[Counted] = map(_count, tasks)
    else:
        results = pool.imap(_count, tasks)
        background()  # loaded here while the workers count: the ranking needs it afterwards
    total = Counts()
    kept: dict[Path, Kept] = {}
    sizes = {source.path: source.size for _, source in items}
    document: tuple[int, Counts] | None = None  # the long document whose portions are coming in
    for index, counts, places, unread in results:
        for path, place in places:
            kept.setdefault(path, place)  # a long one is kept by each process that counted a portion
        if progress:
            progress(counts.bytes)
        if document and document[0] != index:
            _add_document(total, document[1], cap, items[document[0]][1].path in skipped)
            document = None
        for path, why in unread:
            if path not in skipped:
                skipped[path] = why
                if index is None:  # counted in its batch as an empty report: not one
                    counts.documents -= 1
                    counts.bytes -= sizes[path]
        if index is None:
            total.merge(counts, cap)
        else:
            document = document or (index, Counts())
            document[1].merge(counts, cap)
    if document:
        _add_document(total, document[1], cap, items[document[0]][1].path in skipped)
    total.flush(cap)
    return total, kept, skipped


def _rereads(items: list[tuple[int, Source]], grams: Any, gram_first: Any, frames: Any,
             jobs: int) -> Iterator[tuple[Any, ...]]:
    """Recovery tasks, in the documents' order: batches of documents (each formulation sought
    where it was first seen), and the portions of a long one."""
    def batches(run: list[tuple[int, Source]]) -> Iterator[tuple[Any, ...]]:
        for batch in _batches(run, max(1, jobs)):
            yield "batch", batch, grams[np.isin(gram_first, [i for i, _ in batch])], frames

    run: list[tuple[int, Source]] = []
    for index, source in items:
        if not is_long(source):
            run.append((index, source))
            continue
        yield from batches(run)
        run = []
        for portion in _portions(index, source, jobs):
            yield "portion", *portion, grams[gram_first == index], frames
    yield from batches(run)


def _portions(index: int, source: Source, jobs: int) -> Iterator[tuple[int, Source, int, int]]:
    """A long document's portions (k of n, see :func:`sources.read_portion`): one for each worker at least."""
    n = portions(source, jobs)
    for k in range(n):
        yield index, source, k, n


def _add_document(total: Counts, counts: Counts, cap: int, unread: bool = False) -> None:
    """A long document's portions, added up, as one document (none, when a portion of it
    could not be read)."""
    if unread:
        return
    counts.flush(cap)
    counts.one_document()
    counts.documents = 1
    total.merge(counts, cap)


def _batches(items: list[tuple[int, Source]], parts: int = 1) -> list[list[tuple[int, Source]]]:
    """Consecutive documents in batches of about :data:`BATCH_BYTES`, or smaller so that
    there are at least ``parts`` batches (to keep every worker busy on a short list); the
    numbers of a batch's documents lie less than :data:`BATCH_DOCUMENTS` apart (a long
    file between them, counted apart, leaves a gap)."""
    limit = min(BATCH_BYTES, sum(s.size for _, s in items) // parts + 1)
    out: list[list[tuple[int, Source]]] = [[]]
    size = 0
    for item in items:
        if size >= limit or (out[-1] and item[0] - out[-1][0][0] >= BATCH_DOCUMENTS):
            out.append([])
            size = 0
        out[-1].append(item)
        size += item[1].size
    return [b for b in out if b]


def mine(sources: list[Source], *, min_docs: int = 2, min_count: int = 3, limit: int = 300,
         known: Iterable[str] = (), prefer_fast: bool = True, cap: int = 1_000_000, jobs: int = 1,
         by_year: bool = False, progress: Callable[[int], None] | None = None) -> MineResult:
    """Candidates from the reports in ``sources`` (see the module docstring). With
    ``by_year``, a third pass over the reports whose year is known tells for each
    candidate how many reports of each year use it, and whether that rises or falls."""
    with _no_collection():
        return _mine(sources, min_docs, min_count, limit, known, prefer_fast, cap, jobs, by_year, progress)


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection while mining: it makes millions of small objects that
    hold no cycles, and the collector would walk them again and again (a tenth of the time
    on a small archive). The workers run without it too."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _mine(sources: list[Source], min_docs: int, min_count: int, limit: int, known: Iterable[str],
          prefer_fast: bool, cap: int, jobs: int, by_year: bool,
          progress: Callable[[int], None] | None) -> MineResult:
    name = segmenter(prefer_fast)[0] if jobs <= 1 else _segmenter_name(prefer_fast)
    indexed = list(enumerate(sources))
    with _workers(jobs, prefer_fast) as pool:
        run: Callable[..., Iterator[Any]] = map if pool is None else pool.imap
        total, kept, unread = _count_all(pool, indexed, jobs, cap, progress)
        skipped = {s.path: unread[s.path] for _, s in indexed if s.path in unread}  # in the files' order
        # from here on a Word file's text is read where it was kept, whichever process reads it
        indexed = [(index, with_kept(source, kept)) for index, source in indexed]
        grams, frames, small, fillers = _wanted(total, min_docs, min_count, limit)
        # a formulation's text is read where it was first seen; a frame's fillings in all those documents
        chosen = np.isin(total.grams.keys, grams)
        grams, gram_first = total.grams.keys[chosen], total.grams.first[chosen]  # keys still sorted
        firsts = sorted(set(gram_first.tolist())
                        | set(total.frames.table.first[np.isin(total.frames.table.keys, frames)].tolist()))
        found = Recovered()
        rereads = _rereads([indexed[i] for i in firsts], grams, gram_first, frames, jobs)
        for part in run(_recover, rereads):
            found.update(part)
        candidates = _ranked(total, found, small, fillers, min_docs, min_count, limit, known)
        _examples(candidates, [indexed[i][1] for i in firsts])
        result = MineResult(candidates, total.documents, total.bytes, name, skipped=skipped)
        if by_year:
            read = [(index, source) for index, source in indexed if source.path not in skipped]
            if progress:
                progress(sum(source.size for _, source in indexed if source.path in skipped))
            result.reports_by_year = _by_year(run, read, jobs, candidates, progress)
    return result


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


def _by_year(run: Callable[..., Iterator[Any]], indexed: list[tuple[int, Source]], jobs: int,
             candidates: list[Candidate], progress: Callable[[int], None] | None) -> dict[int, int]:
    """A third pass, in the workers: the reports of each year that hold each candidate's key."""
    wanted = np.unique(np.array([c.key for c in candidates if c.kind != "heading"], np.uint64))
    batches = _batches(indexed, max(1, jobs))
    dated = Dated()
    for batch, part in zip(batches, run(_dated, [(b, wanted) for b in batches]), strict=True):
        dated.update(part)
        if progress:
            progress(sum(s.size for _, s in batch))
    return years.apply(candidates, dated)


def _segmenter_name(prefer_fast: bool) -> str:
    """The segmenter the workers will load (without loading it here)."""
    import importlib.util

    return "rjieba" if prefer_fast and importlib.util.find_spec("rjieba") is not None else "jieba"


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
    heading = m.length == counting.HEADING  # a small key's tag is its kind
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
                      fillings=sorted(fills)[:counting.KEEP_FILLERS], key=key)
            for (key, (text, fixed, fills)), df, count in zip(found.frames.items(), f.df[at].tolist(),
                                                              f.count[at].tolist(), strict=True)]


def _small(total: Counts, wanted: Any, fillers: dict[int, int]) -> list[Candidate]:
    m = total.small
    fillings: dict[int, list[str]] = {}
    parallel = (counting.tag_of(m.keys) == counting.PARALLEL) & np.isin(m.keys, wanted)
    for key, filler in zip(m.keys[parallel].tolist(), m.fillers[parallel].tolist(), strict=True):
        fillings.setdefault(key, []).append(total.fillings[filler])
    out = []
    at = np.searchsorted(m.table.keys, wanted)
    for key, count, df in zip(wanted.tolist(), m.table.count[at].tolist(), m.table.df[at].tolist(), strict=True):
        text = total.texts[key]
        if counting.small_kind(key) == counting.HEADING:
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
    memory this takes does not grow with the archive, nor with one long file."""
    group: list[str] = []
    size = 0
    for text in (text for source in sources for text in texts(source)):
        for piece in counting.split(text, EXAMPLE_CHARS):
            group += (line.strip() for line in piece.splitlines())
            size += len(piece)
            if size >= EXAMPLE_CHARS:
                yield group
                group, size = [], 0
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
