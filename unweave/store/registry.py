"""Agencies and datasets: who holds the data, under which handling code and legal basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from unweave.errors import ConfigError, NotFound
from unweave.normalize.values import country as clean_country
from unweave.store.db import Store
from unweave.store.tables import HANDLING_CODES, agencies, datasets


@dataclass(frozen=True)
class Agency:
    id: int
    code: str
    name: str
    country: str


@dataclass(frozen=True)
class DatasetInfo:
    id: int
    name: str
    agency_code: str
    agency_country: str
    handling: str
    conditions: str | None
    legal_basis: str | None
    retention_until: date | None


def utcnow() -> datetime:
    """Naive UTC, as every timestamp in the store."""
    return datetime.now(UTC).replace(tzinfo=None)


def check_handling(code: str, conditions: str | None) -> str:
    code = code.upper()
    if code not in HANDLING_CODES:
        raise ConfigError(f"unknown handling code {code!r}", hint="use H0, H1, H2 or H3")
    if code == "H3" and not (conditions and conditions.strip()):
        raise ConfigError("handling code H3 needs its conditions text", hint="pass --conditions")
    return code


def add_agency(store: Store, code: str, name: str, country: str) -> Agency:
    iso = clean_country(country)
    if iso is None:
        raise ConfigError(f"unknown country {country!r} for agency {code}")
    with store.engine.begin() as conn:
        if _agency_row(conn, code) is not None:
            raise ConfigError(f"agency {code} exists already")
        conn.execute(agencies.insert().values(code=code, name=name, country=iso))
        return _agency(conn, code)


def get_agency(store: Store, code: str) -> Agency:
    with store.engine.connect() as conn:
        return _agency(conn, code)


def list_agencies(store: Store) -> list[Agency]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(agencies).order_by(agencies.c.code)).all()
    return [Agency(r.id, r.code, r.name, r.country) for r in rows]


def _agency_row(conn: Connection, code: str):  # type: ignore[no-untyped-def]
    return conn.execute(select(agencies).where(agencies.c.code == code)).first()


def _agency(conn: Connection, code: str) -> Agency:
    row = _agency_row(conn, code)
    if row is None:
        raise NotFound(f"no agency {code!r}", hint="create it with `unweave agency add`")
    return Agency(row.id, row.code, row.name, row.country)


def add_dataset(
    store: Store,
    name: str,
    agency_code: str,
    handling: str = "H0",
    conditions: str | None = None,
    legal_basis: str | None = None,
    retention_until: date | None = None,
) -> DatasetInfo:
    handling = check_handling(handling, conditions)
    with store.engine.begin() as conn:
        agency = _agency(conn, agency_code)
        if conn.execute(select(datasets.c.id).where(datasets.c.name == name)).first():
            raise ConfigError(f"dataset {name} exists already")
        conn.execute(
            datasets.insert().values(
                name=name,
                agency_id=agency.id,
                handling=handling,
                conditions=conditions,
                legal_basis=legal_basis,
                retention_until=retention_until,
                created_at=utcnow(),
            )
        )
    return get_dataset(store, name)


def _dataset_query():  # type: ignore[no-untyped-def]
    return select(
        datasets,
        agencies.c.code.label("agency_code"),
        agencies.c.country.label("agency_country"),
    ).join(agencies, agencies.c.id == datasets.c.agency_id)


def _info(row) -> DatasetInfo:  # type: ignore[no-untyped-def]
    return DatasetInfo(
        id=row.id,
        name=row.name,
        agency_code=row.agency_code,
        agency_country=row.agency_country,
        handling=row.handling,
        conditions=row.conditions,
        legal_basis=row.legal_basis,
        retention_until=row.retention_until,
    )


def get_dataset(store: Store, name: str) -> DatasetInfo:
    with store.engine.connect() as conn:
        row = conn.execute(_dataset_query().where(datasets.c.name == name)).first()
    if row is None:
        raise NotFound(f"no dataset {name!r}", hint="create it with `unweave dataset add`")
    return _info(row)


def list_datasets(store: Store) -> list[DatasetInfo]:
    with store.engine.connect() as conn:
        rows = conn.execute(_dataset_query().order_by(datasets.c.name)).all()
    return [_info(r) for r in rows]


def ensure_dataset(
    store: Store,
    name: str,
    agency_code: str | None,
    handling: str | None,
    conditions: str | None = None,
) -> DatasetInfo:
    """For scripted ingest: the dataset, created (with its agency) when missing."""
    try:
        return get_dataset(store, name)
    except NotFound:
        if agency_code is None:
            raise NotFound(
                f"no dataset {name!r}", hint="pass --agency CODE to create it on the fly"
            ) from None
    try:
        get_agency(store, agency_code)
    except NotFound:
        # The agency's country is the default region of its phone numbers: take it from a
        # code such as "IT-SCO" or "GB_NCA", or ask for it.
        prefix = agency_code.replace("_", "-").split("-")[0]
        country = clean_country(prefix) if len(prefix) in (2, 3) else None
        if country is None:
            raise NotFound(
                f"no agency {agency_code!r} and no country in its code",
                hint=f"create it first: unweave agency add {agency_code} --name ... --country ...",
            ) from None
        add_agency(store, agency_code, agency_code, country)
    return add_dataset(store, name, agency_code, handling or "H0", conditions)
