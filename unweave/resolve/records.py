"""The flat record that resolution compares, and its construction from FtM entities.

The store hands resolution FollowTheMoney entities (StatementEntity objects); the engine
wants one flat row per person. ``records_from_entities`` is the only bridge: Persons become
``PersonRecord`` rows, and Passport/Identification entities are attached to their ``holder``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import pyarrow as pa

from unweave.model import first_value
from unweave.normalize.names import romanisations
from unweave.normalize.values import date as clean_date
from unweave.normalize.values import phone_e164

_DOC_CHARS = re.compile(r"[^A-Z0-9]")


def doc_number(raw: str) -> str:
    """An identity document number compared without spaces, dashes and case."""
    return _DOC_CHARS.sub("", raw.upper())


@dataclass(frozen=True)
class Document:
    """An identity document as seen on a record: number, type and issuing country."""

    number: str
    type: str = "id"  # passport, id, ...
    country: str | None = None  # ISO 3166 alpha-2, lower case (FtM style)


@dataclass
class PersonRecord:
    """One person as one source saw them; values as written, lists for repeated facts."""

    entity_id: str
    dataset: str
    names: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)  # '1985', '1985-03', '1985-03-02'
    gender: str | None = None  # FtM gender: male, female, other
    nationalities: list[str] = field(default_factory=list)  # ISO alpha-2, lower case
    phones: list[str] = field(default_factory=list)  # E.164
    documents: list[Document] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    # Family names where the source says which word is one (a lastName field); names
    # written "LUPU Mihai" say it too, by the capitals (features.py reads those).
    family_names: list[str] = field(default_factory=list)
    # Border crossings of this traveller, "YYYY-MM-DD xx>yy" (compare/travel.py).
    crossings: list[str] = field(default_factory=list)


def _values(entity: Any, prop: str) -> list[str]:
    """A property's values in a fixed order. FtM 4's StatementEntity keeps them in sets,
    so ``get`` lists them in an order that changes from one Python process to the next
    (string hashing is salted per process): the "first" name, phone or document, and with
    them blocking keys and scores, would change between two runs over the same store."""
    if prop not in entity.schema.properties:
        return []
    return sorted(v for v in entity.get(prop, quiet=True) if v)


def _dataset(entity: Any, default: str) -> str:
    """The source dataset: a StatementEntity's statement datasets, else its dataset."""
    names = getattr(entity, "datasets", None)
    if names and not isinstance(names, str):
        return str(sorted(names)[0])
    dataset = getattr(entity, "dataset", None)
    if isinstance(dataset, str):
        return dataset
    name = getattr(dataset, "name", None)
    return str(name) if name and name != "default" else default


def _person_names(entity: Any) -> list[str]:
    names = _values(entity, "name") + _values(entity, "alias")
    # A name in Cyrillic is also compared in its Ukrainian romanisation (Oleh, not Oleg).
    names += [r for n in list(names) for r in romanisations(n) if r not in names]
    first = " ".join(_values(entity, "firstName")[:1] + _values(entity, "middleName")[:1])
    last = " ".join(_values(entity, "lastName")[:1])
    composed = f"{first} {last}".strip()
    if composed and composed.lower() not in {n.lower() for n in names}:
        names.append(composed)
    return names


def _phones(entity: Any) -> list[str]:
    out: list[str] = []
    for raw in _values(entity, "phone"):
        e164 = raw if raw.startswith("+") else phone_e164(raw)
        if e164 and e164 not in out:
            out.append(e164)
    return out


def _person_documents(entity: Any) -> list[Document]:
    country = first_value(entity, "nationality")
    docs = [
        Document(doc_number(n), "passport", country) for n in _values(entity, "passportNumber")
    ]
    docs += [Document(doc_number(n), "id", country) for n in _values(entity, "idNumber")]
    return [d for d in docs if d.number]


def _document_of(entity: Any) -> Document | None:
    numbers = _values(entity, "passportNumber") + _values(entity, "number")
    if not numbers or not numbers[0].strip():
        return None
    kind = "passport" if entity.schema.name == "Passport" else "id"
    doc_type = (_values(entity, "type") or [kind])[0].lower()
    if "passport" in doc_type:
        doc_type = "passport"
    country = first_value(entity, "country")
    return Document(doc_number(numbers[0]), doc_type, country)


def crossing(day: str, origin: str, destination: str) -> str | None:
    """One border crossing as a record carries it (compare/travel.py reads it), or None
    if the day or a country is missing."""
    if len(day) < 10 or not origin or not destination:
        return None
    return f"{day[:10]} {origin.lower()}>{destination.lower()}"


def records_from_entities(entities: Iterable[Any], dataset: str = "default") -> list[PersonRecord]:
    """Person records from FtM entities; documents are joined to persons by ``holder``,
    border crossings (Trip, its start and end Address's country) by ``involved``.

    Entities of other schemata are ignored. ``dataset`` is used when an entity does not
    say which dataset it comes from.
    """
    persons: dict[str, PersonRecord] = {}
    held: list[tuple[str, Document]] = []
    trips: list[tuple[list[str], str, str, str]] = []
    country_of: dict[str, str] = {}
    for entity in entities:
        schema = entity.schema
        if schema.is_a("Address"):
            if entity.id and (iso := first_value(entity, "country")):
                country_of[entity.id] = iso
            continue
        if schema.is_a("Trip"):
            ends = (first_value(entity, "startLocation"), first_value(entity, "endLocation"))
            day = first_value(entity, "startDate")
            if day and ends[0] and ends[1]:
                trips.append((_values(entity, "involved"), day, ends[0], ends[1]))
            continue
        if schema.is_a("Identification"):
            doc = _document_of(entity)
            holders = _values(entity, "holder")
            if doc is not None and holders:
                held.append((holders[0], doc))
            continue
        if not schema.is_a("Person") or entity.id is None:
            continue
        dates = [d for d in (clean_date(v) for v in _values(entity, "birthDate")) if d]
        persons[entity.id] = PersonRecord(
            entity_id=entity.id,
            dataset=_dataset(entity, dataset),
            names=_person_names(entity),
            birth_dates=[d[:10] for d in dates],
            gender=first_value(entity, "gender"),
            nationalities=_values(entity, "nationality"),
            phones=_phones(entity),
            documents=_person_documents(entity),
            addresses=_values(entity, "address"),
            emails=[e.lower() for e in _values(entity, "email")],
            family_names=_values(entity, "lastName")[:1],
        )
    for holder, doc in held:
        record = persons.get(holder)
        if record is not None and doc not in record.documents:
            record.documents.append(doc)
    for involved, day, start, end in trips:
        crossed = crossing(day, country_of.get(start, ""), country_of.get(end, ""))
        for person in involved:
            record = persons.get(person)
            if crossed and record is not None and crossed not in record.crossings:
                record.crossings.append(crossed)
    for record in persons.values():
        record.crossings.sort()
    return list(persons.values())


# Person records as Arrow columns: a few dozen bytes a record instead of a Python object,
# so millions can be held (or written to a file) and turned back into records a slice at
# a time, where they are compared.
_LIST = pa.list_(pa.string())
RECORD_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("dataset", pa.string()),
        ("names", _LIST),
        ("birth_dates", _LIST),
        ("gender", pa.string()),
        ("nationalities", _LIST),
        ("phones", _LIST),
        ("doc_numbers", _LIST),
        ("doc_types", _LIST),
        ("doc_countries", _LIST),
        ("addresses", _LIST),
        ("emails", _LIST),
        ("family_names", _LIST),
        ("crossings", _LIST),
    ]
)


# The columns taken from a record as they are (documents are split into three).
_RECORD_FIELDS = (
    "entity_id", "dataset", "names", "birth_dates", "gender", "nationalities",
    "phones", "addresses", "emails", "family_names", "crossings",
)  # fmt: skip


def records_batch(records: list[PersonRecord]) -> pa.RecordBatch:
    """A list of records as one Arrow batch of ``RECORD_SCHEMA``."""
    columns: dict[str, list[Any]] = {f.name: [] for f in RECORD_SCHEMA}
    for r in records:
        for key in _RECORD_FIELDS:
            columns[key].append(getattr(r, key))
        columns["doc_numbers"].append([d.number for d in r.documents])
        columns["doc_types"].append([d.type for d in r.documents])
        columns["doc_countries"].append([d.country or "" for d in r.documents])
    return pa.RecordBatch.from_pydict(columns, schema=RECORD_SCHEMA)


class ArrowRecords(Sequence[PersonRecord]):
    """Records held as an Arrow table, read back as ``PersonRecord`` objects a slice at a
    time (``feature_table`` hands slices to its workers)."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @overload
    def __getitem__(self, index: int) -> PersonRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[PersonRecord]: ...
    def __getitem__(self, index: int | slice) -> PersonRecord | list[PersonRecord]:
        if isinstance(index, int):
            return self._records(index % len(self), 1)[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("ArrowRecords slices have a step of 1")
        return self._records(start, max(0, stop - start))

    def __iter__(self) -> Iterator[PersonRecord]:
        for start in range(0, len(self), 50_000):
            yield from self._records(start, 50_000)

    def _records(self, start: int, length: int) -> list[PersonRecord]:
        part = self.table.slice(start, length).to_pydict()
        out = []
        for i, eid in enumerate(part["entity_id"]):
            docs = [
                Document(n, t, c or None)
                for n, t, c in zip(
                    part["doc_numbers"][i] or [],
                    part["doc_types"][i] or [],
                    part["doc_countries"][i] or [],
                    strict=True,
                )
            ]
            out.append(
                PersonRecord(
                    entity_id=eid,
                    dataset=part["dataset"][i],
                    names=part["names"][i] or [],
                    birth_dates=part["birth_dates"][i] or [],
                    gender=part["gender"][i],
                    nationalities=part["nationalities"][i] or [],
                    phones=part["phones"][i] or [],
                    documents=docs,
                    addresses=part["addresses"][i] or [],
                    emails=part["emails"][i] or [],
                    family_names=part["family_names"][i] or [],
                    crossings=part["crossings"][i] or [],
                )
            )
        return out
