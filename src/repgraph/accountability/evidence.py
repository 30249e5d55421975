"""Evidence strength per allegation, and the exculpatory information recorded against it.

An *allegation* is one incident tied to one perpetrator by one or more PERPETRATED_BY
links (several links, e.g. ``PERPETRATED_BY:inc:p:src2``, are several statements of it).
Its evidence is the links' citations: the incident's own citations show that it happened,
not who did it, and are not counted.
"""

from __future__ import annotations

from collections import defaultdict

from ..merging import canonical, cluster_map
from .. import queries as Q
from ..models import IncidentRef
from ..statements import strictest
from ..store import GraphStore
from .common import Citer, each, ref
from .models import EvidenceStrength, ExculpatoryItem

#: Below this highest confidence an allegation is flagged ``low_confidence``.
LOW_CONFIDENCE = 0.5


def exculpatory_for(store: GraphStore, target_ids: list[str], citer: Citer | None = None) -> dict[str, list[ExculpatoryItem]]:
    """Recorded exculpatory information (Exculpation and Proceeding nodes that WEAKENS
    them) for each of ``target_ids`` (incidents, persons, organizations, sanctions):
    ``{target id: items ordered by date, id}``; ids with none are absent. An item's
    ``perpetrator`` is the canonical id of the person or organization the WEAKENS link
    names (a merged-away id answers its merged entity); its ``confidentiality`` is the
    strictest of the node's and the WEAKENS link's (a confidential link is hidden below)."""
    citer = citer or Citer(store)
    rows = each(store, Q.WEAKENED_BY, sorted(set(target_ids)))
    citer.load(*(r["citations"] for r in rows), *(r["linkCitations"] for r in rows))
    # ``perpetrator`` is the id the file named: after a merge it may be a merged-away id,
    # which callers compare with the canonical id they hold (one read, only when needed)
    groups = cluster_map(store) if any(r["perpetrator"] for r in rows) else {}
    out: dict[str, list[ExculpatoryItem]] = defaultdict(list)
    for r in rows:
        label = ref(r["id"], r["labels"], r["name"]).label
        kind = r["kind"] if label == "Exculpation" else ("acquittal" if r["kind"] in ("acquittal", "dismissal") else "other")
        cites = citer(r["citations"]) + [c for c in citer(r["linkCitations"]) if c not in citer(r["citations"])]
        out[r["targetId"]].append(ExculpatoryItem(
            kind=kind, id=r["id"], label=label, name=r["name"], date=r["date"], description=r["description"],
            weakens=ref(r["targetId"], None, None),
            perpetrator=groups.get(r["perpetrator"], (r["perpetrator"],))[0] if r["perpetrator"] else None,
            # the item is the fact "this weakens that": as protected as the node or its link
            confidentiality=strictest(r["confidentiality"], r["linkConfidentiality"]),
            citations=cites,
        ))
    for items in out.values():
        items.sort(key=lambda e: (e.date or "", e.id or ""))
    return dict(out)


def incident_refs(store: GraphStore, ids: list[str], citer: Citer) -> dict[str, IncidentRef]:
    """IncidentRef (with the incident's citations) per id."""
    rows = each(store, Q.INCIDENT, sorted(set(ids)))
    citer.load(*(r["citations"] for r in rows))
    return {r["id"]: IncidentRef(id=r["id"], name=r["name"], type=r["type"], date=r["date"],
                                 confidentiality=r["confidentiality"], citations=citer(r["citations"]))
            for r in rows}


def allegations(store: GraphStore, incident_ids: list[str], citer: Citer, perpetrator_id: str | None = None,
                incidents: dict[str, IncidentRef] | None = None) -> list[EvidenceStrength]:
    """Evidence strength of every allegation on ``incident_ids`` (only ``perpetrator_id``'s
    when given), ordered by incident date, incident id, perpetrator id."""
    rows = [r for r in each(store, Q.ALLEGATIONS_ON, sorted(set(incident_ids)))
            if perpetrator_id is None or r["perpetratorId"] == perpetrator_id]
    citer.load(*(r["citations"] for r in rows))
    incidents = incidents if incidents is not None else incident_refs(store, [r["incidentId"] for r in rows], citer)
    weakened = exculpatory_for(store, [r["incidentId"] for r in rows], citer)
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        grouped[(r["incidentId"], r["perpetratorId"])].append(r)
    out = []
    for (incident_id, perp_id), links in grouped.items():
        cites, seen = [], set()
        for link in sorted(links, key=lambda x: x["linkId"] or ""):
            for c in citer(link["citations"]):
                if (c.source, c.quote) not in seen:
                    seen.add((c.source, c.quote))
                    cites.append(c)
        sources = [citer.source(s) for s in sorted({c.source for c in cites})]
        publishers = {s.publisher or f"source:{s.id}" for s in sources}
        confidences = [1.0 if link["confidence"] is None else link["confidence"] for link in links]
        exculpatory = [e for e in weakened.get(incident_id, []) if e.perpetrator in (None, perp_id)]
        first = links[0]
        ev = EvidenceStrength(
            incident=incidents[incident_id],
            perpetrator=ref(perp_id, first["perpetratorLabels"], first["perpetrator"], first["perpetratorConfidentiality"]),
            roles=sorted({link["role"] or "direct" for link in links}), links=len(links), sources=sources,
            independent_sources=len(publishers), lowest_confidence=min(confidences), highest_confidence=max(confidences),
            single_source=len(publishers) == 1, flags=[], citations=cites, exculpatory=exculpatory,
            confidentiality=strictest(*(link["linkConfidentiality"] for link in links)),
        )
        ev.flags = _flags(ev)
        out.append(ev)
    return sorted(out, key=lambda e: (e.incident.date or "", e.incident.id, e.perpetrator.id))


def _flags(ev: EvidenceStrength, derived: bool = False) -> list[str]:
    flags = []
    if ev.single_source:
        flags.append("single_source")
    if ev.highest_confidence is not None and ev.highest_confidence < LOW_CONFIDENCE:
        flags.append("low_confidence")
    if ev.exculpatory:
        flags.append("contested")
    if derived:
        flags.append("derived")
    return flags


def capped(ev: EvidenceStrength, cap: float | None) -> EvidenceStrength:
    """The allegation's evidence as support for a derived link resting on it and on a
    fact of confidence ``cap`` (a tenure): confidences never above either."""
    cap = 1.0 if cap is None else cap
    out = ev.model_copy(deep=True)
    out.lowest_confidence = min(ev.lowest_confidence if ev.lowest_confidence is not None else 1.0, cap)
    out.highest_confidence = min(ev.highest_confidence if ev.highest_confidence is not None else 1.0, cap)
    out.flags = _flags(out, derived=True)
    return out


def evidence_strength(store: GraphStore, incident_id: str | None = None, perpetrator_id: str | None = None) -> list[EvidenceStrength]:
    """Evidence strength of allegations: all of them, those on ``incident_id``, and/or
    those against ``perpetrator_id``. Each: the sources with their publishers, the number
    of independent sources (distinct publishers), lowest and highest confidence, flags
    (single_source, low_confidence, contested) and the exculpatory information recorded.
    Ordered by incident date, incident id, perpetrator id."""
    perpetrator_id = canonical(store, perpetrator_id) if perpetrator_id is not None else None
    citer = Citer(store)
    if incident_id is not None:
        ids = [incident_id]
    elif perpetrator_id is not None:
        ids = [r["incidentId"] for r in store.read(Q.PERPETRATIONS_OF, {"id": perpetrator_id})]
    else:
        ids = [r["id"] for r in store.read(Q.ALLEGED_INCIDENT_IDS)]
    return allegations(store, ids, citer, perpetrator_id)

