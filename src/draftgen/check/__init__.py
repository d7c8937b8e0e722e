"""`draftgen check`: review an edited draft against its facts, its year and the genre's rules."""

from draftgen.check.model import Finding
from draftgen.check.run import check_file

__all__ = ["Finding", "check_file"]
