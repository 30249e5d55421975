"""Brokers: the nodes and links holding the network together.

An articulation point is a node whose removal splits its connected component; a bridge
is a link whose removal does. Each is placed among the communities of
:mod:`repgraph.analytics.communities`, so a broker between communities stands out.
"""

from __future__ import annotations

import networkx as nx

from ..models import EntityRef, Subgraph
from .communities import DEFAULT_SEED, Method, community_index, detect_communities
from .graph import entity_ref, to_networkx
from .results import Bridge, Broker, BrokersReport, GraphScope
from .scope import fill_scope


def articulation_points(graph: Subgraph | nx.Graph) -> list[str]:
    """Nodes whose removal disconnects their component, sorted by id.

    Parameters
    ----------
    graph : Subgraph or networkx.Graph
        A subgraph from the store (documentation left out) or an undirected simple graph.

    Returns
    -------
    list of str
        Possibly empty (a graph without cut vertices, e.g. a cycle).

    Examples
    --------
    >>> import networkx as nx
    >>> articulation_points(nx.path_graph(["a", "b", "c"]))
    ['b']
    """
    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    return sorted(nx.articulation_points(G))


def bridges(graph: Subgraph | nx.Graph) -> list[tuple[str, str]]:
    """Links whose removal disconnects their component, as ``(smaller id, larger id)``
    pairs, sorted.

    Examples
    --------
    >>> import networkx as nx
    >>> bridges(nx.path_graph(["a", "b", "c"]))
    [('a', 'b'), ('b', 'c')]
    """
    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    return sorted(tuple(sorted(e)) for e in nx.bridges(G))


def components_if_removed(G: nx.Graph, node: str) -> int:
    """Connected pieces ``node``'s component falls into without ``node``.

    Examples
    --------
    >>> import networkx as nx
    >>> components_if_removed(nx.star_graph(3), 0)
    3
    """
    component = nx.node_connected_component(G, node) - {node}
    return nx.number_connected_components(G.subgraph(component))


def brokers_report(subgraph: Subgraph, *, method: Method = "louvain", seed: int = DEFAULT_SEED,
                   scope: GraphScope | None = None) -> BrokersReport:
    """Articulation points and bridges of ``subgraph``, with the communities they touch."""
    G = to_networkx(subgraph)
    index = community_index(detect_communities(G, method, seed))

    def ref(n: str) -> EntityRef:
        return entity_ref(G, n)

    points = [
        Broker(entity=ref(n), components_if_removed=components_if_removed(G, n),
               communities=sorted({index[m] for m in G.neighbors(n)} | {index[n]}))
        for n in articulation_points(G)
    ]
    points.sort(key=lambda b: (-b.components_if_removed, b.entity.id))
    out = []
    for u, v in bridges(G):
        data = dict(G.edges[u, v])
        G.remove_edge(u, v)  # measure both sides, then put the link back
        sides = [len(nx.node_connected_component(G, u)), len(nx.node_connected_component(G, v))]
        G.add_edge(u, v, **data)
        out.append(Bridge(
            source=ref(u), target=ref(v), types=list(data["types"]), side_sizes=sides,
            communities=[index[u], index[v]], between_communities=index[u] != index[v],
        ))
    return BrokersReport(scope=fill_scope(scope, subgraph, G), method=method, articulation_points=points, bridges=out)
