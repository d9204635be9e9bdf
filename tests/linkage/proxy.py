"""A recording reverse proxy: everything that crosses between two nodes, kept for the test."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class Recorder:
    def __init__(self, target: str) -> None:
        self.target = target
        self.exchanges: list[tuple[str, str, bytes, bytes]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                reply = httpx.request(
                    self.command,
                    recorder.target + self.path,
                    content=body,
                    headers=headers,
                    timeout=120,
                )
                recorder.exchanges.append((self.command, self.path, body, reply.content))
                self.send_response(reply.status_code)
                for key, value in reply.headers.items():
                    if key.lower() not in (
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "content-encoding",
                    ):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            do_GET = do_POST = _forward  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()

    def captured(self) -> bytes:
        return b"\n".join(
            req + b"\n" + resp + path.encode() for _, path, req, resp in self.exchanges
        )
