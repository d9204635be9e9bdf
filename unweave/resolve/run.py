"""A resolution run over the store: records out, engine, judgements and clusters in.

The engine proposes; the run records its confident links as judgements (a shared identity
document under ``unweave:rule``, a high score under ``unweave:engine``), keeps every
candidate pair with its explanation for review, and rebuilds the clusters. It never writes
over a pair a person has judged. An incremental run resolves only the records that are new
or changed since the last run, together with the existing records that share a name, a
birth date, a document or a phone with them, so earlier work is kept, not redone.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, delete, select, tuple_

from unweave.normalize.names import canonical_tokens, skeletons
from unweave.resolve import clusters as clustering
from unweave.resolve.compare.travel import compare_crossings
from unweave.resolve.engine import (
    IDENTIFIER,
    MATCH,
    REVIEW,
    EngineConfig,
    ResolutionEngine,
    ScoredPair,
    StaleModel,
)
from unweave.resolve.identifiers import identifier_pairs, records_with_identifiers
from unweave.resolve.judgements import POSITIVE, record
from unweave.resolve.model import CROSSED_BACK
from unweave.resolve.phonebook import phone_links
from unweave.resolve.records import PersonRecord, records_from_entities
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.protect import compact, has_protected, protect_store
from unweave.store.reader import StoreView
from unweave.store.registry import utcnow
from unweave.store.scope import Scope
from unweave.store.tables import (
    judgements,
    match_candidates,
    resolution_records,
    resolution_runs,
)
from unweave.store.vault import require_keyring

RECORD_SCHEMATA = ("Person", "Passport", "Identification", "Trip", "Address")
ENGINE_USER, RULE_USER = "unweave:engine", "unweave:rule"


@dataclass
class RunSummary:
    run_id: int
    mode: str
    records: int
    resolved: int  # records given to the engine
    pairs: int
    linked: int  # new machine judgements
    review: int
    clusters: int
    conflicts: int
    timings: dict[str, float] = field(default_factory=dict)
    note: str = ""  # why the run is not the one asked for (a full run instead)


def fingerprint(rec: PersonRecord) -> str:
    return hashlib.sha1(json.dumps(asdict(rec), sort_keys=True).encode()).hexdigest()


def _keys(rec: PersonRecord) -> set[str]:
    """Blocking keys for finding the existing records a new one should meet."""
    keys = {f"doc:{d.number}" for d in rec.documents} | {f"tel:{p}" for p in rec.phones}
    keys |= {f"dob:{d}" for d in rec.birth_dates if len(d) == 10}
    for name in rec.names:
        keys.add("name:" + " ".join(sorted(canonical_tokens(name))))
        keys |= {f"skel:{s}" for s in skeletons(name) if len(s) >= 3}
    return keys


def neighbourhood(new: list[PersonRecord], old: list[PersonRecord]) -> list[PersonRecord]:
    wanted = set().union(*(_keys(r) for r in new)) if new else set()
    return new + [r for r in old if _keys(r) & wanted]


def load_records(store: Store) -> list[PersonRecord]:
    with store.engine.connect() as conn:
        if has_protected(conn):
            # Victims are compared on their real names, dates and documents, decrypted.
            require_keyring("resolution compares victims' records, which are encrypted")
    view = StoreView(store, Scope.everything())
    return records_from_entities(view.iter_records(RECORD_SCHEMATA))


def _evidence(pair: Any) -> str:
    return json.dumps(
        [{"feature": e.feature, "level": e.level, "reason": e.reason} for e in pair.evidence],
        ensure_ascii=False,
    )


def _judged_pairs(conn: Connection) -> set[tuple[str, str]]:
    rows = conn.execute(select(judgements.c.left_id, judgements.c.right_id).distinct())
    return {(r.left_id, r.right_id) for r in rows}


def resolve_store(
    store: Store,
    engine: str = "duckdb",
    threshold: float = 0.95,
    incremental: bool = True,
    user: str = ENGINE_USER,
) -> RunSummary:
    timings: dict[str, float] = {}
    t = time.perf_counter()
    records = load_records(store)
    prints = {r.entity_id: fingerprint(r) for r in records}
    with store.engine.connect() as conn:
        seen = {r.entity_id: r.fingerprint for r in conn.execute(select(resolution_records))}
    timings["load"] = time.perf_counter() - t
    mode = "incremental" if incremental and seen else "full"
    if mode == "incremental":
        new = [r for r in records if seen.get(r.entity_id) != prints[r.entity_id]]
        old = [r for r in records if seen.get(r.entity_id) == prints[r.entity_id]]
        subset = neighbourhood(new, old) if new else []
    else:
        subset = records
    config = EngineConfig(threshold=threshold)
    pairs = []
    # An incremental run scores its few records with the model the last full run trained
    # on all of them: training on a handful of records would be unstable.
    trained = _last_model(store) if mode == "incremental" else None
    model_json, note = None, ""
    if len(subset) >= 2:
        try:
            result = ResolutionEngine(engine, config).resolve(subset, trained=trained)
        except StaleModel:
            # The comparisons changed since the last full run (a new version): its model
            # cannot score the new records, so everything is resolved and trained again.
            # Judgements stay, and canonical ids stay where the clusters are the same.
            mode, subset, trained = "full", records, None
            note = "the saved model no longer fits the comparisons: trained again on all"
            result = ResolutionEngine(engine, config).resolve(subset, trained=None)
        timings.update(result.timings)
        by_id = {r.entity_id: r for r in subset}
        pairs = [_crossings_named(p, by_id) for p in result.scored_pairs()]
        if trained is None and result.trained is not None:
            model_json = json.dumps(result.trained)
    t = time.perf_counter()
    started = utcnow()
    with store.engine.begin() as conn:
        run_id = int(
            conn.execute(
                resolution_runs.insert().values(
                    engine=engine,
                    mode=mode,
                    threshold=threshold,
                    records=len(records),
                    pairs=len(pairs),
                    linked=0,
                    review=0,
                    model=model_json,
                    started_at=started,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        linked = _record_pairs(conn, pairs, run_id, full=mode == "full")
        linked += _link_identifiers(conn, store)
        mapping, conflicts = clustering.rebuild(conn)
        phoned = _link_phone_entries(conn, records, mapping)
        if phoned:
            linked += phoned
            mapping, conflicts = clustering.rebuild(conn)
        # A record merged with a victim's is protected as the victim's own.
        resealed = protect_store(conn, "resolution merged records with a victim's")
        _remember(conn, prints, seen, run_id)
        review = sum(1 for p in pairs if p.decision == REVIEW)
        audit.append(
            conn,
            user,
            "resolve",
            {"run": run_id, "mode": mode, "engine": engine, "linked": linked, "pairs": len(pairs)},
        )
        conn.execute(
            resolution_runs.update()
            .where(resolution_runs.c.id == run_id)
            .values(linked=linked, review=review, ended_at=utcnow())
        )
    if resealed:
        compact(store)
    timings["judge"] = time.perf_counter() - t
    return RunSummary(
        run_id=run_id,
        mode=mode,
        records=len(records),
        resolved=len(subset),
        pairs=len(pairs),
        linked=linked,
        review=review,
        clusters=len(set(mapping.values())),
        conflicts=len(conflicts),
        timings=timings,
        note=note,
    )


def _crossings_named(pair: ScoredPair, by_id: dict[str, PersonRecord]) -> ScoredPair:
    """A crossing back's evidence names the two crossings and the days between them,
    which the level's label cannot: what a reviewer checks against the case file."""
    left, right = by_id.get(pair.left_id), by_id.get(pair.right_id)
    at = [i for i, e in enumerate(pair.evidence) if e.feature == "travel"]
    if not at or pair.evidence[at[0]].level != CROSSED_BACK or left is None or right is None:
        return pair
    found = compare_crossings(left.crossings, right.crossings)
    if found.level != "likely":
        return pair
    item = pair.evidence[at[0]]
    weight = item.reason.rpartition("(weight")[2]
    evidence = list(pair.evidence)
    evidence[at[0]] = replace(item, reason=f"{found.reason} (weight{weight}")
    return replace(pair, evidence=evidence)


def _record_pairs(conn: Connection, pairs: Iterable[Any], run_id: int, full: bool) -> int:
    """Keep the candidates for review; judge the confident pairs nobody has judged yet."""
    pairs = list(pairs)
    if full:
        conn.execute(delete(match_candidates))
    elif pairs:
        keys = [tuple(sorted((p.left_id, p.right_id))) for p in pairs]
        for start in range(0, len(keys), 500):
            conn.execute(
                delete(match_candidates).where(
                    tuple_(match_candidates.c.left_id, match_candidates.c.right_id).in_(
                        keys[start : start + 500]
                    )
                )
            )
    rows = []
    for p in pairs:
        left, right = sorted((p.left_id, p.right_id))
        rows.append(
            {
                "left_id": left,
                "right_id": right,
                "probability": p.probability,
                "weight": p.weight,
                "decision": p.decision,
                "reason": p.reason,
                "evidence": _evidence(p),
                "run_id": run_id,
            }
        )
    if rows:
        conn.execute(match_candidates.insert(), rows)
    judged = _judged_pairs(conn)
    linked = 0
    for p in pairs:
        key = tuple(sorted((p.left_id, p.right_id)))
        if p.decision not in (IDENTIFIER, MATCH) or key in judged:
            continue
        user = RULE_USER if p.decision == IDENTIFIER else ENGINE_USER
        reason = f"{p.reason} (p={p.probability:.3f})"
        record(conn, p.left_id, p.right_id, POSITIVE, user, reason, p.probability)
        linked += 1
    return linked


def _last_model(store: Store) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        text = conn.execute(
            select(resolution_runs.c.model)
            .where(resolution_runs.c.model.is_not(None))
            .order_by(resolution_runs.c.id.desc())
            .limit(1)
        ).scalar()
    return json.loads(text) if text else None


def _link_by_rule(conn: Connection, links: Iterable[tuple[str, str, str]]) -> int:
    """Links a rule is sure of, as judgements of ``unweave:rule``, never over a pair
    someone has judged; how many were recorded."""
    judged = _judged_pairs(conn)
    linked = 0
    for left, right, reason in links:
        if tuple(sorted((left, right))) in judged:
            continue
        record(conn, left, right, POSITIVE, RULE_USER, reason, 1.0)
        linked += 1
    return linked


def _link_identifiers(conn: Connection, store: Store) -> int:
    """Accounts, wallets, vehicles and organisations sharing an identifier: one each."""
    view = StoreView(store, Scope.everything())
    return _link_by_rule(conn, identifier_pairs(records_with_identifiers(view)))


def _link_phone_entries(
    conn: Connection, records: list[PersonRecord], mapping: dict[str, str]
) -> int:
    """Contact entries joined to the one identified person carrying their phone
    (phonebook.py)."""
    links = phone_links(records, mapping)
    return _link_by_rule(conn, ((link.entry, link.member, link.reason) for link in links))


def _remember(conn: Connection, prints: dict[str, str], seen: dict[str, str], run_id: int) -> None:
    changed = [(e, fp) for e, fp in prints.items() if seen.get(e) != fp]
    gone = [e for e in seen if e not in prints]
    for start in range(0, len(gone), 500):
        conn.execute(
            delete(resolution_records).where(
                resolution_records.c.entity_id.in_(gone[start : start + 500])
            )
        )
    changed_ids = [e for e, _ in changed if e in seen]
    for start in range(0, len(changed_ids), 500):
        conn.execute(
            delete(resolution_records).where(
                resolution_records.c.entity_id.in_(changed_ids[start : start + 500])
            )
        )
    if changed:
        conn.execute(
            resolution_records.insert(),
            [{"entity_id": e, "fingerprint": fp, "run_id": run_id} for e, fp in changed],
        )
