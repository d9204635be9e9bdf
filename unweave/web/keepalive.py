"""Kept-alive connections closed after a few answers when several processes serve.

With `unweave serve --workers N` the processes accept connections on one socket, and a
connection stays with the process that accepted it for as long as its client keeps it
open. Clients that keep their connections (browsers, API scripts, a reverse proxy) can
then load one process far more than the other: 20 clients split 13 / 7 gave one core
nearly twice the work of the other (benchmarks/RESULTS.md, issue 7). The last answer of
every ``requests`` on a connection says ``Connection: close``; the client opens a new one,
as HTTP/1.1 lets it, and the process that accepts it first (most often the less busy)
takes it. A connection is known by its client's address and port.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CLOSE = (b"connection", b"close")
_TRACKED = 10_000  # connections counted at most (the oldest forgotten first)


class ShareConnections:
    def __init__(self, app: ASGIApp, requests: int) -> None:
        self.app = app
        self.requests = requests
        self._answered: dict[tuple[str, int], int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        if not client:
            await self.app(scope, receive, send)
            return
        key = (client[0], client[1])
        count = self._answered.pop(key, 0) + 1
        if count < self.requests:
            self._answered[key] = count
            if len(self._answered) > _TRACKED:
                del self._answered[next(iter(self._answered))]
            await self.app(scope, receive, send)
            return

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), _CLOSE]}
            await send(message)

        await self.app(scope, receive, send_closing)
