"""Nationality and gender: weak evidence only.

Rule 4 of the design: no score is computed from nationality, ethnicity or migration
status alone. These features can only nudge a score that names, dates and documents
have built; a shared nationality never gives more than a small step above neutral.
"""

from __future__ import annotations

from unweave.resolve.compare.evidence import Evidence, missing


def compare_nationalities(left: list[str], right: list[str]) -> Evidence:
    a, b = {x.lower() for x in left}, {x.lower() for x in right}
    if not a or not b:
        return missing("nationality", "nationality")
    if a & b:
        return Evidence("nationality", 0.55, "a nationality in common (weak evidence)", "weak")
    return Evidence(
        "nationality", 0.45, "no nationality in common (people hold several; weak)", "weak"
    )


def compare_gender(a: str | None, b: str | None) -> Evidence:
    if not a or not b:
        return missing("gender", "gender")
    if a == b:
        return Evidence("gender", 0.55, f"both {a} (weak evidence)", "weak")
    return Evidence("gender", 0.2, f"{a} and {b}", "different")
