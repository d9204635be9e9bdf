"""Headers on every answer: a Content-Security-Policy without inline scripts, and friends.

Every script is a static file of this server (script-src 'self', no 'unsafe-inline', no
eval); inline styles are allowed, as Cytoscape.js and plotly.js set them while drawing.
Pages cannot be framed, forms post only here, and nothing is cached by the browser.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

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


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def secure_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
