"""draftgen: drafts township work summaries from a YAML fact sheet."""

from draftgen.api import DraftResult, build_draft, load_facts
from draftgen.errors import DraftgenError

__all__ = ["DraftResult", "DraftgenError", "build_draft", "load_facts"]
