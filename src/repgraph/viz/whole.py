"""``graph``: everything in the store (small stores such as the demo's); on a larger
store, its best-linked part (:func:`repgraph.overview.overview_graph`), saying so."""

from __future__ import annotations

from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..limits import MAX_VIEW_NODES, Exit, knob
from ..overview import overview_graph
from ..store import GraphStore
from .model import View, enrich, from_subgraph
from ..wording import counted

DEFAULT_MAX_NODES = 500


def build_whole(store: GraphStore, max_nodes: int = DEFAULT_MAX_NODES, title: str | None = None,
                viewer: Viewer = DEFAULT_VIEWER, via: Exit = "cli") -> View:
    """Every node and every relationship between them; on a store of more than
    ``max_nodes`` (1..:data:`~repgraph.limits.MAX_VIEW_NODES`) nodes, the best-linked nodes
    and their neighbours, with a notice saying what was left out and how to scope (in the
    terms of exit ``via``). Raises ValueError on a bad cap."""
    if not 1 <= max_nodes <= MAX_VIEW_NODES:
        raise ValueError(f"max_nodes: between 1 and {MAX_VIEW_NODES}")
    sub = disclose(overview_graph(store, max_nodes=max_nodes), viewer, store)
    view = from_subgraph(sub, "graph", title or "The whole graph",
                         subtitle="Every element in the store and every relationship between them.",
                         data_source=f"{store.backend} store")
    if sub.truncated:
        ego = "repgraph viz ego ID" if via == "cli" else "/viz/ego/ID"
        raise_cap = (f"raise {knob('max_nodes', via)} (at most {MAX_VIEW_NODES}), or " if max_nodes < MAX_VIEW_NODES else "")
        view.notices[0] = (f"The store holds {counted(len(sub.nodes) + sub.omitted_nodes, 'node')}; this page draws {len(sub.nodes)}: "
                           f"the best-linked nodes and their neighbours. {counted(sub.omitted_nodes, 'node')} were left out: "
                           f"{raise_cap}draw one entity's neighbourhood ({ego}).")
    return enrich(store, view, viewer)
