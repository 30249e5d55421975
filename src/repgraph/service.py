"""The answers to users' questions, built from the named Cypher in :mod:`repgraph.queries`.

Each function takes a :class:`~repgraph.store.GraphStore` and returns result models
(:mod:`repgraph.models`). The CLI and the API call these and nothing else; neither knows
which backend answers. Multi-hop walks (ego graphs, chains of command) are done here one
anchored hop at a time, bounded, so that both backends run the same cheap statements.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from collections.abc import Collection
from typing import Any, Literal

from .merging import canonical
from . import queries as Q
from .budget import check as check_budget
from .models import (
    ChainLink, CitationOut, EntityDetail, EntityRef, ExileFlows, ExileGroup, ExileRecord,
    GraphEdge, GraphNode, GuiltByAssociation, IncidentRef, OfficialCase, RelationshipOut,
    ResponsibilityChain, SearchHit, SearchPage, StatisticOut, StoreStats, Subgraph, VictimRef, WithIncidents,
)
from .disclosure import CLEARANCE, DEFAULT_VIEWER, Role, Viewer
from .gc_pause import collector_paused
from .limits import MAX_SEARCH_WORD_LENGTH, MAX_SEARCH_WORDS
from .ontology import NODE_MODELS, search_words
from .provenance import conflicts_of, describe
from .schema import primary_label
from .store import GraphStore
from .store.cache import cached
from .tenure import covers

#: Roles that make a person a human-rights defender in the broad (UN Declaration) sense.
DEFENDER_ROLES = ["defender", "journalist", "lawyer", "trade_unionist", "activist"]

#: Properties that are bookkeeping, not facts: kept out of API/CLI property maps.
#: Stored properties not shown as properties: search and citation bookkeeping, and the
#: statements the projection is made of (shown structured on entity pages, see provenance).
INTERNAL_PROPERTIES = {"searchText", "citations", "sourceIds", "statements", "conflicts", "idStatements", "idFloors", "referents"}

MAX_CHAIN_DEPTH = 12


class NotFound(LookupError):
    """No element with that id (the message names it)."""


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=65536)
def _parse_citations(raw: str) -> tuple[dict, ...]:
    """The stored citations JSON (parsed once per distinct text, also across answers: an
    entity's citations come back on its page, its ego graphs and the lists)."""
    return tuple(json.loads(raw))


def _citation_items(raw: str | list | None):
    return _parse_citations(raw) if isinstance(raw, str) else (raw or [])


def _citations(store: GraphStore, raw: str | list | None, titles: dict[str, str] | None = None) -> list[CitationOut]:
    items = _citation_items(raw)
    if titles is None:
        titles = _titles(store)
    return [CitationOut(source_title=titles.get(c["source"]), **c) for c in items]


class _Cited:
    """Stored citations -> ``list[CitationOut]`` for one answer, with source titles from
    ``titles``: each distinct stored text is parsed and validated once (an incident's
    citations repeat on every link of a whole list: 43k models for 8k links at 10k
    persons). The models are shared, never the lists (callers extend them); redaction
    copies what it changes, so sharing them is safe."""

    def __init__(self, titles: dict[str, str]):
        self.titles = titles
        self.built: dict[str, tuple[CitationOut, ...]] = {}

    def __call__(self, raw: str | list | None) -> list[CitationOut]:
        if not isinstance(raw, str):
            return [CitationOut(source_title=self.titles.get(c["source"]), **c) for c in raw or []]
        got = self.built.get(raw)
        if got is None:
            got = self.built[raw] = tuple(CitationOut(source_title=self.titles.get(c["source"]), **c)
                                          for c in _parse_citations(raw))
        return list(got)


#: Ids per batch of :func:`each` (between checks of the request's time budget).
EACH_BATCH = 250


def each(store: GraphStore, query: str, ids, **shared: Any) -> list[dict]:
    """``query`` (anchored on ``$id``) for every id: the fast multi-id shape on both backends;
    ``shared`` parameters go with every id.

    Read in batches of :data:`EACH_BATCH`; before each, the request's time budget is
    checked (:func:`repgraph.budget.check`), so a served request that ran out of time or
    lost its client stops here (BudgetExceeded)."""
    params = [{"id": i, **shared} for i in ids]
    rows: list[dict] = []
    for start in range(0, len(params), EACH_BATCH):
        check_budget()
        rows.extend(store.read_many(query, params[start:start + EACH_BATCH]))
    return rows


def _titles(store: GraphStore) -> dict[str, str]:
    """Source id -> title of every source (shared: read only).

    Read once per store and kept until the store may have changed
    (:func:`repgraph.store.cache.cached`: this process's writes at once, another process's
    within Neo4j's 1 s token interval, a title edited in place within 30 s): every answer
    with citations needed a round trip for them (1-2 ms on Neo4j, the 7th of an ego graph's)."""
    return cached(store, "source titles", lambda: {r["id"]: r["title"] for r in store.read(Q.SOURCE_TITLES)})


def _public_props(props: dict[str, Any]) -> dict[str, Any]:
    """A relationship's properties as answers show them (bookkeeping left out)."""
    return {k: v for k, v in props.items() if k not in INTERNAL_PROPERTIES}


def _public_node_props(props: dict[str, Any]) -> dict[str, Any]:
    """A node's properties as answers show them: bookkeeping left out, and ``aliases``
    always there (``[]`` when none). The store keeps no empty list
    (:meth:`repgraph.ontology.Element.to_properties`); answers keep the shape they had when
    it did, whichever form a store holds."""
    out = _public_props(props)
    out.setdefault("aliases", [])
    return out


_LEVELS = ["public", "restricted", "confidential"]


def _top(*levels: str | None) -> str:
    """The highest of several confidentiality levels (``public`` when none is set)."""
    order = ("public", "restricted", "confidential")
    return max((lv or "public" for lv in levels), key=order.index)


def _redactor(store: GraphStore, viewer: Viewer):
    """The viewer's redactor when they lack full clearance (else None: nothing to filter);
    :func:`repgraph.redaction.active_redactor`."""
    from .redaction import active_redactor

    return active_redactor(store, viewer)


# --------------------------------------------------------------------------- stats, search, entity


def stats(store: GraphStore) -> StoreStats:
    """Node counts per label and relationship counts per type (labels/types with 0 omitted)."""
    nodes = {r["label"]: r["count"] for r in store.read(Q.NODE_COUNTS)}
    rels = {r["type"]: r["count"] for r in store.read(Q.RELATIONSHIP_COUNTS)}
    return StoreStats(
        backend=store.backend, location=store.location,
        nodes=dict(sorted(nodes.items())), relationships=dict(sorted(rels.items())),
    )


@collector_paused()
def search(store: GraphStore, q: str, label: str | None = None, limit: int = 20, offset: int = 0,
           visible: Collection[str] | None = None, viewer: Viewer = DEFAULT_VIEWER) -> SearchPage:
    """Entities in which every word of ``q`` starts a word of the name or an alias, in any
    order, case- and accent-insensitive, as a search box completes (``velas`` finds
    "Velásquez", ``munoz nestor`` finds "Néstor Ficticio Muñoz", ``pawel`` finds "Paweł";
    see :func:`repgraph.ontology.fold`). Answered from the backend's full-text index
    (Neo4j ``entity_search``, the embedded store's FTS5 table); the user's text reaches
    the engine only as folded words, so no input is a syntax error.

    Steps: candidates from the index -> the visibility filter (``visible``: the
    confidentiality levels the caller may see, None for all; a ``viewer`` without full
    clearance sets it from their role; applied before ranking, so ``total`` and pages
    count only what the caller may see) and ``label`` -> rank -> page. When a query word
    could fall inside a protected person's name, candidates are matched on their names
    with protected names masked (:func:`_visible_hits`): a protected name never matches.
    Ranked: exact name or alias (0), a word of a name or alias starting with the query (1),
    other matches (2); persons before organizations before the rest; then by name and id.
    ``total`` counts every visible match; each hit carries its citations. Raises
    ValueError on an unknown ``label``, a query without letters or digits, or one of more
    than :data:`~repgraph.limits.MAX_SEARCH_WORDS` words or with a word longer than
    :data:`~repgraph.limits.MAX_SEARCH_WORD_LENGTH` (the same on both backends)."""
    words = search_words(q)
    if not words:
        raise ValueError("q: give at least one letter or digit to search for")
    if len(words) > MAX_SEARCH_WORDS:
        raise ValueError(f"q: at most {MAX_SEARCH_WORDS} words, got {len(words)}")
    if max(map(len, words)) > MAX_SEARCH_WORD_LENGTH:
        raise ValueError(f"q: words of at most {MAX_SEARCH_WORD_LENGTH} letters or digits, "
                         f"got one of {max(map(len, words))}")
    if label is not None:
        Q.checked_label(label)
    red = _redactor(store, viewer)
    if red is not None:
        allowed = _LEVELS[:_LEVELS.index(CLEARANCE[Role(viewer.role)].value) + 1]
        visible = [lv for lv in allowed if visible is None or lv in visible]
    levels = sorted(visible) if visible is not None else None
    if red is not None and red.may_touch_protected_names(words):
        total, rows = _search_ranked_here(store, words, label, levels, limit, offset, red)
    else:
        answered = store.search_page(words, label, levels, limit, offset)
        total, rows = answered if answered is not None else _search_ranked_here(store, words, label, levels, limit, offset)
    # aliases, confidentiality and citations of the page's hits: one anchored read each
    props = {r["id"]: r["props"] for r in each(store, Q.ENTITY, [r["id"] for r in rows])}
    titles = _titles(store)
    items = [
        SearchHit(id=r["id"], label=r["label"], name=r["name"], rank=r["rank"],
                  aliases=props[r["id"]].get("aliases") or [], confidentiality=props[r["id"]].get("confidentiality"),
                  citations=_citations(store, props[r["id"]].get("citations"), titles))
        for r in rows
    ]
    return SearchPage(query=q, total=total, limit=limit, offset=offset, items=items)


def _search_rank(search_text: str, folded: str) -> int:
    if f"|{folded}|" in search_text:
        return 0
    if f"|{folded}" in search_text or f" {folded}" in search_text:
        return 1
    return 2


def _search_ranked_here(store, words, label, levels, limit, offset, red=None) -> tuple[int, list[dict]]:
    """Candidates from the store's full-text index (``GraphStore.search_candidates``),
    filtered, ranked, ordered and paged here: the reference order. Both backends answer
    the same in their database (``GraphStore.search_page``: Cypher on Neo4j, SQL on the
    embedded store, faster when a short prefix has thousands of candidates); the
    conformance tests hold the three equal. ``red``: a viewer's redactor, whose masked
    names the words must match (the visibility step, apart from how candidates are found)."""
    folded = " ".join(words)
    hits = []
    candidates = store.search_candidates(words)
    if red is not None:
        candidates = _visible_hits(candidates, red, words)
    for r in candidates:
        node_label = primary_label(r["labels"])
        if label is not None and node_label != label or levels is not None and r["confidentiality"] not in levels:
            continue
        kind = {"Person": 0, "Organization": 1}.get(node_label, 2)
        hits.append({"id": r["id"], "label": node_label, "name": r["name"],
                     "rank": _search_rank(r["searchText"] or "", folded), "_kind": kind})
    hits.sort(key=lambda h: (h["rank"], h["_kind"], h["name"] or "", h["id"]))
    return len(hits), hits[offset:offset + limit]


def _visible_hits(rows: list[dict], red, words: list[str]) -> list[dict]:
    """Search candidates as a caller below full clearance may match them: nothing hidden
    or pseudonymised, and every query word still starting a word of a name or alias once
    protected names are masked (the visibility step, kept apart from how candidates are
    found)."""
    out = []
    for r in rows:
        if red.unseen(r["id"]):
            continue
        text = red.search_text(r["searchText"] or "")
        starts = {w[:len(q)] for w in re.findall(r"\w+", text) for q in words}
        if all(q in starts for q in words):
            out.append({**r, "searchText": text})
    return out


@collector_paused()
def entity(store: GraphStore, entity_id: str, viewer: Viewer = DEFAULT_VIEWER) -> EntityDetail:
    """One entity: its properties (the projection of every dataset's statements), citations,
    typed aliases, which dataset states which value (``provenance``, ``statements``,
    ``conflicts``: see :mod:`repgraph.provenance`), and every relationship with the other
    end and the datasets stating it. An id merged into another (``repgraph merge``)
    answers that entity: ``id`` is the canonical id, ``referents`` the other ids.

    Relationships are ordered by type, direction, other id. For a ``viewer`` without full
    clearance they are those of the viewer's graph: a relationship the exit would hide is
    left out here, so a page and its total never count it. Raises NotFound."""
    rows = store.read(Q.ENTITY, {"id": entity_id})
    if not rows:  # an id merged into another entity answers the merged entity
        entity_id = canonical(store, entity_id)
        rows = store.read(Q.ENTITY, {"id": entity_id})
    if not rows:
        raise NotFound(f"no entity with id {entity_id!r}")
    props = rows[0]["props"]
    rels = store.read(Q.NEIGHBOURS, {"id": entity_id})
    titles = _titles(store)
    relationships = sorted(
        (
            RelationshipOut(
                id=r["props"].get("id"), type=r["type"], direction="out" if r["outgoing"] else "in",
                other=EntityRef(id=r["otherId"], label=primary_label(r["otherLabels"]), name=r["otherName"],
                                confidentiality=r["otherConfidentiality"]),
                properties=_public_props(r["props"]),
                citations=_citations(store, r["props"].get("citations"), titles),
                confidentiality=r["props"].get("confidentiality"),
                datasets=r["props"].get("datasets") or [], conflicts=conflicts_of(r["props"]),
            )
            for r in rels
        ),
        key=lambda r: (r.type, r.direction, r.other.id, r.id or ""),
    )
    red = _redactor(store, viewer)
    if red is not None:  # what the exit would hide, decided without walking each relationship
        relationships = [r for r in relationships
                         if not red.hides_link(r.id, r.confidentiality, r.other.id, r.other.confidentiality)]
    every_title = cached(store, "dataset titles", lambda: {r["name"]: r["title"] for r in store.read(Q.DATASETS)})
    dataset_titles = {n: every_title[n] for n in props.get("datasets") or [] if n in every_title}
    return EntityDetail(
        id=entity_id, label=rows[0]["label"], name=props.get("name"), properties=_public_node_props(props),
        citations=_citations(store, props.get("citations"), titles), relationships=relationships,
        **describe(props, NODE_MODELS[rows[0]["label"]], dataset_titles, lambda raw: _citations(store, raw, titles)),
        confidentiality=props.get("confidentiality"), referents=props.get("referents") or [],
    )


# --------------------------------------------------------------------------- named questions


#: ``limit`` that means "everything" for the paged questions (the CLI's full lists).
ALL = 10**9


def guilt_by_association(store: GraphStore, defender_id: str | None = None) -> list[GuiltByAssociation]:
    """Relatives targeted because of a defender's work, one entry per (relative, defender),
    with the incidents and the citations of the targeting; ordered by defender, relative."""
    return guilt_by_association_page(store, defender_id, ALL, 0)[1]


@collector_paused()
def guilt_by_association_page(store: GraphStore, defender_id: str | None, limit: int, offset: int,
                              viewer: Viewer = DEFAULT_VIEWER) -> tuple[int, list[GuiltByAssociation]]:
    """One page of :func:`guilt_by_association` and the total number of entries.

    Neo4j groups, orders and pages in Cypher so that only the page crosses the wire (the
    Python driver decodes ~50 µs a row: at 100k persons the whole list took 3 s); the
    embedded store groups the flat rows here (GraphQLite is slow to order collected maps).
    tests/test_conformance.py runs both paths on both backends. For a ``viewer`` without
    full clearance the page and the total are those of the entries they may see
    (:func:`repgraph.paging.visible_page`)."""
    defender_id = canonical(store, defender_id) if defender_id is not None else None
    if _redactor(store, viewer) is not None:
        from .paging import visible_page

        return visible_page(store, viewer, guilt_by_association(store, defender_id), limit, offset)
    if store.sorts_in_database:
        params = {"defenderId": defender_id, "skip": offset, "limit": limit}
        total = store.read(Q.GUILT_BY_ASSOCIATION_COUNT, params)[0]["total"]
        return total, _guilt_groups(store, store.read(Q.GUILT_BY_ASSOCIATION_PAGE, params))
    groups = _guilt_groups(store, store.read(Q.GUILT_BY_ASSOCIATION, {"defenderId": defender_id}))
    return len(groups), groups[offset:offset + limit]


def _guilt_groups(store: GraphStore, rows: list[dict]) -> list[GuiltByAssociation]:
    """Entries from flat rows ordered by defender, relative, date, incident."""
    cite = _Cited(_titles(store))
    grouped: dict[tuple[str, str], GuiltByAssociation] = {}
    for r in rows:
        key = (r["relativeId"], r["defenderId"])
        if key not in grouped:
            grouped[key] = GuiltByAssociation(
                relative=EntityRef(id=r["relativeId"], label="Person", name=r["relative"], confidentiality=r["relativeConfidentiality"]),
                defender=EntityRef(id=r["defenderId"], label="Person", name=r["defender"],
                                   confidentiality=r["defenderConfidentiality"]),
                relation=r["relation"], incidents=[],
            )
        g = grouped[key]
        g.incidents.append(IncidentRef(id=r["incidentId"], name=r["incident"], type=r["incidentType"], date=r["date"],
                                       citations=cite(r["incidentCitations"]),
                                       confidentiality=r["incidentConfidentiality"]))
        g.citations.extend(cite(r["citations"]))
        g.confidentiality = _top(g.confidentiality, r["familyConfidentiality"], r["targetingConfidentiality"])
    return list(grouped.values())


def officials_cases(store: GraphStore, official_id: str | None = None, incident_type: str | None = None) -> list[OfficialCase]:
    """Perpetrators linked to incidents, directly (direct/ordered/participated) or by
    command (heading a perpetrating organization over the incident's whole date), with
    the victims. Ordered by perpetrator name, id, date, incident, role."""
    return officials_cases_page(store, official_id, incident_type, ALL, 0)[1]


@collector_paused()
def officials_cases_page(store: GraphStore, official_id: str | None, incident_type: str | None, limit: int,
                         offset: int, viewer: Viewer = DEFAULT_VIEWER) -> tuple[int, list[OfficialCase]]:
    """One page of :func:`officials_cases` and the total number of links.

    Neo4j joins, orders and pages in one Cypher statement (at 100k persons the whole list
    took 11 s to cross the wire); the embedded store joins three flat reads here (the
    one-statement join took GraphQLite 59 s at 10k), and so does Neo4j for the whole list
    (``limit`` :data:`ALL`: the flat reads cost 10-20% less than ordering 80k links in the
    statement at 100k persons). Conformance covers both paths. For a
    ``viewer`` without full clearance the page and the total are those of the links they
    may see (:func:`repgraph.paging.visible_page`)."""
    official_id = canonical(store, official_id) if official_id is not None else None
    if _redactor(store, viewer) is not None:
        from .paging import visible_page

        return visible_page(store, viewer, officials_cases(store, official_id, incident_type), limit, offset)
    if store.sorts_in_database and limit < ALL:
        params = {"perpetratorId": official_id, "incidentType": incident_type, "skip": offset, "limit": limit}
        if official_id is None and incident_type is None:  # the count store answers the direct half
            total = store.read(Q.DIRECT_LINKS_COUNT)[0]["total"] + store.read(Q.COMMAND_LINKS_COUNT, params)[0]["total"]
        else:
            total = store.read(Q.OFFICIALS_CASES_COUNT, params)[0]["total"]
        rows = store.read(Q.OFFICIALS_CASES_PAGE, params)
        for r in rows:
            r["perpetratorLabel"] = primary_label(r.pop("perpetratorLabels"))
    else:
        rows = _official_rows_here(store, official_id, incident_type)
        total, rows = len(rows), rows[offset:offset + limit]
    incident_ids = sorted({r["incidentId"] for r in rows})
    victims_rows = each(store, Q.INCIDENT_VICTIMS, incident_ids) if len(incident_ids) <= 1000 else store.read(Q.VICTIMS)
    cite = _Cited(_titles(store))
    victims: dict[str, dict[str, VictimRef]] = defaultdict(dict)
    for v in victims_rows:
        victims[v["incidentId"]][v["id"]] = VictimRef(id=v["id"], label="Person", name=v["name"], confidentiality=v["confidentiality"],
                                                      link_confidentiality=v["linkConfidentiality"] or "public",
                                                      citations=cite(v["citations"]))
    return total, [
        OfficialCase(
            perpetrator=EntityRef(id=r["perpetratorId"], label=r["perpetratorLabel"], name=r["perpetrator"],
                                  confidentiality=r["perpetratorConfidentiality"]),
            role=r["role"], confidence=r["confidence"],
            incident=IncidentRef(id=r["incidentId"], name=r["incident"], type=r["incidentType"], date=r["date"],
                                 citations=cite(r["incidentCitations"]),
                                 confidentiality=r["incidentConfidentiality"]),
            victims=sorted(victims.get(r["incidentId"], {}).values(), key=lambda v: v.id),
            via_organization=r.get("viaOrganizationId"), via_position=r.get("viaPositionId"),
            certainty=_certainty(r),
            citations=cite(r["citations"]), confidentiality=r["linkConfidentiality"] or "public",
        )
        for r in rows
    ]


def _certainty(row: dict) -> str | None:
    """held | may_have_held for a command link (its tenure against the incident's dates)."""
    t = row.get("tenure")
    if row["role"] != "command" or not t or row.get("dateFrom") is None:
        return None
    verdict = covers(t.get("validFrom"), t.get("validTo"), t.get("tenure"), t.get("asOfDate"), t.get("startQualifier"),
                     row["dateFrom"], row["dateTo"], t.get("startDate"), t.get("endDate"))
    return verdict if verdict in ("held", "may_have_held") else None


def _official_rows_here(store: GraphStore, official_id: str | None, incident_type: str | None) -> list[dict]:
    """Direct and command links as plain rows, joined and ordered in Python."""
    heads = store.read(Q.HEADS)
    if official_id is None:
        perpetrations = store.read(Q.PERPETRATIONS)
    else:
        heads = [h for h in heads if h["personId"] == official_id]
        headed = sorted({h["organizationId"] for h in heads} - {official_id})
        perpetrations = each(store, Q.PERPETRATIONS_OF, [official_id, *headed])
    if incident_type is not None:
        perpetrations = [p for p in perpetrations if p["incidentType"] == incident_type]
    for p in perpetrations:
        p["perpetratorLabel"] = primary_label(p.pop("perpetratorLabels"))
        p["role"] = p["role"] or "direct"
    heads_of: dict[str, list[dict]] = defaultdict(list)
    for h in heads:
        heads_of[h["organizationId"]].append(h)
    rows = [dict(p) for p in perpetrations if official_id is None or p["perpetratorId"] == official_id]
    for p in perpetrations:  # command: heading the perpetrating organization over the incident's whole date
        if p["perpetratorLabel"] != "Organization" or p["dateFrom"] is None:
            continue
        for h in heads_of.get(p["perpetratorId"], []):
            if _spans(h["validFrom"], h["validTo"], p["dateFrom"], p["dateTo"]):
                rows.append({**p, "perpetratorId": h["personId"], "perpetrator": h["person"], "perpetratorLabel": "Person",
                             "perpetratorConfidentiality": h["confidentiality"], "role": "command", "citations": h["citations"],
                             "confidence": h["confidence"], "linkId": h["holdsId"], "linkConfidentiality": h["linkConfidentiality"],
                             "tenure": {k: h[k] for k in ("validFrom", "validTo", "tenure", "asOfDate", "startQualifier", "startDate", "endDate")},
                             "viaOrganizationId": p["perpetratorId"], "viaPositionId": h["positionId"]})
    rows.sort(key=lambda r: (r["perpetrator"] or "", r["perpetratorId"], r["date"] or "", r["incidentId"], r["role"],
                             r.get("linkId") or ""))  # two links between one incident and one perpetrator
    return rows


@collector_paused()
def responsibility_chain(store: GraphStore, incident_id: str) -> ResponsibilityChain:
    """The perpetrators of an incident and, above them, the chain of command valid at the
    incident's date: positions held over the incident's whole date range, REPORTS_TO links
    valid over it, and the persons holding each superior post then. Raises NotFound.

    An incident without a date gets its perpetrators only (no chain: validity cannot be
    judged), said in ``note``.
    """
    inc = store.read(Q.INCIDENT, {"id": incident_id})
    if not inc:  # an id merged into another incident answers the merged incident
        incident_id = canonical(store, incident_id)
        inc = store.read(Q.INCIDENT, {"id": incident_id})
    if not inc:
        raise NotFound(f"no incident with id {incident_id!r}")
    inc = inc[0]
    links: list[ChainLink] = []
    # Citations are resolved after the climb: one read of every cited source's title (a
    # read per link cost a round trip each on Neo4j). ``cited`` keeps (model, raw).
    uncited: list[tuple[Any, Any]] = []

    def cited(model, raw):
        uncited.append((model, raw))
        return model

    victims = [cited(VictimRef(id=v["id"], label="Person", name=v["name"], confidentiality=v["confidentiality"],
                               link_confidentiality=v["linkConfidentiality"] or "public"), v["citations"])
               for v in store.read(Q.INCIDENT_VICTIMS, {"id": incident_id})]
    perps = store.read(Q.INCIDENT_PERPETRATORS, {"id": incident_id})
    dates = {"from": inc["dateFrom"], "to": inc["dateTo"]}
    frontier: list[tuple[str, str]] = []  # (id, label) of positions/organizations to climb from
    for p in perps:
        links.append(cited(ChainLink(level=0, kind="perpetrator",
                                     entity=EntityRef(id=p["id"], label=p["label"], name=p["name"], confidentiality=p["confidentiality"]),
                                     role=p["role"], below=incident_id,
                                     confidentiality=p["linkConfidentiality"] or "public", relationship_id=p.get("relationshipId")),
                           p["citations"]))
    note = None
    if inc["dateFrom"] is None:
        note = "the incident has no date: no chain of command can be dated, perpetrators only"
    else:
        # one climb per perpetrator, however many links (ordered, direct) name them; each
        # level is one read_many per statement (one round trip on Neo4j)
        climbers = list({p["id"]: p for p in perps}.values())
        head_posts: dict[str, tuple[int, dict]] = {}  # head post of a climbed organization -> (level, head row)
        persons = [p["id"] for p in climbers if p["label"] == "Person"]
        posts = _grouped_by(each(store, Q.POSITIONS_HELD, persons, **dates), "personId")
        heads = _grouped_by(each(store, Q.ORGANIZATION_HEADS, [p["id"] for p in climbers if p["label"] != "Person"], **dates),
                            "organizationId")
        for p in climbers:
            if p["label"] == "Person":
                for pos in posts.get(p["id"], []):
                    links.append(cited(ChainLink(level=1, kind="position",
                                                 entity=EntityRef(id=pos["positionId"], label="Position", name=pos["position"],
                                                                  confidentiality=pos["positionConfidentiality"]),
                                                 role="held", below=p["id"], valid_from=pos["validFrom"], valid_to=pos["validTo"],
                                                 certainty=_held(pos, dates), confidentiality=pos["linkConfidentiality"] or "public",
                                                 relationship_id=pos.get("relationshipId")), pos["citations"]))
                    frontier.append((pos["positionId"], "Position"))
            else:
                for head in heads.get(p["id"], []):
                    links.append(cited(_head_link(1, head, p["id"], dates), head["citations"]))
                    head_posts.setdefault(head["positionId"], (1, head))
                frontier.append((p["id"], "Organization"))
        # a perpetrating unit's head post may itself report to a post above it: climb from it
        # too (a person perpetrator's posts are climbed the same way)
        frontier += [(pos, "Position") for pos in head_posts if pos not in {i for i, _ in frontier}]
        seen = {i for i, _ in frontier}
        level = 1
        while frontier and level <= MAX_CHAIN_DEPTH:
            level += 1
            nxt = []
            superiors = _grouped_by(each(store, Q.SUPERIORS, list(dict.fromkeys(i for i, _ in frontier)), **dates), "fromId")
            holders = _holders(store, sorted({s["id"] for i, _ in frontier for s in superiors.get(i, []) if s["label"] == "Position"}),
                               dates)
            organizations = {s["id"] for i, _ in frontier for s in superiors.get(i, []) if s["label"] == "Organization"}
            heads = _grouped_by(each(store, Q.ORGANIZATION_HEADS, sorted(organizations), **dates), "organizationId")
            for ident, _ in frontier:
                if superiors.get(ident) and ident in head_posts:
                    # the head post reports upward: show it, held by the head, so the link
                    # above it has something to hang from (a head post without superiors is
                    # not repeated: the head's own link says they headed the unit)
                    head_level, head = head_posts[ident]
                    links.append(cited(ChainLink(level=head_level, kind="position",
                                                 entity=EntityRef(id=ident, label="Position", name=head["position"]),
                                                 role="head_post", below=head["personId"], valid_from=head["validFrom"],
                                                 valid_to=head["validTo"], certainty=_held(head, dates),
                                                 confidentiality=head["linkConfidentiality"] or "public",
                                                 relationship_id=head.get("relationshipId")),
                                       head["citations"]))
                for s in superiors.get(ident, []):
                    links.append(cited(ChainLink(level=level, kind="position" if s["label"] == "Position" else "organization",
                                                 entity=EntityRef(id=s["id"], label=s["label"], name=s["name"], confidentiality=s["confidentiality"]),
                                                 role="reports_to", below=ident, valid_from=s["validFrom"], valid_to=s["validTo"],
                                                 confidentiality=s["linkConfidentiality"] or "public",
                                                 relationship_id=s.get("relationshipId")), s["citations"]))
                    for h in holders.get(s["id"], []):
                        links.append(cited(ChainLink(level=level, kind="holder",
                                                     entity=EntityRef(id=h["id"], label="Person", name=h["name"],
                                                                      confidentiality=h.get("confidentiality")),
                                                     role="held", below=s["id"], valid_from=h.get("validFrom"), valid_to=h.get("validTo"),
                                                     certainty=_held(h, dates), confidentiality=h.get("linkConfidentiality") or "public",
                                                     relationship_id=h.get("relationshipId")),
                                           h.get("citations")))
                    if s["label"] == "Organization":
                        for head in heads.get(s["id"], []):
                            links.append(cited(_head_link(level, head, s["id"], dates), head["citations"]))
                            if head["positionId"] not in seen and head["positionId"] not in head_posts:
                                head_posts[head["positionId"]] = (level, head)
                                seen.add(head["positionId"])
                                nxt.append((head["positionId"], "Position"))
                    if s["id"] not in seen:
                        seen.add(s["id"])
                        nxt.append((s["id"], s["label"]))
            frontier = nxt
    incident = cited(IncidentRef(id=inc["id"], name=inc["name"], type=inc["type"], date=inc["date"],
                                 confidentiality=inc["confidentiality"]), inc["citations"])
    titles = _titles(store)
    for model, raw in uncited:
        model.citations = _citations(store, raw, titles)
    links.sort(key=lambda link: (link.level, link.kind, link.below or "", link.entity.id, link.role or "",
                                 tuple(c.quote for c in link.citations)))
    return ResponsibilityChain(incident=incident, date_from=inc["dateFrom"], date_to=inc["dateTo"],
                               victims=victims, links=links, note=note)


def _spans(valid_from: str | None, valid_to: str | None, date_from: str, date_to: str) -> bool:
    """A link valid from ``valid_from`` to ``valid_to`` (ISO dates; None: open) holds over
    the whole of [``date_from``, ``date_to``]: the statements' ``coalesce(validFrom,
    '0000-01-01') <= $from AND coalesce(validTo, '9999-12-31') >= $to``, in Python."""
    return (valid_from or "0000-01-01") <= date_from and (valid_to or "9999-12-31") >= date_to


def _holders(store: GraphStore, post_ids: list[str], dates: dict) -> dict[str, list[dict]]:
    """Post id -> the persons holding it over the incident's whole date range ([``from``,
    ``to``]: a HOLDS whose validFrom/validTo, when known, enclose it), each a dict of the
    holder (``id``, ``name``, ``confidentiality``) and the HOLDS (``validFrom``,
    ``validTo``, ``citations``, tenure fields, ``linkConfidentiality``, ``relationshipId``).
    One relationship read for every post (SQL on the embedded store, one round trip on
    Neo4j): anchored on each post in GraphQLite it took 0.75 ms a post at 100k persons."""
    if not post_ids or dates["from"] is None or dates["to"] is None:
        return {}
    out: dict[str, list[dict]] = {}
    for r in store.relationships_of(post_ids):
        p = r["props"]
        if r["type"] != "HOLDS" or r["outgoing"] or "Person" not in (r["otherLabels"] or []):
            continue
        if not _spans(p.get("validFrom"), p.get("validTo"), dates["from"], dates["to"]):
            continue
        out.setdefault(r["nodeId"], []).append({
            "id": r["otherId"], "name": r["otherName"], "confidentiality": r["otherConfidentiality"],
            **{k: p.get(k) for k in ("validFrom", "validTo", "citations", "tenure", "asOfDate", "startQualifier",
                                     "startDate", "endDate")},
            "linkConfidentiality": p.get("confidentiality"), "relationshipId": p.get("id"),
        })
    return out


def _grouped_by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    """``rows`` grouped by their ``key`` column, each group in the rows' order."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


def _held(holds: dict, dates: dict) -> str:
    """``held`` or ``may_have_held``: whether a HOLDS row (validFrom, validTo, tenure,
    asOfDate, startQualifier) settles the post over the incident's dates (a chain's
    statements already leave out posts that certainly ended before or began after)."""
    verdict = covers(holds.get("validFrom"), holds.get("validTo"), holds.get("tenure"), holds.get("asOfDate"),
                     holds.get("startQualifier"), dates["from"], dates["to"], holds.get("startDate"), holds.get("endDate"))
    return "held" if verdict == "held" else "may_have_held"


def _head_link(level: int, head: dict, below: str, dates: dict) -> ChainLink:
    """The chain link of a person heading an organization (holding its head post) at the
    date; its citations are set by the caller."""
    return ChainLink(level=level, kind="holder",
                     entity=EntityRef(id=head["personId"], label="Person", name=head["person"],
                                      confidentiality=head["personConfidentiality"]),
                     role="command", below=below, valid_from=head["validFrom"], valid_to=head["validTo"],
                     certainty=_held(head, dates), confidentiality=head["linkConfidentiality"] or "public",
                     relationship_id=head.get("relationshipId"))


def exile_flows(store: GraphStore, by: Literal["country", "period", "route"] = "country",
                viewer: Viewer = DEFAULT_VIEWER) -> ExileFlows:
    """Defenders (defender, journalist, lawyer, trade-unionist, activist) by host country,
    by half-year (``2024-H2``; ``unknown`` when the date does not say) or by route, from
    individual EXILED_TO records; beside them every sourced Statistic, so the individual
    records can be compared with the reported aggregates. Groups sorted by count desc, key;
    every group's persons and every record (records by country, person, date, id). A
    group's ``count`` counts every record; for a ``viewer`` without full clearance its
    ``persons`` lists only those whose record they may see (a hidden record is a number,
    never a name or a pseudonym)."""
    return exile_flows_page(store, by, ALL, 0, ALL, 0, viewer)[0]


@collector_paused()
def exile_flows_page(store: GraphStore, by: Literal["country", "period", "route"], limit: int, offset: int,
                     persons_limit: int, persons_offset: int, viewer: Viewer = DEFAULT_VIEWER) -> tuple[ExileFlows, int]:
    """:func:`exile_flows` with one page of the records (``limit``/``offset``) and one page of
    each group's persons (``persons_limit``/``persons_offset``, by id; ``count`` stays the
    group's whole count); and the number of records.

    Neo4j groups, counts and pages in Cypher (at 100k persons the whole answer is ~10k
    persons and records: 1.2-1.4 s through the API); the embedded store groups here, and
    so does Neo4j for a viewer without full clearance (persons listed only where the
    viewer may see the record). Raises ValueError on an unknown ``by``."""
    if by not in ("country", "period", "route"):
        raise ValueError("by: one of country, period, route")
    red = _redactor(store, viewer)
    if store.sorts_in_database and red is None:
        params = {"by": by, "roles": DEFENDER_ROLES, "skip": offset, "limit": limit,
                  "personsSkip": persons_offset, "personsLimit": persons_limit}
        groups = [ExileGroup(key=g["key"], count=g["count"],
                             persons=[EntityRef(label="Person", **p) for p in g["persons"]])
                  for g in store.read(Q.EXILE_GROUPS, params)]
        total = store.read(Q.EXILE_RECORDS_COUNT, params)[0]["total"]
        rows = store.read(Q.EXILE_RECORDS_PAGE, params)
    else:
        rows = [r for r in store.read(Q.EXILE_RECORDS) if set(r["roles"] or ()) & set(DEFENDER_ROLES)]
        rows.sort(key=lambda r: (r["country"] or "", r["personId"], r["date"] or "", r.get("id") or ""))
        key_of = {
            "country": lambda r: r["country"] or r["countryId"],
            "period": lambda r: r["halfYear"] or "unknown",
            "route": lambda r: r["route"] or "unknown",
        }[by]
        members: dict[str, dict[str, EntityRef]] = defaultdict(dict)
        listed: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            members[key_of(r)][r["personId"]] = EntityRef(id=r["personId"], label="Person", name=r["person"],
                                                          confidentiality=r["confidentiality"])
            if red is None or not red.hides_relationship(r.get("id"), r.get("linkConfidentiality"), r["personId"], r["countryId"]):
                listed[key_of(r)].add(r["personId"])
        groups = sorted(
            (ExileGroup(key=k, count=len(v), persons=sorted((p for i, p in v.items() if i in listed[k]),
                                                            key=lambda p: p.id)[persons_offset:persons_offset + persons_limit])
             for k, v in members.items()),
            key=lambda g: (-g.count, g.key),
        )
        if red is not None:  # records the viewer may not see are neither paged nor counted
            rows = [r for r in rows
                    if not red.hides_relationship(r.get("id"), r.get("linkConfidentiality"), r["personId"], r["countryId"])]
        total, rows = len(rows), rows[offset:offset + limit]
    stats_rows = store.read(Q.STATISTICS)
    titles = _titles(store)
    records = [
        ExileRecord(
            id=r.get("id"), confidentiality=r.get("linkConfidentiality"),
            person=EntityRef(id=r["personId"], label="Person", name=r["person"], confidentiality=r["confidentiality"]),
            country=EntityRef(id=r["countryId"], label="Country", name=r["country"], confidentiality=r["countryConfidentiality"]),
            date=r["date"], half_year=r["halfYear"], route=r["route"], via=r["via"],
            citations=_citations(store, r["citations"], titles),
        )
        for r in rows
    ]
    statistics = [
        StatisticOut(
            id=s["id"], name=s["name"], measure=s["measure"], value=s["value"], unit=s["unit"],
            period_start=s["periodStart"], period_end=s["periodEnd"], place=s["place"], qualifier=s["qualifier"],
            citations=_citations(store, s["citations"], titles), confidentiality=s["confidentiality"],
        )
        for s in stats_rows
    ]
    return ExileFlows(by=by, groups=groups, records=records, statistics=statistics), total


@collector_paused()
def _with_incidents(store: GraphStore, owners_query: str, incidents_query: str) -> list[WithIncidents]:
    owners = store.read(owners_query)
    incident_rows = store.read(incidents_query)
    # each row's citations parsed once, for the titles and for the answer (a whole list at
    # 100k persons holds tens of thousands of incidents: this loop is most of its Python)
    owner_items = [_citation_items(r["citations"]) for r in owners]
    incident_items = [_citation_items(r.pop("citations")) for r in incident_rows]
    titles = _titles(store)

    def cited(items) -> list[CitationOut]:
        return [CitationOut(source_title=titles.get(c["source"]), **c) for c in items]

    incidents: dict[str, list[IncidentRef]] = defaultdict(list)
    for r, items in zip(incident_rows, incident_items):
        incidents[r.pop("ownerId")].append(IncidentRef(**r, citations=cited(items)))
    out = [
        WithIncidents(
            id=r["id"], name=r["name"],
            incidents=sorted(incidents.get(r["id"], []), key=lambda i: (i.date or "", i.id)),
            citations=cited(items), confidentiality=r["confidentiality"],
        )
        for r, items in zip(owners, owner_items)
    ]
    return sorted(out, key=lambda w: (w.name or "", w.id))


def laws(store: GraphStore) -> list[WithIncidents]:
    """Every Law with the incidents it was applied in (APPLIED_LAW)."""
    return _with_incidents(store, Q.LAWS, Q.LAW_INCIDENTS)


def operations(store: GraphStore) -> list[WithIncidents]:
    """Every Operation with its incidents (PART_OF)."""
    return _with_incidents(store, Q.OPERATIONS, Q.OPERATION_INCIDENTS)


# --------------------------------------------------------------------------- subgraphs


def _node(row_id: str, label: str | None, props: dict[str, Any], titles: dict[str, str], store: GraphStore) -> GraphNode:
    return GraphNode(id=row_id, label=label, name=props.get("name"), properties=_public_node_props(props),
                     confidentiality=props.get("confidentiality"), citations=_citations(store, props.get("citations"), titles))


def _edge(eid: str, src: str, dst: str, rel_type: str, props: dict[str, Any], titles: dict[str, str], store: GraphStore) -> GraphEdge:
    return GraphEdge(id=eid, source=src, target=dst, type=rel_type, properties=_public_props(props),
                     confidentiality=props.get("confidentiality"), citations=_citations(store, props.get("citations"), titles))


@collector_paused()
def ego_graph(store: GraphStore, entity_id: str, depth: int = 1, types: list[str] | None = None,
              max_nodes: int = 200, viewer: Viewer = DEFAULT_VIEWER) -> Subgraph:
    """The neighbourhood of an entity up to ``depth`` hops (1..3), optionally only over
    relationship types ``types``; breadth-first, capped at ``max_nodes`` nodes with
    ``truncated`` set and ``omitted_nodes`` counted (the nearest hops are kept, so every
    node is linked to the entity). Every relationship between two nodes returned is in
    ``edges``, also between two nodes of the outermost ring. Every node and edge carries
    its confidentiality and citations. Raises NotFound, ValueError.

    For a ``viewer`` without full clearance the walk is the viewer's graph: it never
    crosses a relationship above their level nor reaches a hidden node, so nothing in the
    answer is there only because of something hidden."""
    if not 1 <= depth <= 3:
        raise ValueError("depth: between 1 and 3")
    for t in types or []:
        Q.checked_type(t)
    root = store.read(Q.ENTITY, {"id": entity_id})
    if not root:  # an id merged into another entity answers the merged entity
        entity_id = canonical(store, entity_id)
        root = store.read(Q.ENTITY, {"id": entity_id})
    if not root:
        raise NotFound(f"no entity with id {entity_id!r}")
    red = _redactor(store, viewer)
    node_rows: dict[str, tuple[str | None, dict[str, Any]]] = {entity_id: (root[0]["label"], root[0]["props"])}
    edge_rows: dict[str, tuple[str, str, str, dict[str, Any]]] = {}
    omitted: set[str] = set()
    frontier = [entity_id]
    for _ in range(depth):
        if not frontier:
            break
        nxt = []
        check_budget()
        for r in sorted(store.relationships_of(frontier), key=lambda r: (r["nodeId"], r["type"], r["otherId"])):
            if types and r["type"] not in types:
                continue
            other = r["otherId"]
            src, dst = (r["nodeId"], other) if r["outgoing"] else (other, r["nodeId"])
            eid = r["props"].get("id") or f"{r['type']}:{src}:{dst}"
            if red is not None and red.hides_relationship(eid, r["props"].get("confidentiality"), other):
                continue
            if other not in node_rows:
                if len(node_rows) >= max_nodes:
                    omitted.add(other)
                    continue
                node_rows[other] = (primary_label(r["otherLabels"]), {})
                nxt.append(other)
            edge_rows[eid] = (src, dst, r["type"], r["props"])
        frontier = nxt
    # links between two nodes of the outermost ring: both ends are drawn, so the link is
    # too. Every other link between two drawn nodes is in edge_rows already: each inner
    # node's relationships were all read above, and one was left out only when its other
    # end is not drawn (or hidden, or of another type: the same checks as here).
    check_budget()
    for r in store.relationships_among(sorted(frontier)) if frontier else []:
        if types and r["type"] not in types:
            continue
        src, dst = r["nodeId"], r["otherId"]  # seen from its start node
        eid = r["props"].get("id") or f"{r['type']}:{src}:{dst}"
        if red is not None and red.hides_relationship(eid, r["props"].get("confidentiality"), src, dst):
            continue
        edge_rows.setdefault(eid, (src, dst, r["type"], r["props"]))
    missing = [n for n, (_, props) in node_rows.items() if not props]
    check_budget()
    for row in store.entities(missing):
        node_rows[row["id"]] = (row["label"], row["props"])
    titles = _titles(store)
    nodes = [_node(i, label, props, titles, store) for i, (label, props) in sorted(node_rows.items())]
    edges = [_edge(eid, *e, titles, store) for eid, e in sorted(edge_rows.items())]
    return Subgraph(nodes=nodes, edges=edges, truncated=bool(omitted), omitted_nodes=len(omitted))


@collector_paused()
def whole_graph(store: GraphStore, max_nodes: int = 500, viewer: Viewer = DEFAULT_VIEWER) -> Subgraph:
    """Every node and relationship (for small stores: the demo view), capped like ego
    graphs; for a ``viewer`` without full clearance, of the graph they may see (hidden
    nodes are neither drawn nor counted against the cap)."""
    red = _redactor(store, viewer)
    ids = [r["id"] for r in store.read(Q.ALL_IDS)]
    if red is not None:
        ids = [i for i in ids if not red.hides_node(i)]
    node_rows = {row["id"]: (row["label"], row["props"]) for row in each(store, Q.ENTITY, ids[:max_nodes])}
    edge_rows: dict[str, tuple[str, str, str, dict[str, Any]]] = {}
    for r in each(store, Q.NEIGHBOURS, list(node_rows)):
        if r["otherId"] not in node_rows or not r["outgoing"]:
            continue
        eid = r["props"].get("id")
        if red is not None and red.hides_relationship(eid, r["props"].get("confidentiality")):
            continue
        edge_rows[eid] = (r["nodeId"], r["otherId"], r["type"], r["props"])
    titles = _titles(store)
    return Subgraph(nodes=[_node(i, label, props, titles, store) for i, (label, props) in sorted(node_rows.items())],
                    edges=[_edge(eid, *e, titles, store) for eid, e in sorted(edge_rows.items(), key=lambda x: x[0] or "")],
                    truncated=len(ids) > max_nodes, omitted_nodes=max(0, len(ids) - max_nodes))


__all__ = [
    "NotFound", "each", "stats", "search", "entity", "guilt_by_association", "guilt_by_association_page",
    "officials_cases", "officials_cases_page", "responsibility_chain", "exile_flows", "exile_flows_page", "laws", "operations",
    "ego_graph", "whole_graph",
]
