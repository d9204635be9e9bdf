"""`unweave serve --workers 2`, for real: reads answered by both processes at once leave
one whole audit chain with an entry per read, and a kept-alive connection is closed after
UNWEAVE_WEB_KEEPALIVE_REQUESTS answers so that the processes share the clients."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.pgserver import free_port
from unweave.access.identity import add_user, create_token
from unweave.store import audit
from unweave.store.db import open_store
from unweave.store.registry import add_agency


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        assert server.poll() is None, "the server stopped"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


def test_two_processes_share_the_clients_and_one_audit_chain(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    add_agency(store, "NG-NAPTIP", "NAPTIP", "ng")
    add_user(store, "ng.analyst", "NG-NAPTIP", "analyst", "a long test password")
    token = create_token(store, "ng.analyst", "test")
    port = free_port()
    env = {**os.environ, "UNWEAVE_WEB_KEEPALIVE_REQUESTS": "3"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "unweave",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
        ],  # fmt: skip
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        said = []
        for _ in range(4):
            conn.request("GET", "/login")
            answer = conn.getresponse()
            answer.read()
            said.append(answer.getheader("connection"))
        assert said == [None, None, "close", None]  # the 4th on a new connection

        statuses: list[int] = []

        def reads(n: int) -> None:
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for i in range(n):
                headers = {"Authorization": f"Bearer {token}"}
                client.request("GET", f"/api/search?q=name{i}", headers=headers)
                answer = client.getresponse()
                answer.read()
                statuses.append(answer.status)
                if answer.will_close:
                    client.close()

        clients = [threading.Thread(target=reads, args=(10,)) for _ in range(6)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [200] * 60
    assert audit.verify(store) == []
    assert len(audit.query(store, user="ng.analyst", action="search")) == 60
    store.close()
