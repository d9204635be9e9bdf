"""Logging in and out (pages) and who am I (API)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from unweave.access.identity import AuthError, authenticate
from unweave.errors import Forbidden
from unweave.store import audit
from unweave.web import sessions
from unweave.web.auth import ReaderDep, WriterDep, get_store
from unweave.web.render import render

api = APIRouter(prefix="/api", tags=["session"])
pages = APIRouter(include_in_schema=False)


def _next(target: str | None) -> str:
    """Only a path of this site: never an address elsewhere (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _login_form(request: Request, message: str | None = None, status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(16)
    token = request.app.state.login_tokens.issue(nonce)
    response = render(
        request,
        "login.html",
        {
            "login_token": token,
            "message": message,
            "next": _next(request.query_params.get("next")),
        },
        status=status,
    )
    response.set_cookie(
        sessions.LOGIN_COOKIE,
        nonce,
        max_age=sessions.LOGIN_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.app.state.cookie_secure,
        path="/login",
    )
    return response


@pages.get("/login")
async def login_page(request: Request) -> Response:
    return _login_form(request)


@pages.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=512)] = "",
    next: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    if not request.app.state.login_tokens.check(
        csrf_token, request.cookies.get(sessions.LOGIN_COOKIE)
    ):
        raise Forbidden("the login form has expired or was not sent by this site")
    store = get_store(request)
    try:
        user = authenticate(store, username, password)
    except AuthError as exc:
        return _login_form(request, exc.message, status=401)
    session = sessions.start(store, user)
    response = RedirectResponse(_next(next), status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        session.token,
        max_age=3600 * 24,
        httponly=True,
        samesite="strict",
        secure=request.app.state.cookie_secure,
        path="/",
    )
    response.delete_cookie(sessions.LOGIN_COOKIE, path="/login")
    return response


@pages.post("/logout")
def logout(request: Request, who: WriterDep) -> Response:
    if who.session is not None:
        sessions.end(who.store, who.session.token)
        audit.record(who.store, who.user.username, "login", detail={"result": "logout"})
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


@api.get("/me", summary="Who is logged in")
def me(who: ReaderDep) -> dict[str, str]:
    return {"username": who.user.username, "agency": who.user.agency, "role": who.user.role}
