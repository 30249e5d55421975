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
) -> ExileFlowsOut:
    """``groups``: defenders counted per key from individual EXILED_TO records (count desc,
    key); ``statistics``: every sourced figure (e.g. 7 and 28 per half of 2024), so the two
    can be compared; ``records``: one page of the individual records with their citations."""
    flows = S.exile_flows(store, by)
    return ExileFlowsOut(**{**dict(flows), "records": flows.records[offset:offset + limit]},
                         records_total=len(flows.records), limit=limit, offset=offset)


@router.get("/counts", response_model=StoreCounts, summary="Node counts per label and relationship counts per type")
def counts(store: StoreDep) -> StoreCounts:
    """Numbers only (protected elements are counted, never named)."""
    st = S.stats(store)
    return StoreCounts(backend=st.backend, nodes=st.nodes, relationships=st.relationships,
                       node_total=st.node_total, relationship_total=st.relationship_total)
