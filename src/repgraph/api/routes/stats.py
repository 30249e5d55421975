"""``/stats``: exile flows, individual records beside the sourced aggregate figures."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from ... import service as S
from ..deps import Limit, Offset, StoreDep
from ..routing import router as make_router
from ..schemas import ExileFlowsOut, StoreCounts

router = make_router("/stats", "statistics")


@router.get("/exile", response_model=ExileFlowsOut, summary="Exile flows of defenders, and the sourced statistics beside them")
def exile(
    store: StoreDep,
    by: Annotated[Literal["country", "period", "route"], Query(description="Group by host country, half-year (`2024-H2`) or route.")] = "country",
    limit: Limit = 100,
    offset: Offset = 0,
    persons_limit: Annotated[int, Query(ge=0, le=1000, description="Persons listed per group (a page; `count` is the whole group).")] = 100,
    persons_offset: Annotated[int, Query(ge=0, description="Skip this many persons of each group (ordered by id).")] = 0,
) -> ExileFlowsOut:
    """``groups``: defenders counted per key from individual EXILED_TO records (count desc,
    key), each with one page of its persons; ``statistics``: every sourced figure (e.g. 7
    and 28 per half of 2024), so the two can be compared; ``records``: one page of the
    individual records with their citations (by country, person, date)."""
    flows, total = S.exile_flows_page(store, by, limit, offset, persons_limit, persons_offset)
    return ExileFlowsOut(**dict(flows), records_total=total, limit=limit, offset=offset,
                         persons_limit=persons_limit, persons_offset=persons_offset)


@router.get("/counts", response_model=StoreCounts, summary="Node counts per label and relationship counts per type")
def counts(store: StoreDep) -> StoreCounts:
    """Numbers only (protected elements are counted, never named)."""
    st = S.stats(store)
    return StoreCounts(backend=st.backend, nodes=st.nodes, relationships=st.relationships,
                       node_total=st.node_total, relationship_total=st.relationship_total)
