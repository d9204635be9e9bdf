"""Logging in and out, sessions, API tokens, CSRF and the security headers."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf_of, login
from unweave.access.identity import create_token, revoke_token
from unweave.errors import ConfigError
from unweave.web.app import ROUTERS, create_app

PUBLIC = {"/login", "/api/openapi.json", "/static-lib/plotly.min.js"}  # no data


def all_routes() -> list[APIRoute]:
    return [
        route
        for module in ROUTERS
        for router in (module.api, module.pages)
        for route in router.routes
        if isinstance(route, APIRoute)
    ]


def test_every_route_needs_a_login(anon: TestClient) -> None:
    checked = 0
    for route in all_routes():
        if route.path in PUBLIC:
            continue
        path = route.path.replace("{entity_id}", "x").replace("{reference}", "x")
        path = path.replace("{share_id}", "1")
        for method in route.methods - {"HEAD"}:
            answer = anon.request(method, path, follow_redirects=False)
            if path.startswith("/api"):
                assert answer.status_code == 401, (method, path, answer.text)
                assert answer.json()["error"] == "unauthorised"
            else:
                assert answer.status_code in (303, 401, 403), (method, path)
            checked += 1
    assert checked > 30


def test_a_page_without_login_goes_to_the_login_form(anon: TestClient) -> None:
    answer = anon.get("/search?q=x", headers={"accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"


def test_login_and_logout(app) -> None:  # type: ignore[no-untyped-def]
    client = login(TestClient(app), "it.inv")
    assert client.get("/api/me").json() == {
        "username": "it.inv",
        "agency": "IT-SCO",
        "role": "investigator",
    }
    token = client.cookies.get("uw_session")
    answer = client.post("/logout", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert answer.status_code == 303
    again = TestClient(app)
    again.cookies.set("uw_session", token)
    assert again.get("/api/me").status_code == 401  # the session ended for good


def test_wrong_password_shows_the_form_again(anon: TestClient) -> None:
    page = anon.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = anon.post(
        "/login", data={"username": "it.inv", "password": "not it at all", "csrf_token": token}
    )
    assert answer.status_code == 401
    assert "wrong user name or password" in answer.text
    assert "uw_session" not in answer.cookies


def test_login_needs_the_form_token(anon: TestClient) -> None:
    answer = anon.post("/login", data={"username": "it.inv", "password": PASSWORD})
    assert answer.status_code == 403
    forged = anon.post(
        "/login", data={"username": "it.inv", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert forged.status_code == 403


def test_no_open_redirect_after_login(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        "/login",
        data={
            "username": "it.inv",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },  # fmt: skip
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_forms_need_the_session_csrf_token(it_inv: TestClient) -> None:
    answer = it_inv.post(
        "/review", data={"left": "a", "right": "b", "judgement": "unsure", "reason": "x"}
    )
    assert answer.status_code == 403
    assert answer.json()["message"].startswith("the form's security token")
    api = it_inv.post(
        "/api/review/judgements",
        json={"left": "a", "right": "b", "judgement": "unsure", "reason": "x"},
    )
    assert api.status_code == 403


def test_bearer_tokens(app, web_store) -> None:  # type: ignore[no-untyped-def]
    token = create_token(web_store, "gb.inv", "script")
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=headers).json()["username"] == "gb.inv"
    # A token needs no CSRF token: no cookie is sent that a forged page could ride on.
    answer = client.post("/api/cases", headers=headers, json={"reference": "X", "title": "x"})
    assert answer.status_code == 403  # an investigator may not open cases
    wrong = client.get("/api/me", headers={"Authorization": "Bearer uw_nothing"})
    assert wrong.status_code == 401
    revoke_token(web_store, 1, by="test")
    assert client.get("/api/me", headers=headers).status_code == 401


def test_session_cookie_flags(app, web_store) -> None:  # type: ignore[no-untyped-def]
    secure_app = create_app(web_store, host="127.0.0.1")
    client = TestClient(secure_app, base_url="https://testserver")
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        "/login",
        data={"username": "gb.inv", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie


def test_insecure_cookies_only_on_loopback(web_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("UNWEAVE_COOKIE_SECURE", "0")
    with pytest.raises(ConfigError):
        create_app(web_store, host="0.0.0.0")
    assert create_app(web_store, host="127.0.0.1").state.cookie_secure is False


def test_security_headers(anon: TestClient) -> None:
    headers = anon.get("/login").headers
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["object-src"] == "'none'"
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
