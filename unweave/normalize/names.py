"""Names across scripts: transliteration, folding, tokens and consonant skeletons.

Arabic script writes no short vowels, so ICU turns محمد into "mhmd" while a Latin record
says "Mohammed". Comparing *consonant skeletons* (vowels and the long-vowel letters w/y
dropped, doubled letters collapsed) lets both meet on "mhmd". Cyrillic and Vietnamese
transliterate cleanly and meet on the folded tokens themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from normality import ascii_text
from rigour.text import metaphone

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


@lru_cache(maxsize=200_000)
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


_SEARCH_ARTICLES = ("al", "el")


def skeleton_keys(text: str, min_length: int = 2) -> set[str]:
    """Skeletons to index a name under, so that its common rewritings still meet it.

    Beyond each token's skeleton: the Arabic article dropped ("alrhmn" -> "rhmn", so
    "Rahman" finds الرحمن) and adjacent tokens joined ("abd" + "alrhmn" -> "bdlrhmn", so
    "Abdelrahman" finds عبد الرحمن).
    """
    return skeleton_keys_of(tokens(text), min_length)


def skeleton_keys_of(toks: list[str], min_length: int = 2) -> set[str]:
    """``skeleton_keys`` of a name already split into Latin tokens."""
    toks = [t for t in toks if not t.isdigit()]
    keys = set()
    for tok in toks:
        keys.add(skeleton(tok))
        for article in _SEARCH_ARTICLES:
            if tok.startswith(article) and len(tok) > len(article) + 2:
                keys.add(skeleton(tok[len(article) :]))
    for left, right in zip(toks, toks[1:], strict=False):
        keys.add(skeleton(left + right))
    return {k for k in keys if len(k) >= min_length}


# -- variant groups, compounds and phonetic codes ------------------------------------------

VARIANTS_FILE = Path(__file__).parent / "data" / "name_variants.yaml"
_ARTICLES = frozenset({"al", "el", "ul"})
_ABD_TOKENS = frozenset({"abd", "bd", "abdel", "abdul", "abdal", "abdu", "abdoul"})
_ABD_COMPOUND = re.compile(r"^a?bd(el|ul|al|ol|ur|er|ir|ar|ou|u|i)?([a-z]{3,})$")


@lru_cache(maxsize=1)
def variant_groups() -> dict[str, str]:
    """Every known spelling of a given name, mapped to its group's canonical form."""
    with VARIANTS_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    index: dict[str, str] = {}
    for group in data["groups"]:
        canonical = str(group[0])
        for spelling in group:
            index.setdefault(str(spelling), canonical)
    return index


def _join_compounds(toks: list[str]) -> list[str]:
    """Join Arabic articles and "abd" compounds: "abd al rahman" -> "abdalrahman"."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok in _ARTICLES and nxt is not None:
            out.append("al" + nxt)
            i += 2
            continue
        if tok in _ABD_TOKENS and nxt is not None:
            if nxt in _ARTICLES and i + 2 < len(toks):
                nxt = toks[i + 2]
                i += 1
            out.append("abdal" + (nxt[2:] if nxt[:2] in _ARTICLES and len(nxt) > 3 else nxt))
            i += 2
            continue
        match = _ABD_COMPOUND.match(tok)
        out.append(tok if match is None else "abdal" + match.group(2))
        i += 1
    return out


@lru_cache(maxsize=200_000)
def canonical_token(token: str) -> str:
    """The canonical form of one token's variant group, or the token itself."""
    return variant_groups().get(token, token)


def canonical_tokens(text: str) -> list[str]:
    """Latin tokens with compounds joined and each mapped to its variant group."""
    return canonical_of(tokens(text))


_TA_MARBUTA = "\u0629"
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def word_tokens(text: str) -> list[str]:
    """Like ``tokens`` but transliterated word by word, so the cache serves repeated words.

    A word-final ta marbuta (خليفة) is dropped: ICU writes it "t" ("khlyft") where Latin
    spellings end in a vowel (Khalifa, Fatima).
    """
    return [
        t
        for word in text.split()
        for t in latin(word[:-1] if word.endswith(_TA_MARBUTA) else word).split(" ")
        if t
    ]


def name_skeleton(token: str) -> str:
    """The skeleton of a name token, a final "ah" read as "a" (Khalifah = Khalifa = خليفة)."""
    return skeleton(token[:-1] if len(token) > 4 and token.endswith("ah") else token)


# Letters that romanisations of Arabic write in several ways: ذ as dh or d (Qadhafi,
# Gaddafi), ث as th or t, خ as kh or k; ق as q, k or g (Libyan speech: Magarief = المقريف,
# Gaddafi = القذافي), and the article al- or el- written, dropped or joined.
_ARABIC_DIGRAPHS = (("dh", "d"), ("th", "t"), ("kh", "k"), ("gh", "g"))
_ARABIC_QGK = str.maketrans("qg", "kk")


@lru_cache(maxsize=200_000)
def arabic_skeleton(token: str, article: bool = False) -> str:
    """The consonants of a name token as Arabic names are romanised: dh = d, th = t,
    kh = k, q = g = k ("algaddafi" and "qadhafi" -> "lkdf", "kdf"). With ``article`` (the
    name was written in Arabic script or with a separate al-/el-), a leading al or el is
    dropped too ("alqdhafy" -> "kdf"); not otherwise: Alberto, Elena."""
    if article and token[:2] in ("al", "el") and len(token) >= 5:
        token = token[2:]
    for old, new in _ARABIC_DIGRAPHS:
        token = token.replace(old, new)
    return _REPEATS.sub(r"\1", skeleton(token).translate(_ARABIC_QGK))


def written_with_article(text: str, toks: list[str] | None = None) -> bool:
    """Whether a name is in Arabic script or writes the article apart (Al-Tarhouni);
    ``toks``: its Latin tokens, where the caller has them already."""
    if _ARABIC.search(text):
        return True
    return any(t in _ARTICLES for t in (tokens(text) if toks is None else toks))


def arabic_search_keys(token: str) -> set[str]:
    """The consonant keys a query token or an Arabic-written name token is searched by:
    with and without a leading article ("alqdhafy" -> "kdf" and "lkdf")."""
    keys = {arabic_skeleton(token), arabic_skeleton(token, article=True)}
    return {k for k in keys if len(k) >= 2}


def arabic_consonants(text: str, canon: list[str]) -> list[str]:
    """``arabic_skeleton`` of each canonical token of the name ``text``, sorted."""
    article = written_with_article(text)
    return sorted(k for k in (arabic_skeleton(t, article) for t in canon) if k)


def canonical_of(toks: list[str]) -> list[str]:
    """Variant-group canonical forms of Latin tokens, compounds joined first."""
    return [canonical_token(t) for t in _join_compounds(toks)]


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A Metaphone code of one token, on its skeleton-friendly form ("ebrahim" = "ibrahim")."""
    return metaphone(token.lstrip("aeiouy") or token)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


_UKRAINIAN_ONLY = re.compile("[іїєґІЇЄҐ]")


@lru_cache(maxsize=50_000)
def _bgn(text: str, language: str) -> str:
    import icu

    transliterator = icu.Transliterator.createInstance(f"{language}-Latin/BGN")
    return str(transliterator.transliterate(text))


def romanisations(text: str) -> list[str]:
    """Other Latin spellings a name in a non-Latin script is commonly written in.

    ICU's default turns Cyrillic into a scholarly Latin (Стоян -> Stoân, Цветелина ->
    Cvetelina, Мельник -> Mel'nik), which no passport or partner writes. A Cyrillic name
    gets its Ukrainian (BGN/PCGN: Oleh Melnyk) romanisation and, unless letters only
    Ukrainian has say it is Ukrainian, its Russian one, which Bulgarian names share
    (Stoyan Kostadinov, Tsvetelina Petrov; Ukrainian rules write Kostadynov).
    """
    if not _CYRILLIC.search(text):
        return []
    languages = ["Ukrainian"] if _UKRAINIAN_ONLY.search(text) else ["Ukrainian", "Russian"]
    out: list[str] = []
    for language in languages:
        spelled = latin(_bgn(text, language))
        if spelled and spelled not in out:
            out.append(spelled)
    return out


# German, French, Polish and English-style romanisations of one Slavic or Balkan name:
# Schewtschenko = Shevchenko, Petrow = Petrov, Jordanka = Yordanka, Kusnezow = Kuznetsov.
_FOLDS = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ts", "z"),
    ("tz", "z"),
    ("ck", "k"),
    ("ou", "u"),
    ("w", "v"),
    ("z", "s"),
    ("j", "i"),
    ("y", "i"),
    ("q", "k"),
)


@lru_cache(maxsize=200_000)
def romanisation_fold(token: str) -> str:
    """One Latin token with its romanisation-specific letters unified, doubles collapsed:
    "schewtschenko" and "shevchenko" -> "shevchenko", "jordanka" and "yordanka" ->
    "iordanka", "lyssenko" and "lysenko" -> "lisenko"."""
    for old, new in _FOLDS:
        token = token.replace(old, new)
    return _REPEATS.sub(r"\1", token)
