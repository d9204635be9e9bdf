"""Search: a name in any script or spelling, a phone in any format, a document, an IBAN.

Each query token must match some visible statement of the entity, on its Latin words (as
a prefix), on its consonant skeleton (so "Mohammed" finds محمد) or on a compact
identifier. Digits-only queries are tried as phones too (with and without a trunk 0 or an
international 00). SQLite answers from FTS5, PostgreSQL from full-text indexes; the
candidates are then filtered by the reader's scope like every other read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from unweave.normalize.names import skeleton, tokens
from unweave.store.protect import blind_terms
from unweave.store.reader import Fact, StoreView, entity_from_facts
from unweave.store.searchterms import compact
from unweave.store.tables import statements
from unweave.store.vault import keyring

_PHONE_LIKE = re.compile(r"^[\s\d+()./-]{6,}$")


@dataclass
class SearchHit:
    entity_id: str
    schema: str
    caption: str
    score: float
    matched: list[Fact] = field(default_factory=list)  # the visible statements that matched
    datasets: list[str] = field(default_factory=list)
    handling: list[str] = field(default_factory=list)  # codes of the entity's visible facts
    conditions: list[str] = field(default_factory=list)  # H3 restrictions, shown with it

    @property
    def codes(self) -> str:
        """The handling codes, and any H3 restriction text, as one line to show."""
        text = ", ".join(self.handling)
        if self.conditions:
            text += " (" + "; ".join(self.conditions) + ")"
        return text


@dataclass(frozen=True)
class Clause:
    """One condition every hit must meet, as alternatives over the three columns."""

    words: tuple[str, ...] = ()  # prefix matches on Latin words
    skeletons: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # prefix matches on compact identifiers


def plan(query: str) -> list[Clause]:
    """Turn a user's query into clauses that must all hold."""
    raw = query.strip()
    if not raw:
        return []
    if _PHONE_LIKE.match(raw):
        digits = re.sub(r"\D", "", raw)
        keys = {digits}
        if raw.lstrip().startswith("00"):
            keys.add(digits[2:])
        if digits.startswith("0"):
            keys.add(digits.lstrip("0"))
        return [Clause(identifiers=tuple(sorted(k for k in keys if len(k) >= 5)))]
    clauses = []
    whole = compact(raw)
    toks = tokens(raw)
    if len(toks) > 1 and any(c.isdigit() for c in whole):
        # "DE89 3704 0044 ..." or "AB 123456": an identifier written with spaces
        return [Clause(identifiers=(whole,))]
    for tok in toks:
        skel = skeleton(tok)
        clauses.append(
            Clause(
                words=(tok,),
                skeletons=(skel,) if len(skel) >= 2 and not tok.isdigit() else (),
                identifiers=(tok,) if len(tok) >= 4 else (),
            )
        )
    return clauses


def with_blind(clause: Clause, view: StoreView) -> Clause:
    """A reader who may see victims, holding the key, finds them by whole tokens too."""
    ring = keyring() if view.scope.reveal_victims else None
    if ring is None:
        return clause
    out = clause
    for key in (ring.current, *ring.older):
        words, skels, idents = blind_terms(
            key, (" ".join(clause.words), " ".join(clause.skeletons), " ".join(clause.identifiers))
        )
        out = Clause(
            out.words + tuple(words.split()),
            out.skeletons + tuple(skels.split()),
            out.identifiers + tuple(idents.split()),
        )
    return out


def _fts5(clause: Clause) -> str:
    parts = [f'words : "{w}"*' for w in clause.words]
    parts += [f'skeletons : "{s}"' for s in clause.skeletons]
    parts += [f'identifiers : "{i}"*' for i in clause.identifiers]
    return " OR ".join(parts)


def _tsquery(clause: Clause) -> str:
    parts = [f"{w}:*" for w in clause.words + clause.identifiers]
    parts += list(clause.skeletons)
    return " | ".join(parts)


def _scope_sql(view: StoreView) -> tuple[str, str]:
    """The join and condition that keep a reader's matches within their scope."""
    if view.scope.unrestricted:
        return "", ""
    seen = statements.alias("s")
    condition = view.scope.visible(seen.c.dataset_id, seen.c.entity_id, seen.c.handling)
    # Rendered with literal values (dataset ids and entity ids, quoted by the dialect):
    # the scope is the one condition every read carries, here inside a text query.
    dialect = view.store.engine.dialect
    rendered = str(condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.paramstyle in ("format", "pyformat"):
        # The literals come with "%" doubled, and text() doubles it again: an id holding
        # "%" would match nothing (psycopg); undo the first doubling.
        rendered = rendered.replace("%%", "%")
    escaped = rendered.replace(":", "\\:")  # text() would read ":x" as a parameter
    return " JOIN statements s ON s.id = st.statement_id", f" AND ({escaped})"


def _matches_sql(dialect: str, n: int, join: str, where_scope: str) -> str:
    """(entity, statement, clause number, rank) for every statement meeting a clause."""
    parts = []
    for i in range(n):
        if dialect == "sqlite":
            parts.append(
                f"SELECT st.entity_id, st.statement_id, {i} AS tok, f.rank AS rank FROM "
                f"(SELECT rowid, rank FROM search_fts WHERE search_fts MATCH :q{i}) f "
                f"JOIN search_terms st ON st.rowid = f.rowid{join} WHERE 1=1{where_scope}"
            )
        else:
            parts.append(
                f"SELECT st.entity_id, st.statement_id, {i} AS tok, -1.0 AS rank "
                f"FROM search_terms st{join} WHERE to_tsvector('simple', st.words || ' ' || "
                f"st.skeletons || ' ' || st.identifiers) @@ to_tsquery('simple', :q{i})"
                f"{where_scope}"
            )
    return " UNION ALL ".join(parts)


def search(view: StoreView, query: str, limit: int = 20) -> list[SearchHit]:
    clauses = [with_blind(c, view) for c in plan(query)]
    if not clauses:
        return []
    if not view.scope.unrestricted and not view.scope.grants:
        return []
    dialect = view.store.dialect
    render = _fts5 if dialect == "sqlite" else _tsquery
    params: dict[str, Any] = {f"q{i}": render(c) for i, c in enumerate(clauses)}
    params["limit"] = limit
    n = len(clauses)
    matches = _matches_sql(dialect, n, *_scope_sql(view))
    # An entity is a hit when every clause is met by one of its visible statements.
    ranked = text(
        f"WITH m AS ({matches}) SELECT entity_id, sum(rank) AS score FROM m "
        f"GROUP BY entity_id HAVING count(DISTINCT tok) = {n} "
        "ORDER BY score, entity_id LIMIT :limit"
    )
    matched = text(f"WITH m AS ({matches}) SELECT DISTINCT entity_id, statement_id FROM m")
    with view.store.engine.connect() as conn:
        rows = conn.execute(ranked, params).all()
        if not rows:
            return []
        statement_ids: dict[str, set[str]] = {}
        for entity_id, statement_id in conn.execute(
            matched, {k: v for k, v in params.items() if k != "limit"}
        ):
            statement_ids.setdefault(entity_id, set()).add(statement_id)
    # Hits are resolved entities: records merged into one entity make one hit, shown
    # with every visible statement of all its records.
    canonical_of: dict[str, str] = {}
    for fact in view.facts([r[0] for r in rows]):
        canonical_of[fact.entity_id] = fact.canonical_id
    best: dict[str, float] = {}
    matched_ids: dict[str, set[str]] = {}
    for entity_id, score in rows:
        canonical = canonical_of.get(entity_id)
        if canonical is None:
            continue
        best[canonical] = min(best.get(canonical, float(score)), float(score))
        matched_ids.setdefault(canonical, set()).update(statement_ids.get(entity_id, set()))
    hits = []
    for canonical in sorted(best, key=lambda c: (best[c], c)):
        facts = view.facts(view.members(canonical))
        entity = entity_from_facts(facts)
        hits.append(
            SearchHit(
                entity_id=canonical,
                schema=entity.schema.name,
                caption=entity.caption,
                score=best[canonical],
                matched=[f for f in facts if f.id in matched_ids[canonical]],
                datasets=sorted({f.dataset for f in facts}),
                handling=sorted({f.handling for f in facts}),
                conditions=sorted(
                    {f.conditions for f in facts if f.handling == "H3" and f.conditions}
                ),
            )
        )
    return hits
