"""What a reviewer is shown: a finding with its rule, severity, place, excerpt and message.
``check`` reports findings on a draft, ``phrases lint`` on a phrase bank."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, HINT = "error", "warning", "hint"
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", HINT: "提示"}


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer should look at."""

    rule: str
    severity: str
    location: str
    excerpt: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "location": self.location,
                "excerpt": self.excerpt, "message": self.message}

    def __str__(self) -> str:
        return f"{SEVERITY_NAMES[self.severity]} [{self.rule}] {self.location}：“{self.excerpt}” —— {self.message}"
