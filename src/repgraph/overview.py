"""The overview of a store: all of it when it fits a cap, else its best-linked part.

Whole-graph views and analytics must not take "the first ids in sort order" of a large
store: that sample is arbitrary (all countries and incidents, no perpetrator) and its
metrics meaningless. When the store holds more than ``max_nodes`` nodes, the overview
starts from the best-linked nodes (most relationships, documentation not counted) and adds
their neighbours, best-linked neighbours first, a share per hub, so the hubs and the links
between them are in, and every node drawn is linked to a hub. The answer is ``truncated``
with the number of nodes left out, and callers say so and how to scope (an ego graph).
"""

from __future__ import annotations

from . import queries as Q
from . import service as S
from .models import GraphEdge, GraphNode, Subgraph
from .schema import primary_label
from .store import GraphStore

#: Labels never chosen as hubs or hub neighbours (documentation, not actors).
DOCUMENTATION_LABELS = frozenset({"Source", "Statistic"})
#: Relationship types not followed from a hub.
DOCUMENTATION_TYPES = frozenset({"DOCUMENTED_IN"})


def node_total(store: GraphStore) -> int:
    """How many nodes the store holds."""
    rows = store.read(Q.NODE_TOTAL)
    return int(rows[0]["total"]) if rows else 0


def overview_graph(store: GraphStore, max_nodes: int = 500, first: list[str] | None = None) -> Subgraph:
    """At most ``max_nodes`` nodes and every relationship between them.

    A store of at most ``max_nodes`` nodes is returned whole. A larger one: hubs in order
    of their degree (:data:`repgraph.queries.DEGREE_RANKING`), each with up to
    ``max(5, max_nodes // 20)`` of its neighbours (best-linked first), until the cap; a
    second pass fills what is left with further neighbours. Hubs listed in ``first`` (e.g.
    the perpetrators named in most incidents) come before the degree ranking. ``truncated``
    is then set and ``omitted_nodes`` counts the nodes left out. Nodes sorted by id, edges
    by id.
    """
    total = node_total(store)
    if total <= max_nodes:
        return S.whole_graph(store, max_nodes=max_nodes)
    ranking = [r["id"] for r in store.read(Q.DEGREE_RANKING, {"limit": 2 * max_nodes})]
    rank = {i: k for k, i in enumerate(ranking)}
    share = max(5, max_nodes // 20)
    chosen: dict[str, None] = {}
    hubs = list(dict.fromkeys([*(first or []), *ranking[: max(1, max_nodes // 2)]]))
    neighbours: dict[str, list[str]] = {}

    def neighbours_of(hub: str) -> list[str]:
        if hub not in neighbours:  # read in batches of the next hubs, only as far as needed
            batch = [h for h in hubs[hubs.index(hub):hubs.index(hub) + 25] if h not in neighbours]
            for h in batch:
                neighbours[h] = []
            for row in S.each(store, Q.NEIGHBOURS, batch):
                if row["type"] in DOCUMENTATION_TYPES or primary_label(row["otherLabels"]) in DOCUMENTATION_LABELS:
                    continue
                neighbours[row["nodeId"]].append(row["otherId"])
            for h in batch:
                neighbours[h] = sorted(set(neighbours[h]), key=lambda i: (rank.get(i, len(rank)), i))
        return neighbours[hub]

    for limit in (share, None):  # a fair share per hub, then fill up
        for hub in hubs:
            if len(chosen) >= max_nodes:
                break
            chosen.setdefault(hub)
            for other in neighbours_of(hub)[:limit]:
                if len(chosen) >= max_nodes:
                    break
                chosen.setdefault(other)
    nodes: dict[str, GraphNode] = {}
    for row in S.each(store, Q.ENTITY, list(chosen)):
        nodes[row["id"]] = GraphNode(id=row["id"], label=row["label"], name=row["props"].get("name"),
                                     properties=S._public_node_props(row["props"]))
    edges: dict[str, GraphEdge] = {}
    for r in S.each(store, Q.NEIGHBOURS, list(nodes)):
        if r["otherId"] not in nodes or not r["outgoing"]:
            continue
        eid = r["props"].get("id") or f"{r['type']}:{r['nodeId']}:{r['otherId']}"
        edges[eid] = GraphEdge(id=eid, source=r["nodeId"], target=r["otherId"], type=r["type"],
                               properties=S._public_props(r["props"]))
    return Subgraph(nodes=sorted(nodes.values(), key=lambda n: n.id), edges=sorted(edges.values(), key=lambda e: e.id or ""),
                    truncated=True, omitted_nodes=total - len(nodes))
