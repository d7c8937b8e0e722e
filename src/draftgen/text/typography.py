"""Chinese typography: Chinese punctuation inside Chinese text."""

from __future__ import annotations

import re

from draftgen.text.patterns import CJK

# (the half-width mark, pattern, replacement), each compiled on first use: a CJK character
# class costs about a millisecond to compile, and most texts hold none of these marks
# beside Chinese (a decimal point between digits is not one)
_RULES = (
    ("(", rf"\(([^()]*[{CJK}][^()]*)\)", r"（\1）"),
    (",", rf"(?<=[{CJK}%”）])\s*,\s*|\s*,\s*(?=[{CJK}“（])", "，"),
    (";", rf"(?<=[{CJK}%”）])\s*;\s*|\s*;\s*(?=[{CJK}“（])", "；"),
    (":", rf"(?<=[{CJK}])\s*:\s*(?=[{CJK}“（\d])", "："),
    ("!", rf"(?<=[{CJK}])!", "！"),
    ("?", rf"(?<=[{CJK}])\?", "？"),
    (".", rf"(?<=[{CJK}])\.(?=$|[{CJK}“])", "。"),
)
#: a cheap test that a mark stands next to a non-ASCII character or a per-cent sign,
#: which every rule but the bracket one needs (its class has no large range to compile)
_NEAR_TEXT = {mark: re.compile(rf"[^\x00-\x24\x26-\x7f]\s*{re.escape(mark)}|{re.escape(mark)}\s*[^\x00-\x7f]")
              for mark, _, _ in _RULES}


def _quotes(text: str) -> str:
    if '"' not in text:
        return text
    out: list[str] = []
    opening = True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def chinese_punctuation(text: str) -> str:
    """Replace half-width punctuation that stands in Chinese text by the
    full-width forms: ``"三抓三促"`` → ``“三抓三促”``, ``,`` → ``，`` and so on.

    Numbers keep their points and thousands separators (``1,200``, ``35.6``).
    """
    text = _quotes(text)
    for mark, pattern, replacement in _RULES:
        if mark in text and (mark == "(" or _NEAR_TEXT[mark].search(text)):
            text = re.sub(pattern, replacement, text)
    return text.strip()


def strip_end_punct(text: str) -> str:
    """A clause without its closing punctuation, ready to be joined."""
    return text.rstrip("。；，、;,. ")
