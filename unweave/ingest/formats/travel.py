"""Border crossings and travel -> Person, Passport/Identification, Trip, Vehicle."""

from __future__ import annotations

from typing import Any

from unweave.ingest.draft import EntityDraft, RowError, make_id
from unweave.ingest.formats import Format, FormatContext, text
from unweave.normalize.names import latin
from unweave.normalize.values import country, date


def _place(iso: str, label: str, ctx: FormatContext) -> EntityDraft:
    place = EntityDraft("Address", make_id(ctx.dataset, "country", iso), ctx)
    place.add("full", label)
    place.add("country", iso)
    return place


def convert(record: dict[str, Any], ctx: FormatContext) -> list[EntityDraft]:
    for name in ("name", "date", "from_country", "to_country"):
        if not text(record, name):
            raise RowError("required value is empty", field=name)
    places = {}
    for side in ("from_country", "to_country"):
        raw = text(record, side)
        iso = country(raw)
        if iso is None:
            raise RowError(f"unknown country {raw!r}", field=side)
        places[side] = (iso, raw)
    when = text(record, "date")
    if date(when) is None:
        raise RowError(f"date {when!r} is not a date", field="date")

    name, birth = text(record, "name"), text(record, "birth_date")
    doc_number = text(record, "document_number")
    doc_type = text(record, "document_type").lower() or "passport"
    nationality = text(record, "nationality")
    doc_country = text(record, "document_country") or nationality
    doc_key = "".join(doc_number.split()).upper()
    record_id = text(record, "record_id")
    # One traveller per document, or per name and birth date. A name alone is no identity:
    # namesakes' crossings would make one person before resolution could keep them apart,
    # so such a crossing's traveller is a record of its own.
    if doc_key:
        person_key: tuple[str, ...] = ("doc", doc_key, country(doc_country) or doc_country)
    elif birth:
        person_key = ("name", latin(name), birth)
    else:
        ends = (places["from_country"][0], places["to_country"][0])
        person_key = ("crossing", latin(name), record_id, when, *ends)
    person = EntityDraft("Person", make_id(ctx.dataset, "person", *person_key), ctx)
    person.add("name", name, field="name")
    person.add("birthDate", birth or None, field="birth_date")
    person.add("gender", text(record, "gender") or None, field="gender")
    person.add("nationality", nationality or None, field="nationality")
    drafts = [person]

    if doc_key:
        schema = "Passport" if doc_type == "passport" else "Identification"
        doc = EntityDraft(schema, make_id(ctx.dataset, "doc", doc_key, doc_country), ctx)
        doc.add("holder", person.id)
        doc.add("number", doc_number, field="document_number")
        doc.add("type", doc_type, field="document_type")
        doc.add("country", doc_country or None, field="document_country")
        drafts.append(doc)

    start = _place(places["from_country"][0], places["from_country"][1], ctx)
    end = _place(places["to_country"][0], places["to_country"][1], ctx)
    drafts += [start, end]
    trip_key = record_id or "|".join([person.id, when, start.id, end.id])
    trip = EntityDraft("Trip", make_id(ctx.dataset, "trip", trip_key), ctx)
    trip.add("name", f"{places['from_country'][0]} → {places['to_country'][0]}")
    trip.add("involved", person.id)
    trip.add("startDate", when, field="date")
    trip.add("startLocation", start.id)
    trip.add("endLocation", end.id)
    trip.add("location", text(record, "crossing_point") or None, field="crossing_point")
    trip.add("recordId", record_id or None, field="record_id")
    vehicle = text(record, "vehicle")
    if vehicle:
        plate = "".join(vehicle.split()).upper()
        car = EntityDraft("Vehicle", make_id(ctx.dataset, "vehicle", plate), ctx)
        car.add("registrationNumber", vehicle, field="vehicle")
        car.add("name", vehicle, field="vehicle")
        trip.add("vehicle", car.id)
        drafts.append(car)
    drafts.append(trip)
    return drafts


FORMAT = Format(
    name="travel",
    tabular=True,
    required=frozenset({"name", "date", "from_country", "to_country"}),
    convert=convert,
    description="border crossings and travel",
)
