"""Contact entries joined to the one identified person who carries their phone.

A seized phone's address book says "Esohe" or "Esohe Padova" and a number; nothing else.
Compared pair by pair, such an entry meets each record of its person on a name alone (or
a phone no other record gives under that name) and stays apart. Compared with a whole
cluster after resolution, it meets more: the number is carried by records that establish
an identity (a birth date, a document or an address), and if those records are all one
person, and that person has the entry's name, the entry is theirs.

What keeps relatives, exploiters and namesakes out:

- a household's phone is carried by two identified people (two clusters): no link;
- the entry must give the whole name (every word the same, in any order, or spelling
  variants), never a given name alone: on seed 1 of the scenario, "Paul München" was a
  victim on a phone his exploiter Paul Richter registered, and "Constantin Berlin" a
  member on a burner registered to a straw subscriber; given names alone linked 8 entries
  right and these 3 wrong;
- a word after the name that is the cluster's own city ("Esohe Obaseki Padova", where
  the cluster lives in Padova) is dropped: owners tell contacts apart that way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from unweave.normalize.names import canonical_token, latin, tokens
from unweave.resolve.compare.names import compare_names
from unweave.resolve.records import PersonRecord

REASON = (
    "contact entry: its phone is carried by one identified person only, under a name "
    "that person has"
)
_AGREE = ("exact",)  # compare_names levels that are the same whole name


@dataclass(frozen=True)
class PhoneLink:
    entry: str  # the contact entry's entity id
    member: str  # a record of the cluster it joins
    reason: str


def identified(rec: PersonRecord) -> bool:
    """Something that establishes an identity: a birth date, a document or an address."""
    return bool(rec.birth_dates or rec.documents or rec.addresses)


def is_entry(rec: PersonRecord) -> bool:
    """A name and a phone, and nothing that establishes an identity."""
    return bool(rec.names and rec.phones) and not identified(rec)


def place_words(cluster: list[PersonRecord]) -> set[str]:
    return {canonical_token(t) for r in cluster for a in r.addresses for t in tokens(latin(a))}


def name_fits(entry: PersonRecord, cluster: list[PersonRecord]) -> bool:
    """The entry's name is a name of the cluster's person (see the module's rules)."""
    names = [n for r in cluster for n in r.names]
    places = place_words(cluster)
    for written in entry.names:
        words = [canonical_token(t) for t in tokens(written)]
        while len(words) > 2 and words[-1] in places:  # the owner's note of the city
            words = words[:-1]
        if len(words) >= 2 and compare_names([" ".join(words)], names).level in _AGREE:
            return True
    return False


def phone_links(records: Iterable[PersonRecord], cluster_of: dict[str, str]) -> list[PhoneLink]:
    """Links for contact entries left alone, after clustering (``cluster_of``: entity id
    -> canonical id, missing for records in no cluster)."""
    records = list(records)
    members: dict[str, list[PersonRecord]] = defaultdict(list)
    for rec in records:
        members[cluster_of.get(rec.entity_id, rec.entity_id)].append(rec)
    carriers: dict[str, set[str]] = defaultdict(set)  # phone -> identified clusters
    for cid, group in members.items():
        for rec in group:
            if identified(rec):
                for phone in rec.phones:
                    carriers[phone].add(cid)
    links = []
    for cid, group in members.items():
        if not all(is_entry(r) for r in group):
            continue  # already part of an identified person's cluster
        for entry in group:
            owners = set().union(*(carriers.get(p, set()) for p in entry.phones)) - {cid}
            if len(owners) != 1:
                continue
            (owner,) = owners
            if name_fits(entry, members[owner]):
                links.append(PhoneLink(entry.entity_id, members[owner][0].entity_id, REASON))
                break
    return links
