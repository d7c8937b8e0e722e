"""Keys and the sentence store of mining: each span (an n-gram, a clause with one span
masked) is keyed by a 64-bit polynomial hash of its *characters*, so the same wording gets the
same key whatever the segmentation and whichever process counted it. Tokens are turned into
integer ids once per process, each with the hash of its own characters, and a span's key is a
prefix-sum difference over its tokens — no Python loop per n-gram. A sentence is split,
segmented and turned into ids once per process (the store); when it recurs (reports repeat
themselves) it is looked up."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable
from itertools import compress, repeat
from operator import is_, methodcaller
from typing import Any

import numpy as np
import numpy.typing as npt

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


def forget_texts(kept: set[int]) -> None:
    """This process's texts of the keys not in ``kept`` go, and with them the store, whose
    sentences would bring those keys back without a text."""
    for key in [k for k in _TEXTS if k not in kept]:
        del _TEXTS[key]
    _STORE[:] = []


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


