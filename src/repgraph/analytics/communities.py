"""Communities: groups of nodes more linked among themselves than to the rest.

Louvain (modularity maximisation, seeded so answers repeat) or label propagation
(semi-synchronous, deterministic), on the undirected simple graph of
:func:`repgraph.analytics.graph.to_networkx`.
"""

from __future__ import annotations

from typing import Literal

import networkx as nx

from ..models import EntityRef, Subgraph
from .graph import entity_ref, to_networkx
from .results import CommunitiesReport, Community, GraphScope
from .scope import fill_scope

Method = Literal["louvain", "label_propagation"]
METHODS: tuple[str, ...] = ("louvain", "label_propagation")
DEFAULT_SEED = 42


def detect_communities(graph: Subgraph | nx.Graph, method: Method = "louvain", seed: int = DEFAULT_SEED,
                       resolution: float = 1.0) -> list[list[str]]:
    """Partition the nodes into communities.

    Parameters
    ----------
    graph : Subgraph or networkx.Graph
        A subgraph from the store (documentation left out) or an undirected simple graph.
    method : {"louvain", "label_propagation"}
        Louvain [1]_ maximises modularity; label propagation [2]_ spreads the most common
        label among neighbours until stable.
    seed : int, default 42
        Random seed of Louvain (ignored by label propagation, which is deterministic).
    resolution : float, default 1.0
        Louvain resolution: above 1 favours smaller communities.

    Returns
    -------
    list of list of str
        Every node in exactly one community; each community's ids sorted; communities
        largest first, then by smallest id. Isolated nodes are communities of one.

    Raises
    ------
    ValueError
        On an unknown ``method``.

    References
    ----------
    .. [1] Blondel et al., "Fast unfolding of communities in large networks", J. Stat.
       Mech. 2008, P10008.
    .. [2] Cordasco and Gargano, "Community detection via semi-synchronous label
       propagation algorithms", 2010.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"),
    ...               ("d", "e"), ("e", "f"), ("f", "d")])
    >>> detect_communities(G)
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    >>> detect_communities(nx.path_graph(["a", "b", "c"]), "label_propagation")
    [['a', 'b', 'c']]
    """
    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    if method == "louvain":
        parts = nx.community.louvain_communities(G, seed=seed, resolution=resolution)
    elif method == "label_propagation":
        parts = nx.community.label_propagation_communities(G)
    else:
        raise ValueError("method: one of louvain, label_propagation")
    out = [sorted(p) for p in parts if p]
    out.sort(key=lambda c: (-len(c), c[0]))
    return out


def community_index(communities: list[list[str]]) -> dict[str, int]:
    """Node id -> index of its community in ``communities``.

    Examples
    --------
    >>> community_index([["a", "b"], ["c"]])
    {'a': 0, 'b': 0, 'c': 1}
    """
    return {n: i for i, members in enumerate(communities) for n in members}


def modularity(graph: Subgraph | nx.Graph, communities: list[list[str]]) -> float | None:
    """Newman modularity of the partition, in ``[-0.5, 1]``; None for a graph without edges.

    Examples
    --------
    >>> import networkx as nx
    >>> round(modularity(nx.Graph([("a", "b"), ("c", "d")]), [["a", "b"], ["c", "d"]]), 3)
    0.5
    """
    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    if G.number_of_edges() == 0:
        return None
    return nx.community.modularity(G, communities)


def communities_report(subgraph: Subgraph, *, method: Method = "louvain", seed: int = DEFAULT_SEED,
                       scope: GraphScope | None = None) -> CommunitiesReport:
    """The communities of ``subgraph`` with their members and the partition's modularity."""
    G = to_networkx(subgraph)
    parts = detect_communities(G, method, seed)
    return CommunitiesReport(
        scope=fill_scope(scope, subgraph, G), method=method, seed=seed if method == "louvain" else None,
        modularity=modularity(G, parts),
        communities=[
            Community(index=i, size=len(members),
                      members=[entity_ref(G, m) for m in members])
            for i, members in enumerate(parts)
        ],
    )
