"""A :class:`~repgraph.models.Subgraph` as a networkx graph, the input of every metric.

The analysed graph is **undirected and simple**: a relationship links two actors whichever
way it points, and several relationships between the same two nodes count once (their
types are kept on the edge, in ``types``). Documentation is not a connection in the
world, so by default ``Source`` and ``Statistic`` nodes and ``DOCUMENTED_IN`` relationships
are left out: otherwise the report every incident cites would be the "broker" of everything.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..models import EntityRef, Subgraph

#: Node labels left out of analyses by default (documentation and aggregates, not actors).
DEFAULT_EXCLUDED_LABELS: frozenset[str] = frozenset({"Source", "Statistic"})
#: Relationship types left out of analyses by default.
DEFAULT_EXCLUDED_TYPES: frozenset[str] = frozenset({"DOCUMENTED_IN"})


def to_networkx(
    subgraph: Subgraph,
    *,
    exclude_labels: Iterable[str] = DEFAULT_EXCLUDED_LABELS,
    exclude_types: Iterable[str] = DEFAULT_EXCLUDED_TYPES,
) -> nx.Graph:
    """The undirected simple graph of ``subgraph``.

    Parameters
    ----------
    subgraph : Subgraph
        Nodes and edges as the store returned them (an ego graph, the whole graph, ...).
    exclude_labels : iterable of str, optional
        Node labels to leave out, with their relationships. Default ``Source``, ``Statistic``.
    exclude_types : iterable of str, optional
        Relationship types to leave out. Default ``DOCUMENTED_IN``.

    Returns
    -------
    networkx.Graph
        One node per kept node id, with attributes ``label``, ``name``, ``roles``
        (list, possibly empty), ``confidentiality`` and ``citations``; one edge per linked pair, with ``types`` (sorted list of
        relationship types) and ``ids`` (relationship ids). Self-loops are dropped.

    Examples
    --------
    >>> from repgraph.models import GraphEdge, GraphNode, Subgraph
    >>> sg = Subgraph(nodes=[GraphNode(id=i, label="Person") for i in "abc"],
    ...               edges=[GraphEdge(source="a", target="b", type="FAMILY_OF"),
    ...                      GraphEdge(source="b", target="a", type="MEMBER_OF"),
    ...                      GraphEdge(source="b", target="c", type="FAMILY_OF")])
    >>> G = to_networkx(sg)
    >>> sorted(G.edges(data="types"))
    [('a', 'b', ['FAMILY_OF', 'MEMBER_OF']), ('b', 'c', ['FAMILY_OF'])]
    """
    labels_out = set(exclude_labels)
    types_out = set(exclude_types)
    G = nx.Graph()
    for n in subgraph.nodes:
        if n.label in labels_out:
            continue
        roles = n.properties.get("roles") or []
        G.add_node(n.id, label=n.label, name=n.name, roles=list(roles) if isinstance(roles, list) else [roles],
                   confidentiality=n.confidentiality, citations=n.citations)
    for e in subgraph.edges:
        if e.type in types_out or e.source == e.target or e.source not in G or e.target not in G:
            continue
        if G.has_edge(e.source, e.target):
            data = G.edges[e.source, e.target]
            data["types"] = sorted(set(data["types"]) | {e.type})
            data["ids"].append(e.id)
        else:
            G.add_edge(e.source, e.target, types=[e.type], ids=[e.id])
    return G


def entity_ref(G: nx.Graph, n: str) -> EntityRef:
    """Node ``n`` of ``G`` as a reference: id, label, name, confidentiality."""
    data = G.nodes[n]
    return EntityRef(id=n, label=data["label"], name=data["name"], confidentiality=data.get("confidentiality"))


#: Organization kinds of the state apparatus: the organizations that can be perpetrators.
#: NGOs, media, international bodies and protection programmes never are (a human-rights
#: body must not be listed among "perpetrators" because it is well connected).
STATE_KINDS = frozenset({"state_security", "police", "military", "court", "prosecutor", "ministry",
                         "legislature", "government"})


def perpetrator_ids(subgraph: Subgraph) -> set[str]:
    """Ids of the subgraph's perpetrators: the targets of ``PERPETRATED_BY``, persons with
    the role ``official``, and organizations of the state (:data:`STATE_KINDS`).

    Examples
    --------
    >>> from repgraph.models import GraphEdge, GraphNode, Subgraph
    >>> sg = Subgraph(nodes=[GraphNode(id="i", label="Incident"), GraphNode(id="p", label="Person"),
    ...                      GraphNode(id="o", label="Organization", properties={"kind": "police"}),
    ...                      GraphNode(id="ngo", label="Organization", properties={"kind": "ngo"}),
    ...                      GraphNode(id="v", label="Person")],
    ...               edges=[GraphEdge(source="i", target="p", type="PERPETRATED_BY"),
    ...                      GraphEdge(source="i", target="v", type="TARGETED")])
    >>> sorted(perpetrator_ids(sg))
    ['o', 'p']
    """
    out = {e.target for e in subgraph.edges if e.type == "PERPETRATED_BY"}
    for n in subgraph.nodes:
        roles = n.properties.get("roles") or []
        if (n.label == "Organization" and n.properties.get("kind") in STATE_KINDS) or (
                n.label == "Person" and "official" in roles):
            out.add(n.id)
    return out
