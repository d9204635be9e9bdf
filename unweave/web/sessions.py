"""Browser sessions kept in the store, and the CSRF token of the login form.

A session is a random token in an HttpOnly, SameSite=Strict cookie (Secure unless the
server runs on a loopback address with UNWEAVE_COOKIE_SECURE=0); the store keeps only its
SHA-256, its user, its CSRF token and its expiry. Logging out ends it for good. Before a
session exists the login form carries a token signed with UNWEAVE_SECRET_KEY, bound to a
random value in a cookie of its own (double submit), so a forged login post fails too.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from unweave import settings
from unweave.access.identity import AuthError, User, _digest, token_holder
from unweave.store.db import Store
from unweave.store.registry import utcnow
from unweave.store.tables import web_sessions

COOKIE = "uw_session"
LOGIN_COOKIE = "uw_login"
LOGIN_MAX_AGE = 3600  # seconds a login form stays valid


@dataclass(frozen=True)
class Session:
    token: str
    user: User
    csrf: str


def start(store: Store, user: User) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    hours = settings.get_int(settings.SESSION_HOURS)
    with store.engine.begin() as conn:
        conn.execute(
            web_sessions.insert().values(
                token_hash=_digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
    return Session(token, user, csrf)


def lookup(store: Store, token: str) -> Session:
    found = token_holder(store, token, web_sessions, "ended_at", (web_sessions.c.csrf_token,))
    if found is None:
        raise AuthError("not logged in, or the session has ended", hint="log in again")
    user, row = found
    return Session(token, user, row["csrf_token"])


def end(store: Store, token: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            web_sessions.update()
            .where(web_sessions.c.token_hash == _digest(token), web_sessions.c.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class LoginTokens:
    """Signed tokens for the login form, bound to a random value held in a cookie."""

    def __init__(self, secret: str | None = None) -> None:
        key = secret or settings.SECRET_KEY.get() or secrets.token_urlsafe(32)
        self._signer = URLSafeTimedSerializer(key, salt="unweave-login")

    def issue(self, nonce: str) -> str:
        return self._signer.dumps(nonce)

    def check(self, token: str | None, nonce: str | None) -> bool:
        if not token or not nonce:
            return False
        try:
            signed = self._signer.loads(token, max_age=LOGIN_MAX_AGE)
        except BadSignature:
            return False
        return same(str(signed), nonce)


def active_sessions(store: Store, user_id: int) -> int:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(web_sessions.c.id).where(
                web_sessions.c.user_id == user_id,
                web_sessions.c.ended_at.is_(None),
                web_sessions.c.expires_at > utcnow(),
            )
        ).all()
    return len(rows)
