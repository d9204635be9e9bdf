"""Gould–Fernandez (1989) brokerage roles between groups (countries, organisations, cells).

A node b brokers when a → b → c and there is no tie a → c. Depending on the groups of a, b
and c, the brokerage is:

| role           | groups              | for an investigator                                 |
| -------------- | ------------------- | --------------------------------------------------- |
| coordinator    | a = b = c           | runs things inside one group                        |
| itinerant      | a = c ≠ b           | outsider who connects two members of one group      |
| representative | a = b ≠ c           | speaks for their group to another                   |
| gatekeeper     | b = c ≠ a           | controls what enters their group                    |
| liaison        | a ≠ b ≠ c ≠ a       | links groups to which they do not belong            |

Undirected ties have no direction, so an open pair with one end in the broker's group is
both representative and gatekeeper: it is counted under both.
"""

from __future__ import annotations

from collections.abc import Sequence

from unweave.graph.network import Network

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def _role(ga: object, gb: object, gc: object) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    return "liaison"


def brokerage(net: Network, groups: Sequence[object]) -> list[dict[str, int]]:
    """Counts of each role per node (one dict per node, node order)."""
    g = net.g
    n = len(net)
    if net.directed:
        outs = [set(g.successors(v)) for v in range(n)]
        ins = [set(g.predecessors(v)) for v in range(n)]
    else:
        outs = [set(g.neighbors(v)) for v in range(n)]
        ins = outs
    result = []
    for b in range(n):
        counts = dict.fromkeys(ROLES, 0)
        for a in ins[b]:
            for c in outs[b]:
                if a in (b, c) or c == b or c in outs[a]:
                    continue
                if not net.directed and c < a:
                    continue  # each unordered pair once
                role = _role(groups[a], groups[b], groups[c])
                counts[role] += 1
                if not net.directed and role in ("representative", "gatekeeper"):
                    counts["gatekeeper" if role == "representative" else "representative"] += 1
        result.append(counts)
    return result
