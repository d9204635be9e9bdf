"""The owner's side of an index: build it from the store, keep the references, map back.

An index is built from datasets of one agency, through the store's read path. Its entries'
references and the entities they stand for stay in the owner's store (``linkage_refs``),
written in the same transaction as the index's row and its audit entry; the file holds the
references only.
"""

from __future__ import annotations

import csv
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from unweave.access.identity import User
from unweave.access.scopes import scope_for
from unweave.errors import ConfigError, Forbidden, NotFound
from unweave.linkage.encode import Encoder, Index, Params
from unweave.linkage.features import Features, account_features, person_features
from unweave.linkage.keys import PartnershipKey
from unweave.resolve.records import records_from_entities
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.registry import get_dataset, utcnow
from unweave.store.scope import Scope
from unweave.store.tables import agencies, datasets, linkage_indexes, linkage_refs

PERSON_SCHEMATA = ("Person", "Passport", "Identification")


@dataclass(frozen=True)
class Owned:
    """What a reference stands for, known to its owner alone."""

    ref: str
    entity_id: str
    dataset: str
    agency: str
    index_id: str


def entries_of(store: Store, dataset_ids: Iterable[int]) -> list[Features]:
    view = StoreView(store, Scope.of(dataset_ids))
    entries = [
        person_features(r) for r in records_from_entities(view.iter_records(PERSON_SCHEMATA))
    ]
    for account in view.iter_records(["BankAccount"]):
        found = account_features(
            str(account.id), sorted(account.datasets)[0], account.get("iban", quiet=True)
        )
        if found is not None:
            entries.append(found)
    return [e for e in entries if e.names or e.identifiers]


def _in_scope(store: Store, user: User, names: list[str]) -> None:
    """A user indexes only whole datasets of their own agency within their scope (what was
    shared with them from a partner is not theirs to put in an index). An unknown dataset
    and another's read the same: no oracle."""
    whole = scope_for(store, user).whole_datasets or frozenset()
    for name in names:
        try:
            info = get_dataset(store, name)
        except NotFound:
            info = None
        if info is None or info.id not in whole or info.agency_code != user.agency:
            raise Forbidden(
                f"{user.username} may index only datasets of {user.agency} in their scope; "
                f"there is none named {name!r}"
            )


def build_index(
    store: Store,
    dataset_names: list[str],
    key: PartnershipKey,
    by: str | User,
    contact: str | None = None,
    params: Params | None = None,
) -> Index:
    """Encode the datasets (all of one agency) and record the references, audited.

    ``by`` is the local administrator's name, or a user, who may index only the datasets
    of their agency in their scope."""
    if not dataset_names:
        raise ConfigError("no dataset to index", hint="pass --dataset NAME (repeatable)")
    if isinstance(by, User):
        _in_scope(store, by, dataset_names)
        by = by.username
    infos = [get_dataset(store, name) for name in dataset_names]
    owners = {i.agency_code for i in infos}
    if len(owners) > 1:
        raise ConfigError(
            f"an index holds the datasets of one agency, not of {', '.join(sorted(owners))}"
        )
    agency = owners.pop()
    ids = {i.name: i.id for i in infos}
    entries = entries_of(store, ids.values())
    index, mapping = Encoder(key, params).encode(entries)
    index_id = secrets.token_hex(16)
    now = utcnow()
    index.header = {
        "format": 1,
        "index_id": index_id,
        "agency": agency,
        "contact": contact or agency,
        "created_at": now.isoformat(timespec="seconds"),
        "params": vars(Encoder(key, params).params),
    }
    with store.engine.begin() as conn:
        agency_id = conn.execute(
            select(agencies.c.id).where(agencies.c.code == agency)
        ).scalar_one()
        conn.execute(
            linkage_indexes.insert().values(
                id=index_id,
                agency_id=agency_id,
                datasets=json.dumps(sorted(ids)),
                entries=len(mapping),
                padding=len(index) - len(mapping),
                built_by=by,
                built_at=now,
            )
        )
        rows = [
            {
                "ref": ref,
                "index_id": index_id,
                "dataset_id": ids[f.dataset],
                "entity_id": f.entity_id,
            }
            for ref, f in mapping
        ]
        for start in range(0, len(rows), 5000):
            conn.execute(linkage_refs.insert(), rows[start : start + 5000])
        audit.append(
            conn,
            by,
            "linkage_index",
            {"index": index_id, "datasets": sorted(ids), "entries": len(index)},
        )
    return index


def _owned_query():  # type: ignore[no-untyped-def]
    return (
        select(
            linkage_refs.c.ref,
            linkage_refs.c.entity_id,
            datasets.c.name.label("dataset"),
            agencies.c.code.label("agency"),
            linkage_refs.c.index_id,
        )
        .join(datasets, datasets.c.id == linkage_refs.c.dataset_id)
        .join(agencies, agencies.c.id == datasets.c.agency_id)
    )


def lookup(store: Store, refs: Iterable[str]) -> dict[str, Owned]:
    """The entities behind references of this node's indexes (unknown ones are left out:
    padding entries, or another node's references)."""
    wanted = sorted(set(refs))
    found: dict[str, Owned] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            query = _owned_query().where(linkage_refs.c.ref.in_(wanted[start : start + 500]))
            for row in conn.execute(query):
                found[row.ref] = Owned(*row)
    return found


def write_refs(store: Store, path: str | Path, by: str | User, index_id: str | None = None) -> int:
    """``ref,entity_id`` of this node's indexes (one index if given), for the owner alone:
    a user gets those of their agency's indexes, on datasets in their scope."""
    query = _owned_query().order_by(linkage_refs.c.index_id, linkage_refs.c.ref)
    if isinstance(by, User):
        whole = sorted(scope_for(store, by).whole_datasets or ())
        query = query.where(agencies.c.code == by.agency, linkage_refs.c.dataset_id.in_(whole))
        by = by.username
    if index_id is not None:
        query = query.where(linkage_refs.c.index_id == index_id)
    count = 0
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    with store.engine.begin() as conn:
        if index_id is not None:
            built = select(linkage_indexes.c.id).where(linkage_indexes.c.id == index_id)
            if conn.execute(built).first() is None:
                raise ConfigError(f"index {index_id} was not built on this node")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["ref", "entity_id"])
            for row in conn.execute(query):
                out.writerow([row.ref, row.entity_id])
                count += 1
        audit.append(conn, by, "linkage_refs", {"index": index_id, "refs": count})
    tmp.replace(target)
    return count
