"""One root error and one subclass per stage.

Every error carries a message meant for a person, in Chinese, that says where
(file and line), what is wrong and how to fix it. The CLI turns any of these
into red text and exit code 2 in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED = 50


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file} 第{self.line}行" if self.line else self.file
        return f"{where}：{self.message}"


class DraftgenError(Exception):
    """Root of every error draftgen reports to a user."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] if self.message else []
        lines += [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"……另有 {len(self.problems) - MAX_LISTED} 处，请先改正上面这些。")
        return "\n".join(lines)


class InputFileError(DraftgenError):
    """A file could not be read or decoded or parsed as YAML."""


class FactsError(DraftgenError):
    """The fact sheet does not follow the contract."""


class PhrasebankError(DraftgenError):
    """The phrase bank (shipped or the user's) is malformed."""


class TemplateError(DraftgenError):
    """A template could not be loaded or rendered."""


class WriterError(DraftgenError):
    """The draft could not be written where asked."""


class CheckError(DraftgenError):
    """``check`` cannot review the draft as asked (no year to hold it to, an unknown rule, a bad setting)."""


class UpdateError(DraftgenError):
    """``update`` cannot merge the new facts into the draft (no record of how it was made, another town or year)."""


class ExtractError(DraftgenError):
    """No fact sheet can be read out of the report (no text, no town, no year)."""


class MiningError(DraftgenError):
    """Nothing in the files given can be mined."""


def printable(text: str) -> str:
    """Text a terminal and a UTF-8 file can hold: a file name's undecodable bytes (``bad\\udcff``,
    as Python gives them from a name that is not UTF-8) shown as �."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
