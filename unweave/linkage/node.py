"""The HTTP API between Unweave nodes: indexes and queries exchanged, never the data.

Every call is authenticated by the bearer token of a user of this node (a partner agency's
node user, see ``unweave.access.identity``); the caller's agency is the partner. What a
node sends is its signed index and, for each hit, references, scores and its contact; what
it answers a query with is the same. Errors have one JSON shape:
``{"error": {"type", "message", "hint"}}``.

``POST /linkage/exchange`` is the sending side, asked by a local coordinator: this node
sends its own index to a peer's ``/linkage/query``, records the hits on its own references,
and tells the peer which of them are targets of its active cases, for deconfliction.

FastAPI is in the ``web`` extra; this module is imported only by ``unweave linkage serve``
and by the web service that mounts it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from unweave.access.identity import AuthError, User, token_user
from unweave.errors import Forbidden, InvalidInput, NotFound, UnweaveError
from unweave.linkage import indexfile
from unweave.linkage.deconflict import active_cases, alert
from unweave.linkage.encode import Index
from unweave.linkage.exchange import answer_query, deconflict, party
from unweave.linkage.keys import PartnershipKey
from unweave.linkage.notify import record_hits, request_information, request_status
from unweave.linkage.signing import trusted
from unweave.store import audit
from unweave.store.db import Store

STATUS = {AuthError: 401, Forbidden: 403, NotFound: 404, InvalidInput: 400}
MAX_INDEX_BYTES = 2 * 1024**3


def _status(exc: UnweaveError) -> int:
    for kind, code in STATUS.items():
        if isinstance(exc, kind):
            return code
    return 400


def create_app(store: Store, key: PartnershipKey, own_file: bytes) -> FastAPI:
    """The node of ``own_file`` (this node's index as signed by its agency, sent as is)."""
    own = indexfile.loads(own_file, key, trusted(store), "this node's index")
    app = FastAPI(title="Unweave linkage node", version="1")
    bearer = HTTPBearer(auto_error=False)

    @app.exception_handler(UnweaveError)
    async def _error(_: Request, exc: UnweaveError) -> JSONResponse:
        body = {"type": type(exc).__name__, "message": exc.message, "hint": exc.hint}
        return JSONResponse({"error": body}, status_code=_status(exc))

    def caller(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> User:
        if creds is None:
            raise AuthError("a bearer token of a user of this node is needed")
        return token_user(store, creds.credentials)

    def partner(user: User) -> str:
        return f"{user.agency} ({user.username})"

    @app.get("/linkage/index")
    def get_index(user: User = Depends(caller)) -> Response:
        audit.record(
            store,
            user.username,
            "linkage_query",
            detail={"index_sent": own.header.get("index_id"), "to": user.agency},
        )
        return Response(own_file, media_type="application/octet-stream")

    @app.post("/linkage/query")
    async def query(request: Request, user: User = Depends(caller)) -> dict[str, Any]:
        body = await request.body()
        if len(body) > MAX_INDEX_BYTES:
            raise InvalidInput("query", "index too large")
        theirs = indexfile.loads(body, key, trusted(store), "the partner's index")
        if theirs.header.get("agency") != user.agency:
            raise InvalidInput(
                "the partner's index",
                f"refused: the index is of {theirs.header.get('agency')}, sent by a user of "
                f"{user.agency}",
                field="agency",
                hint="a node queries with its own agency's index only",
            )
        return {"hits": answer_query(store, own, theirs, partner(user))}

    @app.post("/linkage/deconflict")
    def post_deconflict(body: dict[str, Any], user: User = Depends(caller)) -> dict[str, Any]:
        refs = [str(r) for r in body.get("refs", [])]
        return {"active": deconflict(store, [(r, partner(user)) for r in refs], partner(user))}

    @app.post("/linkage/requests")
    def post_request(body: dict[str, Any], user: User = Depends(caller)) -> dict[str, Any]:
        request_id = request_information(
            store,
            str(body.get("ref", "")),
            partner(user),
            str(body.get("reason", "")),
            body.get("case"),
        )
        return {"request": request_id, "status": "open"}

    @app.get("/linkage/requests/{request_id}")
    def get_request(request_id: int, user: User = Depends(caller)) -> dict[str, Any]:
        return {
            k: str(v) if v is not None else None
            for k, v in request_status(store, request_id).items()
        }

    @app.post("/linkage/exchange")
    def exchange(body: dict[str, Any], user: User = Depends(caller)) -> dict[str, Any]:
        if user.role not in ("coordinator", "admin"):
            raise Forbidden(f"{user.username} ({user.role}) may not query partner nodes")
        return send_query(
            store, own, own_file, str(body["peer_url"]), str(body["peer_token"]), user
        )

    return app


def send_query(
    store: Store, own: Index, own_file: bytes, peer_url: str, peer_token: str, user: User
) -> dict[str, Any]:
    """Send our index to a peer; record the hits on our side; deconflict with the peer."""
    import httpx

    headers = {"Authorization": f"Bearer {peer_token}"}
    with httpx.Client(base_url=peer_url, headers=headers, timeout=600) as client:
        reply = client.post("/linkage/query", content=own_file)
        if reply.status_code != 200:
            try:
                why = str(reply.json()["error"]["message"])
            except (ValueError, KeyError, TypeError):
                why = f"status {reply.status_code}"
            raise InvalidInput("peer", f"the peer refused the query: {why}")
        hits = reply.json()["hits"]
        contacts = {h["partner_ref"]: h["contact"] for h in hits}
        audit.record(
            store,
            user.username,
            "linkage_query",
            detail={"sent_to": peer_url, "index": own.header.get("index_id"), "hits": len(hits)},
        )
        by_contact: dict[str, list[tuple[str, str, float]]] = {}
        for h in hits:
            by_contact.setdefault(h["contact"], []).append(
                (h["partner_ref"], h["ref"], float(h["score"]))
            )
        for contact, triples in by_contact.items():
            record_hits(store, triples, contact, user.username)
        ours = active_cases(store, list(contacts))
        theirs_active = {h["partner_ref"] for h in hits if h["active_case"]}
        alerted = 0
        for h in hits:
            mine = h["partner_ref"]
            if mine in ours and mine in theirs_active:
                alerted += alert(store, mine, h["contact"], ours[mine], user.username)
        flagged = sorted({h["ref"] for h in hits if h["partner_ref"] in ours})
        if flagged:
            client.post("/linkage/deconflict", json={"refs": flagged}).raise_for_status()
    return {"hits": len(hits), "alerts": alerted, "peer": party(own)}
