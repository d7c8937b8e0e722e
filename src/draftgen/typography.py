"""Chinese typography: Chinese punctuation inside Chinese text."""

from __future__ import annotations

import re

CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_OR_CLOSE = f"[{CJK}”’）》】、。，；：]"

_PAREN = re.compile(rf"\(([^()]*[{CJK}][^()]*)\)")
_COMMA = re.compile(rf"(?<=[{CJK}%”）])\s*,\s*|\s*,\s*(?=[{CJK}“（])")
_SEMI = re.compile(rf"(?<=[{CJK}%”）])\s*;\s*|\s*;\s*(?=[{CJK}“（])")
_COLON = re.compile(rf"(?<=[{CJK}])\s*:\s*(?=[{CJK}“（\d])")
_BANG = re.compile(rf"(?<=[{CJK}])!")
_QUESTION = re.compile(rf"(?<=[{CJK}])\?")
_PERIOD = re.compile(rf"(?<=[{CJK}])\.(?=$|[{CJK}“])")


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
    text = _PAREN.sub(r"（\1）", text)
    text = _COMMA.sub("，", text)
    text = _SEMI.sub("；", text)
    text = _COLON.sub("：", text)
    text = _BANG.sub("！", text)
    text = _QUESTION.sub("？", text)
    text = _PERIOD.sub("。", text)
    return text.strip()


def strip_end_punct(text: str) -> str:
    """A clause without its closing punctuation, ready to be joined."""
    return text.rstrip("。；，、;,. ")
