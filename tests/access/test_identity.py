"""Users, argon2id passwords, lockout, tokens; every login audited."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from unweave.access import identity
from unweave.errors import ConfigError
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import add_agency, utcnow
from unweave.store.tables import api_tokens, users

PASSWORD = "correct horse battery"


@pytest.fixture
def anna(store: Store) -> identity.User:
    add_agency(store, "IT-SCO", "Servizio Centrale Operativo", "it")
    return identity.add_user(store, "anna", "IT-SCO", "analyst", PASSWORD)


def test_password_is_stored_as_argon2id(store: Store, anna: identity.User) -> None:
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert identity.authenticate(store, "anna", PASSWORD).agency == "IT-SCO"


def test_wrong_password_and_unknown_user_read_the_same(store: Store, anna: identity.User) -> None:
    with pytest.raises(identity.AuthError) as wrong:
        identity.authenticate(store, "anna", "not the password")
    with pytest.raises(identity.AuthError) as unknown:
        identity.authenticate(store, "nobody", "not the password")
    assert str(wrong.value) == str(unknown.value)
    results = [e.detail for e in audit.query(store, action="login")]
    assert any("wrong password" in d for d in results) and any(
        "unknown user" in d for d in results
    )


def test_lockout_after_five_failures_then_unlock(store: Store, anna: identity.User) -> None:
    for _ in range(identity.MAX_FAILURES):
        with pytest.raises(identity.AuthError):
            identity.authenticate(store, "anna", "guess")
    with pytest.raises(identity.AuthError, match="wrong user name or password"):
        identity.authenticate(store, "anna", PASSWORD)  # even the right password
    assert '"locked"' in audit.query(store, action="login")[0].detail
    later = utcnow() + identity.LOCKOUT + timedelta(seconds=1)
    assert identity.authenticate(store, "anna", PASSWORD, now=later).username == "anna"
    for _ in range(identity.MAX_FAILURES):
        with pytest.raises(identity.AuthError):
            identity.authenticate(store, "anna", "guess")
    identity.unlock(store, "anna", "admin")
    assert identity.authenticate(store, "anna", PASSWORD).username == "anna"


def test_tokens_are_hashed_expire_and_revoke(store: Store, anna: identity.User) -> None:
    token = identity.create_token(store, "anna", "nightly export", days=1)
    assert token.startswith("uw_")
    with store.engine.connect() as conn:
        row = conn.execute(select(api_tokens)).one()
    assert token not in row.token_hash
    assert identity.token_user(store, token).username == "anna"
    with pytest.raises(identity.AuthError):
        identity.token_user(store, token, now=utcnow() + timedelta(days=2))
    identity.revoke_token(store, row.id, "anna")
    with pytest.raises(identity.AuthError):
        identity.token_user(store, token)
    with pytest.raises(identity.AuthError):
        identity.token_user(store, "uw_forged")


def test_bad_roles_and_short_passwords_are_refused(store: Store, anna: identity.User) -> None:
    with pytest.raises(ConfigError):
        identity.add_user(store, "ben", "IT-SCO", "superuser", PASSWORD)
    with pytest.raises(ConfigError):
        identity.add_user(store, "ben", "IT-SCO", "analyst", "short")
    with pytest.raises(ConfigError):
        identity.add_user(store, "anna", "IT-SCO", "analyst", PASSWORD)


def test_parallel_guesses_are_all_counted(store: Store, anna: identity.User) -> None:
    import threading

    def guess() -> None:
        with contextlib.suppress(identity.AuthError):
            identity.authenticate(store, "anna", "guess")

    threads = [threading.Thread(target=guess) for _ in range(identity.MAX_FAILURES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with pytest.raises(identity.AuthError):
        identity.authenticate(store, "anna", PASSWORD)  # locked by the parallel guesses
