"""Contact entries joined to the one identified person carrying their phone."""

from __future__ import annotations

from unweave.resolve.phonebook import REASON, name_fits, phone_links
from unweave.resolve.records import PersonRecord

PHONE = "+393704158901"


def _subscriber(eid: str, name: str, phones: list[str], **kw: object) -> PersonRecord:
    return PersonRecord(eid, "it_subscribers", names=[name], phones=phones,
                        birth_dates=["1968-07-04"], addresses=["Via Dante 66, Padova"], **kw)  # type: ignore[arg-type]  # fmt: skip


def _entry(eid: str, name: str, phone: str = PHONE) -> PersonRecord:
    return PersonRecord(eid, "ng_contacts", names=[name], phones=[phone])


def test_an_entry_joins_the_one_identified_person_carrying_its_phone() -> None:
    # s1 and s2 are one cluster (resolved before); only s2 carries the entry's phone, under
    # a misspelt name; s1 has the name as the entry writes it.
    records = [
        _subscriber("s1", "Esohe Obaseki", ["+393874120039"]),
        _subscriber("s2", "OBBASEKI Esohe", [PHONE]),
        _entry("c1", "Esohe Obaseki"),
        _entry("c2", "Esohe Obaseki Padova"),  # the owner noted the city
    ]
    links = phone_links(records, {"s1": "k", "s2": "k"})
    assert sorted((lk.entry, lk.member) for lk in links) == [("c1", "s1"), ("c2", "s1")]
    assert all(lk.reason == REASON for lk in links)
    assert "Esohe" not in REASON and PHONE not in REASON  # no personal data in the reason


def test_a_given_name_alone_or_another_name_does_not_join() -> None:
    # A victim saved as "Paul" on a phone her exploiter Paul Richter registered.
    records = [_subscriber("s1", "Paul Richter", [PHONE]), _entry("c1", "Paul"),
               _entry("c2", "Paul München"), _entry("c3", "Rudina Hysa")]  # fmt: skip
    assert phone_links(records, {}) == []


def test_a_household_phone_carried_by_two_people_joins_no_one() -> None:
    records = [
        _subscriber("s1", "LUPU Ion", [PHONE]),
        _subscriber("s2", "Maria Lupu", [PHONE]),
        _entry("c1", "Ion Lupu"),
    ]
    assert phone_links(records, {}) == []
    # The same two records as one person's cluster: the phone is that person's.
    assert [lk.entry for lk in phone_links(records[:1] + records[2:], {})] == ["c1"]


def test_entries_already_with_an_identified_record_are_left_alone() -> None:
    records = [_subscriber("s1", "Esohe Obaseki", [PHONE]), _entry("c1", "Esohe Obaseki"),
               _subscriber("s3", "Esohe Obaseki", ["+393000000000"])]  # fmt: skip
    # c1 is already in the cluster of s3, an identified record: nothing to add.
    assert phone_links(records, {"c1": "k", "s3": "k"}) == []


def test_name_fits_drops_the_clusters_city_only_after_a_whole_name() -> None:
    cluster = [_subscriber("s1", "OBASEKI Esohe", [PHONE])]
    assert name_fits(_entry("c", "Esohe Obaseki Padova"), cluster)
    assert not name_fits(_entry("c", "Esohe Padova"), cluster)
    assert not name_fits(_entry("c", "Esohe Obaseki Milano"), cluster)
