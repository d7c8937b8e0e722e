"""How Chinese statistics are written: the one pattern of a printed figure, growth,
增长/下降, 个百分点, completion, Chinese numerals.

Every number a draft prints is either copied from the fact sheet exactly as it
was written there, or computed here from the sheet's values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from draftgen.text.patterns import CN

#: a value as a sheet gives it (a YAML int or float, which keeps how it was written)
Number = int | float


def _figure(digits: str, point: str) -> str:
    return rf"[{digits}]+(?:{point}[{digits}]+)?"


#: the one pattern of a printed figure: 42, 42.8 (the source of every other)
FIGURE = _figure("0-9", r"\.")
#: a figure in running text, not the tail of another (1.2.3 holds 1.2 and no 2.3)
NUMBER = re.compile(rf"(?<![0-9.]){FIGURE}")
#: a figure as people type it, full-width digits and points too, with its per-cent sign
TYPED_FIGURE = re.compile(_figure("0-9０-９", "[.．]") + "[%％]?")
#: a figure (with its decimals and per-cent sign) or one character: what a diff of two
#: texts compares, so that 42.8 → 43.1 is one change, not 2 → 3 and 8 → 1
TOKEN = re.compile(rf"{FIGURE}%?|.", re.S)


CN_DIGITS = "零一二三四五六七八九"


def fmt(value: Number) -> str:
    """A number as the sheet wrote it (``1.20`` stays ``1.20``)."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text.lstrip("+")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def dec(value: Number) -> Decimal:
    return Decimal(fmt(value))


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def growth_rate(value: Number, previous: Number) -> Decimal | None:
    """Growth in percent, one decimal; None when there is no base to divide by."""
    base = dec(previous)
    if base == 0:
        return None
    return one_decimal((dec(value) - base) / abs(base) * 100)


def point_change(value: Number, previous: Number) -> Decimal:
    """Change of a rate, in percentage points, exact to the sheet's decimals."""
    return dec(value) - dec(previous)


def completion(value: Number, target: Number) -> Decimal | None:
    """Share of the annual target reached, in percent, one decimal."""
    base = dec(target)
    if base == 0:
        return None
    return one_decimal(dec(value) / base * 100)


def rate_text(value: Decimal) -> str:
    """A share or rate as offices write it: one decimal, and none when it is whole (115%, 80%, 104.6%)."""
    text = dstr(one_decimal(value))
    return text[:-2] if text.endswith(".0") else text


def dstr(value: Decimal) -> str:
    """A Decimal without exponent or a negative zero."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


@dataclass(frozen=True)
class Change:
    """A year-on-year change, ready to be worded."""

    direction: int  # 1 rise, -1 fall, 0 flat
    magnitude: str  # "7.6" (no sign)
    points: bool  # percentage points instead of percent

    def words(self, same_period: bool = False) -> str:
        """``增长7.6%``, ``下降3%``, ``提高2.2个百分点``, ``与上年持平``."""
        if self.direction == 0:
            return "与上年同期持平" if same_period else "与上年持平"
        if self.points:
            verb = "提高" if self.direction > 0 else "下降"
            return f"{verb}{self.magnitude}个百分点"
        verb = "增长" if self.direction > 0 else "下降"
        return f"{verb}{self.magnitude}%"


def change_of(amount: Decimal, points: bool) -> Change:
    """A signed amount as a :class:`Change` (percent, or percentage points)."""
    direction = (amount > 0) - (amount < 0)
    return Change(direction, dstr(abs(amount)), points)


def quantity(value: Number, unit: str = "", approx: str | None = None, note: str | None = None) -> str:
    """``村均31.5万元``, ``约1.2亿元``, ``220余户``: approximation words only when asked."""
    number = fmt(value)
    prefix = note or ""
    if approx in ("约", "近", "超"):
        return f"{prefix}{approx}{number}{unit}"
    if approx == "余":
        return f"{prefix}{number}余{unit}"
    if approx == "左右":
        return f"{prefix}{number}{unit}左右"
    return f"{prefix}{number}{unit}"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals: 六, 十二, 二十."""
    if n < 0 or n > 99:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


def numeral_value(text: str) -> int:
    """A label's number as an int: 三 → 3, 十二 → 12, 二十 → 20, 12 → 12 (0 when it is none)."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN.index(tens) + 1) * 10 + (CN.index(ones) + 1 if ones else 0)
    return CN.index(text) + 1 if text in CN else 0


def count_numeral(n: int) -> str:
    """A count in Chinese: 两 for 2 (两个方面), otherwise as :func:`chinese_numeral`."""
    return "两" if n == 2 else chinese_numeral(n)


def ordinal_item(n: int) -> str:
    """一是, 二是 … for the n-th item (1-based)."""
    return f"{chinese_numeral(n)}是"
