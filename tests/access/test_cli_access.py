"""The command line as a user: --as and --token carry the user's scope into every read, and
--case records the case as the purpose of the access. Real processes on a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.access.conftest import SECRETS, World, build_world
from tests.cli.test_cli import unweave
from unweave.access import identity
from unweave.store import audit
from unweave.store.db import Store, open_store


@pytest.fixture
def cli_world(tmp_path: Path) -> tuple[World, Path]:
    db = tmp_path / "store.db"
    store: Store = open_store(f"sqlite:///{db}")
    world = build_world(store, tmp_path)
    return world, db


def test_reads_as_a_user_stay_in_their_scope(cli_world: tuple[World, Path]) -> None:
    world, db = cli_world
    for query in (SECRETS["it-9"], SECRETS["it-bridge"]):
        found = unweave("search", query, "--as", "gb_analyst", db=db)
        assert found.returncode == 0 and "no match" in found.stdout, found.stdout
    admin = unweave("search", SECRETS["it-9"], db=db)  # the local administrator sees all
    assert "it-9" in admin.stdout
    hidden = unweave("entity", "show", "it-9", "--as", "gb_analyst", db=db)
    assert hidden.returncode == 1 and "no entity 'it-9'" in hidden.stderr
    exported = unweave("export", "--format", "statements", "--as", "gb_outsider", db=db)
    assert exported.returncode == 0
    assert not any(v in exported.stdout for v in SECRETS.values())
    assert "it_arrests" not in exported.stdout  # outside the case: nothing of Italy's
    shared = unweave("export", "--as", "gb_analyst", db=db)
    assert "it-1" in shared.stdout and "it_sources" not in shared.stdout


def test_a_token_reads_as_its_user_and_a_case_is_the_purpose(
    cli_world: tuple[World, Path],
) -> None:
    world, db = cli_world
    token = identity.create_token(world.store, "gb_analyst", "script")
    shown = unweave("entity", "show", "gb-1", "--token", token, "--case", "JIT-1", db=db)
    assert shown.returncode == 0, shown.stderr
    assert "it_wiretap" in shown.stdout and "H1" in shown.stdout
    reads = [e for e in audit.query(world.store, case_id="JIT-1") if e.action == "read"]
    assert [(e.user, e.entity_id) for e in reads][-1][0] == "gb_analyst"
    bad = unweave("search", "Ibrahim", "--token", "uw_not-a-token", db=db)
    assert bad.returncode == 1 and "invalid" in bad.stderr


def test_case_commands_follow_the_rules(cli_world: tuple[World, Path]) -> None:
    world, db = cli_world
    shown = unweave("case", "show", "JIT-1", "--as", "gb_analyst", db=db)
    assert shown.returncode == 0 and "it-1" in shown.stdout
    unknown = unweave("case", "show", "JIT-1", "--as", "de_analyst", db=db)
    assert unknown.returncode == 1 and "no case" in unknown.stderr
    refused = unweave(
        "case", "share", "GB-2", "--dataset", "it_arrests", "--as", "gb_coord", db=db
    )
    assert refused.returncode == 1 and "own datasets" in refused.stderr
    passed = unweave("case", "share", "GB-2", "--entity", "it-1", "--as", "gb_coord", db=db)
    assert passed.returncode == 0, passed.stderr
    assert "H2 fact(s) withheld" in passed.stdout
    nobody = unweave("case", "list", db=db)
    assert nobody.returncode == 1 and "--as" in nobody.stderr


def test_a_judgement_reports_no_conflict_of_records_the_user_cannot_see(
    cli_world: tuple[World, Path],
) -> None:
    from unweave.resolve.judgements import NEGATIVE, POSITIVE, judge

    world, db = cli_world
    # Italy's own judgements hold a conflict between two of its unshared records.
    judge(world.store, "it-2", "it-9", NEGATIVE, "it_analyst", "different people")
    judge(world.store, "it-2", "it-bridge", POSITIVE, "it_analyst", "same phone")
    judge(world.store, "it-bridge", "it-9", POSITIVE, "it_analyst", "same name")
    done = unweave(
        "judge", "gb-2", "gb-3", "positive", "--reason", "x", "--as", "gb_analyst", db=db
    )
    assert done.returncode == 0, done.stderr
    assert "it-9" not in done.stderr + done.stdout and "it_analyst" not in done.stderr
    admin = unweave("judge", "gb-2", "gb-3", "positive", "--reason", "x", db=db)
    assert "it-9" in admin.stderr  # the local administrator is told of every conflict
