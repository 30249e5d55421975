"""Building a :class:`~repgraph.dossier.model.Dossier` from the store.

A layer over :mod:`repgraph.accountability` and the named Cypher of
:mod:`repgraph.queries` (route/command -> dossier -> accountability/queries -> store).
It asserts nothing the graph does not hold: a post's end that is unknown reads "may have
held", an allegation keeps the confidence and the sources it has.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from ..disclosure import DEFAULT_VIEWER, Viewer
from ..merging import canonical
from .. import queries as Q
from ..accountability.command import command_responsibility
from ..accountability.common import Citer, each, posts_of, ref
from ..accountability.evidence import allegations, exculpatory_for, incident_refs
from ..accountability.associates import relatives_and_associates
from ..accountability.models import SanctionOut
from ..accountability.sanctions import delistings, in_force_on, sanctions_of
from ..models import EntityRef
from ..ontology import DatePrecision, SanctionAuthority, date_bounds
from ..service import NotFound
from ..statements import BOOKKEEPING, STRICTNESS, strictest
from ..store import GraphStore
from .model import (
    AffiliationOut, ChainEntry, ChainFigure, CommandAllegation, DirectAllegation, Dossier,
    FigureEdge, FigureNode, Identity, LinkedRef, NameEntry, PostEntry, ProceedingOut, SanctionGapOut,
)

#: Stored person properties the identity section shows by name (the rest go to ``other``).
_IDENTITY_KEYS = {"id", "name", "aliases", "roles", "description", "unnamed", "confidentiality", "confidence",
                  "citations", "sourceIds", "searchText", "notes", "birthDate", "nationality", "nationalities",
                  "identifiers", "aliasTypes", "names", "birthDatePrecision"}

#: Statements bookkeeping (repgraph.statements): ``datasets`` stays (which datasets state
#: the person), the raw ``statements`` and ``conflicts`` JSON do not.
_BOOKKEEPING = BOOKKEEPING - {"datasets"}

LOW, HIGH = "0000-01-01", "9999-12-31"


def _date_text(value: str | None) -> str:
    if not value:
        return "?"
    precision = date_bounds(value)[2]
    return value if precision == DatePrecision.day else f"{value} ({precision.value})"


def tenure_text(start: str | None, qualifier: str | None, end: str | None, tenure: str | None, as_of: str | None) -> str:
    """The dates of a post as a reader says them, precision shown: ``2018-01-01 to
    2020-06-30``, ``since at least 2021 (year), end unknown``, ``current as of 2019-11-05``,
    ``former, dates unknown``."""
    if start:
        head = ("since at least " if qualifier == "at_least" else "from ") + _date_text(start)
    else:
        head = "start not stated"
    if end:
        return f"{head} to {_date_text(end)}"
    tail = {"current": f"still held as of {_date_text(as_of)}" if as_of else "still held",
            "former": "former, dates unknown" if not start else "ended, date unknown",
            "end_unknown": "end unknown"}.get(tenure or "", "end not stated")
    return tail if tail == "former, dates unknown" else f"{head}, {tail}"


def _identity(props: dict[str, Any], citer: Citer) -> Identity:
    names = [NameEntry(type="primary", value=props.get("name") or "")]
    types = props.get("aliasTypes")
    if isinstance(types, str):
        try:
            types = json.loads(types)
        except ValueError:
            types = None
    for i, alias in enumerate(props.get("aliases") or []):
        kind = types[i] if isinstance(types, list) and i < len(types) else (types or {}).get(alias) if isinstance(types, dict) else None
        names.append(NameEntry(type=kind or "alias", value=alias))
    nationality = props.get("nationalities") or props.get("nationality") or []
    identifiers = props.get("identifiers") or []
    if isinstance(identifiers, str):
        try:
            identifiers = json.loads(identifiers)
        except ValueError:
            identifiers = [{"value": identifiers}]
    identifiers = [i if isinstance(i, dict) else dict(zip(("scheme", "value"), i.split(":", 1))) if ":" in i else {"value": i}
                   for i in identifiers]  # stored as "scheme:value"
    return Identity(
        names=names, roles=props.get("roles") or [], birth_date=props.get("birthDate"),
        birth_date_precision=props.get("birthDatePrecision"),
        nationality=[nationality] if isinstance(nationality, str) else list(nationality),
        identifiers=identifiers, description=props.get("description"), unnamed=bool(props.get("unnamed")),
        # bookkeeping (each dataset's raw statements, conflicts as JSON) is not a property of
        # the person: it dumped every dataset's notes and values as JSON into the dossier
        other={k: v for k, v in sorted(props.items())
               if k not in _IDENTITY_KEYS and k not in _BOOKKEEPING and not k.startswith("valid")},
        citations=citer(props.get("citations")),
    )


def _posts(rows: list[dict], citer: Citer) -> list[PostEntry]:
    out = [
        PostEntry(
            position=EntityRef(id=r["positionId"], label="Position", name=r["position"]),
            organization=EntityRef(id=r["organizationId"], label="Organization", name=r["organization"]) if r["organizationId"] else None,
            is_head=bool(r["isHead"]), start_date=r["startDate"], start_qualifier=r["startQualifier"], end_date=r["endDate"],
            tenure=r["tenure"], as_of=r["asOfDate"], confidence=r["confidence"], confidentiality=r["confidentiality"],
            citations=citer(r["citations"]),
            dates=tenure_text(r["startDate"], r["startQualifier"], r["endDate"], r["tenure"], r["asOfDate"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda p: (p.start_date or "", p.position.id))


def _overlap(a_from, a_to, b_from, b_to) -> tuple[str, str] | None:
    lo, hi = max(a_from or LOW, b_from or LOW), min(a_to or HIGH, b_to or HIGH)
    return (lo, hi) if lo <= hi else None


def _holders(store: GraphStore, unit_id: str, is_org: bool, span: tuple[str, str], exclude: str) -> list[tuple[dict, tuple[str, str]]]:
    positions = [r["id"] for r in store.read(Q.HEAD_POSTS_OF, {"id": unit_id})] if is_org else [unit_id]
    out = []
    for h in each(store, Q.HOLDERS_OF, positions):
        if h["id"] == exclude:
            continue
        ov = _overlap(span[0], span[1], h["validFrom"], h["validTo"])
        if ov:
            out.append((h, ov))
    return sorted(out, key=lambda x: (x[1][0], x[0]["id"]))


def _chain(store: GraphStore, person_id: str, post_rows: list[dict], citer: Citer) -> list[ChainEntry]:
    """Superiors and subordinates during each post, one hop each way from the position
    (and, for a head post, from its organization), with holders overlapping the post."""
    out: list[ChainEntry] = []
    for post in post_rows:
        span = (post["validFrom"] or LOW, post["validTo"] or HIGH)
        starts = [(post["positionId"], False)]
        if post["isHead"] and post["organizationId"]:
            starts.append((post["organizationId"], True))
        for direction, query in (("superior", Q.CHAIN_UP), ("subordinate", Q.CHAIN_DOWN)):
            for start_id, _ in starts:
                for link in store.read(query, {"id": start_id, "from": span[0], "to": span[1]}):
                    unit = ref(link["id"], link["labels"], link["name"])
                    if unit.id == post["positionId"]:
                        continue
                    link_span = _overlap(span[0], span[1], link["validFrom"], link["validTo"]) or span
                    holders = _holders(store, unit.id, unit.label == "Organization", link_span, person_id)
                    base = dict(post=post["positionId"], direction=direction, unit=unit, link_from=link["validFrom"],
                                link_to=link["validTo"])
                    # the entry tells of the post, the link and the holder's term: it is as
                    # confidential as the most confidential of them (a caller below that
                    # level does not see it, rather than a holder or a post it may not read)
                    level = strictest(post["confidentiality"], link["confidentiality"])
                    if not holders:
                        out.append(ChainEntry(**base, confidentiality=level, citations=citer(link["citations"])))
                    for h, (lo, hi) in holders:
                        out.append(ChainEntry(
                            **base, holder=EntityRef(id=h["id"], label="Person", name=h["name"], confidentiality=h["confidentiality"]),
                            holder_from=h["validFrom"], holder_to=h["validTo"],
                            overlap_from=None if lo == LOW else lo, overlap_to=None if hi == HIGH else hi,
                            confidentiality=strictest(level, h["holdsConfidentiality"]),
                            citations=citer(link["citations"]) + citer(h["citations"]),
                        ))
    return sorted(out, key=lambda c: (c.post, c.direction, c.unit.id, c.overlap_from or "", c.holder.id if c.holder else ""))


def sanctions_gap_of(sanctions: list[SanctionOut], day: str) -> SanctionGapOut:
    """The gap on ``day`` (ISO) from ``sanctions``: authorities with a listing certainly in
    force, those whose dates cannot tell, and those with neither (vocabulary order)."""
    in_force, unknown = set(), set()
    for s in sanctions:
        state = in_force_on(s, day)
        if state:
            in_force.add(s.authority)
        elif state is None:
            unknown.add(s.authority)
    unknown -= in_force
    vocabulary = [a.value for a in SanctionAuthority if a != SanctionAuthority.other]
    return SanctionGapOut(date=day, in_force_by=[a for a in [*vocabulary, "other"] if a in in_force],
                          unknown_by=[a for a in [*vocabulary, "other"] if a in unknown],
                          not_by=[a for a in vocabulary if a not in in_force and a not in unknown])


def _proceedings(store: GraphStore, ids: list[str], citer: Citer) -> dict[str, list[ProceedingOut]]:
    out: dict[str, list[ProceedingOut]] = {}
    for r in each(store, Q.PROCEEDINGS_ABOUT, ids):
        out.setdefault(r["targetId"], []).append(ProceedingOut(
            id=r["id"], name=r["name"], kind=r["kind"], date=r["date"], body=r["body"], jurisdiction=r["jurisdiction"],
            outcome=r["outcome"], role=r["role"], concerns=r["targetId"],
            confidentiality=strictest(r["confidentiality"], r["linkConfidentiality"]),
            citations=citer(r["citations"]) + [c for c in citer(r["linkCitations"]) if c not in citer(r["citations"])],
        ))
    for items in out.values():
        items.sort(key=lambda p: (p.date or "", p.id))
    return out


def _details(store: GraphStore, incident_ids: list[str], citer: Citer) -> dict[str, dict[str, Any]]:
    """Description, places, victims, laws, operations and proceedings per incident."""
    details: dict[str, dict[str, Any]] = {i: {"places": [], "victims": [], "laws": [], "operations": []} for i in incident_ids}
    for r in each(store, Q.ENTITY, incident_ids):
        details[r["id"]]["description"] = r["props"].get("description")
    for key, query in (("places", Q.INCIDENT_PLACES), ("laws", Q.INCIDENT_LAWS), ("operations", Q.INCIDENT_OPERATIONS)):
        for r in each(store, query, incident_ids):
            details[r["incidentId"]][key].append(LinkedRef(id=r["id"], name=r["name"],
                                                           link_confidentiality=r["linkConfidentiality"] or "public"))
    for r in each(store, Q.INCIDENT_VICTIMS, incident_ids):
        # the targeting's own level: a relative targeted because of a defender is restricted
        details[r["incidentId"]]["victims"].append(LinkedRef(id=r["id"], label="Person", name=r["name"], confidentiality=r["confidentiality"],
                                                             link_confidentiality=r["linkConfidentiality"] or "public"))
    procs = _proceedings(store, incident_ids, citer)
    for i, d in details.items():
        for key in ("places", "victims", "laws", "operations"):
            d[key].sort(key=lambda e: e.id)
        d["proceedings"] = procs.get(i, [])
    return details


def _least(a: str | None, b: str | None) -> str:
    """The less confidential of two levels (None: public)."""
    return min(a or "public", b or "public", key=lambda lv: STRICTNESS.get(lv, 2))


def _figure(person: EntityRef, posts: list[PostEntry], chain: list[ChainEntry]) -> ChainFigure:
    """The figure of ``posts`` and ``chain``: each node carries (``link_confidentiality``)
    the least confidential post or chain entry that puts it there, each edge the level of
    its own, so a caller sees the figure of the posts and links they may read."""
    nodes: dict[str, FigureNode] = {person.id: FigureNode(id=person.id, label="Person", name=person.name, role="subject", layer=1,
                                                          confidentiality=person.confidentiality)}
    edges: dict[tuple, FigureEdge] = {}

    def node(level: str | None, ident: str, **kw) -> None:
        n = nodes.setdefault(ident, FigureNode(id=ident, link_confidentiality=level, **kw))
        n.link_confidentiality = _least(n.link_confidentiality, level)

    def edge(level: str | None, **kw) -> None:
        e = edges.setdefault(tuple(kw.values()), FigureEdge(confidentiality=level, **kw))
        e.confidentiality = _least(e.confidentiality, level)

    for p in posts:
        node(p.confidentiality, p.position.id, label="Position", name=p.position.name, role="post", layer=1)
        edge(p.confidentiality, source=person.id, target=p.position.id, type="HOLDS", valid_from=p.start_date, valid_to=p.end_date)
    for c in chain:
        layer, role = (0, "superior") if c.direction == "superior" else (2, "subordinate")
        node(c.confidentiality, c.unit.id, label=c.unit.label, name=c.unit.name, role=role, layer=layer)
        src, dst = (c.post, c.unit.id) if c.direction == "superior" else (c.unit.id, c.post)
        edge(c.confidentiality, source=src, target=dst, type="REPORTS_TO", valid_from=c.link_from, valid_to=c.link_to)
        if c.holder:
            node(c.confidentiality, c.holder.id, label="Person", name=c.holder.name, role="holder", layer=layer,
                 confidentiality=c.holder.confidentiality)
            edge(c.confidentiality, source=c.holder.id, target=c.unit.id, type="HOLDS", valid_from=c.overlap_from,
                 valid_to=c.overlap_to)
    return ChainFigure(nodes=sorted(nodes.values(), key=lambda n: (n.layer, n.role != "subject", n.id)), edges=list(edges.values()))


def build_dossier(store: GraphStore, person_id: str, on: str | None = None,
                  viewer: Viewer = DEFAULT_VIEWER) -> Dossier:
    """The dossier on ``person_id``: identity, posts, chain of command per post,
    allegations (direct and by command, each with its evidence strength), exculpatory
    information, proceedings, sanctions by authority with the gap on ``on`` (default
    today), relatives and associates, affiliations and the chain-of-command figure.

    ``viewer``: whose reasons put the person's relatives and associates on the list (a
    sanction or allegation above their level is none: :func:`~repgraph.accountability.
    associates.reasons`). Undisclosed: pass it through :func:`repgraph.disclosure.disclose`
    (for the same viewer) before it leaves. Raises NotFound when no Person has that id."""
    person_id = canonical(store, person_id)  # a merged-away id answers its merged entity
    rows = store.read(Q.ENTITY, {"id": person_id})
    if not rows or rows[0]["label"] != "Person":
        raise NotFound(f"no person with id {person_id!r}")
    props = rows[0]["props"]
    citer = Citer(store)
    person = EntityRef(id=person_id, label="Person", name=props.get("name"), confidentiality=props.get("confidentiality"))
    day = on or datetime.now(timezone.utc).date().isoformat()
    notes: list[str] = []

    post_rows = posts_of(store, person_id)
    posts = _posts(post_rows, citer)
    chain = _chain(store, person_id, post_rows, citer)

    direct_ids = sorted({r["incidentId"] for r in store.read(Q.PERPETRATIONS_OF, {"id": person_id})})
    incidents = incident_refs(store, direct_ids, citer)
    direct_evidence = allegations(store, direct_ids, citer, person_id, incidents=incidents)
    command = command_responsibility(store, person_id, citer)
    command_ids = sorted({link.incident.id for post in command.posts for link in post.links})
    details = _details(store, sorted(set(direct_ids) | set(command_ids)), citer)

    direct = [DirectAllegation(incident=ev.incident, roles=ev.roles, evidence=ev, **details[ev.incident.id]) for ev in direct_evidence]
    by_command = [
        CommandAllegation(incident=link.incident, position=post.position, organization=post.organization, certainty=link.certainty,
                          statement=link.statement, evidence=link.evidence, confidentiality=post.confidentiality,
                          **details[link.incident.id])
        for post in command.posts for link in post.links
    ]
    by_command.sort(key=lambda a: (a.incident.date or "", a.incident.id, a.position.id))
    for post in command.posts:
        for inc in post.undated:
            notes.append(f"{inc.name or inc.id}: an incident of {post.organization.name} without a date; command at its date cannot be judged")

    sanctions = sanctions_of(store, person_id, citer)
    gap = sanctions_gap_of(sanctions, day)

    weakened = exculpatory_for(store, [person_id, *(s.id for s in sanctions)], citer)
    exculpatory = [e for ev in direct_evidence for e in ev.exculpatory]
    exculpatory += [e for items in weakened.values() for e in items]
    exculpatory += [e for post in command.posts for e in post.excluded]
    # what weakens an allegation by command (a denial of the unit's link, or of this
    # person's) is exculpatory for this person too; an incident alleged both ways lists it once
    listed = {(e.id, e.weakens.id, e.perpetrator) for e in exculpatory if e.id}
    for allegation in by_command:
        for e in allegation.evidence.exculpatory:
            if (e.id, e.weakens.id, e.perpetrator) not in listed:
                listed.add((e.id, e.weakens.id, e.perpetrator))
                exculpatory.append(e)
    exculpatory += delistings(sanctions, exculpatory)
    names = {person_id: person.name, **{s.id: s.name for s in sanctions}, **{i.id: i.name for i in incidents.values()},
             **{a.incident.id: a.incident.name for a in by_command}}
    for e in exculpatory:
        e.weakens.name = e.weakens.name or names.get(e.weakens.id)
    exculpatory.sort(key=lambda e: (e.date or "", e.kind, e.id or "", e.weakens.id))

    affiliations = [
        AffiliationOut(type=r["type"], direction="out" if r["outgoing"] else "in", confidentiality=r["props"].get("confidentiality"),
                       other=ref(r["otherId"], r["otherLabels"], r["other"], r["otherConfidentiality"]),
                       properties={k: v for k, v in r["props"].items() if k not in {"citations", "sourceIds", "id"}},
                       citations=citer(r["props"].get("citations")))
        for r in store.read(Q.AFFILIATIONS_OF, {"id": person_id})
    ]
    affiliations.sort(key=lambda a: (a.type, a.direction, a.other.id))

    return Dossier(
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), person=person,
        identity=_identity(props, citer), posts=posts, chain_of_command=chain,
        allegations_direct=direct, allegations_by_command=by_command, exculpatory=exculpatory,
        proceedings=_proceedings(store, [person_id], citer).get(person_id, []), sanctions=sanctions, sanctions_gap=gap,
        relatives_and_associates=relatives_and_associates(store, person_id, viewer), affiliations=affiliations,
        figure=_figure(person, posts, chain), notes=notes,
    )
