"""``/graph``: neighbourhoods as JSON nodes and edges, for any front end."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from ... import service as S
from ...models import Subgraph
from ..deps import EntityId, RelType, StoreDep, ViewerDep
from ..routing import NOT_FOUND
from ..routing import router as make_router

router = make_router("/graph", "graph")

MAX_NODES = 1000


@router.get("/ego/{entity_id}", response_model=Subgraph, responses=NOT_FOUND,
            summary="The neighbourhood of an entity as nodes and edges, capped")
def ego(
    store: StoreDep,
    viewer: ViewerDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the entity (1..3).")] = 1,
    types: Annotated[list[RelType] | None, Query(description="Only these relationship types (repeat: `types=HOLDS&types=REPORTS_TO`).")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_NODES, description=f"Node cap (1..{MAX_NODES}).")] = 200,
) -> Subgraph:
    """Breadth-first; when the cap cuts the neighbourhood ``truncated`` is true and
    ``omitted_nodes`` counts the nodes left out. Nodes and edges ordered by id."""
    return S.ego_graph(store, entity_id, depth, types, max_nodes, viewer)
