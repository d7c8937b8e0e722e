"""The commented fact-sheet skeleton that ``draftgen init`` writes."""

from __future__ import annotations

import datetime as dt

from draftgen.resources import data_dir


def skeleton(town: str | None = None, year: int | None = None) -> str:
    """The skeleton text with the town and year filled in where known."""
    text = (data_dir("templates") / "factsheet.yaml").read_text(encoding="utf-8")
    year = year or dt.date.today().year
    return text.replace("__TOWN__", town or "【乡镇名称】").replace("__YEAR__", str(year))
