"""Random streams derived from the seed, so that each part of the scenario is reproducible.

``derive(seed, "calls", 17)`` always gives the same stream, whatever else was drawn before;
this is what lets the background population be generated person by person, on demand,
without holding it in memory. Python seeds a string through SHA-512, independent of
PYTHONHASHSEED, so the output is byte-identical across runs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

T = TypeVar("T")


def derive(seed: int, *keys: object) -> random.Random:
    return random.Random(":".join([str(seed), *map(str, keys)]))


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its value (keys in file order)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[rng.randrange(len(items))]


def quota(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``total`` by ``shares`` exactly (largest remainder), in key order."""
    norm = sum(shares.values()) or 1.0
    raw = {k: total * v / norm for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    left = total - sum(counts.values())
    for k in sorted(raw, key=lambda k: (counts[k] - raw[k], k))[:left]:
        counts[k] += 1
    return counts


def flags(rng: random.Random, total: int, share: float) -> list[bool]:
    """Exactly round(total * share) True values, shuffled: calibration by quota."""
    n = round(total * share)
    out = [True] * n + [False] * (total - n)
    rng.shuffle(out)
    return out


def day_between(rng: random.Random, start: date, end: date) -> date:
    span = max((end - start).days, 0)
    return start + timedelta(days=rng.randint(0, span))


def below(rng: random.Random, n: int) -> int:
    """A whole number in [0, n): randrange's job, three times faster for the hot loops."""
    return int(rng.random() * n)


def moment(rng: random.Random, day: date, night: bool = False) -> datetime:
    hour = (21 + below(rng, 6)) % 24 if night else 7 + below(rng, 16)
    return datetime(day.year, day.month, day.day, hour, below(rng, 60), below(rng, 60))
