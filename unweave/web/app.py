"""The application factory: routers, error shape, security headers, static files."""

from __future__ import annotations

import gc
import ipaddress
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from unweave import settings
from unweave.errors import ConfigError
from unweave.store.db import Store, open_store
from unweave.web import errors, security
from unweave.web.graphs import GraphCache, ReportCache
from unweave.web.keepalive import ShareConnections
from unweave.web.routes import analysis, audit, cases, entities, graph, ingest, login, review
from unweave.web.routes import search as search_routes
from unweave.web.sessions import LoginTokens

STATIC = Path(__file__).parent / "static"
ROUTERS = (login, search_routes, entities, graph, review, analysis, cases, audit, ingest)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cookie_secure(host: str) -> bool:
    """Secure cookies, unless UNWEAVE_COOKIE_SECURE=0 on a loopback address (plain http)."""
    if settings.COOKIE_SECURE.get().strip() not in ("0", "false", "no"):
        return True
    if not is_loopback(host):
        raise ConfigError(
            "UNWEAVE_COOKIE_SECURE=0 is allowed only on a loopback address",
            hint="serve over HTTPS (behind a reverse proxy) for other addresses",
        )
    return False


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def create_app(
    store: Store,
    host: str = "127.0.0.1",
    secret: str | None = None,
    threads: int | None = None,
    keepalive_requests: int | None = None,
) -> FastAPI:
    """The service over a store. ``threads``: how many requests run at once (the store's
    connection pool should be sized to it: ``open_store(url, pool_size=threads)``).
    ``keepalive_requests``: close a kept-alive connection after that many answers (one
    process of several: web/keepalive.py)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if threads:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Unweave",
        description="Joint investigation of human-trafficking networks: search, entities "
        "with provenance, resolution review, graph, analysis, cases, audit and ingest. Every "
        "route needs a session or an API token (Authorization: Bearer uw_...); errors share "
        "one JSON shape.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.cookie_secure = cookie_secure(host)
    app.state.login_tokens = LoginTokens(secret)
    app.state.graphs = GraphCache()
    app.state.reports = ReportCache()
    errors.install(app)
    security.install(app)
    if keepalive_requests:
        app.add_middleware(ShareConnections, requests=keepalive_requests)
    for module in ROUTERS:
        app.include_router(module.api)
        app.include_router(module.pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/static-lib/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        # plotly.js as the Python plotly package ships it: offline, nothing fetched.
        return Response(
            _plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    return app


GC_YOUNG = 10_000  # objects allocated (net) between two collections of the youngest ones


def settle_memory() -> None:
    """Before a server process answers: what it has built so far (the model, the app, the
    templates, some 150,000 objects) is set aside from the cyclic garbage collector
    (``gc.freeze``), whose full collections walked it all again, 80 ms during which the
    process answered nothing; and the youngest objects are collected after 10,000 instead
    of 700 allocations, not once in the middle of every search (the objects a request
    allocates are freed by their reference counts when it ends; a collection only walks
    them while they live). Only for ``unweave serve``: a test process builds many apps."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


# `unweave serve --workers N` starts N processes; it tells them the address it listens on.
SERVE_HOST = "UNWEAVE_SERVE_HOST"


def app_from_environment() -> FastAPI:
    """The app of one worker process of `unweave serve --workers N` (uvicorn's factory):
    the store of UNWEAVE_DATABASE_URL, UNWEAVE_WEB_THREADS threads and as many
    connections. The workers share the sessions (they are in the store) and the login
    form's key (UNWEAVE_SECRET_KEY, which `serve` draws once for all when it is unset)."""
    threads = int(settings.WEB_THREADS.get())
    store = open_store(settings.DATABASE_URL.get(), pool_size=threads)
    app = create_app(
        store,
        host=os.environ.get(SERVE_HOST, "127.0.0.1"),
        threads=threads,
        keepalive_requests=int(settings.WEB_KEEPALIVE_REQUESTS.get()),
    )
    settle_memory()
    return app
