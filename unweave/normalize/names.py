"""Names across scripts: transliteration, folding, tokens and consonant skeletons.

Arabic script writes no short vowels, so ICU turns محمد into "mhmd" while a Latin record
says "Mohammed". Comparing *consonant skeletons* (vowels and the long-vowel letters w/y
dropped, doubled letters collapsed) lets both meet on "mhmd". Cyrillic and Vietnamese
transliterate cleanly and meet on the folded tokens themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normality import ascii_text

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SKELETON_DROP = re.compile(r"[aeiouwy]")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def latin(text: str) -> str:
    """Lower-case ASCII transliteration (ICU through normality), punctuation removed."""
    ascii_form = ascii_text(text) or ""
    return _NON_WORD.sub(" ", ascii_form.lower().replace("'", "")).strip()


def tokens(text: str) -> list[str]:
    """The Latin tokens of a name in any script, in their written order."""
    return [t for t in latin(text).split(" ") if t]


def skeleton(token: str) -> str:
    """Consonant skeleton of one Latin token: "mohammed" -> "mhmd", "ahmad" -> "hmd"."""
    return _REPEATS.sub(r"\1", _SKELETON_DROP.sub("", token))


def skeletons(text: str, min_length: int = 2) -> list[str]:
    """Skeletons of every token long enough to carry meaning."""
    out = []
    for tok in tokens(text):
        if tok.isdigit():
            continue
        skel = skeleton(tok)
        if len(skel) >= min_length:
            out.append(skel)
    return out


_ARTICLES = ("al", "el")


def skeleton_keys(text: str, min_length: int = 2) -> set[str]:
    """Skeletons to index a name under, so that its common rewritings still meet it.

    Beyond each token's skeleton: the Arabic article dropped ("alrhmn" -> "rhmn", so
    "Rahman" finds الرحمن) and adjacent tokens joined ("abd" + "alrhmn" -> "bdlrhmn", so
    "Abdelrahman" finds عبد الرحمن).
    """
    toks = [t for t in tokens(text) if not t.isdigit()]
    keys = set()
    for tok in toks:
        keys.add(skeleton(tok))
        for article in _ARTICLES:
            if tok.startswith(article) and len(tok) > len(article) + 2:
                keys.add(skeleton(tok[len(article) :]))
    for left, right in zip(toks, toks[1:], strict=False):
        keys.add(skeleton(left + right))
    return {k for k in keys if len(k) >= min_length}
