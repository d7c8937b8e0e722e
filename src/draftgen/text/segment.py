"""Segmentation with jieba (or the rjieba extra, which gives the same tokens),
with the domain dictionary shipped in the phrase bank. Masking in public copies
(`*`, `xx`, `〔…〕`), numbers and place names become slots, never words (the
counting in :mod:`count` turns them into slots: :func:`count.tokens`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from draftgen.resources import data_dir
from draftgen.text.numbers import TYPED_FIGURE

SLOT = "{…}"
# one pattern each, every one opening with what it must find, so that a scan skips ahead fast:
# 〔…〕 (within a clause), ***, and xx or x.x not part of a Latin word
_MASKS = (re.compile(r"〔[^〕\n，：,:]*〕"), re.compile(r"\*+"),
          re.compile(r"[xX×](?<![A-Za-z][xX×])[xX×]*(?:[.．][xX×]+)?(?![A-Za-z])"))
_MIXED = re.compile("\ue002\ue002+")  # runs of slots collapse into one
_PLACE_SUFFIX = ("镇", "乡", "村", "县", "区", "市", "省", "街道", "社区", "组")
_NOT_PLACE_PREFIX = ("全", "本", "各", "该", "乡", "城", "农", "山", "片", "社", "园", "景", "小", "老", "新", "示范",
                     "辖", "市", "县", "城")


def mask_text(text: str) -> str:
    """Masks and numbers replaced by a private slot character."""
    for mask in _MASKS:
        text = mask.sub("\ue002", text)
    text = TYPED_FIGURE.sub("\ue002", text)
    return _MIXED.sub("\ue002", text)


def is_place(token: str) -> bool:
    """A place name by its suffix (城关镇, 河西区, 庙坪村), not a common word (全镇, 乡镇)."""
    return len(token) >= 3 and token.endswith(_PLACE_SUFFIX) and not token.startswith(_NOT_PLACE_PREFIX)


@lru_cache(maxsize=2)
def segmenter(prefer_fast: bool = True) -> tuple[str, Callable[[str], list[str]]]:
    """(name, cut function). The rjieba extra is used when installed; both run
    without HMM guessing of new words, so they give the same tokens."""
    words = []
    for line in (data_dir("phrasebank") / "dict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            words.append((parts[0], int(parts[1]) if len(parts) > 1 else 10000))
    if prefer_fast:
        try:
            import rjieba
        except ImportError:
            pass
        else:
            for word, freq in words:
                rjieba.add_word(word, freq, None)
            return "rjieba", lambda text: list(rjieba.cut(text, False))
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word, freq in words:
        jieba.add_word(word, freq)
    return "jieba", lambda text: jieba.lcut(text, HMM=False)


# a lone one after a masked name belongs to the name: **|村, xx|镇
SUFFIX_TOKENS = {"镇", "乡", "村", "县", "区", "市", "街道", "社区", "组"}

