"""The network of people: who is tied to whom, through the identifiers they hold.

Calls run between phones and transfers between accounts; key-player measures need people.
A call from a phone that X holds to one that Y holds is a call tie X → Y; people holding
the same phone, e-mail or address get a ``shared-…`` tie (relatives often share them: it
is evidence of closeness, not of identity). Ties between people (payments, family,
association, co-travel...) are kept as they are. Evidence lists are carried through.
"""

from __future__ import annotations

from collections import defaultdict

from unweave.graph.network import Network, NetworkBuilder

IDENTIFIER_KINDS = {"phone", "email", "address", "account", "vehicle", "ad"}
HOLDING = {"phone", "email", "address", "account"}


def people(net: Network) -> Network:
    g = net.g
    names = g.vs["name"]
    kinds = g.vs["kind"]
    is_party = [k not in IDENTIFIER_KINDS for k in kinds]
    holders: dict[int, list[tuple[int, list[str]]]] = defaultdict(list)
    for e in g.es:
        if e["type"] in HOLDING and is_party[e.source] and not is_party[e.target]:
            holders[e.target].append((e.source, list(e["evidence"] or [])))
    builder = NetworkBuilder(directed=net.directed)
    for v in range(g.vcount()):
        if is_party[v]:
            attrs = g.vs[v].attributes()
            builder.add_node(names[v], **{k: attrs[k] for k in attrs if k != "name"})
    for e in g.es:
        a, b, kind = e.source, e.target, e["type"]
        evidence = list(e["evidence"] or [])
        if is_party[a] and is_party[b]:
            # Ties count contacts: a payment is one, whatever its amount.
            weight = 1.0 if kind == "payment" else e["weight"]
            builder.add_edge(names[a], names[b], weight, kind, evidence)
        elif not is_party[a] and not is_party[b]:
            for x, ev_x in holders.get(a, []):
                for y, ev_y in holders.get(b, []):
                    if x != y:
                        builder.add_edge(
                            names[x], names[y], e["weight"], kind, evidence + ev_x + ev_y
                        )
    for ident, held in holders.items():
        kind = f"shared-{kinds[ident]}"
        for i, (x, ev_x) in enumerate(held):
            for y, ev_y in held[i + 1 :]:
                if x != y:
                    builder.add_edge(names[x], names[y], 1.0, kind, ev_x + ev_y)
    return builder.build()
