"""Which subgraph to analyse: an entity's neighbourhood or the whole store."""

from __future__ import annotations

import networkx as nx

from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..redaction import require_visible
from ..models import Subgraph
from ..store import GraphStore
from .graph import DEFAULT_EXCLUDED_LABELS, DEFAULT_EXCLUDED_TYPES
from .results import GraphScope

#: Largest subgraph the analytics fetch from the store.
MAX_ANALYSIS_NODES = 5000


def analysis_subgraph(store: GraphStore, root: str | None = None, depth: int = 2, max_nodes: int = 1000,
                      viewer: Viewer = DEFAULT_VIEWER) -> tuple[Subgraph, GraphScope]:
    """The subgraph to analyse, after disclosure, and its description.

    ``root`` given: its ego graph of ``depth`` hops (1..3); else the whole store. At most
    ``max_nodes`` nodes (1..:data:`MAX_ANALYSIS_NODES`); a cut subgraph says so in the
    scope (``truncated``). Raises NotFound (unknown root) and ValueError (bad depth, cap).
    """
    if not 1 <= max_nodes <= MAX_ANALYSIS_NODES:
        raise ValueError(f"max_nodes: between 1 and {MAX_ANALYSIS_NODES}")
    require_visible(store, viewer, root)
    if root:
        sub = S.ego_graph(store, root, depth=depth, max_nodes=max_nodes, viewer=viewer)
    else:
        sub = S.whole_graph(store, max_nodes=max_nodes, viewer=viewer)
    sub = disclose(sub, viewer, store)
    return sub, GraphScope(root=root, depth=depth if root else None, nodes=len(sub.nodes), edges=len(sub.edges),
                           truncated=sub.truncated, omitted_nodes=sub.omitted_nodes)


def fill_scope(scope: GraphScope | None, subgraph: Subgraph, G: nx.Graph) -> GraphScope:
    """``scope`` with the analysed graph's sizes, the exclusions and the store's truncation."""
    base = scope.model_dump() if scope else {}
    base.update(nodes=G.number_of_nodes(), edges=G.number_of_edges(), truncated=subgraph.truncated,
                omitted_nodes=subgraph.omitted_nodes, excluded_labels=sorted(DEFAULT_EXCLUDED_LABELS),
                excluded_types=sorted(DEFAULT_EXCLUDED_TYPES))
    return GraphScope(**base)
