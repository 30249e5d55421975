"""Colour or size a view's nodes by a network metric (computed on the view's own graph)."""

from __future__ import annotations

from ..analytics import betweenness_centrality, community_index, degree_centrality, detect_communities, to_networkx
from .model import View

SIZE_METRICS: tuple[str, ...] = ("degree", "betweenness")
COLOR_METRICS: tuple[str, ...] = ("community",)


def apply_metrics(view: View, size_by: str | None = None, color_by: str | None = None) -> View:
    """Set ``value`` (drawn size) from degree or betweenness centrality, and ``community``
    (drawn colour) from Louvain communities, of the view's graph with documentation left
    out. Nodes outside the analysed graph (sources, statistics) get the smallest size and
    no community. Raises ValueError on an unknown metric."""
    if size_by and size_by not in SIZE_METRICS:
        raise ValueError(f"size_by: one of {', '.join(SIZE_METRICS)}")
    if color_by and color_by not in COLOR_METRICS:
        raise ValueError(f"color_by: one of {', '.join(COLOR_METRICS)}")
    if not size_by and not color_by:
        return view
    G = to_networkx(view.to_subgraph())
    if size_by:
        values = degree_centrality(G) if size_by == "degree" else betweenness_centrality(G)
        for n in view.nodes:
            n.value = values.get(n.id, 0.0)
            if n.id in values:
                n.metrics[size_by] = values[n.id]
        view.size_by = size_by
        view.notes.append(f"Node size: {size_by} centrality on this view's graph (documentation links left out).")
    if color_by:
        index = community_index(detect_communities(G))
        for n in view.nodes:
            n.community = index.get(n.id)
        view.color_by = color_by
        view.notes.append("Node colour: Louvain communities of this view's graph (shape still shows the kind of node).")
    return view
