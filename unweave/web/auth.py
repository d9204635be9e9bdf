"""Who is asking: a browser session or an API token, and what they may read.

Every route but the login page and the static files depends on ``reader`` (a ``Reader``:
the store, the user and how they came in) or ``writer`` (the same, and for a browser
session the CSRF token of the form or of the ``X-CSRF-Token`` header must match). A data
route reads only through ``Reader.view(case)``: ``StoreView(store, scope_for(user, case))``;
an access made for a case is audited with the case as its purpose.

The busiest routes (search, the entity) are ``async`` and hand their whole work to one
worker thread with ``in_thread``: the reader is found there, then the work is done there,
one hop from the event loop instead of two (a sync dependency takes a thread of its own
before the sync route takes another: some 0.1 ms of CPU each), and with one connection of
the store for all its plain reads (store/rawsql.py: ``one_connection``). Their ``SignedIn``
dependency only checks, on the event loop and without reading the store, that the request
carries a token or a session at all, so that an anonymous request is refused before its
parameters are checked, as on every other route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from unweave.access.identity import AuthError, User, token_user
from unweave.access.scopes import NO_DATA_ROLES, scope_for
from unweave.errors import Forbidden
from unweave.store import audit, rawsql
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.web import sessions

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")
AUDIT_ROLES = frozenset({"dpo", "admin"})


@dataclass
class Reader:
    store: Store
    user: User
    session: sessions.Session | None  # None: an API token
    graphs: Any = None  # the service's GraphCache (web/graphs.py)
    reports: Any = None  # the service's ReportCache

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""

    def view(self, case: str | None = None) -> StoreView:
        """The store as this user may see it (for this case only, when one is given)."""
        if self.user.role in NO_DATA_ROLES:
            raise Forbidden(
                "a data-protection officer reads the audit trail, not the data",
                hint="see /audit",
            )
        return StoreView(self.store, scope_for(self.store, self.user, case=case or None))

    def record(
        self,
        action: str,
        detail: dict[str, Any] | None = None,
        entity_id: str | None = None,
        case: str | None = None,
    ) -> None:
        audit.record(
            self.store,
            self.user.username,
            action,
            detail=detail,
            entity_id=entity_id,
            case_id=case or None,
        )

    def changed(self) -> None:
        """The store changed (a judgement, a share, an ingest): drop the cached graphs."""
        for cache in (self.graphs, self.reports):
            if cache is not None:
                cache.invalidate()

    def require(self, roles: frozenset[str] | set[str], what: str) -> None:
        if self.user.role not in roles:
            raise Forbidden(f"a user with the role {self.user.role} may not {what}")


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _credentials(request: Request) -> tuple[str, str]:
    """("token", an API token) or ("session", a session cookie); AuthError if neither."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return "token", header[7:].strip()
    token = request.cookies.get(sessions.COOKIE)
    if not token:
        raise AuthError("log in first", hint="log in at /login, or send an API token")
    return "session", token


def _authenticate(request: Request) -> Reader:
    store = get_store(request)
    graphs, reports = request.app.state.graphs, request.app.state.reports
    kind, token = _credentials(request)
    if kind == "token":
        return Reader(store, token_user(store, token), None, graphs, reports)
    session = sessions.lookup(store, token)
    return Reader(store, session.user, session, graphs, reports)


def reader(request: Request) -> Reader:
    found = _authenticate(request)
    request.state.reader = found
    return found


async def signed_in(request: Request) -> Request:
    """The request, if it carries a token or a session (checked by ``in_thread``)."""
    _credentials(request)
    return request


def _as_reader(request: Request, work: Callable[..., T], args: tuple[Any, ...]) -> T:
    with rawsql.one_connection(get_store(request)):
        return work(reader(request), *args)


async def in_thread(request: Request, work: Callable[..., T], *args: Any) -> T:
    """``work(reader, *args)`` in a worker thread, the reader found in the same thread
    (the store read afresh, as ``reader`` does for every route)."""
    return await run_in_threadpool(_as_reader, request, work, args)


async def writer(request: Request) -> Reader:
    """A reader allowed to change something: a browser session must show its CSRF token."""
    found = await run_in_threadpool(reader, request)
    if found.session is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token")
        if not sent and "form" in request.headers.get("content-type", ""):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sessions.same(sent, found.session.csrf):
            raise Forbidden(
                "the form's security token is missing or wrong",
                hint="reload the page and try again",
            )
    return found


ReaderDep = Annotated[Reader, Depends(reader)]
WriterDep = Annotated[Reader, Depends(writer)]
SignedIn = Annotated[Request, Depends(signed_in)]  # a route that calls in_thread
