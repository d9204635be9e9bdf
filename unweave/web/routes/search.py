"""Search: a name in any script, a phone in any format, a document; facets by schema,
agency and dataset, counted over the best POOL hits (the answer says so: ``best``; and
``complete`` is false when more entities matched than search ranks, store/search.py)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from unweave.store.search import CANDIDATES, Hits, SearchHit, plan, search, with_facts
from unweave.web.auth import Reader, ReaderDep, SignedIn, in_thread
from unweave.web.render import render

api = APIRouter(prefix="/api", tags=["search"])
pages = APIRouter(include_in_schema=False)
POOL = 60  # hits fetched (best first) over which the facets count and filter

Q = Annotated[str, Query(max_length=200, description="Name, phone, document or IBAN")]
Opt = Annotated[str | None, Query(max_length=128)]
Limit = Annotated[int, Query(ge=1, le=100)]


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """A hit as shown (its caption is made here, for the hits shown only)."""
    return {
        "id": hit.entity_id,
        "schema": hit.schema,
        "caption": hit.caption,
        "datasets": hit.datasets,
        "agencies": hit.agencies,
        "matched": [
            {
                "prop": f.prop,
                "value": f.value,
                "original": f.original_value,
                "dataset": f.dataset,
                "agency": f.agency,
                "handling": f.handling,
            }
            for f in hit.matched
        ],
    }


def search_data(
    who: Reader,
    q: str,
    schema: str | None = None,
    agency: str | None = None,
    dataset: str | None = None,
    case: str | None = None,
    limit: int = 20,
) -> dict[str, Any]:
    view = who.view(case)
    # The facets count the best POOL hits; only those shown are read whole (with_facts).
    hits = search(view, q, limit=POOL, facts=False) if plan(q) else Hits()
    facets: dict[str, Counter[str]] = {
        "schema": Counter(h.schema for h in hits),
        "agency": Counter(a for h in hits for a in h.agencies),
        "dataset": Counter(d for h in hits for d in h.datasets),
    }
    chosen = [
        h
        for h in hits
        if (not schema or h.schema == schema)
        and (not agency or agency in h.agencies)
        and (not dataset or dataset in h.datasets)
    ]
    shown = with_facts(view, chosen[:limit])
    kind = "phone or number" if q.strip()[:1] in "+0123456789(" else "text"
    who.record("search", detail={"kind": kind, "hits": len(chosen)}, case=case)
    return {
        "query": q,
        "case": case,
        "total": len(chosen),
        "best": POOL,  # the facets, filters and total count over the best POOL hits
        "complete": hits.complete,  # False: more than CANDIDATES matched; narrow the query
        "ranked": CANDIDATES,
        "results": [hit_json(h) for h in shown],
        "facets": {k: dict(sorted(v.items())) for k, v in facets.items()},
        "filters": {"schema": schema, "agency": agency, "dataset": dataset},
    }


@api.get("/search", summary="Search entities (names in any script, phones, documents)")
async def search_api(
    request: SignedIn,
    q: Q,
    schema: Opt = None,
    agency: Opt = None,
    dataset: Opt = None,
    case: Opt = None,
    limit: Limit = 20,
) -> dict[str, Any]:
    return await in_thread(request, search_data, q, schema, agency, dataset, case, limit)


@pages.get("/search")
async def search_page(
    request: SignedIn,
    q: Annotated[str, Query(max_length=200)] = "",
    schema: Opt = None,
    agency: Opt = None,
    dataset: Opt = None,
    case: Opt = None,
) -> Response:
    def page(who: Reader) -> Response:
        data = search_data(who, q, schema, agency, dataset, case, 50) if q.strip() else None
        return render(request, "search.html", {"q": q, "data": data, "case": case})

    return await in_thread(request, page)


@pages.get("/")
def home(request: Request, who: ReaderDep) -> Response:
    if who.user.role == "dpo":
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/audit", status_code=303)
    stats = who.view().stats()
    return render(request, "home.html", {"stats": stats})
