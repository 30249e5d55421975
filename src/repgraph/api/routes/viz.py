"""``/viz``: the interactive views as self-contained HTML pages (no CDN, names as text).

Each page is built from the service's answers, disclosed for the viewer asking, then
drawn by :mod:`repgraph.viz`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import HTMLResponse

from ... import viz
from ...limits import MAX_VIEW_NODES
from ..deps import EntityId, IncidentId, StoreDep, ViewerDep
from ..routing import NOT_FOUND
from ..routing import router as make_router

router = make_router("/viz", "views")

#: Node cap of a view: the one the CLI and the renderer use too.
MAX_NODES = MAX_VIEW_NODES

SizeBy = Annotated[Literal["degree", "betweenness"] | None,
                   Query(description="Size nodes by this centrality of the view's graph.")]
ColorBy = Annotated[Literal["community"] | None, Query(description="Colour nodes by Louvain community.")]
MaxNodes = Annotated[int, Query(ge=1, le=MAX_NODES, description=f"Node cap (1..{MAX_NODES}); a notice counts the rest.")]
HTML = {200: {"content": {"text/html": {}}, "description": "A self-contained HTML page (opens offline)."}}


def _page(view: viz.View, size_by: str | None = None, color_by: str | None = None) -> HTMLResponse:
    viz.apply_metrics(view, size_by, color_by)
    return HTMLResponse(viz.render_html(view))


@router.get("/ego/{entity_id}", response_class=HTMLResponse, responses={**HTML, **NOT_FOUND},
            summary="An entity's neighbourhood")
def ego(store: StoreDep, viewer: ViewerDep, entity_id: EntityId,
        depth: Annotated[int, Query(ge=1, le=3, description="Hops from the entity (1..3).")] = 1,
        max_nodes: MaxNodes = 200, size_by: SizeBy = None, color_by: ColorBy = None) -> HTMLResponse:
    """Everything within ``depth`` hops of the entity, with the sources of each link."""
    return _page(viz.build_ego(store, entity_id, depth=depth, max_nodes=max_nodes, viewer=viewer, via="api"), size_by, color_by)


@router.get("/chain/{incident_id}", response_class=HTMLResponse, responses={**HTML, **NOT_FOUND},
            summary="An incident's victims, perpetrators and chain of command at its date")
def chain(store: StoreDep, viewer: ViewerDep, incident_id: IncidentId,
          size_by: SizeBy = None, color_by: ColorBy = None) -> HTMLResponse:
    """Victims at the bottom, perpetrators above, then the posts and superiors valid over
    the incident's whole date range."""
    return _page(viz.build_chain(store, incident_id, viewer=viewer), size_by, color_by)


@router.get("/operation/{operation_id}", response_class=HTMLResponse, responses={**HTML, **NOT_FOUND},
            summary="The incidents of an operation, their victims and perpetrators")
def operation(store: StoreDep, viewer: ViewerDep, operation_id: EntityId, max_nodes: MaxNodes = 300,
              size_by: SizeBy = None, color_by: ColorBy = None) -> HTMLResponse:
    return _page(viz.build_operation(store, operation_id, max_nodes=max_nodes, viewer=viewer, via="api"), size_by, color_by)


@router.get("/law/{law_id}", response_class=HTMLResponse, responses={**HTML, **NOT_FOUND},
            summary="The incidents a law was applied in, their victims and perpetrators")
def law(store: StoreDep, viewer: ViewerDep, law_id: EntityId, max_nodes: MaxNodes = 300,
        size_by: SizeBy = None, color_by: ColorBy = None) -> HTMLResponse:
    return _page(viz.build_law(store, law_id, max_nodes=max_nodes, viewer=viewer, via="api"), size_by, color_by)


@router.get("/exile", response_class=HTMLResponse, responses=HTML,
            summary="Defenders and their host countries, with routes")
def exile(store: StoreDep, viewer: ViewerDep) -> HTMLResponse:
    """Individual exile records; countries sized by defenders; reported figures in the notes."""
    return _page(viz.build_exile(store, viewer=viewer))


@router.get("/path/{source}/{target}", response_class=HTMLResponse, responses={**HTML, **NOT_FOUND},
            summary="The shortest connections between two entities")
def path(store: StoreDep, viewer: ViewerDep, source: EntityId, target: EntityId,
         max_hops: Annotated[int, Query(ge=1, le=8, description="Longest connection searched (hops).")] = 6,
         limit: Annotated[int, Query(ge=1, le=100, description="Most shortest connections drawn.")] = 10) -> HTMLResponse:
    """Links through sources (documentation) are not counted as connections."""
    return _page(viz.build_path(store, source, target, max_hops=max_hops, limit=limit, viewer=viewer, via="api"))


@router.get("/graph", response_class=HTMLResponse, responses=HTML, summary="Everything in the store, capped")
def whole(store: StoreDep, viewer: ViewerDep, max_nodes: MaxNodes = 500,
          size_by: SizeBy = None, color_by: ColorBy = None) -> HTMLResponse:
    return _page(viz.build_whole(store, max_nodes=max_nodes, viewer=viewer, via="api"), size_by, color_by)
