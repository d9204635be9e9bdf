"""Birth dates at any precision: a year alone, a month, a day; day and month swapped."""

from __future__ import annotations

from itertools import product

from rigour.text import levenshtein

from unweave.resolve.compare.evidence import Evidence, missing

FEATURE = "birth_date"


def parts(value: str) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of '1985', '1985-03' or '1985-03-02' (None where unknown)."""
    bits = value[:10].split("-")
    nums: list[int | None] = []
    for bit in bits[:3]:
        nums.append(int(bit) if bit.isdigit() else None)
    while len(nums) < 3:
        nums.append(None)
    return nums[0], nums[1], nums[2]


def compare_birth_date(a: str, b: str) -> Evidence:
    ya, ma, da = parts(a)
    yb, mb, db = parts(b)
    if ya is None or yb is None:
        return missing(FEATURE, "birth year")
    if (ya, ma, da) == (yb, mb, db):
        return Evidence(FEATURE, 1.0, f"same birth date {a}", "exact")
    full = None not in (ma, da, mb, db)
    if full and ya == yb and (ma, da) == (db, mb):
        return Evidence(FEATURE, 0.8, f"{a} and {b}: day and month swapped", "strong")
    if not full and ya == yb and (ma is None or mb is None or ma == mb):
        return Evidence(FEATURE, 0.7, f"{a} and {b} agree as far as both are known", "likely")
    if full and levenshtein(a[:10], b[:10]) == 1:
        return Evidence(FEATURE, 0.6, f"{a} and {b} differ by one digit (a typo?)", "likely")
    if abs(ya - yb) <= 1 and (ma, da) == (mb, db) and ma is not None:
        return Evidence(FEATURE, 0.5, f"{a} and {b}: same day, years one apart", "weak")
    return Evidence(FEATURE, 0.0, f"born {a} and {b}: different people or an error", "different")


def compare_birth_dates(left: list[str], right: list[str]) -> Evidence:
    if not left or not right:
        return missing(FEATURE, "birth date")
    return max((compare_birth_date(a, b) for a, b in product(left, right)), key=lambda e: e.score)
