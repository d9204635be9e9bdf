"""Search: a name in any script or spelling, a phone in any format, a document, an IBAN.

Each query token must match some visible statement of the entity, on its Latin words (as
a prefix), on its consonant skeleton (so "Mohammed" finds محمد) or its Arabic consonant key
("Gaddafi" finds القذافي), or on a compact identifier. Digits-only queries are tried as
phones too (with and without a trunk 0 or an international 00). SQLite answers from FTS5,
PostgreSQL from full-text indexes.

The cost of a query is bounded, whatever it matches: the index gives at most CANDIDATES
visible statements (the scope condition is in that query, before its LIMIT, so another
agency's rows never push a reader's own out), taken from the rarest clause; every clause
is then checked, and the hits ranked, on the search rows of those candidates alone (the
same code for both databases, so both answer alike). When more statements match than
CANDIDATES the answer says it is not complete, and the reader is asked to narrow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from unweave.normalize.names import arabic_search_keys, skeleton, tokens
from unweave.store import rawsql
from unweave.store.facts import FACT_FROM, Fact, caption_of, entity_from_facts
from unweave.store.protect import blind_terms
from unweave.store.reader import StoreView
from unweave.store.searchterms import compact
from unweave.store.vault import keyring

_PHONE_LIKE = re.compile(r"^[\s\d+()./-]{6,}$")
CANDIDATES = 200  # statements the index may give one query, at most


@dataclass
class SearchHit:
    entity_id: str
    schema: str
    score: float
    matched: list[Fact] = field(default_factory=list)  # the visible statements that matched
    datasets: list[str] = field(default_factory=list)
    handling: list[str] = field(default_factory=list)  # codes of the entity's visible facts
    conditions: list[str] = field(default_factory=list)  # H3 restrictions, shown with it
    agencies: list[str] = field(default_factory=list)  # of the datasets above
    facts: list[Fact] = field(default_factory=list, repr=False)  # every visible one
    records: list[str] = field(default_factory=list, repr=False)  # its visible records
    statements: set[str] = field(default_factory=set, repr=False)  # ids of `matched`

    @cached_property
    def caption(self) -> str:
        """The entity's caption (made when shown: FtM entities cost CPU to assemble)."""
        if not self.facts:
            raise ValueError("the hit's facts are not read: search(..., facts=False)")
        return caption_of(self.facts)

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


def plans(query: str) -> list[list[Clause]]:
    """Turn a user's query into sets of clauses; a hit meets every clause of one set."""
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
        return [[Clause(identifiers=tuple(sorted(k for k in keys if len(k) >= 5)))]]
    clauses = []
    whole = compact(raw)
    toks = tokens(raw)
    for tok in toks:
        # its own skeleton, and the Arabic consonant keys that names written in Arabic
        # script are indexed by (store/searchterms.py)
        skels = [] if tok.isdigit() else [skeleton(tok), *sorted(arabic_search_keys(tok))]
        clauses.append(
            Clause(
                words=(tok,),
                skeletons=tuple(dict.fromkeys(k for k in skels if len(k) >= 2)),
                identifiers=(tok,) if len(tok) >= 4 else (),
            )
        )
    if len(toks) > 1 and any(c.isdigit() for c in whole):
        # "DE89 3704 0044 ..." or "AB 123456": an identifier written with spaces, or
        # words and a number ("Ahmed Ibrahim 1984")
        return [[Clause(identifiers=(whole,))], clauses]
    return [clauses] if clauses else []


def plan(query: str) -> list[Clause]:
    """The clauses of a query, all its sets together (empty: nothing to look for)."""
    return [c for clauses in plans(query) for c in clauses]


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


def _fts5(clause: Clause, prefix: bool = True) -> str:
    star = "*" if prefix else ""
    parts = [f'words : "{w}"{star}' for w in clause.words]
    parts += [f'skeletons : "{s}"' for s in clause.skeletons]
    parts += [f'identifiers : "{i}"{star}' for i in clause.identifiers]
    return " OR ".join(parts)


def _tsquery(clause: Clause, prefix: bool = True) -> str:
    star = ":*" if prefix else ""
    parts = [f"{w}{star}" for w in clause.words + clause.identifiers]
    parts += list(clause.skeletons)
    return " | ".join(parts)


def _query_text(dialect: str, clauses: list[Clause], prefix: bool = True) -> str:
    """One full-text query: a clause, or several that must all hold in one statement.

    Without ``prefix`` only whole words: the index streams those, where a prefix must
    first gather every word it begins (tens of milliseconds for a common name)."""
    render = _fts5 if dialect == "sqlite" else _tsquery
    if len(clauses) == 1:
        return render(clauses[0], prefix)
    glue = " AND " if dialect == "sqlite" else " & "
    return glue.join(f"({render(c, prefix)})" for c in clauses)


def _match_sql(dialect: str) -> str:
    """FROM and WHERE of the search rows meeting the full-text query :q (alias st)."""
    if dialect == "sqlite":
        return (
            "FROM search_fts f JOIN search_terms st ON st.rowid = f.rowid "
            "WHERE search_fts MATCH :q"
        )
    return (
        "FROM search_terms st WHERE to_tsvector('simple', st.words || ' ' || st.skeletons "
        "|| ' ' || st.identifiers) @@ to_tsquery('simple', :q)"
    )


def _driver(cur: rawsql.Cursor, dialect: str, clauses: list[Clause]) -> list[Clause] | None:
    """A clause that finds at most CANDIDATES statements, the rarest first; None if none.

    Counted over the whole index, regardless of scope: this only chooses where to start
    (a clause with few matches anywhere has at most as many visible ones), it drops no
    statement. A clause whose whole words alone match more is passed over at once.
    """
    if len(clauses) == 1:
        return clauses
    count = f"SELECT count(*) FROM (SELECT 1 {_match_sql(dialect)} LIMIT :cap) x"
    for clause in sorted(clauses, key=_rarity):
        for prefix in (False, True):
            row = cur.one(count, q=_query_text(dialect, [clause], prefix), cap=CANDIDATES + 1)
            if row is not None and row[0] > CANDIDATES:
                break
        else:
            return [clause]
    return None


def _rarity(clause: Clause) -> tuple[bool, int]:
    word = clause.words[0] if clause.words else ""
    return (not any(ch.isdigit() for ch in word), -len(word))


def _quality(clause: Clause, words: list[str], skels: list[str], idents: list[str]) -> int:
    """How one search row meets a clause: 0 not at all, 1 skeleton, 2 prefix, 3 whole.

    Whole words first, by the list's own (C) membership test: a common surname ranks 200
    rows, and a loop comparing every word of each was a tenth of its CPU."""
    for wanted, have in ((clause.words, words), (clause.identifiers, idents)):
        for w in wanted:
            if w in have:
                return 3
    for wanted, have in ((clause.words, words), (clause.identifiers, idents)):
        for w in wanted:
            for t in have:
                if t.startswith(w):
                    return 2
    for s in clause.skeletons:
        if s in skels:
            return 1
    return 0


@dataclass
class _Record:
    """A candidate record: how well it meets each clause, and its matching statements."""

    quality: list[int]
    statements: set[str] = field(default_factory=set)


def _candidates(view: StoreView, clauses: list[Clause]) -> tuple[dict[str, _Record], bool]:
    """Records meeting every clause on their visible search rows, and whether that is all."""
    dialect = view.store.dialect
    scope = view.scope_sql()
    on_rows = view.search_rows_sql()
    join = " JOIN statements s ON s.id = st.statement_id" if on_rows is None else ""
    match = _match_sql(dialect).replace(" WHERE ", f"{join} WHERE ", 1)
    rows = (
        "SELECT st.entity_id, st.statement_id, st.words, st.skeletons, st.identifiers "
        "FROM statements s JOIN search_terms st ON st.statement_id = s.id "
        f"WHERE s.entity_id IN :ids{scope}"
    )
    find = (
        "SELECT st.entity_id, st.statement_id, st.words, st.skeletons, st.identifiers "
        f"{match}{scope if on_rows is None else on_rows} LIMIT :cap"
    )
    with rawsql.cursor(view.store) as cur:
        driver = _driver(cur, dialect, clauses)
        # No clause is rare: the statements meeting all of them at once are the candidates.
        complete = driver is not None
        found: list[tuple[str, str, str, str, str]] = []
        for prefix in (False, True):
            q = _query_text(dialect, driver or clauses, prefix)
            rows_found = cur.all(find, q=q, cap=CANDIDATES + 1)
            found += rows_found  # whole words first: they rank first
            if len(rows_found) > CANDIDATES:
                complete = False  # more than can be ranked
                break
        ids = list(dict.fromkeys(r[0] for r in found))[:CANDIDATES]
        if len(clauses) == 1:
            # One clause: the rows the index gave are those that meet it, and they rank the
            # candidates (a common surname reads no other row). Only when more matched than
            # were ranked (not complete) may a candidate's other matching rows go unlisted.
            wanted = set(ids)
            terms = [r for r in found if r[0] in wanted]
        else:  # every clause is checked on every visible search row of the candidates
            terms = cur.all(rows, ids=ids) if ids else []
    records: dict[str, _Record] = {}
    for entity_id, statement_id, words, skels, idents in terms:
        record = records.setdefault(entity_id, _Record([0] * len(clauses)))
        have = (words.split(), skels.split(), idents.split())
        for i, clause in enumerate(clauses):
            quality = _quality(clause, *have)
            if quality:
                record.quality[i] = max(record.quality[i], quality)
                record.statements.add(statement_id)
    return {e: r for e, r in records.items() if all(r.quality)}, complete


class Hits(list[SearchHit]):
    """The best hits, best first; ``complete`` is False when more matched than were ranked."""

    complete: bool = True


# What the facets need of every hit, without its facts: per visible record, each
# (schema, dataset, agency, handling, conditions) that one of its shown statements has.
# A statement a reader is not shown (a victim's sealed field other than the name, for one
# who may not read it: protect.shown) is left out, as StoreView.facts leaves it out.
SUMMARY_SQL = (
    "SELECT DISTINCT s.entity_id, COALESCE(c.canonical_id, s.entity_id), s.schema, d.name, "
    "a.code, s.handling, d.conditions " + FACT_FROM + "WHERE s.entity_id IN :ids"
)
SEALED_HIDDEN = " AND (s.key_id IS NULL OR s.prop = 'name')"


def _summaries(view: StoreView, records: set[str]) -> list[tuple[str, ...]]:
    """SUMMARY_SQL's rows for these records, canonical ids as this reader sees them."""
    if not records:
        return []
    hidden = "" if view.reads_sealed else SEALED_HIDDEN
    with rawsql.cursor(view.store) as cur:
        rows = cur.all(SUMMARY_SQL + view.scope_sql() + hidden, ids=sorted(records))
    if view.scope.unrestricted or all(r[0] == r[1] for r in rows):
        return rows
    with view.store.engine.connect() as conn:
        seen = view.seen_as(conn, {r[1] for r in rows if r[0] != r[1]})
    return [(r[0], seen.get(r[0], r[0]), *r[2:]) if r[0] != r[1] else r for r in rows]


def search(view: StoreView, query: str, limit: int = 20, facts: bool = True) -> Hits:
    """The best ``limit`` hits. ``facts=False``: without their facts, matched statements
    and captions (read later by ``with_facts`` for the hits shown); a search counting
    facets over many hits reads only what they count (SUMMARY_SQL)."""
    sets = [[with_blind(c, view) for c in clauses] for clauses in plans(query)]
    hits = Hits()
    if not sets or (not view.scope.unrestricted and not view.scope.grants):
        return hits
    records: dict[str, _Record] = {}
    for clauses in sets:
        found, complete = _candidates(view, clauses)
        hits.complete = hits.complete and complete
        for entity_id, candidate in found.items():
            held = records.get(entity_id)
            if held is None or sum(candidate.quality) > sum(held.quality):
                records[entity_id] = candidate
    if not records:
        return hits
    score = {e: sum(r.quality) for e, r in records.items()}
    ranked = sorted(records, key=lambda e: (-score[e], e))
    # Hits are resolved entities: records merged into one make one hit, shown with every
    # visible statement of all its records.
    cluster = (
        "SELECT c.entity_id, c.canonical_id, m.entity_id FROM clusters c "
        "JOIN clusters m ON m.canonical_id = c.canonical_id WHERE c.entity_id IN :ids"
    )
    with rawsql.cursor(view.store) as cur:
        merged = cur.all(cluster, ids=ranked)
    canonical = {e: c for e, c, _ in merged}
    mates: dict[str, set[str]] = {}
    for _, c, member in merged:
        mates.setdefault(c, set()).add(member)
    chosen: list[str] = []
    wanted: set[str] = set()
    for record in ranked:  # the best records, until `limit` entities (as stored)
        key = canonical.get(record, record)
        if key not in wanted and len(wanted) == limit:
            continue
        wanted.add(key)
        chosen.append(record)
    rows = _summaries(view, {m for r in chosen for m in mates.get(canonical.get(r, r), {r})})
    by_entity: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        by_entity.setdefault(row[1], []).append(row)
    best: dict[str, int] = {}
    matched: dict[str, set[str]] = {}
    of_record = {r[0]: r[1] for r in rows}
    for record in chosen:
        seen_as = of_record.get(record)
        if seen_as is None:
            continue
        best[seen_as] = max(best.get(seen_as, 0), score[record])
        matched.setdefault(seen_as, set()).update(records[record].statements)
    for entity_id in sorted(best, key=lambda c: (-best[c], c))[:limit]:
        group = by_entity[entity_id]
        hits.append(
            SearchHit(
                entity_id=entity_id,
                schema=group[0][2],
                score=float(best[entity_id]),
                datasets=sorted({r[3] for r in group}),
                handling=sorted({r[5] for r in group}),
                conditions=sorted({r[6] for r in group if r[5] == "H3" and r[6]}),
                agencies=sorted({r[4] for r in group}),
                records=sorted({r[0] for r in group}),
                statements=matched[entity_id],
            )
        )
    mixed = [h for h in hits if len({r[2] for r in by_entity[h.entity_id]}) > 1]
    if facts or mixed:  # a mixed hit's schema is FtM's merge of its records' schemata
        asked = hits if facts else mixed
        gone = {id(h) for h in asked} - {id(h) for h in with_facts(view, asked)}
        hits[:] = [h for h in hits if id(h) not in gone]
    return hits


def with_facts(view: StoreView, hits: list[SearchHit]) -> list[SearchHit]:
    """Read the facts of these hits (one query): their matched statements, their captions,
    and the schema of an entity merged from records of several schemata. Returns those
    that still have visible facts (a share withdrawn between two reads leaves none)."""
    by_entity: dict[str, list[Fact]] = {}
    for fact in view.facts({r for h in hits for r in h.records}):
        by_entity.setdefault(fact.canonical_id, []).append(fact)
    for hit in hits:
        group = by_entity.get(hit.entity_id, [])
        hit.facts = group
        hit.matched = [f for f in group if f.id in hit.statements]
        if len({f.schema for f in group}) > 1:
            # One schema: the entity's; records of several are merged by FtM's rules.
            hit.schema = entity_from_facts(group).schema.name
    return [h for h in hits if h.facts]
