"""``/queries`` (sanctions, associates, evidence) and ``/persons`` (command
responsibility, the dossier): thin routes over :mod:`repgraph.accountability` and
:mod:`repgraph.dossier`."""

from __future__ import annotations

from typing import Annotated, Literal


from fastapi import Query, Request
from fastapi.responses import Response

from ... import accountability as A
from ...accountability.models import CommandResponsibility, EvidenceStrength, RelativeOrAssociate, SanctionedAsOf, SanctionsGap
from ...disclosure import Role, disclose
from ...dossier import FORMATS, Dossier, build_dossier, render
from ...ontology import SanctionAuthority
from ...paging import visible_items
from ..deps import ID_RULES, EntityId, IsoDay, Limit, Offset, StoreDep, ViewerDep, require_entity
from ..routing import NOT_FOUND
from ..routing import router as make_router
from ..schemas import Page

queries = make_router("/queries", "queries")
persons = make_router("/persons", "persons")

Authority = Annotated[SanctionAuthority, Query(description="A sanctioning authority.")]




@queries.get("/sanctioned-as-of", response_model=SanctionedAsOf, summary="Who is under a sanction in force on a date")
def sanctioned_as_of(store: StoreDep, on: Annotated[IsoDay, Query(alias="date", description="An ISO day, YYYY-MM-DD.")],
                     authority: Annotated[SanctionAuthority | None, Query(description="Only this authority.")] = None) -> SanctionedAsOf:
    """Persons and organizations listed by ``date`` and not delisted or expired by then,
    each with those sanctions (authority, programme, legal basis, dates, status)."""
    return A.sanctioned_as_of(store, on.isoformat(), authority.value if authority else None)


@queries.get("/sanctions-gap", response_model=SanctionsGap, summary="Sanctioned by one authority, not by another")
def sanctions_gap(store: StoreDep, viewer: ViewerDep, by: Authority, not_by: Authority,
                  on: Annotated[IsoDay | None, Query(alias="date", description="An ISO day (default today).")] = None) -> SanctionsGap:
    """The advocacy gap list: under a sanction of ``by`` in force on ``date`` and under
    none of ``not_by``, counting only the listings the caller may see."""
    return A.sanctions_gap(store, by.value, not_by.value, on.isoformat() if on else None, viewer)


@queries.get("/relatives-and-associates", response_model=Page[RelativeOrAssociate], responses=NOT_FOUND,
             summary="Relatives and associates of sanctioned or accused persons (RCA)")
def relatives_and_associates(
    store: StoreDep,
    viewer: ViewerDep,
    person_id: Annotated[str | None, Query(description="Only this sanctioned or accused person.", **ID_RULES)] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> Page[RelativeOrAssociate]:
    """FAMILY_OF and ASSOCIATE_OF links of persons who are sanctioned, accused or party to
    a proceeding. Not guilt by association (see /queries/guilt-by-association)."""
    if person_id is not None:
        require_entity(store, person_id, "person")
    return Page[RelativeOrAssociate].of(A.relatives_and_associates(store, person_id, viewer), limit, offset,
                                        visible=lambda items: visible_items(store, viewer, items))


@queries.get("/evidence-strength", response_model=Page[EvidenceStrength], responses=NOT_FOUND,
             summary="Per allegation: independent sources, confidence range, flags")
def evidence_strength(
    store: StoreDep,
    viewer: ViewerDep,
    incident_id: Annotated[str | None, Query(description="Only this incident.", **ID_RULES)] = None,
    perpetrator_id: Annotated[str | None, Query(description="Only this perpetrator.", **ID_RULES)] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> Page[EvidenceStrength]:
    """Independent sources are distinct publishers; flags: single_source, low_confidence,
    contested (exculpatory information recorded)."""
    for ident, what in ((incident_id, "incident"), (perpetrator_id, "perpetrator")):
        if ident is not None:
            require_entity(store, ident, what)
    return Page[EvidenceStrength].of(A.evidence_strength(store, incident_id, perpetrator_id), limit, offset,
                                     visible=lambda items: visible_items(store, viewer, items))


@persons.get("/{person_id}/command-responsibility", response_model=CommandResponsibility, responses=NOT_FOUND,
             summary="Incidents of the units a person commanded, per post, at the incident's date")
def command_responsibility(store: StoreDep, person_id: EntityId) -> CommandResponsibility:
    """Per head post: ``held`` or ``may_have_held`` links with the allegation's evidence
    (never above its confidence), and incidents the tenure excludes (exculpatory)."""
    return A.command_responsibility(store, person_id)


_MEDIA = {"md": "text/markdown", "html": "text/html", "json": "application/json"}
DOSSIER_RESPONSES = {200: {"content": {"text/markdown": {}, "text/html": {}},
                           "description": "The dossier: JSON (the Dossier schema), Markdown or a self-contained HTML page."},
                     **NOT_FOUND}


@persons.get("/{person_id}/dossier", response_model=Dossier, responses=DOSSIER_RESPONSES,
             summary="A targeted-sanctions dossier on one person (md, html or json)")
def dossier(request: Request, store: StoreDep, viewer: ViewerDep, person_id: EntityId,
            fmt: Annotated[Literal["md", "html", "json"] | None,
                           Query(alias="format", description="md, html or json; default from the Accept header, else json.")] = None,
            on: Annotated[IsoDay | None, Query(alias="date", description="Date of the sanctions gap (default today).")] = None):
    """Identity, posts, chain of command, allegations (direct and by command) with their
    evidence, exculpatory information, sanctions and the gap, relatives and associates, the
    chain-of-command figure; every fact with its citations. Redacted for the caller."""
    built = build_dossier(store, person_id, on.isoformat() if on else None, viewer)
    if fmt is None:
        accept = request.headers.get("accept", "")
        fmt = next((f for f, media in _MEDIA.items() if media in accept and f != "json"), "json")
    if fmt == "json":
        return built  # disclosed by the route class
    return Response(render(disclose(built, viewer, store), fmt, full_clearance=Role(viewer.role) is Role.admin), media_type=FORMATS[fmt])
