"""Border crossings: a crossing the other way within about a month.

Borders pair a traveller's exit with the entry back (the EU's Entry/Exit System does it by
document; these records often carry none). Someone who left for Tunis and came back three
weeks later is one person on two records; a namesake crossing the other way between the
same two countries in the same weeks is rare. Evidence, not identity: the score and the
name decide (engine.decide), and a contradicted birth date or gender still keeps a pair
apart.

A crossing is written ``YYYY-MM-DD xx>yy`` (day, ISO countries of departure and arrival;
``records.crossing``). The comparison runs in SQL as an overlap of two key lists, so the
window is counted in periods of ``PERIOD_DAYS``: crossings at most ``PERIODS`` periods
apart meet, which is always within 30 days and never beyond 39.
"""

from __future__ import annotations

from datetime import date

from unweave.resolve.compare.evidence import Evidence, missing

FEATURE = "travel"
PERIOD_DAYS = 10
PERIODS = 3


def _parse(value: str) -> tuple[int, str, str] | None:
    day, _, route = value.partition(" ")
    origin, _, destination = route.partition(">")
    try:
        period = date.fromisoformat(day).toordinal() // PERIOD_DAYS
    except ValueError:
        return None
    return (period, origin, destination) if origin and destination else None


def leg_keys(crossings: list[str]) -> list[str]:
    """``xx>yy@period`` of each crossing."""
    parsed = (_parse(c) for c in crossings)
    return sorted({f"{o}>{d}@{p}" for p, o, d in filter(None, parsed)})


def return_keys(crossings: list[str]) -> list[str]:
    """The keys a crossing back would have: the other way, within ``PERIODS`` periods."""
    parsed = (_parse(c) for c in crossings)
    return sorted(
        {
            f"{d}>{o}@{p + k}"
            for p, o, d in filter(None, parsed)
            for k in range(-PERIODS, PERIODS + 1)
        }
    )


def route(crossings: list[str]) -> str | None:
    """The two countries of the first crossing, in order of their codes (``gb|tn`` for a
    trip out and the trip home alike): a blocking key."""
    for value in crossings:
        parsed = _parse(value)
        if parsed is not None:
            return "|".join(sorted(parsed[1:]))
    return None


def compare_crossings(left: list[str], right: list[str]) -> Evidence:
    if not left or not right:
        return missing(FEATURE, "border crossing")
    for a in left:
        back = set(return_keys([a]))
        for b in right:
            if back & set(leg_keys([b])):
                days = abs((date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days)
                reason = f"crossed back the other way {days} days apart ({a}, {b})"
                return Evidence(FEATURE, 0.8, reason, "likely")
    return Evidence(FEATURE, 0.45, "crossings, none back the other way within a month", "weak")
