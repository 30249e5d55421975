"""Interactive HTML views of the graph, offline and safe with any name.

One module per view builder, each returning a :class:`~repgraph.viz.model.View` built
from the service's answers (after disclosure) and enriched with citations:

- :func:`build_ego` (``ego``): an entity's neighbourhood;
- :func:`build_chain` (``chain``): an incident's victims, perpetrators and chain of command;
- :func:`build_operation`, :func:`build_law` (``operation``, ``law``): their incidents,
  victims and perpetrators;
- :func:`build_exile` (``exile``): defenders -> host countries, with routes;
- :func:`build_path` (``path``): the shortest connections between two entities;
- :func:`build_whole` (``graph``): everything (small stores).

:func:`apply_metrics` sizes nodes by degree or betweenness or colours them by community;
:func:`render_html` / :func:`write_view` draw a view as one self-contained page
(vis-network inlined from pyvis, no CDN; names are text, never markup).
"""

from __future__ import annotations

from pathlib import Path

from ..models import Subgraph
from .chain import build_chain
from .ego import build_ego
from .exile import build_exile
from .metrics import COLOR_METRICS, SIZE_METRICS, apply_metrics
from .model import View, ViewEdge, ViewNode, enrich, from_subgraph
from .operation import build_law, build_operation
from .path import build_path
from .render import MAX_RENDER_EDGES, MAX_RENDER_NODES, render_html, write_view
from .styles import EDGE_STYLES, NODE_STYLES
from .whole import build_whole

#: The view kinds of ``repgraph viz KIND`` and ``GET /viz/KIND``.
VIEW_KINDS = ("ego", "chain", "operation", "law", "exile", "path", "graph")


def write_html(graph: Subgraph, path: str | Path, title: str, store=None) -> Path:
    """Write ``graph`` as an interactive page at ``path``; returns the path.

    With ``store``, the elements' citations are fetched for the tooltips."""
    view = from_subgraph(graph, "graph", title)
    if store is not None:
        enrich(store, view)
    return write_view(view, path)


__all__ = [
    "COLOR_METRICS", "EDGE_STYLES", "MAX_RENDER_EDGES", "MAX_RENDER_NODES", "NODE_STYLES", "SIZE_METRICS",
    "VIEW_KINDS", "View", "ViewEdge", "ViewNode", "apply_metrics", "build_chain", "build_ego", "build_exile",
    "build_law", "build_operation", "build_path", "build_whole", "enrich", "from_subgraph", "render_html",
    "write_html", "write_view",
]
