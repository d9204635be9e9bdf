"""Person names across scripts, spellings and token order.

Levels, strongest first: the same tokens in any order; the same after variant groups
(Mohammed = Muhammad = محمد); the same consonant skeletons (what Arabic script writes);
the same consonants as Arabic names are romanised (Qadhafi = AL-GADDAFI = القذافي);
one name's tokens all inside the other (a missing middle or father's name); the same
phonetic codes; similar strings; one shared token only (a family name: relatives);
nothing in common.
"""

from __future__ import annotations

from itertools import product

from rigour.text import jaro_winkler

from unweave.normalize.names import (
    arabic_consonants,
    canonical_token,
    canonical_tokens,
    phonetic,
    skeleton,
    tokens,
)
from unweave.resolve.compare.evidence import Evidence, missing

FEATURE = "name"


def _aligned_similarity(left: list[str], right: list[str]) -> float:
    """Mean best Jaro-Winkler of each token of the shorter name against the longer one."""
    short, long_ = (left, right) if len(left) <= len(right) else (right, left)
    if not short:
        return 0.0
    return sum(max(jaro_winkler(s, t) for t in long_) for s in short) / len(short)


def compare_name(a: str, b: str) -> Evidence:
    """Compare two names as written, in any script."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return missing(FEATURE, "name")
    if sorted(ta) == sorted(tb):
        order = "" if ta == tb else " (token order differs)"
        return Evidence(FEATURE, 1.0, f'"{a}" and "{b}" are the same name{order}', "exact")
    ca, cb = canonical_tokens(a), canonical_tokens(b)
    if sorted(ca) == sorted(cb):
        variants = sorted({t for t in ta + tb if canonical_token(t) != t})
        how = f" (variant spellings: {', '.join(variants)})" if variants else ""
        return Evidence(
            FEATURE, 0.95, f'"{a}" and "{b}" are spellings of {" ".join(ca)}{how}', "exact"
        )
    sa = sorted(s for s in (skeleton(t) for t in ca) if s)
    sb = sorted(s for s in (skeleton(t) for t in cb) if s)
    if sa and sa == sb:
        return Evidence(
            FEATURE, 0.85, f'"{a}" and "{b}" share consonants {"-".join(sa)}', "strong"
        )
    aa, ab = arabic_consonants(a, ca), arabic_consonants(b, cb)
    if aa and aa == ab:
        return Evidence(
            FEATURE,
            0.8,
            f'"{a}" and "{b}" have the consonants {"-".join(aa)} as Arabic names are romanised',
            "strong",
        )
    common = set(ca) & set(cb)
    if len(common) >= 2 and common in (set(ca), set(cb)):
        return Evidence(
            FEATURE,
            0.8,
            f"all of the shorter name is in the longer: {' '.join(sorted(common))}",
            "strong",
        )
    pa, pb = sorted(map(phonetic, ca)), sorted(map(phonetic, cb))
    if pa == pb:
        return Evidence(FEATURE, 0.75, f'"{a}" and "{b}" sound alike ({" ".join(pa)})', "strong")
    sim = _aligned_similarity(ca, cb)
    if sim >= 0.92 and min(len(ca), len(cb)) >= 2:
        return Evidence(FEATURE, 0.7, f'"{a}" and "{b}" are similar ({sim:.2f})', "likely")
    if common:
        return Evidence(
            FEATURE,
            0.3,
            f"only {', '.join(sorted(common))} in common (a family name alone: relatives?)",
            "weak",
        )
    return Evidence(FEATURE, 0.0, f'"{a}" and "{b}" have nothing in common', "different")


def compare_names(left: list[str], right: list[str]) -> Evidence:
    """The best agreement between any name of one record and any name of the other."""
    if not left or not right:
        return missing(FEATURE, "name")
    return max((compare_name(a, b) for a, b in product(left, right)), key=lambda e: e.score)
