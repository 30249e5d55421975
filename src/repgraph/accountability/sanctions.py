"""Sanctions over time: a person's sanctions by authority, who is sanctioned on a date,
and the advocacy gap list (sanctioned by one authority, not by another)."""

from __future__ import annotations

from ..disclosure import DEFAULT_VIEWER, Viewer
from ..merging import canonical
from .. import queries as Q
from ..models import EntityRef
from ..ontology import SanctionAuthority, date_bounds
from ..statements import STRICTNESS, strictest
from ..store import GraphStore
from .common import Citer, iso_day, ref
from .models import ExculpatoryItem, SanctionedAsOf, SanctionedEntity, SanctionOut, SanctionsGap

#: Order of authorities in answers (then by listed date).
AUTHORITY_ORDER = {a.value: i for i, a in enumerate(SanctionAuthority)}


def _authority(value: str | None, field: str) -> str | None:
    if value is not None and value not in SanctionAuthority.__members__:
        raise ValueError(f"{field}: one of {', '.join(SanctionAuthority.__members__)}")
    return value


def sanctions_of(store: GraphStore, entity_id: str, citer: Citer | None = None) -> list[SanctionOut]:
    """Every sanction on one person or organization, lifted and expired ones included,
    ordered by authority (vocabulary order: us_ofac, eu, uk, canada, un, switzerland,
    other), listed date, id. Each with its citations and the end-points' own, and the
    strictest confidentiality of the sanction and its SANCTIONED link."""
    entity_id = canonical(store, entity_id)  # a merged-away id answers its merged entity
    citer = citer or Citer(store)
    rows = store.read(Q.SANCTIONS_OF, {"id": entity_id})
    citer.load(*(r[k] for r in rows for k in ("citations", "listedCitations", "endCitations", "linkCitations")))
    out = [
        SanctionOut(
            id=r["id"], name=r["name"], target=EntityRef(id=r["targetId"]), authority=r["authority"],
            authority_name=r["authorityName"], programme=r["programme"], legal_basis=r["legalBasis"], list_id=r["listId"],
            listed_date=r["listedDate"], listed_qualifier=r["listedQualifier"], end_date=r["endDate"],
            status=r["status"] or "active", reason=r["reason"],
            # the listing as it concerns this entity: a confidential SANCTIONED link (a
            # confidential identification of the listed name) makes it confidential here
            confidentiality=strictest(r["confidentiality"], r["linkConfidentiality"]),
            citations=citer(r["citations"]), listed_citations=citer(r["listedCitations"]), end_citations=citer(r["endCitations"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda s: (AUTHORITY_ORDER.get(s.authority, 99), s.listed_date or "", s.id))


def delistings(sanctions: list[SanctionOut], recorded: list[ExculpatoryItem]) -> list[ExculpatoryItem]:
    """Exculpatory items (kind ``delisting``, ``derived``) for the ``sanctions`` whose
    status is ``lifted``: an authority removed the person from its list, which a dossier
    must disclose beside the allegations, not only in its sanctions table. Each item
    weakens its sanction, dates from its end date (None: unknown), says
    "AUTHORITY: listing lifted" (never the sanction's ``reason``: that is why the person
    was *listed*), keeps the sanction's confidentiality, and cites the delisting's own
    ``end_citations`` (else the sanction's). Expired listings (a sunset, not a decision)
    give none.

    A sanction that a recorded ``delisting`` Exculpation in ``recorded`` already weakens
    gets none (the recorded one says it), unless that record (or its WEAKENS link) is
    above the sanction's own level: whoever may read the listing but not the record still
    reads that it was lifted."""
    level = {s.id: strictest(s.confidentiality) for s in sanctions}
    covered = {e.weakens.id for e in recorded if e.kind == "delisting" and e.weakens.id in level
               and strictest(e.confidentiality, level[e.weakens.id]) == level[e.weakens.id]}
    return [
        ExculpatoryItem(kind="delisting", date=s.end_date, description=f"{s.authority_name or s.authority}: listing lifted",
                        weakens=EntityRef(id=s.id, label="Sanction", name=s.name, confidentiality=s.confidentiality),
                        derived=True, confidentiality=s.confidentiality,
                        citations=list(s.end_citations or s.citations))
        for s in sanctions if s.status == "lifted" and s.id not in covered
    ]


def in_force_on(s: SanctionOut, day: str) -> bool | None:
    """Whether sanction ``s`` was in force on ``day`` (``YYYY-MM-DD``): True when certainly
    (listed by then, not ended by then, at the precision of its dates), False when
    certainly not, None when its dates cannot tell (no listed date, a listed or end date
    whose month or year contains ``day``, a lift with no date). The same rule as
    :data:`repgraph.queries.SANCTIONED_AS_OF` (True) and ``SANCTIONED_POSSIBLY_AS_OF``
    (True or None)."""
    listed_from, listed_by = (date_bounds(s.listed_date)[:2] if s.listed_date else (None, None))
    ended_from, ended_by = (date_bounds(s.end_date)[:2] if s.end_date else (None, None))
    ended = s.status != "active"
    if listed_by and listed_by <= day and (not ended or (ended_from and ended_from > day)):
        return True
    if listed_from and listed_from > day and s.listed_qualifier != "at_least":
        return False
    if ended and ended_by and ended_by <= day:
        return False
    return None


def _in_force(store: GraphStore, day: str, authority: str | None, possibly: bool = False) -> list[SanctionedEntity]:
    grouped: dict[str, SanctionedEntity] = {}
    statement = Q.SANCTIONED_POSSIBLY_AS_OF if possibly else Q.SANCTIONED_AS_OF
    for r in store.read(statement, {"date": day, "authority": authority}):
        entry = grouped.setdefault(r["id"], SanctionedEntity(entity=ref(r["id"], r["labels"], r["name"], r["confidentiality"]),
                                                              sanctions=[]))
        entry.sanctions.append(SanctionOut(
            id=r["sanctionId"], authority=r["authority"], authority_name=r["authorityName"], programme=r["programme"],
            legal_basis=r["legalBasis"], listed_date=r["listedDate"], listed_qualifier=r["listedQualifier"],
            end_date=r["endDate"], status=r["status"],
            confidentiality=strictest(r["sanctionConfidentiality"], r["linkConfidentiality"]),
        ))
    for entry in grouped.values():
        entry.sanctions.sort(key=lambda s: (AUTHORITY_ORDER.get(s.authority, 99), s.listed_date or "", s.id))
        # the entry is shown to whoever may see one of its sanctions (and then with those only)
        entry.confidentiality = min((s.confidentiality or "public" for s in entry.sanctions), key=lambda lv: STRICTNESS.get(lv, 2))
    return sorted(grouped.values(), key=lambda e: (e.entity.name or "", e.entity.id))


def sanctioned_as_of(store: GraphStore, on: str, authority: str | None = None) -> SanctionedAsOf:
    """Persons and organizations certainly under a sanction on ``on`` (``YYYY-MM-DD``):
    listed by then and not ended by then (see :data:`repgraph.queries.SANCTIONED_AS_OF`
    for partial dates). ``authority`` restricts to one authority. Ordered by name, id.
    Raises ValueError on a malformed date or an unknown authority."""
    day = iso_day(on)
    return SanctionedAsOf(date=day, authority=_authority(authority, "authority"), items=_in_force(store, day, authority))


def _seen(entries: list[SanctionedEntity], store: GraphStore, viewer: Viewer) -> list[SanctionedEntity]:
    """``entries`` with only the sanctions ``viewer`` may see (the strictest of the
    sanction's and its SANCTIONED link's level, and the inventory's), and without the
    entries left with none. The admin's are returned as they are."""
    from ..redaction import active_redactor

    red = active_redactor(store, viewer)
    if red is None:
        return entries
    out = []
    for e in entries:
        e.sanctions = [s for s in e.sanctions if red.level_of(s.id, s.confidentiality) <= red.clearance]
        if e.sanctions:
            out.append(e)
    return out


def sanctions_gap(store: GraphStore, by: str, not_by: str, on: str | None = None,
                  viewer: Viewer = DEFAULT_VIEWER) -> SanctionsGap:
    """Persons and organizations certainly under a sanction of ``by`` on ``on`` (default
    today) and under none of ``not_by`` then, as far as the dates tell: the list advocates
    take to ``not_by`` (``items``). An entity with a ``not_by`` sanction whose dates cannot
    tell whether it was in force then (no listed date, a lift with no date, a date of the
    same month or year) is not in that list but in ``unknown``, with its ``not_by``
    sanctions beside the ``by`` ones: a gap that may not exist, for review. Each entry
    carries the ``by`` sanctions. Only the sanctions ``viewer`` may see count, on both
    sides: a listing hidden from them neither covers nor lists anyone (a viewer missing a
    publicly listed person from the gap learnt that a hidden ``not_by`` listing exists).
    Raises ValueError on an unknown authority or bad date."""
    _authority(by, "by"), _authority(not_by, "not_by")
    if by is None or not_by is None:
        raise ValueError("by and not_by are both required")
    day = iso_day(on)
    covered = {e.entity.id for e in _seen(_in_force(store, day, not_by), store, viewer)}
    maybe = {e.entity.id: e for e in _seen(_in_force(store, day, not_by, possibly=True), store, viewer)
             if e.entity.id not in covered}
    items, unknown = [], []
    for e in _seen(_in_force(store, day, by), store, viewer):
        if e.entity.id in covered:
            continue
        if e.entity.id in maybe:
            e.sanctions = [*e.sanctions, *maybe[e.entity.id].sanctions]
            unknown.append(e)
        else:
            items.append(e)
    return SanctionsGap(date=day, by=by, not_by=not_by, items=items, unknown=unknown)

