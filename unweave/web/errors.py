"""One JSON error shape for every failure of the API, and the same facts on error pages.

Every error answers ``{"ok": false, "status": N, "error": "not_found", "message": "...",
"hint": "..." | null, "problems": [...]}`` (after datasette's ``error_body``). Unweave's own
errors map by class; a request that fails validation lists the fields; anything unexpected
answers a bare 500 whose message says nothing about the data (the details go to the log).
NotFound answers alike whether a thing does not exist or the reader may not see it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from unweave.access.identity import AuthError
from unweave.errors import (
    ConfigError,
    Forbidden,
    IngestRejected,
    InvalidInput,
    NotFound,
    UnweaveError,
)

log = logging.getLogger("unweave.web")

# class -> (HTTP status, short name); the most specific class wins (walk of the MRO).
STATUS: dict[type[UnweaveError], tuple[int, str]] = {
    AuthError: (401, "unauthorised"),
    Forbidden: (403, "forbidden"),
    NotFound: (404, "not_found"),
    IngestRejected: (400, "ingest_rejected"),
    InvalidInput: (400, "invalid_input"),
    ConfigError: (400, "invalid_request"),
    UnweaveError: (400, "error"),
}
HTTP_NAMES = {
    400: "invalid_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "server_error",
    503: "busy",
}
RETRY_AFTER = 2  # seconds a client is asked to wait when the store is busy
# SQLite's write lock held past busy_timeout; PostgreSQL out of connections.
BUSY_MESSAGES = ("database is locked", "too many clients", "remaining connection slots")


def error_body(
    status: int,
    error: str,
    message: str,
    hint: str | None = None,
    problems: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "ok": False,
        "status": status,
        "error": error,
        "message": message,
        "hint": hint,
        "problems": problems or [],
    }


def status_of(exc: UnweaveError) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]  # type: ignore[index]
    return 400, "error"


def body_for(exc: UnweaveError) -> dict[str, Any]:
    status, name = status_of(exc)
    problems: list[dict[str, Any]] = []
    if isinstance(exc, IngestRejected):
        problems = [p.__dict__ for p in exc.problems]
    elif isinstance(exc, InvalidInput):
        problems = [exc.problem.__dict__]
    message = exc.message.split("\n", 1)[0]
    return error_body(status, name, message, exc.hint, problems)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get(
        "accept", ""
    )


def respond(
    request: Request, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    """The JSON body, or for a browser the error page with the same facts."""
    status = body["status"]
    if wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    if status == 401:
        return RedirectResponse("/login", status_code=303)
    from unweave.web.render import render

    page = render(request, "error.html", {"error": body}, status=status)
    page.headers.update(headers or {})
    return page


def busy(request: Request) -> Response:
    """Every connection to the store is taken, or it is locked: come back shortly."""
    log.warning("store busy on %s %s", request.method, request.url.path)
    body = error_body(
        503,
        "busy",
        "the store is busy answering other requests",
        hint=f"try again in {RETRY_AFTER} seconds",
    )
    return respond(request, body, {"Retry-After": str(RETRY_AFTER)})


def install(app: FastAPI) -> None:
    @app.exception_handler(UnweaveError)
    async def unweave_error(request: Request, exc: UnweaveError) -> Response:
        return respond(request, body_for(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": str(err.get("msg", "")),
            }
            for err in exc.errors()
        ]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return respond(request, error_body(400, "invalid_request", message, None, problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        name = HTTP_NAMES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else name.replace("_", " ")
        return respond(request, error_body(exc.status_code, name, message))

    @app.exception_handler(PoolTimeout)
    async def pool_timeout(request: Request, exc: PoolTimeout) -> Response:
        return busy(request)

    @app.exception_handler(OperationalError)
    async def operational(request: Request, exc: OperationalError) -> Response:
        if any(m in str(exc.orig) for m in BUSY_MESSAGES):
            return busy(request)
        return await unexpected(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(
            request,
            error_body(500, "server_error", "the server could not answer this request"),
        )
