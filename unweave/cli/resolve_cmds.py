"""Commands of resolution: resolve, review, judge, explain."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.prompt import Prompt
from rich.table import Table

from unweave.cli.common import (
    AsOption,
    DbOption,
    TokenOption,
    console,
    err_console,
    reader_from,
    store_from,
)
from unweave.errors import ConfigError
from unweave.resolve import clusters as clustering
from unweave.resolve.judgements import KINDS, NEGATIVE, POSITIVE, UNSURE
from unweave.resolve.judgements import judge as record_judgement
from unweave.resolve.review import Candidate, queue
from unweave.resolve.review import explain as explain_entity
from unweave.settings import current_user
from unweave.store.protect import compact, protect_store
from unweave.store.reader import StoreView

UserOption = Annotated[
    str | None, typer.Option(help="Who judges (default: UNWEAVE_USER, else your login)")
]


def resolve(
    threshold: Annotated[float, typer.Option(help="Probability at which pairs link")] = 0.95,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark")] = "duckdb",
    full: Annotated[
        bool, typer.Option(help="Resolve every record again, not only new ones")
    ] = False,
    db: DbOption = None,
) -> None:
    """Find the same person across agencies; link the sure pairs, queue the unsure ones."""
    if engine not in ("duckdb", "spark"):
        raise ConfigError(f"unknown engine {engine!r}", hint="use duckdb or spark")
    if not 0 < threshold <= 1:
        raise ConfigError("--threshold is a probability between 0 and 1")
    from unweave.resolve.run import resolve_store  # Splink and pandas: only when resolving

    summary = resolve_store(
        store_from(db), engine, threshold, incremental=not full, user=current_user()
    )
    console.print(
        f"{summary.mode} run {summary.run_id}: {summary.records} person records, "
        f"{summary.resolved} resolved, {summary.pairs} candidate pairs, {summary.linked} new "
        f"links, {summary.review} to review, {summary.clusters} merged entities"
        + (
            f", {summary.conflicts} conflicts with negative judgements"
            if summary.conflicts
            else ""
        )
        + (f" ({summary.note})" if summary.note else "")
    )


def _side_by_side(view: StoreView, cand: Candidate) -> Table:
    left, right = view.entity(cand.left_id), view.entity(cand.right_id)
    table = Table("", cand.left_id, cand.right_id, title=f"p = {cand.probability:.3f}")
    for prop in ("name", "birthDate", "gender", "nationality", "phone", "passportNumber",
                 "idNumber", "address"):  # fmt: skip
        a, b = left.get(prop, quiet=True), right.get(prop, quiet=True)
        if a or b:
            table.add_row(prop, "; ".join(a), "; ".join(b))
    table.add_row("datasets", ", ".join(sorted(left.datasets)), ", ".join(sorted(right.datasets)))
    return table


def _evidence_table(cand: Candidate) -> Table:
    table = Table("comparison", "level", "weight", title=cand.reason)
    for item in cand.evidence:
        table.add_row(item["feature"], str(item["level"]), item["reason"])
    return table


def review(
    limit: Annotated[int, typer.Option(help="Most pairs shown")] = 20,
    list_only: Annotated[bool, typer.Option("--list", help="Only list the queue")] = False,
    user: UserOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Judge uncertain pairs, most valuable first, with the explanation of each score.

    As a user (--as, --token): only pairs of two records that user may see."""
    reader = reader_from(db, as_user, token)
    store = reader.store
    pending = queue(store, limit, view=reader.view)
    if not pending:
        console.print("nothing to review")
        return
    if list_only or not sys.stdin.isatty():
        table = Table("left", "right", "p", "value", "why")
        for c in pending:
            table.add_row(
                c.left_id, c.right_id, f"{c.probability:.3f}", f"{c.value:.2f}", c.reason
            )
        console.print(table)
        return
    who = reader.user.username if reader.user else current_user(user)
    view = reader.view
    answers = {"y": POSITIVE, "n": NEGATIVE, "u": UNSURE}
    for n, cand in enumerate(pending, start=1):
        console.rule(f"pair {n} of {len(pending)}")
        console.print(_side_by_side(view, cand))
        console.print(_evidence_table(cand))
        choice = Prompt.ask(
            "same person? [y]es [n]o [u]nsure [s]kip [q]uit", choices=["y", "n", "u", "s", "q"]
        )
        if choice == "q":
            break
        if choice == "s":
            continue
        reason = Prompt.ask("reason", default=f"reviewed: {cand.reason}")
        _judge_and_rebuild(view, cand.left_id, cand.right_id, answers[choice], who, reason)


def _judge_and_rebuild(view: StoreView, a: str, b: str, kind: str, user: str, reason: str) -> None:
    store = view.store
    record_judgement(store, a, b, kind, user, reason)
    with store.engine.begin() as conn:
        _, conflicts = clustering.rebuild(conn)
        resealed = protect_store(conn, "this judgement merges records with a victim's")
    if resealed:
        compact(store)
    # Only the conflicts between records the reader may see: the others would name
    # another agency's records and users.
    seen = view.visible_records(
        sorted({c.left_id for c in conflicts} | {c.right_id for c in conflicts})
    )
    for c in conflicts:
        if c.left_id not in seen or c.right_id not in seen:
            continue
        err_console.print(
            f"[yellow]not applied:[/] {c.left_id} = {c.right_id} ({c.user}) would join people "
            "kept apart by a negative judgement"
        )


def judge(
    left: Annotated[str, typer.Argument(help="Entity id")],
    right: Annotated[str, typer.Argument(help="Entity id")],
    judgement: Annotated[str, typer.Argument(help=f"one of {', '.join(KINDS)}")],
    reason: Annotated[str, typer.Option(help="Why (kept with the judgement)")],
    user: UserOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Record a judgement on two entities (undo withdraws the one in force)."""
    reader = reader_from(db, as_user, token)
    view = reader.view
    for record in (left, right):
        view.entity(record)  # a user judges only records they may see (else: unknown)
    who = reader.user.username if reader.user else current_user(user)
    _judge_and_rebuild(view, left, right, judgement, who, reason)
    console.print(f"{judgement} recorded; {left} is now part of {view.members(left)}")


def explain(
    entity_id: Annotated[str, typer.Argument(help="A record or canonical id")],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Which judgements and scores put a merged entity together (as a user: what they
    may see of it)."""
    reader = reader_from(db, as_user, token)
    ex = explain_entity(reader.store, entity_id, view=reader.view)
    console.print(
        f"[bold]{ex.canonical_id}[/]: {len(ex.members)} records: {', '.join(ex.members)}"
    )
    if ex.links:
        table = Table("records", "by", "when", "score", "reason", title="links in force")
        for j in ex.links:
            table.add_row(
                f"{j.left_id} = {j.right_id}",
                j.user,
                str(j.created_at)[:19],
                f"{j.score:.3f}" if j.score is not None else "",
                j.reason,
            )
        console.print(table)
    for (a, b), cand in sorted(ex.scores.items()):
        console.print(f"{a} = {b}: p = {cand.probability:.3f}, {cand.decision}")
        console.print(_evidence_table(cand))
    if ex.history:
        table = Table("pair", "judgement", "by", "when", "reason", title="every judgement")
        for j in ex.history:
            table.add_row(
                f"{j.left_id} / {j.right_id}",
                j.judgement,
                j.user,
                str(j.created_at)[:19],
                j.reason,
            )
        console.print(table)
