"""``caption_of(facts)``, made from the caption property's facts alone, is the caption of
the entity made of all the facts (FtM's rule: the first caption property that has a value,
a name chosen among several by language, else the schema's label)."""

from __future__ import annotations

from datetime import datetime

import pytest

from unweave.store.facts import Fact, caption_of, entity_from_facts

SEEN = datetime(2026, 1, 2, 3, 4, 5)


def fact(prop: str, value: str, schema: str = "Person", lang: str | None = None) -> Fact:
    kind = {"id": "id", "phone": "phone", "email": "email", "birthDate": "date"}
    return Fact(
        id=f"s-{schema}-{prop}-{value}-{lang}", entity_id=f"e-{schema}", schema=schema,
        prop=prop, prop_type=kind.get(prop, "name"), value=value, original_value=None,
        lang=lang, dataset="ds", agency="AG", handling="H0", conditions=None,
        source_file="f.csv", source_row=1, first_seen=SEEN, last_seen=SEEN,
        canonical_id="e",
    )  # fmt: skip


CASES = {
    "one name": [fact("id", "e"), fact("name", "Ahmed Ibrahim"), fact("phone", "+2348031")],
    "names in several languages": [
        fact("id", "e"),
        fact("name", "Olena Kovalenko", lang="eng"),
        fact("name", "Олена Коваленко", lang="ukr"),
        fact("name", "Kovalenko O."),
    ],
    "several names, no language": [fact("name", "B Name"), fact("name", "A Name")],
    "no name, an alias and a phone": [fact("phone", "+2348031"), fact("alias", "Big Man")],
    "only a phone": [fact("id", "e"), fact("birthDate", "1990-01-01"), fact("phone", "+2348")],
    "no caption property": [fact("id", "e"), fact("birthDate", "1990-01-01")],
    "merged from several schemata": [
        fact("name", "Zed Holdings", schema="LegalEntity"),
        fact("name", "Ahmed Ibrahim", schema="Person"),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_caption_is_the_whole_entitys(case: str) -> None:
    facts = CASES[case]
    assert caption_of(facts) == entity_from_facts(facts).caption
