"""The investigation graph of a reader, built once per scope and filters and kept a while.

Building the graph reads every visible statement, so the service keeps the last few graphs
(keyed by the reader's scope, never shared between scopes) and drops them all when a
judgement or an ingest changes the store (``invalidate``, in the process that made the
change; the other worker processes of `unweave serve --workers N` see the change in the
store's ``stamp``), or after ``TTL`` seconds.
Each graph comes with its cells (Leiden on the people network) and leading members.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from unweave.analyze import cells, measures
from unweave.graph.build import GraphFilter, build_network
from unweave.graph.network import Network
from unweave.graph.project import people
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope
from unweave.store.tables import ingest_runs, judgements, resolution_runs

TTL = 300.0
SIZE = 8
LEADERS_PER_CELL = 2


@dataclass
class Graph:
    net: Network
    cell_of: dict[str, int]
    leaders: set[str]
    betweenness: dict[str, float]

    def node_json(self, node_id: str) -> dict[str, Any]:
        attrs = self.net.node(node_id)
        return {
            "id": node_id,
            "label": str(attrs.get("label") or node_id),
            "kind": attrs.get("kind") or "?",
            "country": attrs.get("country"),
            "cell": self.cell_of.get(node_id),
            "leader": node_id in self.leaders,
            "betweenness": round(self.betweenness.get(node_id, 0.0), 4),
        }


def analyse(net: Network) -> Graph:
    ties = people(net)
    if not len(ties):
        return Graph(net, {}, set(), {})
    undirected = ties.simple(directed=False)
    membership = cells.leiden(undirected)
    values = measures.betweenness(undirected, weighted=False)
    top = max(values) if values else 0.0
    between = {n: (v / top if top else 0.0) for n, v in zip(ties.ids, values, strict=True)}
    leaders: set[str] = set()
    for cell in cells.summarise(ties, membership):
        if cell.size >= 3:
            leaders.update(cell.leading[:LEADERS_PER_CELL])
    cell_of = dict(zip(ties.ids, membership, strict=True))
    return Graph(net, cell_of, leaders, between)


def stamp(store: Store) -> tuple[int | None, ...]:
    """The latest ingest, resolution run and judgement: changes when the data does."""
    with store.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.max(t.c.id))).scalar()
            for t in (ingest_runs, resolution_runs, judgements)
        )


class GraphCache:
    def __init__(self) -> None:
        self._items: OrderedDict[tuple[Scope, GraphFilter, Any], tuple[float, Graph]]
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._items.clear()

    def get(self, view: StoreView, filters: GraphFilter) -> Graph:
        key = (view.scope, filters, stamp(view.store))
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found and now - found[0] < TTL:
                self._items.move_to_end(key)
                return found[1]
        graph = analyse(build_network(view, filters))
        with self._lock:
            self._items[key] = (now, graph)
            while len(self._items) > SIZE:
                self._items.popitem(last=False)
        return graph


class ReportCache:
    """Analysis reports, computed in the background (they take a while on a large scope).

    ``get`` answers the report when it is ready, else None and starts (once) computing it;
    the page asks the reader to come back. Keys carry the reader's scope, as above.
    """

    def __init__(self) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unweave-report")
        self._items: OrderedDict[Any, tuple[float, Future[Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._items.clear()

    def get(self, key: Any, compute: Any) -> Any | None:
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is None or now - found[0] >= TTL:
                found = (now, self._pool.submit(compute))
                self._items[key] = found
                while len(self._items) > SIZE:
                    self._items.popitem(last=False)
        future = found[1]
        if not future.done():
            return None
        return future.result()  # an error in the computation is raised to the caller
