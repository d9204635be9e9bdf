"""decide() on hand-written pairs: the name-and-contact rule and what stops it (no engine
run: the levels are given as the engine labels them)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from unweave.resolve import model
from unweave.resolve.engine import COMPARISONS, MATCH, REVIEW, EngineConfig, decide


def _pair(probability: float = 0.9, **levels: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"unique_id_l": "a", "unique_id_r": "b"}
    row |= {"match_probability": probability, "match_weight": 3.0}
    for name in COMPARISONS:
        row[f"{name}_level"] = levels.get(name)
        row[f"mw_{name}"] = 0.0
        row[f"gamma_{name}"] = 0
    return row


def _decide(*pairs: dict[str, Any]) -> list[str]:
    return list(decide(pd.DataFrame(pairs), EngineConfig())["decision"])


def test_whole_name_and_shared_address_links_below_the_threshold() -> None:
    address = model.SHARED_CONTACT[2]
    assert _decide(_pair(name=model.NAME_SAME[0], address=address)) == [MATCH]
    assert _decide(_pair(name=model.NAME_SAME[1], phone=model.SHARED_CONTACT[1])) == [MATCH]


def test_a_contradiction_or_a_weaker_name_keeps_the_pair_for_review() -> None:
    address = model.SHARED_CONTACT[2]
    other_date = model.DOB_DIFFERENT[1]
    assert _decide(_pair(name=model.NAME_SAME[0], address=address, birth_date=other_date)) == [
        REVIEW
    ]
    assert _decide(_pair(name=model.NAME_SAME[0], address=address, gender="different gender")) == [
        REVIEW
    ]
    # Siblings share the family name and the address: one token is not the whole name.
    assert _decide(_pair(name=model.NAME_WEAK[0], address=address)) == [REVIEW]
    # A skeleton (Mario / Maria) is not the same name either.
    assert _decide(_pair(name="same consonant skeleton", address=address)) == [REVIEW]


def test_one_word_of_the_name_needs_a_personal_phone() -> None:
    one_word = model.ONE_WORD_INSIDE
    assert _decide(_pair(name=one_word, phone=model.SHARED_CONTACT[0])) == [MATCH]
    # Two words of it (a Vietnamese given name, "Tiến Đạt" of HO Tien Dat) the same.
    assert _decide(_pair(name=model.NAME_INSIDE, phone=model.SHARED_CONTACT[0])) == [MATCH]
    assert _decide(_pair(name=model.NAME_INSIDE, phone=model.SHARED_CONTACT[1])) == [REVIEW]
    # A household's phone (another record gives it under another name) is not enough.
    assert _decide(_pair(name=one_word, phone=model.SHARED_CONTACT[1])) == [REVIEW]
    assert _decide(_pair(name=one_word, address=model.SHARED_CONTACT[2])) == [REVIEW]


def test_the_same_name_and_nothing_else_goes_to_review_not_to_a_link() -> None:
    same = model.NAME_SAME[0]
    decided = decide(pd.DataFrame([_pair(0.3, name=same)]), EngineConfig())
    assert list(decided["decision"]) == [REVIEW]
    assert "nothing else to compare" in decided["reason"][0]
    assert _decide(_pair(0.3, name=same, gender="same gender")) == [REVIEW]
    # anything more to compare, or a contradiction, and the score alone decides (dropped)
    assert _decide(_pair(0.3, name=same, phone="different phones")) == []
    assert _decide(_pair(0.3, name=same, birth_date=model.DOB_DIFFERENT[1])) == []
    assert _decide(_pair(0.3, name=same, gender="different gender")) == []
    assert _decide(_pair(0.3, name=model.NAME_WEAK[0])) == []  # one word of the name
