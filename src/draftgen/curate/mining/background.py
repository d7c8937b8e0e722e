"""General-language word frequencies, the background a county's formulations are
weighed against: ``产业发展`` is made of words everyone writes, ``人居环境整治`` is not.

The list ships as ``draftgen/_data/background.tsv.gz``, derived from the frequency
dictionary of jieba (MIT licence) by :func:`build` — run
``python -m draftgen.curate.mining.background`` to rebuild it from the installed jieba.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "_data" / "background.tsv.gz"
MIN_FREQ = 20  # rarer words are left out: they all get the floor frequency
HEADER = "# word<TAB>frequency, from jieba's dict.txt (MIT licence), words seen at least {min} times; total {total}\n"


def build(source: Path | None = None, target: Path = DATA, min_freq: int = MIN_FREQ) -> int:
    """Write the background list from jieba's ``dict.txt``; returns the number of words."""
    if source is None:
        import jieba

        source = Path(jieba.__file__).parent / "dict.txt"
    words: dict[str, int] = {}
    total = 0
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            total += int(parts[1])
            if int(parts[1]) >= min_freq:
                words[parts[0]] = words.get(parts[0], 0) + int(parts[1])
    body = "".join(f"{w}\t{f}\n" for w, f in sorted(words.items()))
    # mtime=0: the same dictionary gives a byte-identical file
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write((HEADER.format(min=min_freq, total=total) + body).encode("utf-8"))
    return len(words)


class Background:
    """Word → log-probability in general language, with a floor for unseen words."""

    def __init__(self, freqs: dict[str, str], total: int, min_freq: int) -> None:
        self.freqs = freqs  # as written in the list: a word's frequency is read when it is looked up
        self.log_total = math.log(total)
        self.floor = math.log(min_freq / 2) - self.log_total
        self._logp: dict[str, float] = {}

    def logp(self, word: str) -> float:
        value = self._logp.get(word)
        if value is None:
            freq = self.freqs.get(word)
            value = self._logp[word] = self.floor if freq is None else math.log(int(freq)) - self.log_total
        return value

    def commonness(self, words: Iterable[str]) -> float:
        """Mean log-probability of the content words (one-character function words left out)."""
        values = [self.logp(w) for w in words if len(w) > 1 or w not in _FUNCTION]
        return sum(values) / len(values) if values else 0.0


_FUNCTION = set("的了和与及等并中是把将对也还又就而在为以从向于之其各上下")


@lru_cache(maxsize=1)
def background() -> Background:
    """The shipped list."""
    text = gzip.decompress(DATA.read_bytes()).decode("utf-8")
    header, _, body = text.partition("\n")
    total = int(header.rsplit("total ", 1)[1])
    min_freq = int(header.split("at least ", 1)[1].split()[0])
    fields = body.split()  # word, frequency, word, frequency…: no word has a space in it
    return Background(dict(zip(fields[::2], fields[1::2], strict=True)), total, min_freq)


if __name__ == "__main__":
    print(f"{build()} words → {DATA}")
