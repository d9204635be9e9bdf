"""Headers on every answer: a Content-Security-Policy without inline scripts, and friends.

Every script is a static file of this server (script-src 'self', no 'unsafe-inline', no
eval); inline styles are allowed, as Cytoscape.js and plotly.js set them while drawing.
Pages cannot be framed, forms post only here, and nothing is cached by the browser.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Styles only: the chart and plot libraries set element styles as they draw. No
        # script runs from the page itself (script-src has no 'unsafe-inline').
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]
_NO_STORE = (b"cache-control", b"no-store")


class SecureHeaders:
    """Adds the headers to every answer that lacks them (plain ASGI: Starlette's
    BaseHTTPMiddleware costs CPU on every request, streaming the body through a task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in _RAW if k not in have]
                if not static and _NO_STORE[0] not in have:
                    headers.append(_NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_secured)


def install(app: FastAPI) -> None:
    app.add_middleware(SecureHeaders)
