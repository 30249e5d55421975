"""Shortest connections between two entities.

Two steps: :func:`connecting_subgraph` walks the store from both ends at once, one
anchored ``NEIGHBOURS`` hop at a time (the cheap statement on both backends; design.md
measured unanchored ``shortestPath`` as pathological on GraphQLite), until the two
searches meet; :func:`shortest_paths` then finds every shortest path in what was walked
with networkx. Every edge of every shortest path touches a node expanded by one of the
two searches, so none is missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import networkx as nx

from .. import queries as Q
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..redaction import require_visible, shown_id
from ..models import EntityRef, GraphEdge, GraphNode, Subgraph
from .. import service as S
from ..service import NotFound
from ..schema import primary_label
from ..store import GraphStore
from .graph import DEFAULT_EXCLUDED_LABELS, DEFAULT_EXCLUDED_TYPES, entity_ref, to_networkx
from .results import Path, PathsReport

#: Longest connection searched for, in hops.
MAX_HOPS = 8
#: Nodes the two searches may reach before giving up.
MAX_EXPLORED = 20_000
#: Shortest paths enumerated before sorting (the rest are counted as "more").
SCAN_LIMIT = 1000


def shortest_paths(graph: Subgraph | nx.Graph, source: str, target: str, *, limit: int = 10) -> list[list[str]]:
    """Every shortest path between ``source`` and ``target`` (up to ``limit``), as lists of
    node ids, in lexicographic order of their ids.

    Parameters
    ----------
    graph : Subgraph or networkx.Graph
        A subgraph (converted with :func:`~repgraph.analytics.graph.to_networkx`, so
        documentation links are not connections) or an undirected simple graph.
    source, target : str
        Node ids; equal ids give ``[[source]]``.
    limit : int, default 10
        Most paths returned (of the first :data:`SCAN_LIMIT` found).

    Returns
    -------
    list of list of str
        Each path starts at ``source`` and ends at ``target``; all have the same length.
        Empty when the two are not connected.

    Raises
    ------
    KeyError
        When ``source`` or ``target`` is not a node of the graph.

    Examples
    --------
    >>> import networkx as nx
    >>> shortest_paths(nx.path_graph(["a", "b", "c"]), "a", "c")
    [['a', 'b', 'c']]
    >>> shortest_paths(nx.cycle_graph(["a", "b", "c", "d"]), "a", "c")
    [['a', 'b', 'c'], ['a', 'd', 'c']]
    """
    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    for n in (source, target):
        if n not in G:
            raise KeyError(n)
    try:
        found = list(islice(nx.all_shortest_paths(G, source, target), SCAN_LIMIT))
    except nx.NetworkXNoPath:
        return []
    return sorted(found)[:limit]


def connecting_subgraph(
    store: GraphStore,
    source: str,
    target: str,
    *,
    max_hops: int = 6,
    max_explored: int = MAX_EXPLORED,
    exclude_labels: Iterable[str] = DEFAULT_EXCLUDED_LABELS,
    exclude_types: Iterable[str] = DEFAULT_EXCLUDED_TYPES,
    viewer: Viewer = DEFAULT_VIEWER,
) -> Subgraph:
    """What a bidirectional breadth-first search from ``source`` and ``target`` walks
    before the two meet: every relationship of every expanded node.

    Each round expands the smaller frontier by one hop (one ``NEIGHBOURS`` statement).
    It stops when the searches meet, when ``max_hops`` rounds were run (no connection of
    that length or less) or when more than ``max_explored`` nodes were reached (then
    ``truncated`` is set). Nodes with ``exclude_labels`` are not walked through (the two
    ends always are) and ``exclude_types`` relationships are ignored.

    For a ``viewer`` without full clearance the walk never crosses a relationship above
    their level nor a hidden node (connections are those of the graph they may see).

    Raises NotFound when either id is not in the store, ValueError on a bad ``max_hops``.
    """
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops: between 1 and {MAX_HOPS}")
    labels_out, types_out = set(exclude_labels), set(exclude_types)
    ends = {r["id"]: r for r in S.each(store, Q.ENTITY, sorted({source, target}))}
    for n in (source, target):
        if n not in ends:
            raise NotFound(f"no entity with id {n!r}")
    red = S._redactor(store, viewer)
    nodes = {n: GraphNode(id=n, label=ends[n]["label"], name=ends[n]["props"].get("name"),
                          confidentiality=ends[n]["props"].get("confidentiality")) for n in ends}
    edges: dict[str, GraphEdge] = {}
    dist: list[dict[str, int]] = [{source: 0}, {target: 0}]
    frontier: list[list[str]] = [[source], [target]]
    truncated = False
    hops = 0
    met = source == target
    while not met and hops < max_hops and frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        seen, other_seen = dist[side], dist[1 - side]
        nxt: set[str] = set()
        for r in S.each(store, Q.NEIGHBOURS, frontier[side]):
            other = r["otherId"]
            other_label = primary_label(r["otherLabels"])
            if r["type"] in types_out or (other_label in labels_out and other not in (source, target)):
                continue
            src, dst = (r["nodeId"], other) if r["outgoing"] else (other, r["nodeId"])
            eid = r["props"].get("id") or f"{r['type']}:{src}:{dst}"
            if red is not None and red.hides_relationship(eid, r["props"].get("confidentiality"), other):
                continue
            edges[eid] = GraphEdge(id=eid, source=src, target=dst, type=r["type"],
                                   confidentiality=r["props"].get("confidentiality"))
            if other not in nodes:
                nodes[other] = GraphNode(id=other, label=other_label, name=r["otherName"],
                                         confidentiality=r["otherConfidentiality"])
            if other not in seen:
                seen[other] = seen[r["nodeId"]] + 1
                nxt.add(other)
            met = met or other in other_seen
        frontier[side] = sorted(nxt)
        hops += 1
        if not met and len(nodes) > max_explored:
            truncated = True
            break
    return Subgraph(nodes=sorted(nodes.values(), key=lambda n: n.id), edges=sorted(edges.values(), key=lambda e: e.id or ""),
                    truncated=truncated, omitted_nodes=0)


def path_subgraph(walked: Subgraph, paths: list[list[str]]) -> Subgraph:
    """The nodes of ``paths`` and every relationship of ``walked`` between consecutive ones."""
    on_path = {n for p in paths for n in p}
    steps = {frozenset(pair) for p in paths for pair in zip(p, p[1:])}
    return Subgraph(
        nodes=[n for n in walked.nodes if n.id in on_path],
        edges=[e for e in walked.edges if frozenset((e.source, e.target)) in steps],
    )


def paths_report(store: GraphStore, source: str, target: str, *, max_hops: int = 6, limit: int = 10,
                 walked: Subgraph | None = None, viewer: Viewer = DEFAULT_VIEWER) -> PathsReport:
    """The shortest connections between two entities, up to ``max_hops`` long.

    Documentation (``Source``, ``Statistic``, ``DOCUMENTED_IN``) is not a connection.
    ``walked``: the :func:`connecting_subgraph` already fetched (and disclosed), else it
    is fetched and disclosed for ``viewer`` here.
    Raises NotFound (unknown id) and ValueError (bad ``max_hops`` or ``limit``).
    """
    if not 1 <= limit <= 100:
        raise ValueError("limit: between 1 and 100")
    require_visible(store, viewer, source, target)
    if walked is None:
        walked = disclose(connecting_subgraph(store, source, target, max_hops=max_hops, viewer=viewer), viewer, store)
    # the ends as the disclosed walk names them (an id naming a protected person: opaque)
    source, target = shown_id(store, viewer, source), shown_id(store, viewer, target)
    G = to_networkx(walked, exclude_labels=set(DEFAULT_EXCLUDED_LABELS) - {source, target})
    for n in (source, target):  # an excluded end (a Source) is still an end
        if n not in G:
            node = next(x for x in walked.nodes if x.id == n)
            G.add_node(n, label=node.label, name=node.name, roles=[], confidentiality=node.confidentiality,
                       citations=node.citations)
    try:
        everything = list(islice(nx.all_shortest_paths(G, source, target), SCAN_LIMIT))
    except nx.NetworkXNoPath:
        everything = []
    everything.sort()
    chosen = everything[:limit]

    def ref(n: str) -> EntityRef:
        return entity_ref(G, n)

    return PathsReport(
        source=ref(source), target=ref(target), hops=len(everything[0]) - 1 if everything else None,
        paths=[Path(nodes=[ref(n) for n in p], relationships=[list(G.edges[a, b]["types"]) for a, b in zip(p, p[1:])])
               for p in chosen],
        total_paths=len(everything), truncated=len(everything) > limit, max_hops=max_hops,
        explored_nodes=len(walked.nodes), exploration_capped=walked.truncated,
        excluded_labels=sorted(DEFAULT_EXCLUDED_LABELS), excluded_types=sorted(DEFAULT_EXCLUDED_TYPES),
    )
