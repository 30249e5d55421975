"""Command responsibility per post: for each head post a person held, the incidents of
the commanded organization at dates the post was held, or may have been held.

Dates decide, as far as the sources allow. A tenure *covers* an incident when its known
start is on or before the incident's first day and its known end (or the date the source
says it was still held) on or after the last: ``held``. When a start or an end is unknown
or "since at least", the link is ``may_have_held`` — said, never asserted. A post that
ended before the incident, or began (exactly) after it, excludes it: that is exculpatory
information and is listed as such.
"""

from __future__ import annotations

from collections import defaultdict

from ..merging import canonical
from .. import queries as Q
from ..models import EntityRef
from ..service import NotFound
from ..statements import strictest
from ..store import GraphStore
from ..tenure import covers
from .common import Citer, each, posts_of
from .evidence import allegations, capped, exculpatory_for, incident_refs
from .models import CommandLink, CommandPost, CommandResponsibility, ExculpatoryItem


def tenure_covers(post: dict, date_from: str, date_to: str) -> str:
    """:func:`repgraph.tenure.covers` for a POSTS_OF row and an incident's date bounds."""
    return covers(post.get("validFrom"), post.get("validTo"), post.get("tenure"), post.get("asOfDate"),
                  post.get("startQualifier"), date_from, date_to, post.get("startDate"), post.get("endDate"))


def _statement(certainty: str, post: dict, date_from: str, date_to: str) -> str:
    what = f"{post['position']} ({post['organization']})"
    if certainty == "held":
        return f"held {what} at the incident's date"
    reasons = []
    if post.get("validFrom") is None:
        reasons.append("the start is not known")
    elif post["validFrom"] > date_from:
        reasons.append("the post is known only since at least " + post["validFrom"])
    end_covers = (post.get("validTo") or "") >= date_to or (post.get("asOfDate") or "") >= date_to
    if not end_covers:
        reasons.append({"current": "the post is known to be held only as of " + str(post.get("asOfDate")),
                        "former": "a former post, dates unknown"}.get(post.get("tenure") or "", "the end is not known"))
    return f"may have held {what} at the incident's date ({'; '.join(reasons) or 'dates do not settle it'})"


def command_responsibility(store: GraphStore, person_id: str, citer: Citer | None = None) -> CommandResponsibility:
    """Per head post (``isHead``) that ``person_id`` held: the incidents perpetrated by the
    organization the post heads, split into ``links`` (held / may have held at the
    incident's date, each with the allegation's evidence capped at the tenure's
    confidence and, among its exculpatory items, those naming ``person_id`` as the
    perpetrator whose link they weaken), ``excluded`` (post ended before / began after: exculpatory) and
    ``undated`` incidents. Posts ordered by start, position id. Raises NotFound."""
    person_id = canonical(store, person_id)  # a merged-away id answers its merged entity
    person = store.read(Q.ENTITY, {"id": person_id})
    if not person or person[0]["label"] != "Person":
        raise NotFound(f"no person with id {person_id!r}")
    citer = citer or Citer(store)
    posts = [p for p in posts_of(store, person_id) if p["isHead"] and p["organizationId"]]
    perpetrations = defaultdict(list)
    for r in each(store, Q.PERPETRATIONS_OF, sorted({p["organizationId"] for p in posts})):
        perpetrations[r["perpetratorId"]].append(r)
    incident_ids = sorted({r["incidentId"] for rows in perpetrations.values() for r in rows})
    incidents = incident_refs(store, incident_ids, citer)
    evidence = {(e.incident.id, e.perpetrator.id): e for e in allegations(store, incident_ids, citer, incidents=incidents)}
    # what speaks against the commander's own link to an incident of the unit (a WEAKENS
    # naming them as ``perpetrator``: their denial) weakens the derived allegation too
    own = {inc: [e for e in items if e.perpetrator == person_id]
           for inc, items in exculpatory_for(store, incident_ids, citer).items()}
    out = []
    for post in sorted(posts, key=lambda p: (p["validFrom"] or "", p["positionId"])):
        org = EntityRef(id=post["organizationId"], label="Organization", name=post["organization"])
        cp = CommandPost(position=EntityRef(id=post["positionId"], label="Position", name=post["position"]), organization=org,
                         valid_from=post["validFrom"], valid_to=post["validTo"], tenure=post["tenure"], as_of=post["asOfDate"],
                         confidence=post["confidence"], confidentiality=post["confidentiality"],
                         citations=citer(post["citations"]))
        unit_incidents = {r["incidentId"]: r for r in perpetrations.get(org.id, [])}  # one row per PERPETRATED_BY link
        for r in sorted(unit_incidents.values(), key=lambda r: (r["dateFrom"] or "", r["incidentId"])):
            inc = incidents[r["incidentId"]]
            if r["dateFrom"] is None:
                cp.undated.append(inc)
                continue
            verdict = tenure_covers(post, r["dateFrom"], r["dateTo"])
            if verdict in ("ended_before", "began_after"):
                cp.excluded.append(ExculpatoryItem(
                    kind="post_ended_before_incident" if verdict == "ended_before" else "post_began_after_incident",
                    weakens=EntityRef(id=inc.id, label="Incident", name=inc.name), perpetrator=person_id, derived=True,
                    description=(f"{post['position']}: held {post['validFrom'] or '?'} to {post['validTo'] or '?'}; "
                                 f"the incident is dated {inc.date}"),
                    # it tells of the post: whoever may not see the post, its position or unit, does not read it
                    confidentiality=strictest(post["confidentiality"], post.get("positionConfidentiality"),
                                              post.get("organizationConfidentiality")),
                    citations=cp.citations,
                ))
                continue
            base = evidence[(inc.id, org.id)]
            if own.get(inc.id):
                base = base.model_copy(update={"exculpatory": sorted([*base.exculpatory, *own[inc.id]],
                                                                     key=lambda e: (e.date or "", e.id or ""))})
            cp.links.append(CommandLink(incident=inc, certainty=verdict, statement=_statement(verdict, post, r["dateFrom"], r["dateTo"]),
                                        evidence=capped(base, post["confidence"])))
        out.append(cp)
    p = person[0]
    return CommandResponsibility(person=EntityRef(id=person_id, label="Person", name=p["props"].get("name"),
                                                  confidentiality=p["props"].get("confidentiality")), posts=out)
