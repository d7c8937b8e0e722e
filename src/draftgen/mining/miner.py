"""Mining candidate phrase-bank entries from a county's archive of reports.

Three kinds of candidates, each with its document frequency (df), count and
two or three example contexts, ranked for a person to review:

- formulations: token n-grams inside a clause that recur across documents
  (slogans, runs of 四字格, set phrases), kept only where no longer recurring
  n-gram says the same;
- frames: recurring skeletons whose content varies (``在{…}上实现新突破``,
  ``聚焦{…}，推进{…}，提升{…}``): clauses with one span masked, and sentences
  whose clauses follow such frames;
- heading patterns: the shapes of numbered headings (``{…}、{…}，{…}``).

Documents are streamed; the counters are pruned when they grow past a cap, so
memory stays bounded however large the corpus (rare n-grams seen once may then
be dropped: they could not have become candidates anyway unless they recur).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from draftgen.mining.segment import SLOT, segmenter, tokens
from draftgen.mining.sources import Source, documents

_SENTENCE = re.compile(r"[。！？；\n]+")
_CLAUSE = re.compile(r"[，：,:]")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")
_PUNCT = set("，。、；：！？“”‘’（）《》【】—…·,.;:!?()\"'")
_STOP_EDGE = set("的了和与及等并中是把将对也还又就而、")
MAX_N = 14
_CN = "[一二三四五六七八九十]+"
_ENUM = re.compile(rf"^(?:{_CN}[、是要]|（{_CN}）|\({_CN}\)|[0-9]+[.．、])")


@dataclass
class _Stat:
    df: int = 0
    count: int = 0
    last_doc: int = -1
    fillers: set[str] = field(default_factory=set)

    def see(self, doc: int, filler: str | None = None) -> None:
        self.count += 1
        if self.last_doc != doc:
            self.df += 1
            self.last_doc = doc
        if filler is not None and len(self.fillers) < 8:
            self.fillers.add(filler)


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

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "df": self.df, "count": self.count,
                "examples": self.examples, "status": self.status}


class _Counter:
    """Counts keys per document, pruning singletons past a cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.stats: dict[str, _Stat] = {}

    def see(self, key: str, doc: int, filler: str | None = None) -> None:
        stat = self.stats.get(key)
        if stat is None:
            stat = self.stats[key] = _Stat()
        stat.see(doc, filler)

    def prune(self) -> None:
        if len(self.stats) > self.cap:
            self.stats = {k: s for k, s in self.stats.items() if s.count > 1}


def _clauses(text: str) -> Iterable[tuple[list[str], bool]]:
    """(clauses of a sentence, is it a heading line) for each sentence."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        heading = bool(_HEADING.match(line)) and len(line) <= 45
        if heading:
            line = _HEADING.sub("", line)
        for sentence in _SENTENCE.split(line):
            sentence = _ENUM.sub("", sentence.strip())
            parts = [c.strip() for c in _CLAUSE.split(sentence)]
            parts = [c for c in parts if c]
            if parts:
                yield parts, heading


def _joined(toks: Iterable[str]) -> str:
    return "".join(toks)


def _good_gram(gram: list[str]) -> bool:
    if SLOT in gram or gram[0] in _STOP_EDGE or gram[-1] in _STOP_EDGE:
        return False
    if any(t in _PUNCT for t in (gram[0], gram[-1])):
        return False
    text = _joined(gram)
    return 4 <= len(text) <= 32 and not any(ch.isascii() and ch.isalnum() for ch in text)


def _frames_of(toks: list[str]) -> Iterable[tuple[str, str]]:
    """(skeleton, filler): the clause with one span of 1–4 tokens masked."""
    n = len(toks)
    if n < 2 or n > 14:
        return
    for i in range(n):
        for width in range(1, 5):
            j = i + width
            if j > n:
                break
            filler = toks[i:j]
            if SLOT in filler or any(t in _PUNCT for t in filler):
                continue
            fixed = [t for t in toks[:i] + toks[j:] if t != SLOT]
            fixed_text = _joined(fixed)
            internal = i > 0 and j < n
            # a slot at the edge is only a frame when much is fixed around it
            if len(fixed) < 2 or len(fixed_text) < 3 or (not internal and len(fixed) < 3):
                continue
            yield _joined([*toks[:i], SLOT, *toks[j:]]), _joined(filler)
    yield from _parallel_frames(toks)


def _parallel_frames(toks: list[str]) -> Iterable[tuple[str, str]]:
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
        if left[k] in _PUNCT or right[k] in _PUNCT:
            continue
        masked_left = [*left[:k], SLOT, *left[k + 1:]]
        masked_right = [*right[:k], SLOT, *right[k + 1:]]
        fixed = _joined(t for t in masked_left + masked_right if t != SLOT)
        if len(fixed) >= 4:
            yield f"{_joined(masked_left)}、{_joined(masked_right)}", f"{left[k]}|{right[k]}"


@dataclass
class MineResult:
    candidates: list[Candidate]
    documents: int
    bytes: int
    segmenter: str


def mine(sources: list[Source], *, min_docs: int = 2, min_count: int = 3, limit: int = 300,
         known: Iterable[str] = (), prefer_fast: bool = True, cap: int = 400_000,
         progress: Callable[[int], None] | None = None) -> MineResult:
    """Candidates from the reports in ``sources`` (see the module docstring)."""
    name, cut = segmenter(prefer_fast)
    grams = _Counter(cap)
    frames = _Counter(cap)
    shapes = _Counter(cap // 10)
    sentence_frames = _Counter(cap // 4)
    total = 0
    doc_count = 0
    tokenized: dict[str, list[str]] = {}
    for doc, (source, text) in enumerate(documents(sources)):
        doc_count += 1
        total += source.size
        for clauses, heading in _clauses(text):
            clause_tokens = []
            for clause in clauses:
                toks = tokenized.get(clause)
                if toks is None:
                    toks = tokens(clause, cut)
                    if len(tokenized) < 50_000:
                        tokenized[clause] = toks
                clause_tokens.append(toks)
                for n in range(2, min(MAX_N, len(toks)) + 1):
                    for i in range(len(toks) - n + 1):
                        gram = toks[i:i + n]
                        if _good_gram(gram):
                            grams.see(_joined(gram), doc)
                core = toks[1:] if toks and toks[0] == SLOT else toks
                core = core[:-1] if core and core[-1] == SLOT else core
                for skeleton, filler in _frames_of(core):
                    frames.see(skeleton, doc, filler)
            if heading:
                shape = _shape("，".join(clauses))
                if shape:
                    shapes.see(shape, doc, "，".join(clauses))
            if 2 <= len(clauses) <= 4:
                # sentences whose clauses open with the same words: 聚焦…，推进…，提升…
                heads = [t[0] for t in clause_tokens if t and t[0] != SLOT]
                if len(heads) == len(clauses) and all(len(h) >= 2 for h in heads):
                    skeleton = "，".join(f"{h}{SLOT}" for h in heads)
                    sentence_frames.see(skeleton, doc, "，".join(clauses))
        grams.prune()
        frames.prune()
        if progress:
            progress(source.size)
    candidates = _formulations(grams, min_docs, min_count, limit)
    candidates += _frame_candidates(frames, min_docs, min_count)
    candidates += _frame_candidates(sentence_frames, min_docs, min_count, kind="frame")
    candidates += _heading_candidates(shapes, min_count)
    _mark_known(candidates, known)
    candidates.sort(key=lambda c: (-c.score, c.text))
    candidates = _dedupe(candidates, limit)
    _examples(candidates, sources)
    return MineResult(candidates, doc_count, total, name)


def _score(df: int, count: int, length: int, fillers: int = 1) -> float:
    return df * 2 + math.log1p(count) + length / 4 + math.log1p(fillers)


def _formulations(grams: _Counter, min_docs: int, min_count: int, limit: int) -> list[Candidate]:
    # recurring across documents, or often within one long report
    kept = [(text, s) for text, s in grams.stats.items()
            if s.df >= min_docs or (s.count >= min_count and len(text) >= 4)]
    # only the best few thousand can reach the list; longest first, so that a
    # shorter n-gram can be checked against the longer ones already chosen
    kept.sort(key=lambda item: -_score(item[1].df, item[1].count, len(item[0])))
    kept = sorted(kept[:limit * 20], key=lambda item: -len(item[0]))
    inside: dict[str, _Stat] = {}  # every substring of a chosen n-gram → its best stats
    chosen: list[tuple[str, _Stat]] = []
    for text, stat in kept:
        # a shorter n-gram that only ever occurs inside a longer kept one says nothing new
        other = inside.get(text)
        if other is not None and stat.df <= other.df and stat.count <= other.count * 1.2:
            continue
        chosen.append((text, stat))
        for i in range(len(text)):
            for j in range(i + 4, len(text) + 1):
                best = inside.get(text[i:j])
                if best is None or (stat.df, stat.count) > (best.df, best.count):
                    inside[text[i:j]] = stat
    return [Candidate("formulation", text, s.df, s.count, score=_score(s.df, s.count, len(text)))
            for text, s in chosen]


def _frame_candidates(frames: _Counter, min_docs: int, min_count: int, kind: str = "frame") -> list[Candidate]:
    out = []
    for text, stat in frames.stats.items():
        if len(stat.fillers) < 2:
            continue
        if stat.df < min_docs and not (stat.count >= min_count and len(stat.fillers) >= min_count):
            continue
        fixed = text.replace(SLOT, "")
        if len(fixed) < 3:
            continue
        out.append(Candidate(kind, text, stat.df, stat.count, fillers=len(stat.fillers),
                             score=_score(stat.df, stat.count, len(fixed), len(stat.fillers)) + 1))
    return out


def _shape(heading: str) -> str:
    """``强产业、促融合，乡村振兴迈出新步伐`` → ``{…}、{…}，{…}``."""
    parts = re.split(r"([、，；])", heading)
    if len(parts) < 3:
        return ""
    return "".join(p if p in "、，；" else SLOT for p in parts)


def _heading_candidates(shapes: _Counter, min_count: int) -> list[Candidate]:
    return [Candidate("heading", text, s.df, s.count, fillers=len(s.fillers),
                      score=_score(s.df, s.count, len(text), len(s.fillers)))
            for text, s in shapes.stats.items() if s.count >= min(min_count, 2)]


def _normal(text: str) -> str:
    return re.sub(r"\{[^{}]*\}", SLOT, text)


def _mark_known(candidates: list[Candidate], known: Iterable[str]) -> None:
    bank = [_normal(t) for t in known]
    exact = set(bank)
    for cand in candidates:
        if cand.text in exact or (cand.kind == "formulation" and any(cand.text in t for t in bank)):
            cand.status = "known"


def _dedupe(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """One candidate per wording: a frame whose fixed words are all inside a better
    ranked frame seen as often (在{…}上争先进位 over {…}上争先进位) is dropped."""
    seen: set[str] = set()
    frames: list[Candidate] = []
    out = []
    for cand in candidates:
        if cand.text in seen:
            continue
        if cand.kind == "frame":
            pieces = [p for p in cand.text.split(SLOT) if p]
            if any(cand.count <= other.count and all(p in other.text for p in pieces) for other in frames):
                continue
            frames.append(cand)
        seen.add(cand.text)
        out.append(cand)
        if len(out) >= limit:
            break
    return out


def _examples(candidates: list[Candidate], sources: list[Source]) -> None:
    """Two or three contexts for each kept candidate (a second, streamed pass)."""
    for _, text in documents(sources):
        for line in text.splitlines():
            line = line.strip()
            for cand in candidates:
                if len(cand.examples) >= 3 or cand.kind == "heading":
                    continue
                hit = cand.text in line if cand.kind == "formulation" else _frame_hit(cand.text, line)
                if hit:
                    context = _context(line, cand.text)
                    if context not in cand.examples:
                        cand.examples.append(context)
        if all(len(c.examples) >= 3 or c.kind == "heading" for c in candidates):
            break


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
