"""``/analytics``: network analytics (networkx) on the graph or an entity's neighbourhood.

Each runs in a worker thread within the request's time budget (``REPGRAPH_REQUEST_BUDGET``,
default 20 s) and stops when the client disconnects: then 503 with the reason
(:func:`repgraph.api.bounded.run_bounded`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

from ... import analytics as A
from ...analytics.scope import MAX_ANALYSIS_NODES
from ..bounded import run_bounded
from ..deps import ID_RULES, EntityId, StoreDep, ViewerDep
from ..routing import NOT_FOUND
from ..routing import router as make_router

router = make_router("/analytics", "analytics")

Root = Annotated[str | None, Query(description="Analyse this entity's neighbourhood instead of the whole graph.", **ID_RULES)]
Depth = Annotated[int, Query(ge=1, le=3, description="Hops around `root` (1..3).")]
MaxNodes = Annotated[int, Query(ge=1, le=MAX_ANALYSIS_NODES, description=f"Most nodes fetched (1..{MAX_ANALYSIS_NODES}).")]
Method = Annotated[Literal["louvain", "label_propagation"], Query(description="Community detection.")]


@router.get("/centrality", response_model=A.CentralityReport, responses=NOT_FOUND,
            summary="Degree and betweenness centrality of named perpetrators, officials and state organizations (or all nodes)")
async def centrality(request: Request, store: StoreDep, viewer: ViewerDep, root: Root = None, depth: Depth = 2,
                     max_nodes: MaxNodes = 1000,
                     subjects: Annotated[Literal["perpetrators", "all"], Query(description="Whom to list.")] = "perpetrators",
                     top: Annotated[int | None, Query(ge=1, le=MAX_ANALYSIS_NODES, description="Keep the first N.")] = None,
                     ) -> A.CentralityReport:
    """Computed over every node of the subgraph (documentation left out); listed best first.
    On a store larger than ``max_nodes`` the subgraph is the store's best-linked part
    (``scope.selection``, ``scope.note`` say which and how to scope with ``root=``); an
    empty ``scores`` says why in ``note``."""
    def work():
        sub, scope = A.analysis_subgraph(store, root, depth, max_nodes, viewer, focus=subjects)
        return A.centrality_report(sub, subjects=subjects, top=top, scope=scope)
    return await run_bounded(request, work)


@router.get("/brokers", response_model=A.BrokersReport, responses=NOT_FOUND,
            summary="Articulation points and bridges, with the communities they join")
async def brokers(request: Request, store: StoreDep, viewer: ViewerDep, root: Root = None, depth: Depth = 2,
                  max_nodes: MaxNodes = 1000, method: Method = "louvain") -> A.BrokersReport:
    def work():
        sub, scope = A.analysis_subgraph(store, root, depth, max_nodes, viewer)
        return A.brokers_report(sub, method=method, scope=scope)
    return await run_bounded(request, work)


@router.get("/communities", response_model=A.CommunitiesReport, responses=NOT_FOUND,
            summary="Communities (Louvain, seeded, or label propagation) and modularity")
async def communities(request: Request, store: StoreDep, viewer: ViewerDep, root: Root = None, depth: Depth = 2,
                      max_nodes: MaxNodes = 1000, method: Method = "louvain") -> A.CommunitiesReport:
    def work():
        sub, scope = A.analysis_subgraph(store, root, depth, max_nodes, viewer)
        return A.communities_report(sub, method=method, scope=scope)
    return await run_bounded(request, work)


@router.get("/path/{source}/{target}", response_model=A.PathsReport, responses=NOT_FOUND,
            summary="The shortest connections between two entities")
async def path(request: Request, store: StoreDep, viewer: ViewerDep, source: EntityId, target: EntityId,
               max_hops: Annotated[int, Query(ge=1, le=8, description="Longest connection searched (hops).")] = 6,
               limit: Annotated[int, Query(ge=1, le=100, description="Most connections listed.")] = 10) -> A.PathsReport:
    """Links through sources (documentation) are not connections. ``hops`` is null when
    none of at most ``max_hops`` exists."""
    return await run_bounded(request, A.paths_report, store, source, target, max_hops=max_hops, limit=limit, viewer=viewer)
