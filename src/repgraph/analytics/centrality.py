"""Degree and betweenness centrality: who is most connected, who lies on the most
shortest connections between others.

Computed on the undirected simple graph of :func:`repgraph.analytics.graph.to_networkx`.
"""

from __future__ import annotations

from typing import Literal

import networkx as nx

from ..budget import check as check_budget
from ..models import Subgraph
from .graph import perpetrator_ids, to_networkx
from .results import CentralityReport, GraphScope, NodeScore
from .scope import fill_scope


def _graph(graph: Subgraph | nx.Graph) -> nx.Graph:
    return graph if isinstance(graph, nx.Graph) else to_networkx(graph)


def degree_centrality(graph: Subgraph | nx.Graph) -> dict[str, float]:
    """Degree centrality of every node.

    Parameters
    ----------
    graph : Subgraph or networkx.Graph
        A subgraph from the store (converted with :func:`~repgraph.analytics.graph.to_networkx`,
        documentation left out) or an undirected simple graph.

    Returns
    -------
    dict of str to float
        One entry per node: its number of distinct neighbours divided by ``n - 1``, in
        ``[0, 1]``. A graph of one node gives it 1.0 (networkx's convention); an empty
        graph gives ``{}``.

    Notes
    -----
    Several relationships between the same two nodes count once.

    Examples
    --------
    >>> import networkx as nx
    >>> degree_centrality(nx.path_graph(["a", "b", "c"]))
    {'a': 0.5, 'b': 1.0, 'c': 0.5}
    """
    return nx.degree_centrality(_graph(graph))


def betweenness_centrality(graph: Subgraph | nx.Graph, normalized: bool = True) -> dict[str, float]:
    """Betweenness centrality of every node: the share of shortest connections between
    other pairs that pass through it.

    Parameters
    ----------
    graph : Subgraph or networkx.Graph
        As for :func:`degree_centrality`.
    normalized : bool, default True
        Divide by ``(n - 1)(n - 2) / 2``, the number of pairs of other nodes, so values
        lie in ``[0, 1]``. Unnormalised values count pairs (each pair once; a pair with
        k shortest paths adds 1/k per path through the node).

    Returns
    -------
    dict of str to float
        One entry per node; endpoints are not counted as "between".

    References
    ----------
    .. [1] Ulrik Brandes, "A Faster Algorithm for Betweenness Centrality",
       Journal of Mathematical Sociology 25(2):163-177, 2001.

    Raises
    ------
    repgraph.budget.BudgetExceeded
        When the request's time budget is spent or its client left (checked every
        :data:`SOURCES_PER_STEP` source nodes; without a budget, never).

    Notes
    -----
    Brandes' algorithm, run :data:`SOURCES_PER_STEP` source nodes at a time
    (``networkx.betweenness_centrality_subset``, summed), so a served request can stop
    between steps; the sum equals ``networkx.betweenness_centrality``.

    Examples
    --------
    >>> import networkx as nx
    >>> betweenness_centrality(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    G = _graph(graph)
    nodes = list(G)
    n = len(nodes)
    total = dict.fromkeys(nodes, 0.0)
    for start in range(0, n, SOURCES_PER_STEP):
        check_budget()
        step = nx.betweenness_centrality_subset(G, nodes[start:start + SOURCES_PER_STEP], nodes, normalized=False)
        for node, value in step.items():
            total[node] += value
    if normalized and n > 2:
        scale = 2.0 / ((n - 1) * (n - 2))
        total = {node: value * scale for node, value in total.items()}
    return total


#: Source nodes per step of :func:`betweenness_centrality` between budget checks.
SOURCES_PER_STEP = 20


def centrality_report(
    subgraph: Subgraph,
    *,
    subjects: Literal["perpetrators", "all"] = "perpetrators",
    top: int | None = None,
    scope: GraphScope | None = None,
) -> CentralityReport:
    """Degree and betweenness of the perpetrators and organizations (or every node),
    computed on the whole of ``subgraph``, best first.

    Parameters
    ----------
    subgraph : Subgraph
        What the store returned.
    subjects : {"perpetrators", "all"}
        Whom to list; the metrics are always computed over every node.
    top : int, optional
        Keep the first ``top`` scores.
    scope : GraphScope, optional
        Description of the subgraph (root, depth); sizes are filled in here.

    Returns
    -------
    CentralityReport
        Scores ordered by betweenness, degree (descending), then id.

    Raises
    ------
    ValueError
        On an unknown ``subjects``.
    """
    if subjects not in ("perpetrators", "all"):
        raise ValueError("subjects: one of perpetrators, all")
    G = to_networkx(subgraph)
    deg = nx.degree_centrality(G)
    btw = betweenness_centrality(G)
    wanted = perpetrator_ids(subgraph) if subjects == "perpetrators" else set(G)
    scores = [
        NodeScore(id=n, label=G.nodes[n]["label"], name=G.nodes[n]["name"], degree=G.degree(n),
                  degree_centrality=deg[n], betweenness=btw[n])
        for n in G if n in wanted
    ]
    scores.sort(key=lambda s: (-s.betweenness, -s.degree, s.id))
    note = None
    if not scores:
        note = ("the analysed graph holds no node" if not G else
                "the analysed graph holds no named perpetrator, official or state organization" if subjects == "perpetrators"
                else None)
    return CentralityReport(scope=fill_scope(scope, subgraph, G), subjects=subjects,
                            scores=scores[:top] if top else scores, note=note)

