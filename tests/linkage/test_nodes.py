"""Three real Unweave nodes on loopback, each with its own store, exchanging indexes.

Everything that crosses between the nodes passes through a recording proxy; no name, birth
date, phone, document number or IBAN of any side may appear in it in a form the test can
recover (clear, normalised, transliterated, lower case, compact digits, unkeyed MD5, SHA-1
or SHA-256 of any of those).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.linkage.data import (
    BRITAIN,
    GERMANY,
    ITALY,
    SECRETS,
    SIGNERS,
    coordinator,
    load,
    register_keys,
)
from tests.linkage.proxy import Recorder
from unweave.access import cases
from unweave.access.identity import add_user, authenticate, create_token
from unweave.linkage import indexfile
from unweave.linkage.keys import PartnershipKey, load_key
from unweave.linkage.notify import inbox
from unweave.linkage.refs import build_index
from unweave.normalize.names import canonical_tokens, latin, skeletons, tokens
from unweave.store.db import open_store
from unweave.store.registry import add_agency

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

SECRET = "partnership secret for the node test"
PASSWORD = "a long enough password 123"
NODES = {"IT-SCO": ("it", ITALY), "DE-BKA": ("de", GERMANY), "GB-NCA": ("gb", BRITAIN)}
PARTNERS = {"IT-SCO": ["DE-BKA"], "DE-BKA": ["GB-NCA"], "GB-NCA": []}  # node users on each


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _forms(value: str) -> set[str]:
    """Every form of a personal value the test can recover."""
    out = {value, value.lower(), value.upper(), latin(value), value.replace(" ", "")}
    out |= set(tokens(value)) | set(canonical_tokens(value)) | set(skeletons(value))
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) >= 6:
        out |= {digits, digits[2:], digits[-8:]}
    if value[:4].isdigit() and "-" in value:
        out.add(value.replace("-", ""))
    return {f for f in out if len(f) >= 4}


def _recoverable(value: str) -> set[bytes]:
    out: set[bytes] = set()
    for form in _forms(value):
        raw = form.encode()
        out.add(raw)
        for algo in ("md5", "sha1", "sha256"):
            digest = hashlib.new(algo, raw)
            out |= {
                digest.digest(),
                digest.hexdigest().encode(),
                digest.hexdigest().upper().encode(),
            }
    return out


def _crossed(form: bytes, captured: bytes) -> bool:
    """Whether the form appears in the traffic. A short run of digits (a birth year) is
    looked for as a value of its own: inside the hex and base64 of filters, signatures and
    random references any four digits turn up by chance (a year was once found there)."""
    if form.isdigit() and len(form) < 6:
        pattern = rb"(?<![0-9A-Za-z+/])" + re.escape(form) + rb"(?![0-9A-Za-z+/])"
        return re.search(pattern, captured) is not None
    return form in captured


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("nodes")
    os.environ["UNWEAVE_LINKAGE_KEY"] = SECRET
    key = load_key()
    started = {}
    procs = []
    try:
        for agency, (code, rows) in NODES.items():
            folder = root / code
            folder.mkdir()
            url = f"sqlite:///{folder / 'node.db'}"
            store = open_store(url)
            load(store, folder, agency, f"{code}_persons", rows)
            coordinator(store, f"{code}_coord", agency)
            tokens_for = {}
            for other in PARTNERS[agency]:
                other_code = NODES[other][0]
                add_agency(store, other, other, other_code)
                add_user(store, f"{other_code}_node", other, "analyst", PASSWORD)
                tokens_for[other] = create_token(store, f"{other_code}_node", "node")
            register_keys(store, agency, *PARTNERS[agency])
            local = create_token(store, f"{code}_coord", "local")
            index = build_index(
                store, [f"{code}_persons"], key, f"{code}_coord", f"{code}-desk@example.org"
            )
            indexfile.write(index, key, SIGNERS[agency], folder / "own.idx")
            port = _port()
            env = dict(os.environ, UNWEAVE_LINKAGE_KEY=SECRET)
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "unweave",
                    "linkage",
                    "serve",
                    "--index",
                    str(folder / "own.idx"),
                    "--port",
                    str(port),
                    "--db",
                    url,
                ],
                env=env,
            )
            procs.append(proc)
            started[agency] = {
                "store": store,
                "url": f"http://127.0.0.1:{port}",
                "tokens": tokens_for,
                "local": local,
            }
        for node in started.values():
            for _ in range(200):
                try:
                    httpx.get(node["url"] + "/docs", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
        for node in started.values():
            node["proxy"] = Recorder(node["url"])
        yield started
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        for node in started.values():
            if "proxy" in node:
                node["proxy"].close()
        os.environ.pop("UNWEAVE_LINKAGE_KEY", None)


def _exchange(nodes, sender: str, receiver: str) -> dict:  # type: ignore[no-untyped-def]
    s, r = nodes[sender], nodes[receiver]
    reply = httpx.post(
        s["url"] + "/linkage/exchange",
        json={"peer_url": r["proxy"].url, "peer_token": r["tokens"][sender]},
        headers={"Authorization": f"Bearer {s['local']}"},
        timeout=120,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_exchange_notifies_owners_and_deconflicts(nodes) -> None:  # type: ignore[no-untyped-def]
    it, de = nodes["IT-SCO"], nodes["DE-BKA"]
    it_coord = authenticate(it["store"], "it_coord", PASSWORD)
    de_coord = authenticate(de["store"], "de_coord", PASSWORD)
    cases.create_case(it["store"], "IT-OP", "operation", it_coord)
    cases.share_entities(it["store"], "IT-OP", ["it-2"], it_coord)
    cases.create_case(de["store"], "DE-OP", "operation", de_coord)
    cases.share_entities(de["store"], "DE-OP", ["de-2"], de_coord)

    result = _exchange(nodes, "DE-BKA", "IT-SCO")
    assert result["hits"] >= 3
    assert result["alerts"] == 1
    it_notes, de_notes = inbox(it["store"], it_coord), inbox(de["store"], de_coord)
    assert sum(n.kind == "hit" for n in it_notes) >= 3
    assert sum(n.kind == "hit" for n in de_notes) >= 3
    assert [n.case_reference for n in it_notes if n.kind == "deconfliction"] == ["IT-OP"]
    assert [n.case_reference for n in de_notes if n.kind == "deconfliction"] == ["DE-OP"]
    assert all(n.partner and "DE-BKA" in n.partner for n in it_notes)

    # Britain fetches Germany's index and queries Italy with its own.
    gb = nodes["GB-NCA"]
    fetched = httpx.get(
        de["proxy"].url + "/linkage/index",
        headers={"Authorization": f"Bearer {de['tokens']['GB-NCA']}"},
    )
    assert fetched.status_code == 200
    trust = {SIGNERS["DE-BKA"].public_key: "DE-BKA"}
    assert len(indexfile.loads(fetched.content, load_key(), trust)) >= 4
    assert _exchange(nodes, "GB-NCA", "DE-BKA")["hits"] >= 1  # Oleh Melnyk = Олег Мельник
    del gb

    # A partner asks Italy about a reference that hit.
    ref = next(n.ref for n in it_notes if n.kind == "hit")
    reply = httpx.post(
        it["proxy"].url + "/linkage/requests",
        json={"ref": ref, "reason": "same target?", "case": "IT-OP"},
        headers={"Authorization": f"Bearer {it['tokens']['DE-BKA']}"},
    )
    assert reply.status_code == 200 and reply.json()["status"] == "open"
    assert any(n.kind == "request" for n in inbox(it["store"], it_coord))

    captured = b"".join(node["proxy"].captured() for node in nodes.values())
    assert len(captured) > 10_000
    # The scanner finds what does cross: the contact, in clear, and a reference that hit.
    assert any(form in captured for form in _recoverable("it-desk@example.org"))
    assert ref.encode() in captured
    for secret in SECRETS:
        for form in _recoverable(secret):
            assert not _crossed(form, captured), (
                f"a form of a personal value crossed between nodes: {form[:12]!r}"
            )


def test_tampered_foreign_and_unauthenticated_are_refused(nodes) -> None:  # type: ignore[no-untyped-def]
    it, de = nodes["IT-SCO"], nodes["DE-BKA"]
    own = open_store(str(de["store"].url))
    index = build_index(own, ["de_persons"], load_key(), "de_coord")
    data = bytearray(indexfile.dumps(index, load_key(), SIGNERS["DE-BKA"]))
    data[-100] ^= 0x01
    auth = {"Authorization": f"Bearer {it['tokens']['DE-BKA']}"}
    reply = httpx.post(it["proxy"].url + "/linkage/query", content=bytes(data), headers=auth)
    assert reply.status_code == 400
    assert "altered" in reply.json()["error"]["message"]
    foreign = indexfile.dumps(
        index, PartnershipKey(b"some other partnership's secret!"), SIGNERS["DE-BKA"]
    )
    reply = httpx.post(it["proxy"].url + "/linkage/query", content=foreign, headers=auth)
    assert reply.status_code == 400 and "another partnership" in reply.json()["error"]["message"]
    reply = httpx.post(it["proxy"].url + "/linkage/query", content=foreign)
    assert reply.status_code == 401
    reply = httpx.post(
        it["proxy"].url + "/linkage/query",
        content=foreign,
        headers={"Authorization": "Bearer nope"},
    )
    assert reply.status_code == 401


def test_an_index_not_signed_by_the_agency_it_names_is_refused_over_http(nodes) -> None:  # type: ignore[no-untyped-def]
    it, de = nodes["IT-SCO"], nodes["DE-BKA"]
    own = open_store(str(de["store"].url))
    index = build_index(own, ["de_persons"], load_key(), "de_coord")
    auth = {"Authorization": f"Bearer {it['tokens']['DE-BKA']}"}

    def query(data: bytes) -> str:
        reply = httpx.post(it["proxy"].url + "/linkage/query", content=data, headers=auth)
        assert reply.status_code == 400, reply.text
        return str(reply.json()["error"]["message"])

    # Germany's index signed with Britain's key, which Italy has not registered.
    assert "not registered" in query(indexfile.dumps(index, load_key(), SIGNERS["GB-NCA"]))
    # Italy registers Britain's key: an index naming Germany signed by Britain is still
    # refused, and so is Britain's own index sent by Germany's node user.
    register_keys(it["store"], "GB-NCA")
    forged = indexfile.dumps(index, load_key(), SIGNERS["GB-NCA"])
    assert "signed by GB-NCA, not by DE-BKA" in query(forged)
    index.header["agency"] = "GB-NCA"
    relayed = indexfile.dumps(index, load_key(), SIGNERS["GB-NCA"])
    assert "sent by a user of DE-BKA" in query(relayed)
