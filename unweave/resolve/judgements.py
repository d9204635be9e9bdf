"""Judgements: append-only decisions that two entities are, or are not, the same.

The latest judgement on a pair is in force; an undo is a new row (``undo``) that withdraws
the one before, so the whole history stays readable. People judge; the engine and the
strong-identifier rule judge too, under the users ``unweave:engine`` and ``unweave:rule``,
and never over a pair a person has judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from unweave.errors import ConfigError
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import utcnow
from unweave.store.tables import judgements

POSITIVE, NEGATIVE, UNSURE, UNDO = "positive", "negative", "unsure", "undo"
KINDS = (POSITIVE, NEGATIVE, UNSURE, UNDO)
MACHINE_USERS = ("unweave:engine", "unweave:rule")


@dataclass(frozen=True)
class Judgement:
    id: int
    left_id: str
    right_id: str
    judgement: str
    user: str
    reason: str
    score: float | None
    created_at: datetime

    @property
    def by_machine(self) -> bool:
        return self.user in MACHINE_USERS


def pair(a: str, b: str) -> tuple[str, str]:
    if a == b:
        raise ConfigError(f"an entity cannot be judged against itself ({a})")
    return (a, b) if a < b else (b, a)


def record(
    conn: Connection,
    a: str,
    b: str,
    judgement: str,
    user: str,
    reason: str,
    score: float | None = None,
) -> None:
    if judgement not in KINDS:
        raise ConfigError(f"unknown judgement {judgement!r}", hint=f"one of {', '.join(KINDS)}")
    if not user.strip():
        raise ConfigError("a judgement needs the user who made it")
    if not reason.strip():
        raise ConfigError("a judgement needs a reason", hint="pass --reason")
    left, right = pair(a, b)
    detail = {"pair": [left, right], "judgement": judgement, "reason": reason, "score": score}
    audit.append(conn, user, "judgement", detail, entity_id=left)
    conn.execute(
        judgements.insert().values(
            left_id=left,
            right_id=right,
            judgement=judgement,
            user=user,
            reason=reason,
            score=score,
            created_at=utcnow(),
        )
    )


def judge(
    store: Store,
    a: str,
    b: str,
    judgement: str,
    user: str,
    reason: str,
    score: float | None = None,
) -> None:
    """Record one judgement (a person's, from the command line or the review queue)."""
    with store.engine.begin() as conn:
        record(conn, a, b, judgement, user, reason, score)


def _latest_ids(conn: Connection) -> select:  # type: ignore[valid-type]
    return select(func.max(judgements.c.id)).group_by(judgements.c.left_id, judgements.c.right_id)


def in_force(conn: Connection) -> dict[tuple[str, str], Judgement]:
    """The judgement in force on every judged pair (undone pairs are left out)."""
    rows = conn.execute(
        select(judgements).where(judgements.c.id.in_(_latest_ids(conn))).order_by(judgements.c.id)
    )
    out = {}
    for row in rows:
        if row.judgement != UNDO:
            out[(row.left_id, row.right_id)] = Judgement(*row)
    return out


def history(conn: Connection, entity_ids: Iterable[str]) -> list[Judgement]:
    """Every judgement ever made on pairs touching these entities, oldest first."""
    ids = sorted(set(entity_ids))
    rows = conn.execute(
        select(judgements)
        .where(judgements.c.left_id.in_(ids) | judgements.c.right_id.in_(ids))
        .order_by(judgements.c.id)
    )
    return [Judgement(*row) for row in rows]
