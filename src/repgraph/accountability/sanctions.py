"""Sanctions over time: a person's sanctions by authority, who is sanctioned on a date,
and the advocacy gap list (sanctioned by one authority, not by another)."""

from __future__ import annotations

from ..merging import canonical
from .. import queries as Q
from ..models import EntityRef
from ..ontology import SanctionAuthority
from ..store import GraphStore
from .common import Citer, iso_day, ref
from .models import SanctionedAsOf, SanctionedEntity, SanctionOut, SanctionsGap

#: Order of authorities in answers (then by listed date).
AUTHORITY_ORDER = {a.value: i for i, a in enumerate(SanctionAuthority)}


def _authority(value: str | None, field: str) -> str | None:
    if value is not None and value not in SanctionAuthority.__members__:
        raise ValueError(f"{field}: one of {', '.join(SanctionAuthority.__members__)}")
    return value


def sanctions_of(store: GraphStore, entity_id: str, citer: Citer | None = None) -> list[SanctionOut]:
    """Every sanction on one person or organization, lifted and expired ones included,
    ordered by authority (vocabulary order: us_ofac, eu, uk, canada, un, switzerland,
    other), listed date, id. Each with its citations and the end-points' own."""
    entity_id = canonical(store, entity_id)  # a merged-away id answers its merged entity
    citer = citer or Citer(store)
    rows = store.read(Q.SANCTIONS_OF, {"id": entity_id})
    citer.load(*(r[k] for r in rows for k in ("citations", "listedCitations", "endCitations", "linkCitations")))
    out = [
        SanctionOut(
            id=r["id"], name=r["name"], target=EntityRef(id=r["targetId"]), authority=r["authority"],
            authority_name=r["authorityName"], programme=r["programme"], legal_basis=r["legalBasis"], list_id=r["listId"],
            listed_date=r["listedDate"], listed_qualifier=r["listedQualifier"], end_date=r["endDate"],
            status=r["status"] or "active", reason=r["reason"], confidentiality=r["confidentiality"],
            citations=citer(r["citations"]), listed_citations=citer(r["listedCitations"]), end_citations=citer(r["endCitations"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda s: (AUTHORITY_ORDER.get(s.authority, 99), s.listed_date or "", s.id))


def _in_force(store: GraphStore, day: str, authority: str | None) -> list[SanctionedEntity]:
    grouped: dict[str, SanctionedEntity] = {}
    for r in store.read(Q.SANCTIONED_AS_OF, {"date": day, "authority": authority}):
        entry = grouped.setdefault(r["id"], SanctionedEntity(entity=ref(r["id"], r["labels"], r["name"], r["confidentiality"]),
                                                              sanctions=[]))
        entry.sanctions.append(SanctionOut(
            id=r["sanctionId"], authority=r["authority"], authority_name=r["authorityName"], programme=r["programme"],
            legal_basis=r["legalBasis"], listed_date=r["listedDate"], listed_qualifier=r["listedQualifier"],
            end_date=r["endDate"], status=r["status"], confidentiality=r["sanctionConfidentiality"],
        ))
    for entry in grouped.values():
        entry.sanctions.sort(key=lambda s: (AUTHORITY_ORDER.get(s.authority, 99), s.listed_date or "", s.id))
    return sorted(grouped.values(), key=lambda e: (e.entity.name or "", e.entity.id))


def sanctioned_as_of(store: GraphStore, on: str, authority: str | None = None) -> SanctionedAsOf:
    """Persons and organizations certainly under a sanction on ``on`` (``YYYY-MM-DD``):
    listed by then and not ended by then (see :data:`repgraph.queries.SANCTIONED_AS_OF`
    for partial dates). ``authority`` restricts to one authority. Ordered by name, id.
    Raises ValueError on a malformed date or an unknown authority."""
    day = iso_day(on)
    return SanctionedAsOf(date=day, authority=_authority(authority, "authority"), items=_in_force(store, day, authority))


def sanctions_gap(store: GraphStore, by: str, not_by: str, on: str | None = None) -> SanctionsGap:
    """Persons and organizations under a sanction of ``by`` on ``on`` (default today) and
    under none of ``not_by`` then: the list advocates take to ``not_by``. Each entry
    carries the ``by`` sanctions. Raises ValueError on an unknown authority or bad date."""
    _authority(by, "by"), _authority(not_by, "not_by")
    if by is None or not_by is None:
        raise ValueError("by and not_by are both required")
    day = iso_day(on)
    covered = {e.entity.id for e in _in_force(store, day, not_by)}
    return SanctionsGap(date=day, by=by, not_by=not_by,
                        items=[e for e in _in_force(store, day, by) if e.entity.id not in covered])

