"""Interactive HTML views (pyvis) of subgraphs the store returns."""

from __future__ import annotations

from pathlib import Path

from ..models import Subgraph


def write_html(graph: Subgraph, path: str | Path, title: str) -> Path:
    """Write ``graph`` as an interactive HTML page at ``path``; returns the path."""
    from pyvis.network import Network

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    net = Network(height="800px", width="100%", directed=True, heading=title)
    for n in graph.nodes:
        net.add_node(n.id, label=n.name or n.id, title=f"{n.label}: {n.name}", group=n.label)
    for e in graph.edges:
        net.add_edge(e.source, e.target, label=e.type)
    net.write_html(str(path))
    return path
