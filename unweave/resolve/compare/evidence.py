"""Evidence: what one feature function says about a pair, with a sentence for the UI."""

from __future__ import annotations

from dataclasses import dataclass

# Levels shared by every feature, from strongest to none. "different" is a contradiction
# (it speaks against the match); "missing" means one side has nothing to compare.
LEVELS = ("exact", "strong", "likely", "weak", "different", "missing")


@dataclass(frozen=True)
class Evidence:
    """One feature's finding on a pair of records.

    ``score`` is in [0, 1]: 1 is agreement as strong as the feature can give, 0 is
    contradiction, 0.5 is neutral. ``reason`` is a short sentence shown to the reviewer.
    """

    feature: str
    score: float
    reason: str
    level: str = "weak"

    def __str__(self) -> str:
        return f"{self.feature}: {self.reason} ({self.score:.2f})"


def missing(feature: str, what: str) -> Evidence:
    return Evidence(feature, 0.5, f"no {what} on one side or both", "missing")
