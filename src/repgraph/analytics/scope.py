"""Which subgraph to analyse: an entity's neighbourhood or the whole store."""

from __future__ import annotations

from typing import Literal

import networkx as nx

from .. import queries as Q
from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..redaction import require_visible, shown_id
from ..limits import Exit, knob
from ..models import Subgraph
from ..overview import overview_graph
from ..store import GraphStore
from .graph import DEFAULT_EXCLUDED_LABELS, DEFAULT_EXCLUDED_TYPES
from .results import GraphScope

#: Largest subgraph the analytics fetch from the store.
MAX_ANALYSIS_NODES = 5000


#: How the overview of a store larger than the cap is chosen (:mod:`repgraph.overview`).
OVERVIEW_SELECTION = "the best-linked nodes (most relationships, documentation not counted) and their neighbours"


#: ... for the perpetrators' centrality.
PERPETRATOR_SELECTION = ("the perpetrators named in most incidents, then the best-linked nodes (documentation not "
                         "counted), and their neighbours")


def analysis_subgraph(store: GraphStore, root: str | None = None, depth: int = 2, max_nodes: int = 1000,
                      viewer: Viewer = DEFAULT_VIEWER, via: Exit = "api",
                      focus: Literal["all", "perpetrators"] = "all") -> tuple[Subgraph, GraphScope]:
    """The subgraph to analyse, after disclosure, and its description.

    ``root`` given: its ego graph of ``depth`` hops (1..3), nearest hops first; else the
    whole store, or, when it holds more than ``max_nodes`` nodes, its best-linked part
    (:func:`repgraph.overview.overview_graph`, never "the first ids"). At most
    ``max_nodes`` nodes (1..:data:`MAX_ANALYSIS_NODES`); a cut subgraph says so in the
    scope (``truncated``, ``selection``, and a ``note`` naming how to scope in the terms
    of exit ``via``). With ``focus="perpetrators"`` the overview starts from the
    perpetrators named in most incidents. Raises NotFound (unknown root) and ValueError
    (bad depth, cap).
    """
    if not 1 <= max_nodes <= MAX_ANALYSIS_NODES:
        raise ValueError(f"max_nodes: between 1 and {MAX_ANALYSIS_NODES}")
    require_visible(store, viewer, root)
    if root:
        sub = S.ego_graph(store, root, depth=depth, max_nodes=max_nodes, viewer=viewer)
    else:
        first = None
        if focus == "perpetrators":
            first = [r["id"] for r in store.read(Q.PERPETRATOR_RANKING, {"limit": max(1, max_nodes // 10)})]
        sub = overview_graph(store, max_nodes=max_nodes, first=first)
    sub = disclose(sub, viewer, store)
    if root:
        root = shown_id(store, viewer, root)  # an id naming a protected person: as the disclosed graph names it
    selection = note = None
    if sub.truncated and not root:
        selection = PERPETRATOR_SELECTION if focus == "perpetrators" else OVERVIEW_SELECTION
        note = (f"The store holds {len(sub.nodes) + sub.omitted_nodes} nodes, more than the {max_nodes} analysed: these "
                f"figures are of {len(sub.nodes)} of them, {selection}, not of the whole store. For exact "
                f"figures analyse one entity's neighbourhood ({knob('root', via, 'ID')}, {knob('depth', via, '1..3')}).")
    elif sub.truncated:
        note = (f"The neighbourhood of {root} holds more than {max_nodes} nodes: these figures are of the {len(sub.nodes)} "
                f"nearest ({sub.omitted_nodes} more left out). Lower {knob('depth', via)} for exact figures.")
    return sub, GraphScope(root=root, depth=depth if root else None, nodes=len(sub.nodes), edges=len(sub.edges),
                           truncated=sub.truncated, omitted_nodes=sub.omitted_nodes, selection=selection, note=note)


def fill_scope(scope: GraphScope | None, subgraph: Subgraph, G: nx.Graph) -> GraphScope:
    """``scope`` with the analysed graph's sizes, the exclusions and the store's truncation."""
    base = scope.model_dump() if scope else {}
    base.update(nodes=G.number_of_nodes(), edges=G.number_of_edges(), truncated=subgraph.truncated,
                omitted_nodes=subgraph.omitted_nodes, excluded_labels=sorted(DEFAULT_EXCLUDED_LABELS),
                excluded_types=sorted(DEFAULT_EXCLUDED_TYPES))
    return GraphScope(**base)
