"""Relatives and associates of sanctioned or accused persons (OpenSanctions' "RCA").

Distinct from guilt by association (:func:`repgraph.service.guilt_by_association`), which
is about defenders' relatives punished for the defender's work: this list is about the
circle of a sanctioned or accused person, for screening and asset tracing. Being on it
accuses no one. FAMILY_OF and ASSOCIATE_OF default to ``restricted``; a link is shown to
a caller without clearance only when the curator marked it ``public`` (a public source
states it about a public official) — the disclosure seam decides.
"""

from __future__ import annotations

from collections import defaultdict

from ..disclosure import DEFAULT_VIEWER, Viewer
from ..merging import canonical
from .. import queries as Q
from ..models import EntityRef
from ..store import GraphStore
from .common import Citer, each
from .models import RelativeOrAssociate

WHY = {"SANCTIONED": "sanctioned", "PERPETRATED_BY": "accused", "CONCERNS": "proceeding"}


def reasons(store: GraphStore, viewer: Viewer = DEFAULT_VIEWER) -> dict[str, set[str]]:
    """Person id -> why they anchor the list (``sanctioned``, ``accused``, ``proceeding``),
    counting only the reasons ``viewer`` may see: a SANCTIONED, PERPETRATED_BY or CONCERNS
    link above their level, or from a sanction, incident or proceeding above it, is no
    reason for them (a viewer read "sanctioned" of a person whose only listing is
    confidential, and that person's relatives were listed because of it)."""
    from ..redaction import active_redactor

    red = active_redactor(store, viewer)
    why: dict[str, set[str]] = defaultdict(set)
    for r in store.read(Q.SANCTIONED_OR_ACCUSED):
        if red is not None and (red.level_of(r["relId"], r["linkConfidentiality"]) > red.clearance
                                or red.level_of(r["sourceId"], r["sourceConfidentiality"]) > red.clearance):
            continue
        why[r["id"]].add(WHY[r["why"]])
    return why


def relatives_and_associates(store: GraphStore, person_id: str | None = None,
                             viewer: Viewer = DEFAULT_VIEWER) -> list[RelativeOrAssociate]:
    """Relatives (FAMILY_OF) and associates (ASSOCIATE_OF) of every person who is
    sanctioned, accused (named by a PERPETRATED_BY) or party to a proceeding other than as
    victim, by what ``viewer`` may see (:func:`reasons`); or of ``person_id`` only (an
    empty list when that person is none of these). Ordered by person name, id, type,
    other's name, id. Undisclosed: the links themselves are redacted at the exit."""
    person_id = canonical(store, person_id) if person_id is not None else None
    why = reasons(store, viewer)
    anchors = sorted(why) if person_id is None else [i for i in [person_id] if i in why]
    rows = each(store, Q.RELATIVES_AND_ASSOCIATES_OF, anchors)
    citer = Citer(store)
    citer.load(*(r["citations"] for r in rows))
    out = [
        RelativeOrAssociate(
            person=EntityRef(id=r["personId"], label="Person", name=r["person"], confidentiality=r["personConfidentiality"]),
            why=sorted(why[r["personId"]]), type=r["type"], relation=r["relation"],
            # FAMILY_OF/ASSOCIATE_OF say what the start node is to the end node
            relation_of="person_to_other" if r["outgoing"] else "other_to_person",
            other=EntityRef(id=r["otherId"], label="Person", name=r["other"], confidentiality=r["otherConfidentiality"]),
            other_roles=r["otherRoles"] or [], confidence=r["confidence"], confidentiality=r["linkConfidentiality"],
            citations=citer(r["citations"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda a: (a.person.name or "", a.person.id, a.type, a.other.name or "", a.other.id))
