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

import gc
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from draftgen.curate.mining import count as counting
from draftgen.curate.mining import store, years
from draftgen.curate.mining.background import background
from draftgen.curate.mining.count import Recovered
from draftgen.curate.mining.ranking import Candidate, _examples, _ranked, _wanted
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
    unreadable,
    with_kept,
)
from draftgen.curate.mining.tables import Counts
from draftgen.curate.mining.years import Dated
from draftgen.text.segment import segmenter

BATCH_BYTES = 512_000
BATCH_DOCUMENTS = 256  # a batch's documents are numbered in 8 bits while it is counted


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
    store.start()
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
