"""Users, passwords, lockout and API tokens.

Passwords are kept as argon2id hashes (argon2-cffi's defaults, rehashed when those
change). Five failed logins lock an account for fifteen minutes: this is the rate limit on
guessing, per account, whatever the client. API tokens for scripts are random, shown once,
and kept only as a SHA-256 hash; they expire and can be revoked. Every login, success or
not, is written to the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, Connection, Table, select

from unweave.errors import ConfigError, UnweaveError
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import get_agency, utcnow
from unweave.store.tables import agencies, api_tokens, users

ROLES = (
    "analyst",
    "investigator",
    "coordinator",
    "victim_liaison",
    "dpo",
    "admin",
)
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 12
TOKEN_PREFIX = "uw_"
_hasher = PasswordHasher()  # argon2id


class AuthError(UnweaveError):
    """Login refused. The message never says whether the user exists."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    agency_id: int
    agency: str
    role: str


def _user_query():  # type: ignore[no-untyped-def]
    return select(users, agencies.c.code.label("agency")).join(
        agencies, agencies.c.id == users.c.agency_id
    )


def _user(row) -> User:  # type: ignore[no-untyped-def]
    return User(row.id, row.username, row.agency_id, row.agency, row.role)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters")


def add_user(store: Store, username: str, agency_code: str, role: str, password: str) -> User:
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}", hint=f"one of {', '.join(ROLES)}")
    check_password(password)
    agency = get_agency(store, agency_code)
    with store.engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise ConfigError(f"user {username} exists already")
        conn.execute(
            users.insert().values(
                username=username,
                agency_id=agency.id,
                role=role,
                password_hash=_hasher.hash(password),
                failed_logins=0,
                disabled=False,
                created_at=utcnow(),
            )
        )
        row = conn.execute(_user_query().where(users.c.username == username)).one()
    return _user(row)


def get_user(store: Store, username: str) -> User:
    with store.engine.connect() as conn:
        row = conn.execute(_user_query().where(users.c.username == username)).first()
    if row is None or row.disabled:
        raise ConfigError(f"no user {username!r}", hint="see `unweave user list`")
    return _user(row)


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        return [_user(r) for r in conn.execute(_user_query().order_by(users.c.username))]


def authenticate(store: Store, username: str, password: str, now: datetime | None = None) -> User:
    """The user, if the password is right and the account not locked; else AuthError.

    A refusal is committed (failure count, lockout, audit entry) before it is raised.
    """
    now = now or utcnow()
    refusal: AuthError | None = None
    with store.engine.begin() as conn:
        # Lock the user's row before reading it (a write that changes nothing: the row lock
        # on PostgreSQL, the write lock on SQLite), so parallel guesses are judged one after
        # the other and every failure is counted.
        conn.execute(
            users.update()
            .where(users.c.username == username)
            .values(failed_logins=users.c.failed_logins)
        )
        row = conn.execute(_user_query().where(users.c.username == username)).first()
        if row is None:
            _hasher.hash(password)  # same time as a real check: no user enumeration
            audit.append(conn, username, "login", {"result": "unknown user"})
            refusal = AuthError("wrong user name or password")
        elif row.disabled or (row.locked_until is not None and row.locked_until > now):
            audit.append(conn, username, "login", {"result": "locked"})
            # The same words as a wrong password: the message must not tell a guesser
            # which names exist. The lock is in the audit trail for the administrator.
            refusal = AuthError(
                "wrong user name or password",
                hint="after repeated failures an account is locked for a while",
            )
        else:
            try:
                _hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                _failed(conn, row, now)
                refusal = AuthError("wrong user name or password")
        if refusal is None and row is not None:
            values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
            if _hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = _hasher.hash(password)
            conn.execute(users.update().where(users.c.id == row.id).values(**values))
            audit.append(conn, username, "login", {"result": "ok"})
    if refusal is not None or row is None:
        raise refusal or AuthError("wrong user name or password")
    return _user(row)


def _failed(conn: Connection, row, now: datetime) -> None:  # type: ignore[no-untyped-def]
    # One atomic increment, so parallel guesses are all counted (a read-then-write would
    # let them overwrite each other's count).
    failures = conn.execute(
        users.update()
        .where(users.c.id == row.id)
        .values(failed_logins=users.c.failed_logins + 1)
        .returning(users.c.failed_logins)
    ).scalar_one()
    if failures >= MAX_FAILURES:
        conn.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(locked_until=now + LOCKOUT, failed_logins=0)
        )
    result = "locked" if failures >= MAX_FAILURES else "wrong password"
    audit.append(conn, row.username, "login", {"result": result, "failures": failures})


def unlock(store: Store, username: str, by: str) -> None:
    with store.engine.begin() as conn:
        changed = conn.execute(
            users.update()
            .where(users.c.username == username)
            .values(locked_until=None, failed_logins=0, disabled=False)
        ).rowcount
        if not changed:
            raise ConfigError(f"no user {username!r}")
        audit.append(conn, by, "login", {"unlocked": username})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(store: Store, username: str, name: str, days: int = 90) -> str:
    """A new token for scripts; returned once, only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with store.engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
        if user_id is None:
            raise ConfigError(f"no user {username!r}")
        conn.execute(
            api_tokens.insert().values(
                user_id=user_id,
                name=name,
                token_hash=_digest(token),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
        audit.append(conn, username, "login", {"token_created": name})
    return token


def token_holder(
    store: Store,
    token: str,
    table: Table = api_tokens,
    ended: str = "revoked_at",
    extra: tuple[Column[Any], ...] = (),
    now: datetime | None = None,
) -> tuple[User, dict[str, Any]] | None:
    """The enabled user holding a token of ``table`` (kept as its SHA-256) that has not
    ended nor expired, with the ``extra`` columns of its row; None if there is none.
    API tokens here, browser sessions (web/sessions.py) with their table. Read afresh on
    every request (plain SQL, store/rawsql.py): a token revoked, a session ended or a
    user disabled is refused at once."""
    from unweave.store import rawsql

    names = [c.name for c in extra]
    columns = "".join(f", t.{n}" for n in names)
    with rawsql.cursor(store) as cur:
        row = cur.one(
            "SELECT u.id, u.username, u.agency_id, a.code, u.role" + columns + f" "
            f"FROM {table.name} t JOIN users u ON u.id = t.user_id "
            "JOIN agencies a ON a.id = u.agency_id "
            f"WHERE t.token_hash = :digest AND t.{ended} IS NULL AND t.expires_at > :now "
            "AND u.disabled = :no",
            digest=_digest(token),
            now=now or utcnow(),
            no=False,
        )
    if row is None:
        return None
    return User(*row[:5]), dict(zip(names, row[5:], strict=True))


def token_user(store: Store, token: str, now: datetime | None = None) -> User:
    found = token_holder(store, token, now=now)
    if found is None:
        raise AuthError("invalid, expired or revoked token")
    return found[0]


def revoke_token(store: Store, token_id: int, by: str) -> None:
    with store.engine.begin() as conn:
        changed = conn.execute(
            api_tokens.update()
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        ).rowcount
        if not changed:
            raise ConfigError(f"no active token {token_id}")
        audit.append(conn, by, "login", {"token_revoked": token_id})


def set_password(store: Store, username: str, password: str, by: str) -> None:
    """Give a user a new password (and unlock them); audited, the password never is."""
    check_password(password)
    with store.engine.begin() as conn:
        changed = conn.execute(
            users.update()
            .where(users.c.username == username)
            .values(password_hash=_hasher.hash(password), failed_logins=0, locked_until=None)
        ).rowcount
        if not changed:
            raise ConfigError(f"no user {username!r}")
        audit.append(conn, by, "login", {"password_set": username})
