"""``/queries``: the named questions over people and perpetrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from ... import service as S
from ...empty_answers import guilt_by_association_note
from ...models import OfficialCase, WithIncidents
from ...ontology import IncidentType
from ..deps import ID_RULES, Limit, Offset, StoreDep, ViewerDep, require_entity
from ..routing import NOT_FOUND
from ..routing import router as make_router
from ..schemas import GuiltByAssociationPage, Page

router = make_router("/queries", "queries")


@router.get("/guilt-by-association", response_model=GuiltByAssociationPage, responses=NOT_FOUND,
            summary="Family members targeted through a relative's work (sippenhaft)")
def guilt_by_association(
    store: StoreDep,
    viewer: ViewerDep,
    defender_id: Annotated[str | None, Query(description="Only relatives of this defender.", **ID_RULES)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> GuiltByAssociationPage:
    """One item per (relative, defender): the relation, the incidents with their citations,
    and the citations of the targeting. Ordered by defender, relative. With no entry at
    all, ``note`` says why (no such targeting in the store, or none tied to a defender). Page and
    ``total`` are those of the entries the caller may see."""
    if defender_id is not None:
        require_entity(store, defender_id, "defender")
    total, items = S.guilt_by_association_page(store, defender_id, limit, offset, viewer)
    note = guilt_by_association_note(store, defender_id, viewer) if total == 0 else None
    return GuiltByAssociationPage(total=total, limit=limit, offset=offset, items=items, note=note)


@router.get("/officials-cases", response_model=Page[OfficialCase], responses=NOT_FOUND,
            summary="Officials and organizations linked to incidents, with their role and the victims")
def officials_cases(
    store: StoreDep,
    viewer: ViewerDep,
    official_id: Annotated[str | None, Query(description="Only this person or organization.", **ID_RULES)] = None,
    incident_type: Annotated[IncidentType | None, Query(description="Only incidents of this type.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[OfficialCase]:
    """Role: direct, ordered, participated (from the sources), or command (heading a
    perpetrating organization over the incident's date). Ordered by perpetrator, date, incident."""
    if official_id is not None:
        require_entity(store, official_id, "official or organization")
    total, items = S.officials_cases_page(store, official_id, incident_type.value if incident_type else None, limit, offset,
                                          viewer)
    return Page[OfficialCase](total=total, limit=limit, offset=offset, items=items)


@router.get("/laws", response_model=list[WithIncidents], summary="Laws with the incidents they were applied in")
def laws(store: StoreDep) -> list[WithIncidents]:
    """Every Law (id, name, citations) with the incidents it was applied in (APPLIED_LAW),
    each with its date and citations; laws by name, incidents by date (undated first), id.
    What ``repgraph query laws`` prints. Below full clearance a hidden incident is left out
    of ``incidents``: an empty list means none the caller may see, not that the sources
    name none."""
    return S.laws(store)


@router.get("/operations", response_model=list[WithIncidents], summary="Operations with their incidents")
def operations(store: StoreDep) -> list[WithIncidents]:
    """Every Operation (id, name, citations) with its incidents (PART_OF), ordered as
    ``/queries/laws``. What ``repgraph query operations`` prints; an empty ``incidents``
    below full clearance means none the caller may see."""
    return S.operations(store)
