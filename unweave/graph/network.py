"""The graph container: a thin layer over python-igraph.

A `Network` holds nodes with ids and attributes (kind, country, organisation, ...) and
edges with a type, a weight and the ids of the statements that justify them (evidence).
Node order is the order in which ids were first seen; several published results break
ties by that order, so it is kept stable through removals and copies.

The store-derived graph fills a `NetworkBuilder` (one `add_node` per resolved entity or
identifier, one `add_edge` per call, payment, family tie, ... with its statement ids) and
calls `build()`; outside files go through `unweave.graph.readers`, which use the same
builder or, for very large edge lists, `Network.from_arrays`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from unweave.graph import _igraph

Combine = Literal["sum", "last", "first", "max"]

NODE_ATTRIBUTES = ("kind", "country", "organisation")


@dataclass
class NetworkBuilder:
    """Collects nodes and edges, then builds a `Network` in one go (fast on large input)."""

    directed: bool = False
    _index: dict[str, int] = field(default_factory=dict)
    _node_attrs: list[dict[str, Any]] = field(default_factory=list)
    _sources: list[int] = field(default_factory=list)
    _targets: list[int] = field(default_factory=list)
    _weights: list[float] = field(default_factory=list)
    _types: list[str] = field(default_factory=list)
    _evidence: list[list[str]] = field(default_factory=list)
    _extra: list[dict[str, Any]] = field(default_factory=list)

    def add_node(self, node_id: str, **attrs: Any) -> int:
        """Add a node (or update its attributes) and return its index."""
        idx = self._index.get(node_id)
        if idx is None:
            idx = len(self._node_attrs)
            self._index[node_id] = idx
            self._node_attrs.append({})
        self._node_attrs[idx].update({k: v for k, v in attrs.items() if v is not None})
        return idx

    def add_edge(
        self,
        source: str,
        target: str,
        weight: float = 1.0,
        type: str = "link",
        evidence: Iterable[str] = (),
        **attrs: Any,
    ) -> None:
        """Add one edge; unknown endpoints become nodes in order of first appearance."""
        self._sources.append(self.add_node(source))
        self._targets.append(self.add_node(target))
        self._weights.append(float(weight))
        self._types.append(type)
        self._evidence.append(list(evidence))
        self._extra.append(attrs)

    def build(self) -> Network:
        ig = _igraph.module()
        g = ig.Graph(n=len(self._node_attrs), directed=self.directed)
        g.add_edges(list(zip(self._sources, self._targets, strict=True)))
        g.vs["name"] = list(self._index)
        keys = sorted({k for attrs in self._node_attrs for k in attrs} | set(NODE_ATTRIBUTES))
        for key in keys:
            g.vs[key] = [attrs.get(key) for attrs in self._node_attrs]
        g.es["weight"] = self._weights
        g.es["type"] = self._types
        g.es["evidence"] = self._evidence
        for key in sorted({k for attrs in self._extra for k in attrs}):
            g.es[key] = [attrs.get(key) for attrs in self._extra]
        return Network(g)


class Network:
    """Nodes with ids and attributes, edges with type, weight and evidence, over igraph."""

    def __init__(self, graph: Any) -> None:
        self.g = graph

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str],
        sources: Any,
        targets: Any,
        weights: Any = None,
        directed: bool = False,
    ) -> Network:
        """Build from node ids and integer endpoint arrays (no evidence); for big files."""
        ig = _igraph.module()
        g = ig.Graph(n=len(ids), directed=directed)
        g.add_edges(list(zip(sources, targets, strict=True)))
        g.vs["name"] = list(ids)
        g.es["weight"] = [1.0] * g.ecount() if weights is None else [float(w) for w in weights]
        return cls(g)

    # -- basic facts ---------------------------------------------------------------
    @property
    def directed(self) -> bool:
        return bool(self.g.is_directed())

    @property
    def ids(self) -> list[str]:
        return list(self.g.vs["name"])

    def __len__(self) -> int:
        return int(self.g.vcount())

    @property
    def edge_count(self) -> int:
        return int(self.g.ecount())

    def index(self, node_id: str) -> int:
        return int(self.g.vs.find(name=node_id).index)

    def node(self, node_id: str) -> dict[str, Any]:
        return dict(self.g.vs[self.index(node_id)].attributes())

    def edges(self) -> list[dict[str, Any]]:
        """Every edge as a dict: source, target (ids), weight, type, evidence, extra attributes."""
        names = self.g.vs["name"]
        out = []
        for e in self.g.es:
            row = {"source": names[e.source], "target": names[e.target]}
            row.update(e.attributes())
            out.append(row)
        return out

    def copy(self) -> Network:
        return Network(self.g.copy())

    # -- derived graphs ------------------------------------------------------------
    def simple(self, combine: Combine = "sum", directed: bool | None = None) -> Network:
        """One edge per node pair (per direction if directed), without self-loops.

        Weights are combined by `combine` ("sum"; "last" and "first" follow file order, as
        networkx's add_edge does when a pair is listed twice; "max"). Evidence lists are
        joined, types kept in order of first appearance ("call+payment").
        """
        ig = _igraph.module()
        directed = self.directed if directed is None else directed
        merged: dict[tuple[int, int], dict[str, Any]] = {}
        has_evidence = "evidence" in self.g.es.attributes()
        has_type = "type" in self.g.es.attributes()
        for e in self.g.es:
            s, t = e.source, e.target
            if s == t:
                continue
            key = (s, t) if directed or s < t else (t, s)
            w = float(e["weight"]) if e["weight"] is not None else 1.0
            cur = merged.get(key)
            if cur is None:
                merged[key] = {
                    "weight": w,
                    "types": [e["type"]] if has_type else [],
                    "evidence": list(e["evidence"] or []) if has_evidence else [],
                }
                continue
            if combine == "sum":
                cur["weight"] += w
            elif combine == "last":
                cur["weight"] = w
            elif combine == "max":
                cur["weight"] = max(cur["weight"], w)
            if has_type and e["type"] not in cur["types"]:
                cur["types"].append(e["type"])
            if has_evidence:
                cur["evidence"].extend(e["evidence"] or [])
        g = ig.Graph(n=self.g.vcount(), directed=directed)
        g.add_edges(list(merged))
        for key in self.g.vs.attributes():
            g.vs[key] = self.g.vs[key]
        g.es["weight"] = [d["weight"] for d in merged.values()]
        g.es["type"] = ["+".join(str(t) for t in d["types"]) or "link" for d in merged.values()]
        g.es["evidence"] = [d["evidence"] for d in merged.values()]
        return Network(g)

    def undirected(self, combine: Combine = "sum") -> Network:
        return self.simple(combine=combine, directed=False)

    def filter_edges(self, types: Iterable[str] | None = None) -> Network:
        """Keep only edges whose type is in `types` (all nodes are kept)."""
        if types is None:
            return self.copy()
        wanted = set(types)
        g = self.g.subgraph_edges(
            [e.index for e in self.g.es if e["type"] in wanted], delete_vertices=False
        )
        return Network(g)

    def reverse(self) -> Network:
        """The same network with every arc turned around (attributes kept)."""
        ig = _igraph.module()
        g = ig.Graph(
            n=self.g.vcount(),
            edges=[(e.target, e.source) for e in self.g.es],
            directed=self.directed,
        )
        for key in self.g.vs.attributes():
            g.vs[key] = self.g.vs[key]
        for key in self.g.es.attributes():
            g.es[key] = self.g.es[key]
        return Network(g)

    def without(self, node_ids: Iterable[str]) -> Network:
        """A copy without the given nodes; the others keep their relative order."""
        g = self.g.copy()
        g.delete_vertices([self.index(n) for n in node_ids])
        return Network(g)

    def weights(self) -> list[float] | None:
        """Edge weights, or None when every weight is 1 (so measures run unweighted)."""
        if "weight" not in self.g.es.attributes():
            return None
        w = self.g.es["weight"]
        return None if all(x == 1.0 for x in w) else [float(x) for x in w]
