"""The single read path of the store: statements, entities and counts, within a Scope.

Nothing else in Unweave queries the statements table for reading: search, entity views,
exports, graphs and reports all come through a StoreView, so that what a reader may see is
decided in one place (store/scope.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from followthemoney import StatementEntity
from sqlalchemy import Dialect, Select, func, select

from unweave.errors import NotFound
from unweave.model import model  # noqa: F401 - entities may use Unweave's own schemata
from unweave.store import mergescope, rawsql
from unweave.store.db import Store
from unweave.store.facts import (
    CANONICAL,
    FACT_SQL,
    Fact,
    entity_from_facts,
    fact_from_row,
    fact_query,
)
from unweave.store.protect import shown
from unweave.store.scope import Scope
from unweave.store.tables import agencies, clusters, datasets, search_terms, statements
from unweave.store.vault import keyring


@lru_cache(maxsize=256)
def _scope_text(scope: Scope, dialect: Dialect, search_rows: bool = False) -> str:
    if search_rows:  # on search_terms "st", which carry their statement's dataset and entity
        rows = search_terms.alias("st")
        # "+ 0": SQLite must not walk the search rows' dataset index instead of the full-text
        # match (262 ms for a surname against 1 ms)
        condition = scope.visible(rows.c.dataset_id + 0, rows.c.entity_id)
    else:
        seen = statements.alias("s")
        condition = scope.visible(seen.c.dataset_id, seen.c.entity_id, seen.c.handling)
    # Rendered with literal values (dataset ids and entity ids, quoted by the dialect), once
    # per scope: the scope is the one condition every read carries, here in plain SQL.
    rendered = str(condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.paramstyle in ("format", "pyformat"):
        # The literals come with "%" doubled for the driver; rawsql doubles them itself.
        rendered = rendered.replace("%%", "%")
    return " AND (" + rendered + ")"


def _regrouped(group: list[Fact], seen: dict[str, str]) -> list[Fact]:
    # A record in no cluster is named by its own id (CANONICAL): nothing to rename.
    if not group or group[0].canonical_id == group[0].entity_id:
        return group
    named = [replace(f, canonical_id=seen.get(f.entity_id, f.entity_id)) for f in group]
    return sorted(named, key=lambda f: (f.canonical_id, f.entity_id, f.prop))


class StoreView:
    """The store as one reader may see it."""

    def __init__(self, store: Store, scope: Scope) -> None:
        self.store = store
        self.scope = scope
        # Victims' sealed facts: decrypted for a reader who may see them, with the key;
        # otherwise a pseudonym for the name and nothing else (store/protect.py).
        self._ring = keyring() if scope.reveal_victims else None

    @property
    def reads_sealed(self) -> bool:
        """Are victims' sealed facts decrypted for this reader (else only names show)?"""
        return self._ring is not None

    def _shown(self, facts: Iterable[Fact]) -> Iterator[Fact]:
        for fact in facts:
            seen = shown(fact, fact.key_id, self.scope.reveal_victims, self._ring)
            if seen is not None:
                yield seen

    def _visible(self, query: Select[Any]) -> Select[Any]:
        return query.where(
            self.scope.visible(
                statements.c.dataset_id, statements.c.entity_id, statements.c.handling
            )
        )

    def scope_sql(self) -> str:
        """The scope as a condition on statements ``s`` for plain SQL: " AND (...)"."""
        if self.scope.unrestricted:
            return ""
        return _scope_text(self.scope, self.store.engine.dialect)

    def search_rows_sql(self) -> str | None:
        """The scope as a condition on search rows ``st``, which spares a search joining
        each row to its statement; None when a grant withholds handling codes (only the
        statement has them: join it and use ``scope_sql``)."""
        if self.scope.unrestricted:
            return ""
        if any(g.withheld for g in self.scope.grants or ()):
            return None
        return _scope_text(self.scope, self.store.engine.dialect, search_rows=True)

    def facts(self, entity_ids: Iterable[str]) -> list[Fact]:
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        sql = FACT_SQL + "WHERE s.entity_id IN :ids" + self.scope_sql()
        with rawsql.cursor(self.store) as cur:
            rows = cur.all(sql + " ORDER BY s.entity_id, s.prop, s.value", ids=ids)
        facts = [fact_from_row(r) for r in rows]
        if not self.scope.unrestricted and any(f.canonical_id != f.entity_id for f in facts):
            with self.store.engine.connect() as conn:
                facts = self._as_seen(conn, facts)
        return list(self._shown(facts))

    def _visible_records(self, conn: Any, entity_ids: list[str]) -> set[str]:
        """Those of these records of which the reader may see at least one statement."""
        found: set[str] = set()
        for start in range(0, len(entity_ids), 500):
            query = self._visible(
                select(statements.c.entity_id)
                .where(statements.c.entity_id.in_(entity_ids[start : start + 500]))
                .distinct()
            )
            found.update(conn.execute(query).scalars())
        return found

    def visible_records(self, entity_ids: list[str]) -> set[str]:
        """Those of these record ids of which the reader may see something."""
        if self.scope.unrestricted:
            return set(entity_ids)
        with self.store.engine.connect() as conn:
            return self._visible_records(conn, entity_ids)

    def _cluster(self, conn: Any, canonical: str) -> dict[str, str]:
        """One cluster as this reader sees it: visible record -> the entity it is part of."""
        found = sorted(
            conn.execute(
                select(clusters.c.entity_id).where(clusters.c.canonical_id == canonical)
            ).scalars()
        )
        if self.scope.unrestricted:
            return {e: canonical for e in found}
        visible = self._visible_records(conn, found)
        return mergescope.split(visible, mergescope.positive_links(conn, visible))

    def seen_as(self, conn: Any, canonical_ids: Iterable[str]) -> dict[str, str]:
        """Record -> the entity it is part of for this reader, over these clusters."""
        mapping: dict[str, str] = {}
        for canonical in sorted(set(canonical_ids)):
            mapping.update(self._cluster(conn, canonical))
        return mapping

    def _as_seen(self, conn: Any, facts: list[Fact]) -> list[Fact]:
        """Facts with the canonical id of the entity as this reader sees it."""
        if self.scope.unrestricted:
            return facts
        mapping = self.seen_as(
            conn, (f.canonical_id for f in facts if f.canonical_id != f.entity_id)
        )
        return [
            replace(f, canonical_id=mapping.get(f.entity_id, f.entity_id))
            if f.canonical_id != f.entity_id
            else f
            for f in facts
        ]

    def canonical_ids(self) -> dict[str, str]:
        """record id -> canonical id for the merged records this reader may see.

        A record left alone in the reader's view of its cluster is not listed: for this
        reader it is not merged."""
        with self.store.engine.connect() as conn:
            mapping = {r.entity_id: r.canonical_id for r in conn.execute(select(clusters))}
            if self.scope.unrestricted:
                return mapping
            visible = self._visible_records(conn, sorted(mapping))
            links = mergescope.positive_links(conn) if visible else []
        by_cluster: dict[str, list[str]] = {}
        for record in sorted(visible):
            by_cluster.setdefault(mapping[record], []).append(record)
        links_of: dict[str, list[tuple[str, str]]] = {}
        for a, b in links:
            if a in visible and b in visible and mapping[a] == mapping[b]:
                links_of.setdefault(mapping[a], []).append((a, b))
        seen: dict[str, str] = {}
        for canonical, records in by_cluster.items():
            part = mergescope.split(records, links_of.get(canonical, []))
            sizes = Counter(part.values())
            seen.update({e: c for e, c in part.items() if sizes[c] > 1})
        return seen

    def members(self, entity_id: str) -> list[str]:
        """The visible records resolved into the same entity as this id.

        Records the reader may not see are left out, so membership reveals no other
        agency's record ids, and records joined only through an invisible record are not
        joined for this reader (mergescope.py); an id the reader may not see is not looked
        up at all (it would otherwise tell whether another agency holds it).
        """
        with rawsql.cursor(self.store) as cur:
            found = cur.one(
                "SELECT canonical_id FROM clusters WHERE entity_id = :e OR canonical_id = :e "
                "LIMIT 1",
                e=entity_id,
            )
        if found is None:
            return [entity_id]
        canonical = found[0]
        with self.store.engine.connect() as conn:
            part = self._cluster(conn, canonical)
        if entity_id != canonical and entity_id not in part:
            return [entity_id]  # not visible: answered as an unknown id would be
        name = part.get(entity_id, entity_id) if entity_id != canonical else canonical
        joined = sorted(e for e, c in part.items() if c == name)
        return joined or [entity_id]

    def facts_by_id(self, statement_ids: Iterable[str]) -> list[Fact]:
        """Statements by id (the evidence of a graph edge), the visible ones only."""
        ids = sorted(set(statement_ids))
        out: list[Fact] = []
        with self.store.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = self._visible(
                    fact_query().where(statements.c.id.in_(ids[start : start + 500]))
                )
                out.extend(Fact(*row) for row in conn.execute(query))
            out = list(self._shown(self._as_seen(conn, out)))
        return sorted(out, key=lambda f: (f.entity_id, f.prop, f.value))

    def entity(self, entity_id: str) -> StatementEntity:
        """The entity as resolved: every visible statement of every record merged into it."""
        facts = self.facts(self.members(entity_id))
        if not facts:
            # The same answer whether it does not exist or is not visible: no leak.
            raise NotFound(f"no entity {entity_id!r}")
        return entity_from_facts(facts)

    def iter_facts(self, schemata: Iterable[str] | None = None) -> Iterator[Fact]:
        """Every visible statement, ordered by resolved entity, streamed."""
        yield from self._shown(self._iter_facts(schemata))

    def _iter_facts(self, schemata: Iterable[str] | None = None) -> Iterator[Fact]:
        query = self._visible(fact_query())
        if schemata is not None:
            query = query.where(statements.c.schema.in_(sorted(schemata)))
        query = query.order_by(CANONICAL, statements.c.entity_id, statements.c.prop)
        seen = {} if self.scope.unrestricted else self.canonical_ids()
        with self.store.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
            if self.scope.unrestricted:
                for row in result:
                    yield Fact(*row)
                return
            # A reader may see a cluster as several entities (mergescope.py): each
            # cluster's facts, named as the reader sees them, again ordered by entity.
            group: list[Fact] = []
            for row in result:
                fact = Fact(*row)
                if group and fact.canonical_id != group[0].canonical_id:
                    yield from _regrouped(group, seen)
                    group = []
                group.append(fact)
            yield from _regrouped(group, seen)

    def iter_records(self, schemata: Iterable[str] | None = None) -> Iterator[StatementEntity]:
        """Entities as their sources recorded them, before resolution merged any."""
        batch: list[Fact] = []
        for fact in self.iter_facts(schemata):
            if batch and fact.entity_id != batch[0].entity_id:
                yield entity_from_facts([replace(f, canonical_id=f.entity_id) for f in batch])
                batch = []
            batch.append(fact)
        if batch:
            yield entity_from_facts([replace(f, canonical_id=f.entity_id) for f in batch])

    def iter_entities(self, schemata: Iterable[str] | None = None) -> Iterator[StatementEntity]:
        """Resolved entities, each with the visible statements of all its records."""
        batch: list[Fact] = []
        for fact in self.iter_facts(schemata):
            if batch and fact.canonical_id != batch[0].canonical_id:
                yield entity_from_facts(batch)
                batch = []
            batch.append(fact)
        if batch:
            yield entity_from_facts(batch)

    def entities_with_value(self, prop_type: str, value: str) -> list[str]:
        """Ids of entities holding a normalised value (a phone, a document number...)."""
        sql = (
            "SELECT DISTINCT s.entity_id FROM statements s WHERE s.prop_type = :t AND s.value = :v"
        )
        with rawsql.cursor(self.store) as cur:
            return sorted(cur.scalars(sql + self.scope_sql(), t=prop_type, v=value))

    def stats(self) -> dict[str, list[dict[str, Any]]]:
        """Counts by agency, dataset and schema, of what this reader may see."""
        by_dataset = self._visible(
            select(
                agencies.c.code.label("agency"),
                datasets.c.name.label("dataset"),
                datasets.c.handling,
                datasets.c.conditions,
                func.count().label("statements"),
                func.count(statements.c.entity_id.distinct()).label("entities"),
            )
            .select_from(
                statements.join(datasets, datasets.c.id == statements.c.dataset_id).join(
                    agencies, agencies.c.id == datasets.c.agency_id
                )
            )
            .group_by(agencies.c.code, datasets.c.name, datasets.c.handling, datasets.c.conditions)
            .order_by(agencies.c.code, datasets.c.name)
        )
        by_schema = self._visible(
            select(
                statements.c.schema,
                func.count(statements.c.entity_id.distinct()).label("entities"),
            )
            .where(statements.c.prop == "id")
            .group_by(statements.c.schema)
            .order_by(statements.c.schema)
        )
        with self.store.engine.connect() as conn:
            datasets_rows = [dict(r._mapping) for r in conn.execute(by_dataset)]
            schema_rows = [dict(r._mapping) for r in conn.execute(by_schema)]
        agency_totals: dict[str, dict[str, Any]] = {}
        for row in datasets_rows:
            total = agency_totals.setdefault(
                row["agency"], {"agency": row["agency"], "datasets": 0, "statements": 0}
            )
            total["datasets"] += 1
            total["statements"] += row["statements"]
        return {
            "agencies": list(agency_totals.values()),
            "datasets": datasets_rows,
            "schemata": schema_rows,
        }
