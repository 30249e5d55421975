"""``/incidents``: who is responsible for an incident, up the chain of command."""

from __future__ import annotations

from ... import service as S
from ...models import ResponsibilityChain
from ..deps import IncidentId, StoreDep
from ..routing import NOT_FOUND
from ..routing import router as make_router

router = make_router("/incidents", "incidents")


@router.get("/{incident_id}/responsibility-chain", response_model=ResponsibilityChain, responses=NOT_FOUND,
            summary="Perpetrators and the chain of command valid at the incident's date")
def responsibility_chain(store: StoreDep, incident_id: IncidentId) -> ResponsibilityChain:
    """Level 0: the perpetrators; level n+1: what level n reports to, and who held each
    post over the incident's whole date range. Each link with its dates and citations.
    An undated incident gets its perpetrators only (see ``note``)."""
    return S.responsibility_chain(store, incident_id)
