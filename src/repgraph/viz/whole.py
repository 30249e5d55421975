"""``graph``: everything in the store (for small stores such as the demo's), capped."""

from __future__ import annotations

from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..store import GraphStore
from .model import View, enrich, from_subgraph

DEFAULT_MAX_NODES = 500


def build_whole(store: GraphStore, max_nodes: int = DEFAULT_MAX_NODES, title: str | None = None,
                viewer: Viewer = DEFAULT_VIEWER) -> View:
    """Every node (at most ``max_nodes``, in id order; a notice counts the rest) and every
    relationship between them."""
    sub = disclose(S.whole_graph(store, max_nodes=max_nodes, viewer=viewer), viewer, store)
    view = from_subgraph(sub, "graph", title or "The whole graph",
                         subtitle="Every element in the store and every relationship between them.",
                         data_source=f"{store.backend} store")
    if sub.truncated:
        view.notices[0] = (f"Capped at {len(sub.nodes)} nodes: {sub.omitted_nodes} more were left out so the page "
                           "stays responsive (raise --max-nodes, or draw an ego view of one entity).")
    return enrich(store, view, viewer)
