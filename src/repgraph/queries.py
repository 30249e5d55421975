"""Every Cypher statement repgraph runs, in one place.

Constants are upper-snake, one clause per line, values always ``$params``. Labels and
relationship types are the only identifiers ever put into a statement, and only from the
ontology's checked registry (:func:`checked_label`, :func:`checked_type`).

Every statement here runs unchanged on both backends (Neo4j and GraphQLite); the
conformance tests run each of them on both. Shapes avoid what design.md measured as
pathological on GraphQLite: no ``UNWIND ... MATCH`` joins on writes, no unanchored
``shortestPath``, no cross-variable ``WHERE`` after a join where an inline map works.
Multi-hop traversals (ego graphs, chains of command) are walked one anchored hop at a
time by :mod:`repgraph.service`, which bounds them and applies dates at every hop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .ontology import NODE_MODELS, REL_MODELS
from .schema import ENTITY_LABEL, FULLTEXT_INDEX

# --------------------------------------------------------------------------- identifiers


def checked_label(label: str) -> str:
    """``label`` if the ontology declares it, else ValueError (never format unchecked text)."""
    if label not in NODE_MODELS:
        raise ValueError(f"unknown node label {label!r}; known: {', '.join(NODE_MODELS)}")
    return label


def checked_type(rel_type: str) -> str:
    """``rel_type`` if the ontology declares it, else ValueError."""
    if rel_type not in REL_MODELS:
        raise ValueError(f"unknown relationship type {rel_type!r}; known: {', '.join(REL_MODELS)}")
    return rel_type


def list_of_label(label: str) -> str:
    """Every node of one (checked) label but those whose id is in ``$hidden`` (what the
    caller may not see), in id order, one page: ``$skip``, ``$limit``.
    Lists incidents (or any label) without a search word: ``repgraph list Incident``."""
    return f"""
MATCH (n:{checked_label(label)})
WHERE NOT n.id IN $hidden
RETURN n.id AS id, n.name AS name, n.type AS type, n.date AS date, n.confidentiality AS confidentiality,
       n.citations AS citations
ORDER BY id
SKIP $skip
LIMIT $limit
"""


def ids_of_label(label: str) -> str:
    """The ids of every node of one (checked) label but those in ``$hidden``, in id order:
    a viewer's list orders the nodes it shows under a masked id apart (repgraph.listing)."""
    return f"""
MATCH (n:{checked_label(label)})
WHERE NOT n.id IN $hidden
RETURN n.id AS id
ORDER BY id
"""


def count_of_label(label: str) -> str:
    """How many nodes of one (checked) label the store holds, but those whose id is in
    ``$hidden``."""
    return f"""
MATCH (n:{checked_label(label)})
WHERE NOT n.id IN $hidden
RETURN count(n) AS total
"""


# --------------------------------------------------------------------------- writes


def merge_node(label: str) -> str:
    """One node, MERGEd on id; ``$id``, ``$props`` (the node's full projection, ``id``
    included: properties not in ``$props`` are removed)."""
    return (
        f"MERGE (n:{ENTITY_LABEL}:{checked_label(label)} {{id: $id}})\n"
        "SET n = $props"
    )


def merge_relationship(rel_type: str, from_label: str, to_label: str) -> str:
    """One relationship between two existing nodes, MERGEd on its id;
    ``$from``, ``$to``, ``$id``, ``$props`` (full projection, ``id`` included)."""
    return (
        f"MATCH (a:{checked_label(from_label)} {{id: $from}})\n"
        f"MATCH (b:{checked_label(to_label)} {{id: $to}})\n"
        f"MERGE (a)-[r:{checked_type(rel_type)} {{id: $id}}]->(b)\n"
        "SET r = $props"
    )


#: The label of an id, if the store has it, its stored confidentiality, statements (JSON,
#: null when one dataset states it) and datasets (null on stores written before
#: statements); ``$id`` (run per id with ``read_many``).
#: Shape: every multi-id lookup is one statement anchored on ``{id: $id}``, run per id:
#: GraphQLite 0.12 scans the whole property table for ``WHERE n.id IN $ids`` (340 ms
#: per call at 10k persons, against 0.3 ms anchored); Neo4j batches the per-id maps
#: under UNWIND in one round trip (``GraphStore.read_many``).
LABEL_OF_ID = f"""
MATCH (n:{ENTITY_LABEL} {{id: $id}})
RETURN n.id AS id, [l IN labels(n) WHERE l <> '{ENTITY_LABEL}'][0] AS label, n.confidentiality AS confidentiality,
       n.statements AS statements, n.datasets AS datasets
"""

# --------------------------------------------------------------------------- statements (repgraph.ingest.datasets)

#: One relationship by its ends and id: type, end labels, properties; ``$from``, ``$to``, ``$id``.
RELATIONSHIP_STATE = f"""
MATCH (a:{ENTITY_LABEL} {{id: $from}})-[r]->(b:{ENTITY_LABEL} {{id: $to}})
WHERE r.id = $id
RETURN r.id AS id, type(r) AS type, labels(a) AS fromLabels, labels(b) AS toLabels, properties(r) AS props
"""

#: Ids of every relationship touching a node; ``$id``.
RELATIONSHIP_IDS_OF = f"""
MATCH (n:{ENTITY_LABEL} {{id: $id}})-[r]-()
RETURN r.id AS relId
"""

#: Nodes citing sources (``sourceIds``: every citation list's sources): which node ids
#: a dataset may not delete while they stay (repgraph.ingest.datasets). A full scan, run
#: only when a dataset would delete a Source.
NODE_SOURCE_REFERENCES = f"""
MATCH (n:{ENTITY_LABEL})
WHERE n.sourceIds IS NOT NULL
RETURN n.id AS id, n.sourceIds AS sourceIds
"""

#: Relationships naming node ids in their properties: cited sources, ``becauseOf``,
#: ``perpetrator``, ``position``. A full scan, run only when a dataset would delete a
#: node such a property can name.
RELATIONSHIP_ID_REFERENCES = f"""
MATCH (:{ENTITY_LABEL})-[r]->(:{ENTITY_LABEL})
WHERE r.sourceIds IS NOT NULL OR r.becauseOf IS NOT NULL OR r.perpetrator IS NOT NULL OR r.position IS NOT NULL
RETURN r.id AS id, r.sourceIds AS sourceIds, r.becauseOf AS becauseOf, r.perpetrator AS perpetrator, r.position AS position
"""

#: Deletes one relationship; ``$from``, ``$to``, ``$id``.
DELETE_RELATIONSHIP = f"""
MATCH (a:{ENTITY_LABEL} {{id: $from}})-[r]->(b:{ENTITY_LABEL} {{id: $to}})
WHERE r.id = $id
DELETE r
"""

#: Deletes one node (its relationships were deleted first); ``$id``.
DELETE_NODE = f"""
MATCH (n:{ENTITY_LABEL} {{id: $id}})
DETACH DELETE n
"""

#: The writers' lock node: its label and id (``repgraph import-neo4j`` writes it into the
#: imported database, as a first ingest's :data:`WRITE_LOCK` would create it).
WRITE_LOCK_LABEL = "WriteLock"
WRITE_LOCK_ID = "writers"

#: Takes the writers' lock (Neo4j): a write on the one ``WriteLock`` node, held until the
#: transaction commits (``Transaction.lock_writers``). Its first run creates the node.
WRITE_LOCK = f"""
MERGE (l:{WRITE_LOCK_LABEL} {{id: '{WRITE_LOCK_ID}'}})
SET l.taken = coalesce(l.taken, 0) + 1
"""

#: One dataset's record; ``$id`` (``dataset:<name>``).
DATASET = """
MATCH (d:Dataset {id: $id})
RETURN properties(d) AS props
"""

# --------------------------------------------------------------------------- entity resolution (repgraph.resolution)

#: What matching reads of every person.
PERSON_RECORDS = """
MATCH (n:Person)
RETURN n.id AS id, n.name AS name, n.aliases AS aliases, n.identifiers AS identifiers, n.birthDate AS birthDate
"""

#: What matching reads of every organization (the acronym is one more name).
ORGANIZATION_RECORDS = """
MATCH (n:Organization)
RETURN n.id AS id, n.name AS name, n.aliases AS aliases, n.acronym AS acronym
"""

#: Every recorded judgement on a pair of ids.
JUDGEMENTS = """
MATCH (j:Judgement)
RETURN properties(j) AS props
"""

#: The pairs of ids judged the same (``a``, ``b``): the clusters merged entities are
#: made of (repgraph.merging).
SAME_JUDGEMENTS = """
MATCH (j:Judgement)
WHERE j.verdict = 'same'
RETURN j.a AS a, j.b AS b
"""

#: Every merged entity (repgraph.merging) and its other ids: what an FtM export writes as
#: ``referents``.
MERGED_ENTITIES = f"""
MATCH (n:{ENTITY_LABEL})
WHERE n.referents IS NOT NULL
RETURN n.id AS id, n.referents AS referents
"""

#: Writes one judgement (full replacement); ``$id``, ``$props``.
MERGE_JUDGEMENT = """
MERGE (j:Judgement {id: $id})
SET j = $props
"""

#: Every dataset, in ingest order (``seq``); their times are in :data:`DATASET`.
DATASETS = """
MATCH (d:Dataset)
RETURN d.name AS name, d.seq AS seq, d.title AS title, d.path AS path
ORDER BY seq
"""

#: Writes a dataset's record (full replacement); ``$id``, ``$props``.
MERGE_DATASET = """
MERGE (d:Dataset {id: $id})
SET d = $props
"""

#: Deletes a dataset's record; ``$id``.
DELETE_DATASET = """
MATCH (d:Dataset {id: $id})
DELETE d
"""

#: Waits until every index is online, at most ``$seconds`` (Neo4j only: after every schema
#: change, and after ``repgraph import-neo4j`` while the indexes populate from the imported store).
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

#: Marker property of an element whose property ``prop`` is an empty list in an import
#: (neo4j-admin cannot store an empty array: issue neo4j/neo4j#13566).
EMPTY_LIST_MARKER = "__empty_{prop}"
_PROPERTY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _checked_property(prop: str) -> str:
    if not _PROPERTY_NAME.fullmatch(prop):
        raise ValueError(f"not a property name of the ontology: {prop!r}")
    return prop


def fill_empty_lists(props: Sequence[str], relationship: bool = False) -> str:
    """After ``repgraph import-neo4j``: in one pass over every node (or relationship),
    each property of ``props`` whose marker (:data:`EMPTY_LIST_MARKER`) is set becomes
    ``[]`` (what the ingest stores) and every marker is removed; committed every 50,000
    elements (an auto-commit query). One statement for all labels: each statement costs
    ~0.5 s of planning and warm-up on a freshly started server."""
    props = [_checked_property(p) for p in props]
    markers = [EMPTY_LIST_MARKER.format(prop=p) for p in props]
    pattern = "()-[n]->()" if relationship else "(n)"
    sets = "".join(f"  FOREACH (_ IN CASE WHEN n.{m} IS NULL THEN [] ELSE [1] END | SET n.{p} = [])\n"
                   for p, m in zip(props, markers))
    return (f"MATCH {pattern}\nWHERE " + " OR ".join(f"n.{m} IS NOT NULL" for m in markers) + "\n"
            f"CALL {{\n  WITH n\n{sets}  REMOVE " + ", ".join(f"n.{m}" for m in markers) + "\n"
            "} IN TRANSACTIONS OF 50000 ROWS")


#: Empties the store (demo and test fixtures only).
DELETE_ALL = "MATCH (n) DETACH DELETE n"

# --------------------------------------------------------------------------- counts

NODE_COUNTS = f"""
MATCH (n:{ENTITY_LABEL})
RETURN [l IN labels(n) WHERE l <> '{ENTITY_LABEL}'][0] AS label, count(*) AS count
"""

RELATIONSHIP_COUNTS = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
"""

# --------------------------------------------------------------------------- entities

#: Every node id, ordered.
ALL_IDS = f"""
MATCH (n:{ENTITY_LABEL})
RETURN n.id AS id
ORDER BY id
"""

#: The best-linked nodes: each node's relationships other than documentation
#: (``DOCUMENTED_IN``), most first, then by id; ``$limit``. The overview of a store too
#: large to draw or analyse whole starts from these (:mod:`repgraph.overview`).
DEGREE_RANKING = f"""
MATCH (n:{ENTITY_LABEL})-[r]-(m:{ENTITY_LABEL})
WHERE type(r) <> 'DOCUMENTED_IN'
RETURN n.id AS id, count(r) AS degree
ORDER BY degree DESC, id
LIMIT $limit
"""

#: Perpetrators named in the most incidents, most first, then by id; ``$limit``. The
#: overview analysed for perpetrators' centrality starts from these.
PERPETRATOR_RANKING = f"""
MATCH (:Incident)-[p:PERPETRATED_BY]->(x:{ENTITY_LABEL})
RETURN x.id AS id, count(p) AS incidents
ORDER BY incidents DESC, id
LIMIT $limit
"""

#: How many nodes the store holds.
NODE_TOTAL = f"""
MATCH (n:{ENTITY_LABEL})
RETURN count(n) AS total
"""

#: One entity by id: label and properties; ``$id`` (``read_many`` for several).
#: Does the store answer? (``/health``: reveals nothing about the data.)
PING = "RETURN 1 AS ok"

ENTITY = f"""
MATCH (n:{ENTITY_LABEL} {{id: $id}})
RETURN n.id AS id, [l IN labels(n) WHERE l <> '{ENTITY_LABEL}'][0] AS label, properties(n) AS props
"""

#: Every relationship touching one node, with the other end; ``$id`` (``read_many``
#: for a frontier). One anchored hop: the building block of entity pages, ego graphs
#: and paths.
NEIGHBOURS = f"""
MATCH (n:{ENTITY_LABEL} {{id: $id}})-[r]-(m:{ENTITY_LABEL})
RETURN n.id AS nodeId, type(r) AS type, startNode(r).id = n.id AS outgoing, properties(r) AS props,
       m.id AS otherId, labels(m) AS otherLabels, m.name AS otherName,
       m.confidentiality AS otherConfidentiality
"""

#: The relationships from a node of ``$ids`` to a node of ``$ids``, each once, seen from
#: its start node (``outgoing`` true); NEIGHBOURS' columns. The ego graph's outermost ring:
#: both ends are drawn, so their links are too. Read from each node's *outgoing*
#: relationships: the hubs of the ontology (a country, a law, a source, an operation, a
#: unit) are hubs of incoming ones (incidents point at them), which this never reads.
#: Its forerunner read every relationship of every ring node, one statement per node:
#: Fakeland's 2,840 incidents took 0.5 s of a depth-2 ego graph at 10k persons on
#: GraphQLite, its 30k at 100k made p95 1 s (docs/benchmarks.md, "Ego graphs after issue
#: 12"). The embedded store answers it in SQL (GraphStore.relationships_among).
#: ``WITH DISTINCT n`` makes the start nodes a horizon the second MATCH expands from: given
#: ``(n)-[r]->(m) WHERE n.id IN $ids AND m.id IN $ids``, Neo4j's planner sought the end
#: nodes and expanded their *incoming* relationships, so a ring holding the host country
#: read its 28,599 at 100k persons (26 ms for one row; 0.9 ms from the start nodes).
RELATIONSHIPS_AMONG = f"""
MATCH (n:{ENTITY_LABEL})
WHERE n.id IN $ids
WITH DISTINCT n
MATCH (n)-[r]->(m:{ENTITY_LABEL})
WHERE m.id IN $ids
RETURN n.id AS nodeId, type(r) AS type, true AS outgoing, properties(r) AS props,
       m.id AS otherId, labels(m) AS otherLabels, m.name AS otherName,
       m.confidentiality AS otherConfidentiality
"""

_FOLDED_WORD = re.compile(r"[a-z0-9]+")


def fulltext_query(words: Sequence[str]) -> str:
    """The Lucene query for folded search words: every word a required prefix term on the
    folded names (``+searchText:velas* +searchText:yendri*``). Passed as ``$query``.

    Raises ValueError for anything but folded words (``[a-z0-9]+``, from
    :func:`repgraph.ontology.search_words`): no Lucene syntax (quotes, ``~``, ``:``,
    ``AND``, brackets) typed by a user can reach the parser, and a folded term needs no
    escaping. Terms are built from folded words because Lucene does not analyze prefix
    terms (``Muñ*`` would not meet the folded ``munoz``)."""
    if not words or not all(_FOLDED_WORD.fullmatch(w) for w in words):
        raise ValueError(f"full-text terms must be folded words [a-z0-9]+, got {list(words)!r}")
    return " ".join(f"+searchText:{w}*" for w in words)


#: Search candidates from the full-text index (Neo4j): nodes in which every folded word
#: of the query starts a word of ``searchText``; ``$query`` from :func:`fulltext_query`.
#: Flat and unranked: service.search filters, ranks and pages them (the embedded store
#: answers the same from its FTS5 table, store/fulltext_sqlite.py).
SEARCH_CANDIDATES = f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node AS n
RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.searchText AS searchText,
       n.confidentiality AS confidentiality
"""

#: One page of search hits, filtered, ranked and paged in the database (Neo4j's path; the
#: same order as service.search's ranking of :data:`SEARCH_CANDIDATES`, which the
#: conformance tests check). ``$query`` (:func:`fulltext_query`), ``$label`` or null,
#: ``$levels`` (confidentiality levels the caller may see) or null, ``$exact``
#: (``|folded query|``), ``$prefix`` (``|folded query``), ``$word`` (`` folded query``),
#: ``$skip``, ``$limit``. Ranked: exact name/alias (0), a name/alias word starting with the
#: query (1), other matches (2); within a rank persons, then organizations, then the rest,
#: then by name and id. Answers ``total`` and ``page``. Shape: one round trip; only the page
#: crosses the wire (decoding every candidate costs the driver ~50 µs a row).
SEARCH_PAGE = f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node AS n
WITH n, labels(n) AS labels
WHERE ($label IS NULL OR $label IN labels)
  AND ($levels IS NULL OR n.confidentiality IN $levels)
WITH n, labels,
     CASE WHEN n.searchText CONTAINS $exact THEN 0
          WHEN n.searchText CONTAINS $prefix OR n.searchText CONTAINS $word THEN 1
          ELSE 2 END AS rank,
     CASE WHEN 'Person' IN labels THEN 0 WHEN 'Organization' IN labels THEN 1 ELSE 2 END AS kindRank
ORDER BY rank, kindRank, n.name, n.id
WITH collect({{id: n.id, labels: labels, name: n.name, rank: rank}}) AS hits
RETURN size(hits) AS total, hits[$skip..($skip + $limit)] AS page
"""

# --------------------------------------------------------------------------- redaction inventory

#: Every node above ``public`` (``$levels``: ``['restricted', 'confidential']``): what
#: :mod:`repgraph.redaction` pseudonymises or hides for a caller without clearance. Read
#: once and cached per store version.
PROTECTED_NODES = f"""
MATCH (n:{ENTITY_LABEL})
WHERE n.confidentiality IN $levels
RETURN n.id AS id, [l IN labels(n) WHERE l <> '{ENTITY_LABEL}'][0] AS label, n.name AS name,
       n.aliases AS aliases, n.confidentiality AS confidentiality
"""

#: Every relationship above ``public``; ``$levels`` as above.
PROTECTED_RELATIONSHIPS = """
MATCH ()-[r]->()
WHERE r.confidentiality IN $levels
RETURN r.id AS id, r.confidentiality AS confidentiality
"""

#: Every relationship's id and level (the embedded store's form of the statement above:
#: GraphQLite filters this scan slower than Python does).
RELATIONSHIP_LEVELS = """
MATCH ()-[r]->()
RETURN r.id AS id, r.confidentiality AS confidentiality
"""

#: Node and relationship totals in one round trip (Neo4j answers both from its count
#: store): the redaction inventory is read again when they change.
CHANGE_COUNTS = """
MATCH (n)
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
"""
# Shape: OPTIONAL MATCH, so a store with nodes and no relationship still gives its one row
# (with MATCH it gave none, and change_token raised IndexError).

#: Names and aliases of the public persons (their words are never masked as a protected
#: person's: a defender shares a surname with the relative targeted because of them).
PUBLIC_PERSON_NAMES = """
MATCH (n:Person)
WHERE n.confidentiality = 'public'
RETURN n.name AS name, n.aliases AS aliases
"""

#: Names and aliases of the public organizations (same reason: "Empresa Ficticia" keeps its
#: name when a protected "Ana Ficticia" exists).
PUBLIC_ORGANIZATION_NAMES = """
MATCH (n:Organization)
WHERE n.confidentiality = 'public'
RETURN n.name AS name, n.aliases AS aliases
"""

# --------------------------------------------------------------------------- domain questions

#: Family members targeted because of a relative's work (sippenhaft). ``$defenderId`` or null.
#: ``FAMILY_OF`` points from the relative to the defender; ``relation`` is what the
#: relative is to the defender. A ``becauseOf`` on TARGETED pins the defender.
GUILT_BY_ASSOCIATION = """
MATCH (i:Incident)-[t:TARGETED {basis: 'guilt_by_association'}]->(rel:Person)-[f:FAMILY_OF]->(d:Person)
WHERE ($defenderId IS NULL OR d.id = $defenderId)
  AND (t.becauseOf IS NULL OR t.becauseOf = d.id)
RETURN rel.id AS relativeId, rel.name AS relative, rel.confidentiality AS relativeConfidentiality,
       d.id AS defenderId, d.name AS defender, d.confidentiality AS defenderConfidentiality, f.relation AS relation,
       i.id AS incidentId, i.name AS incident, i.type AS incidentType, i.date AS date,
       t.citations AS citations, i.citations AS incidentCitations, i.confidentiality AS incidentConfidentiality,
       t.confidentiality AS targetingConfidentiality, f.confidentiality AS familyConfidentiality
ORDER BY defender, defenderId, relative, relativeId, date, incidentId
"""

#: How many targetings the store records as guilt by association, whether or not a
#: FAMILY_OF link names the defender (why an empty answer is empty).
GUILT_BY_ASSOCIATION_TARGETINGS = """
MATCH (i:Incident)-[t:TARGETED {basis: 'guilt_by_association'}]->(rel:Person)
RETURN count(t) AS total
"""

#: One page of guilt-by-association entries (relative, defender), ordered and paged in the
#: database (Neo4j's path; see service.guilt_by_association_page): ``$defenderId`` or
#: null, ``$skip``, ``$limit``. The pairs are ordered on their names and ids alone and
#: paged first; only the page's incidents and citations are then read (the earlier shape
#: collected every entry with its incidents and sliced the list: 0.4-0.6 s at 100k persons).
#: The TARGETED(basis) relationship index lets the planner start from the few
#: guilt-by-association targetings instead of every TARGETED relationship.
GUILT_BY_ASSOCIATION_PAGE = """
MATCH (i:Incident)-[t:TARGETED {basis: 'guilt_by_association'}]->(rel:Person)-[f:FAMILY_OF]->(d:Person)
WHERE ($defenderId IS NULL OR d.id = $defenderId)
  AND (t.becauseOf IS NULL OR t.becauseOf = d.id)
WITH DISTINCT rel, d
ORDER BY d.name, d.id, rel.name, rel.id
SKIP $skip
LIMIT $limit
MATCH (i:Incident)-[t:TARGETED {basis: 'guilt_by_association'}]->(rel)-[f:FAMILY_OF]->(d)
WHERE t.becauseOf IS NULL OR t.becauseOf = d.id
WITH rel, d, f, t, i
ORDER BY d.name, d.id, rel.name, rel.id, i.date, i.id
RETURN rel.id AS relativeId, rel.name AS relative, rel.confidentiality AS relativeConfidentiality,
       d.id AS defenderId, d.name AS defender, d.confidentiality AS defenderConfidentiality, f.relation AS relation,
       i.id AS incidentId, i.name AS incident, i.type AS incidentType, i.date AS date,
       t.citations AS citations, i.citations AS incidentCitations, i.confidentiality AS incidentConfidentiality,
       t.confidentiality AS targetingConfidentiality, f.confidentiality AS familyConfidentiality
"""

#: How many entries :data:`GUILT_BY_ASSOCIATION_PAGE` pages through; ``$defenderId`` or null.
GUILT_BY_ASSOCIATION_COUNT = """
MATCH (i:Incident)-[t:TARGETED {basis: 'guilt_by_association'}]->(rel:Person)-[f:FAMILY_OF]->(d:Person)
WHERE ($defenderId IS NULL OR d.id = $defenderId)
  AND (t.becauseOf IS NULL OR t.becauseOf = d.id)
WITH DISTINCT rel, d
RETURN count(*) AS total
"""

# The two kinds of officials-cases link, shared by the page and its count: a named
# perpetrator (direct, ordered, participated), and the head of a perpetrating
# organization whose term covers the incident's whole date (command).
_DIRECT_LINKS = """
  MATCH (i:Incident)-[p:PERPETRATED_BY]->(x:Entity)
  WHERE ($perpetratorId IS NULL OR x.id = $perpetratorId)
    AND ($incidentType IS NULL OR i.type = $incidentType)
"""
_COMMAND_MATCH = """
  MATCH (i:Incident)-[:PERPETRATED_BY]->(o:Organization)<-[:IN]-(pos:Position {isHead: true})<-[h:HOLDS]-(x:Person)
"""
_COMMAND_CONDITIONS = """($incidentType IS NULL OR i.type = $incidentType)
    AND i.dateFrom IS NOT NULL
    AND coalesce(h.validFrom, '0000-01-01') <= i.dateFrom
    AND coalesce(h.validTo, '9999-12-31') >= i.dateTo
"""
_COMMAND_LINKS = f"""{_COMMAND_MATCH}  WHERE ($perpetratorId IS NULL OR x.id = $perpetratorId)
    AND {_COMMAND_CONDITIONS}"""
# the command links of one bound perpetrator ``x``
_COMMAND_LINKS_OF_X = f"""{_COMMAND_MATCH}  WHERE {_COMMAND_CONDITIONS}"""

#: One page of officials-cases links (direct and command), joined, ordered and paged in
#: the database (Neo4j's path; see service.officials_cases_page; the embedded store joins
#: PERPETRATIONS, HEADS and VICTIMS in Python because this join took GraphQLite 59 s at
#: 10k persons). ``$perpetratorId`` or null, ``$incidentType`` or null, ``$skip``, ``$limit``.
#: Shape: perpetrators first. The order starts with the perpetrator (name, id), so the
#: candidates (entities named by a PERPETRATED_BY, read by degree, and holders of a head
#: post) are sorted alone (~20k at 100k persons) and each one's links are expanded only
#: as the page needs them: the planner turns the final ORDER BY ... LIMIT into a
#: ``PartialTop`` over the perpetrators' order, so a first page expands ~20 perpetrators
#: instead of sorting every one of ~80k links (0.96M db hits, ~0.6-1 s; now ~0.28M). The
#: link's citations and confidence are read after LIMIT, for the page's rows only.
#: ``CALL { WITH x ... }`` rather than the scoped ``CALL (x) { ... }`` of Neo4j 5.23+: any Neo4j 5 runs it.
OFFICIALS_CASES_PAGE = f"""
CALL {{
  MATCH (x:Person|Organization)
  WHERE EXISTS {{ (x)<-[:PERPETRATED_BY]-() }}
  RETURN x
  UNION
  MATCH (:Position {{isHead: true}})<-[:HOLDS]-(x:Person)
  RETURN x
}}
WITH x, coalesce(x.name, '') AS perpetratorKey, x.id AS perpetratorId
WHERE $perpetratorId IS NULL OR perpetratorId = $perpetratorId
ORDER BY perpetratorKey, perpetratorId
CALL {{
  WITH x
  MATCH (i:Incident)-[p:PERPETRATED_BY]->(x)
  WHERE $incidentType IS NULL OR i.type = $incidentType
  RETURN i, p AS link, coalesce(p.role, 'direct') AS role, null AS o, null AS pos
  UNION ALL
  WITH x{_COMMAND_LINKS_OF_X}  RETURN i, h AS link, 'command' AS role, o, pos
}}
WITH x, perpetratorKey, perpetratorId, i, link, role, o, pos
ORDER BY perpetratorKey, perpetratorId, coalesce(i.date, ''), i.id, role, coalesce(link.id, '')
SKIP $skip
LIMIT $limit
RETURN perpetratorId, x.name AS perpetrator, labels(x) AS perpetratorLabels,
       x.confidentiality AS perpetratorConfidentiality, role, link.citations AS citations, link.confidence AS confidence,
       i.id AS incidentId, i.name AS incident, i.type AS incidentType, i.date AS date,
       i.citations AS incidentCitations, i.confidentiality AS incidentConfidentiality, link.confidentiality AS linkConfidentiality,
       i.dateFrom AS dateFrom, i.dateTo AS dateTo, o.id AS viaOrganizationId, pos.id AS viaPositionId, link.id AS linkId,
       {{validFrom: link.validFrom, validTo: link.validTo, tenure: link.tenure, asOfDate: link.asOfDate,
         startQualifier: link.startQualifier, startDate: link.startDate, endDate: link.endDate}} AS tenure
"""

#: How many links :data:`OFFICIALS_CASES_PAGE` pages through; same parameters (skip and
#: limit unused).
OFFICIALS_CASES_COUNT = f"""
CALL {{{_DIRECT_LINKS}  RETURN count(*) AS n
  UNION ALL{_COMMAND_LINKS}  RETURN count(*) AS n
}}
RETURN sum(n) AS total
"""

#: The number of direct links when no filter applies: read from Neo4j's count store in
#: O(1) (every PERPETRATED_BY starts at an Incident and ends at an entity, by the ontology);
#: :data:`OFFICIALS_CASES_COUNT` expands all ~60k of them at 100k persons (0.3M db hits).
DIRECT_LINKS_COUNT = """
MATCH (:Incident)-[p:PERPETRATED_BY]->()
RETURN count(p) AS total
"""

#: The number of command links (the other half of an unfiltered officials-cases count);
#: ``$perpetratorId``, ``$incidentType`` (null here).
COMMAND_LINKS_COUNT = f"""{_COMMAND_LINKS}RETURN count(*) AS total
"""

# officials-cases is answered from three flat statements joined (and date-filtered) by
# the service. Shape: the one-statement form (perpetrations, OPTIONAL MATCH victims,
# collect; the command form a 4-hop join comparing HOLDS dates with incident dates)
# took 107 s and 59 s on GraphQLite at 10k persons; these take 37, 77 and 13 ms.

#: Every perpetration: incident -> perpetrator (person or organization), with role.
PERPETRATIONS = """
MATCH (i:Incident)-[p:PERPETRATED_BY]->(x:Entity)
RETURN x.id AS perpetratorId, x.name AS perpetrator, labels(x) AS perpetratorLabels,
       x.confidentiality AS perpetratorConfidentiality, p.role AS role, p.citations AS citations,
       p.confidence AS confidence, p.confidentiality AS linkConfidentiality, p.id AS linkId,
       i.id AS incidentId, i.name AS incident, i.type AS incidentType, i.date AS date,
       i.dateFrom AS dateFrom, i.dateTo AS dateTo, i.citations AS incidentCitations,
       i.confidentiality AS incidentConfidentiality
"""

#: The perpetrations of one perpetrator; ``$id``.
PERPETRATIONS_OF = """
MATCH (i:Incident)-[p:PERPETRATED_BY]->(x:Entity {id: $id})
RETURN x.id AS perpetratorId, x.name AS perpetrator, labels(x) AS perpetratorLabels,
       x.confidentiality AS perpetratorConfidentiality, p.role AS role, p.citations AS citations,
       p.confidence AS confidence, p.confidentiality AS linkConfidentiality, p.id AS linkId,
       i.id AS incidentId, i.name AS incident, i.type AS incidentType, i.date AS date,
       i.dateFrom AS dateFrom, i.dateTo AS dateTo, i.citations AS incidentCitations,
       i.confidentiality AS incidentConfidentiality
"""

#: Every victim of every incident.
VICTIMS = """
MATCH (i:Incident)-[t:TARGETED]->(v:Person)
RETURN i.id AS incidentId, v.id AS id, v.name AS name, v.confidentiality AS confidentiality,
       t.confidentiality AS linkConfidentiality, t.citations AS citations
"""

#: Every head post of an organization with its holders and their dates (command
#: responsibility: the service keeps holders whose term covers an incident's date).
HEADS = """
MATCH (o:Organization)<-[:IN]-(pos:Position {isHead: true})<-[h:HOLDS]-(x:Person)
RETURN o.id AS organizationId, pos.id AS positionId, x.id AS personId, x.name AS person,
       x.confidentiality AS confidentiality, h.validFrom AS validFrom, h.validTo AS validTo,
       h.citations AS citations, h.confidence AS confidence, h.confidentiality AS linkConfidentiality, h.id AS holdsId,
       h.tenure AS tenure, h.asOfDate AS asOfDate, h.startQualifier AS startQualifier,
       h.startDate AS startDate, h.endDate AS endDate
"""

#: The incident and its date bounds; ``$id``.
INCIDENT = """
MATCH (i:Incident {id: $id})
RETURN i.id AS id, i.name AS name, i.type AS type, i.date AS date, i.dateFrom AS dateFrom,
       i.dateTo AS dateTo, i.citations AS citations, i.confidentiality AS confidentiality
"""

#: Direct perpetrators of one incident; ``$id``.
INCIDENT_PERPETRATORS = """
MATCH (i:Incident {id: $id})-[p:PERPETRATED_BY]->(x)
RETURN x.id AS id, [l IN labels(x) WHERE l <> 'Entity'][0] AS label, x.name AS name,
       x.confidentiality AS confidentiality, p.role AS role,
       p.citations AS citations, p.confidence AS confidence, p.confidentiality AS linkConfidentiality, p.id AS relationshipId
ORDER BY id, relationshipId
"""

#: Victims of one incident; ``$id``.
INCIDENT_VICTIMS = """
MATCH (i:Incident {id: $id})-[t:TARGETED]->(v:Person)
RETURN i.id AS incidentId, v.id AS id, v.name AS name, t.basis AS basis, v.confidentiality AS confidentiality, t.citations AS citations,
       t.confidentiality AS linkConfidentiality
ORDER BY id
"""

#: Positions a person held over the whole interval [$from, $to]: one row per HOLDS.
#: ``$id`` (the person), ``$from``, ``$to`` (ISO days); rows carry ``personId`` so that
#: ``read_many`` answers every perpetrator of a chain at once. Shape: no ``OPTIONAL MATCH`` of the
#: position's organization (the chain does not use it; the chain climbs REPORTS_TO from
#: the position): GraphQLite 0.12 turns an OPTIONAL MATCH of a new node into a LEFT JOIN
#: over every node with a correlated EXISTS per node, 0.1-1.4 s per call at 100k persons
#: against 0.1 ms without it (it was the embedded responsibility chain's slow p95); and
#: a position IN two organizations repeated the position's chain link.
POSITIONS_HELD = """
MATCH (x:Person {id: $id})-[h:HOLDS]->(pos:Position)
WHERE coalesce(h.validFrom, '0000-01-01') <= $from
  AND coalesce(h.validTo, '9999-12-31') >= $to
RETURN x.id AS personId, pos.id AS positionId, pos.name AS position,
       h.validFrom AS validFrom, h.validTo AS validTo, h.citations AS citations, h.id AS relationshipId,
       h.tenure AS tenure, h.asOfDate AS asOfDate, h.startQualifier AS startQualifier,
       h.startDate AS startDate, h.endDate AS endDate,
       pos.confidentiality AS positionConfidentiality, h.confidentiality AS linkConfidentiality
ORDER BY personId, positionId, relationshipId
"""

#: Head positions of an organization with their holders over [$from, $to]; ``$id`` (the
#: organization; rows carry ``organizationId``: one ``read_many`` per chain level).
ORGANIZATION_HEADS = """
MATCH (o:Organization {id: $id})<-[:IN]-(pos:Position {isHead: true})<-[h:HOLDS]-(x:Person)
WHERE coalesce(h.validFrom, '0000-01-01') <= $from
  AND coalesce(h.validTo, '9999-12-31') >= $to
RETURN o.id AS organizationId, pos.id AS positionId, pos.name AS position, x.id AS personId, x.name AS person,
       h.validFrom AS validFrom, h.validTo AS validTo, h.citations AS citations,
       h.tenure AS tenure, h.asOfDate AS asOfDate, h.startQualifier AS startQualifier,
       h.startDate AS startDate, h.endDate AS endDate,
       x.confidentiality AS personConfidentiality, h.confidentiality AS linkConfidentiality, h.id AS relationshipId
ORDER BY organizationId, positionId, personId
"""

#: One step up the chain of command from a position or organization, valid over
#: [$from, $to]: the superiors, the link's dates and citations. ``$id``; rows carry
#: ``fromId`` (one ``read_many`` per chain level). The holders of a superior post are read
#: apart (``GraphStore.relationships_of`` on the posts, HOLDS over the same dates): an
#: ``OPTIONAL MATCH`` of them here cost GraphQLite 0.4-0.6 ms of this statement's 0.5-0.7
#: ms per id at 100k persons, most of a responsibility chain's time.
SUPERIORS = """
MATCH (a:Entity {id: $id})-[r:REPORTS_TO]->(s)
WHERE coalesce(r.validFrom, '0000-01-01') <= $from
  AND coalesce(r.validTo, '9999-12-31') >= $to
RETURN a.id AS fromId, s.id AS id, [l IN labels(s) WHERE l <> 'Entity'][0] AS label, s.name AS name,
       r.validFrom AS validFrom, r.validTo AS validTo, r.citations AS citations, r.id AS relationshipId,
       s.confidentiality AS confidentiality, r.confidentiality AS linkConfidentiality
ORDER BY fromId, id
"""

#: Exile records: persons -> host countries, with date, half-year, route and the
#: person's roles (the service keeps defenders). Shape: filtering roles in Cypher with
#: ``any(r IN p.roles WHERE r IN $roles)`` cost GraphQLite 400 ms at 10k, against 35 ms.
EXILE_RECORDS = """
MATCH (p:Person)-[e:EXILED_TO]->(c:Country)
RETURN p.id AS personId, p.name AS person, p.roles AS roles, p.confidentiality AS confidentiality, c.id AS countryId,
       c.name AS country, c.confidentiality AS countryConfidentiality, e.date AS date, e.halfYear AS halfYear, e.route AS route, e.via AS via,
       e.citations AS citations, e.id AS id, e.confidentiality AS linkConfidentiality
ORDER BY country, personId, date, id
"""

#: The group key of an exile record for ``$by`` (country | period | route).
_EXILE_KEY = """CASE $by WHEN 'country' THEN coalesce(c.name, c.id)
                WHEN 'period' THEN coalesce(e.halfYear, 'unknown')
                ELSE coalesce(e.route, 'unknown') END"""

#: Defenders in exile grouped and counted in the database (Neo4j's path; see
#: service.exile_flows_page): ``$by``, ``$roles`` (the defender roles), ``$personsSkip``,
#: ``$personsLimit`` (a page of each group's persons, by id). Groups by count desc, key.
EXILE_GROUPS = f"""
MATCH (p:Person)-[e:EXILED_TO]->(c:Country)
WHERE any(r IN p.roles WHERE r IN $roles)
WITH DISTINCT {_EXILE_KEY} AS key, p
ORDER BY p.id
WITH key, collect({{id: p.id, name: p.name, confidentiality: p.confidentiality}}) AS persons
RETURN key, size(persons) AS count, persons[$personsSkip..($personsSkip + $personsLimit)] AS persons
ORDER BY count DESC, key
"""

#: One page of defenders' exile records (Neo4j's path), in :data:`EXILE_RECORDS`' order
#: (country, person, date, id); ``$roles``, ``$skip``, ``$limit``.
EXILE_RECORDS_PAGE = """
MATCH (p:Person)-[e:EXILED_TO]->(c:Country)
WHERE any(r IN p.roles WHERE r IN $roles)
WITH p, e, c
ORDER BY c.name, p.id, coalesce(e.date, ''), e.id
SKIP $skip
LIMIT $limit
RETURN p.id AS personId, p.name AS person, p.roles AS roles, p.confidentiality AS confidentiality, c.id AS countryId,
       c.name AS country, c.confidentiality AS countryConfidentiality, e.date AS date, e.halfYear AS halfYear, e.route AS route, e.via AS via,
       e.citations AS citations, e.id AS id, e.confidentiality AS linkConfidentiality
"""

#: How many records :data:`EXILE_RECORDS_PAGE` pages through; ``$roles``.
EXILE_RECORDS_COUNT = """
MATCH (p:Person)-[e:EXILED_TO]->(c:Country)
WHERE any(r IN p.roles WHERE r IN $roles)
RETURN count(*) AS total
"""

#: Sourced aggregate figures, to set beside the individual records.
STATISTICS = """
MATCH (s:Statistic)
RETURN s.id AS id, s.name AS name, s.measure AS measure, s.value AS value, s.unit AS unit,
       s.periodStart AS periodStart, s.periodEnd AS periodEnd, s.place AS place,
       s.qualifier AS qualifier, s.citations AS citations, s.confidentiality AS confidentiality
ORDER BY periodStart, id
"""

#: Laws and operations are answered from two flat statements each, joined by the
#: service. Shape: ``OPTIONAL MATCH`` + ``collect`` took GraphQLite 16 s at 100k persons.

#: Every law.
LAWS = """
MATCH (l:Law)
RETURN l.id AS id, l.name AS name, l.citations AS citations, l.confidentiality AS confidentiality
"""

#: Incidents in which a law was applied.
LAW_INCIDENTS = """
MATCH (i:Incident)-[:APPLIED_LAW]->(l:Law)
RETURN l.id AS ownerId, i.id AS id, i.name AS name, i.type AS type, i.date AS date,
       i.citations AS citations, i.confidentiality AS confidentiality
"""

#: Every operation.
OPERATIONS = """
MATCH (o:Operation)
RETURN o.id AS id, o.name AS name, o.citations AS citations, o.confidentiality AS confidentiality
"""

#: Incidents that were part of an operation.
OPERATION_INCIDENTS = """
MATCH (i:Incident)-[:PART_OF]->(o:Operation)
RETURN o.id AS ownerId, i.id AS id, i.name AS name, i.type AS type, i.date AS date,
       i.citations AS citations, i.confidentiality AS confidentiality
"""

#: Every Source id (the demo checks a store holds only seed sources before replacing it).
SOURCE_IDS = """
MATCH (s:Source)
RETURN s.id AS id
"""

#: Every source's title (the titles of citations, cached per store: service._titles).
SOURCE_TITLES = """
MATCH (s:Source)
RETURN s.id AS id, s.title AS title
"""

#: One source's bibliographic fields; ``$id`` (``read_many`` for several).
SOURCE = """
MATCH (s:Source {id: $id})
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.url AS url
"""

# --------------------------------------------------------------------------- accountability and dossiers
# (issue 11; answered by repgraph.accountability and repgraph.dossier). Anchored on one
# id where they can be (run per id with read_many), flat otherwise; dates are compared as
# ISO-day strings derived at ingest (validFrom/validTo, listedBy/endedFrom).

#: The sanctions on one person or organization, every field; ``$id``. ``listedDate``
#: falls back to ``date`` (case files before issue 11 named it so).
SANCTIONS_OF = """
MATCH (s:Sanction)-[r:SANCTIONED]->(x:Entity {id: $id})
RETURN x.id AS targetId, s.id AS id, s.name AS name, s.authority AS authority, s.authorityName AS authorityName,
       s.programme AS programme, s.legalBasis AS legalBasis, s.listId AS listId,
       coalesce(s.listedDate, s.date) AS listedDate, s.listedQualifier AS listedQualifier,
       s.endDate AS endDate, s.status AS status, s.reason AS reason,
       s.listedBy AS listedBy, s.endedFrom AS endedFrom, s.confidentiality AS confidentiality,
       s.citations AS citations, s.listedCitations AS listedCitations, s.endCitations AS endCitations,
       r.citations AS linkCitations, r.confidentiality AS linkConfidentiality
"""

#: The rows of the "sanctioned as of" statements: the entity and one sanction on it.
_SANCTIONED_ROWS = """RETURN x.id AS id, labels(x) AS labels, x.name AS name, x.confidentiality AS confidentiality,
       s.id AS sanctionId, s.authority AS authority, s.authorityName AS authorityName, s.programme AS programme,
       s.legalBasis AS legalBasis, s.listedDate AS listedDate, s.listedQualifier AS listedQualifier,
       s.endDate AS endDate, s.status AS status, s.confidentiality AS sanctionConfidentiality,
       r.confidentiality AS linkConfidentiality
ORDER BY name, id, authority, sanctionId
"""

#: Persons and organizations certainly under a sanction on ``$date`` (ISO day): listed
#: by then (the latest day the listed date allows; a "since at least" date counts from
#: itself) and not ended by then (an end dated only to the month or year ends at its
#: first day; a lifted or expired sanction without an end date is left out: its end is
#: unknown). ``$authority`` (a SanctionAuthority) or null.
SANCTIONED_AS_OF = """
MATCH (s:Sanction)-[r:SANCTIONED]->(x:Entity)
WHERE s.listedBy <= $date
  AND ((s.endedFrom IS NULL AND s.status = 'active') OR s.endedFrom > $date)
  AND ($authority IS NULL OR s.authority = $authority)
""" + _SANCTIONED_ROWS

#: Sanctions that may have been in force on ``$date``: not certainly listed after it (no
#: listed date, or its earliest day on or before it, or "at least" since a later date)
#: and not certainly ended before it (no end, or an end whose latest day is after it).
#: With SANCTIONED_AS_OF (certainly in force) it tells "unknown" apart.
SANCTIONED_POSSIBLY_AS_OF = """
MATCH (s:Sanction)-[r:SANCTIONED]->(x:Entity)
WHERE (s.validFrom IS NULL OR s.validFrom <= $date OR s.listedQualifier = 'at_least')
  AND (s.status = 'active' OR s.validTo IS NULL OR s.validTo > $date)
  AND ($authority IS NULL OR s.authority = $authority)
""" + _SANCTIONED_ROWS

#: Ids of persons who are sanctioned, accused (a PERPETRATED_BY) or party to a
#: proceeding other than as its victim: the anchors of the relatives-and-associates list.
SANCTIONED_OR_ACCUSED = """
MATCH (c:Entity)-[r]->(x:Person)
WHERE type(r) IN ['SANCTIONED', 'PERPETRATED_BY', 'CONCERNS']
  AND coalesce(r.role, '') <> 'victim'
RETURN x.id AS id, type(r) AS why, c.id AS sourceId, c.confidentiality AS sourceConfidentiality,
       r.id AS relId, r.confidentiality AS linkConfidentiality
"""

#: Relatives (FAMILY_OF) and associates (ASSOCIATE_OF) of one person, either direction;
#: ``$id``. ``outgoing``: the link points from the person (``relation`` is then what the
#: person is to the other).
RELATIVES_AND_ASSOCIATES_OF = """
MATCH (o:Person {id: $id})-[r]-(p:Person)
WHERE type(r) IN ['FAMILY_OF', 'ASSOCIATE_OF']
RETURN o.id AS personId, o.name AS person, o.confidentiality AS personConfidentiality,
       type(r) AS type, startNode(r).id = o.id AS outgoing, r.id AS linkId, r.relation AS relation,
       r.confidentiality AS linkConfidentiality, r.confidence AS confidence, r.citations AS citations,
       p.id AS otherId, p.name AS other, p.roles AS otherRoles, p.confidentiality AS otherConfidentiality
"""

#: Every post a person held, with its organizations (``organizations``: a list of
#: ``{id, name}``, empty when the post is IN none) and tenure; ``$id``. Read it through
#: :func:`repgraph.accountability.common.posts_of` (one row per post and organization).
#: Shape: a pattern comprehension, not ``OPTIONAL MATCH (pos)-[:IN]->(o)``, which
#: GraphQLite 0.12 answers by a LEFT JOIN over every node (~300 ms a call at 100k
#: persons, against 0.1 ms).
POSTS_OF = """
MATCH (x:Person {id: $id})-[h:HOLDS]->(pos:Position)
RETURN x.id AS personId, h.id AS holdsId, pos.id AS positionId, pos.name AS position, pos.isHead AS isHead,
       pos.confidentiality AS positionConfidentiality,
       [(pos)-[:IN]->(o:Organization) | {id: o.id, name: o.name, confidentiality: o.confidentiality}] AS organizations,
       h.startDate AS startDate, h.startQualifier AS startQualifier, h.endDate AS endDate,
       h.tenure AS tenure, h.asOfDate AS asOfDate, h.validFrom AS validFrom, h.validTo AS validTo,
       h.confidence AS confidence, h.confidentiality AS confidentiality, h.citations AS citations
"""

#: The persons who held a position, with their tenure; ``$id`` (the position).
HOLDERS_OF = """
MATCH (x:Person)-[h:HOLDS]->(pos:Position {id: $id})
RETURN pos.id AS positionId, x.id AS id, x.name AS name, x.confidentiality AS confidentiality,
       h.validFrom AS validFrom, h.validTo AS validTo, h.tenure AS tenure, h.asOfDate AS asOfDate,
       h.citations AS citations, h.confidentiality AS holdsConfidentiality
"""

#: Head posts of an organization; ``$id`` (the organization).
HEAD_POSTS_OF = """
MATCH (pos:Position {isHead: true})-[:IN]->(o:Organization {id: $id})
RETURN o.id AS organizationId, pos.id AS id, pos.name AS name
"""

#: What a position or organization reports to, over any part of [$from, $to]; ``$id``.
CHAIN_UP = """
MATCH (a:Entity {id: $id})-[r:REPORTS_TO]->(s:Entity)
WHERE coalesce(r.validFrom, '0000-01-01') <= $to
  AND coalesce(r.validTo, '9999-12-31') >= $from
RETURN a.id AS fromId, s.id AS id, labels(s) AS labels, s.name AS name,
       r.validFrom AS validFrom, r.validTo AS validTo, r.citations AS citations, r.confidentiality AS confidentiality
"""

#: What reports to a position or organization, over any part of [$from, $to]; ``$id``.
CHAIN_DOWN = """
MATCH (a:Entity {id: $id})<-[r:REPORTS_TO]-(s:Entity)
WHERE coalesce(r.validFrom, '0000-01-01') <= $to
  AND coalesce(r.validTo, '9999-12-31') >= $from
RETURN a.id AS fromId, s.id AS id, labels(s) AS labels, s.name AS name,
       r.validFrom AS validFrom, r.validTo AS validTo, r.citations AS citations, r.confidentiality AS confidentiality
"""

#: One incident with what a dossier shows of it: properties, places, laws, operations;
#: ``$id``. Places, laws and operations are separate anchored reads (below).
INCIDENT_PLACES = """
MATCH (i:Incident {id: $id})-[r:OCCURRED_IN]->(p:Entity)
RETURN i.id AS incidentId, p.id AS id, p.name AS name, r.citations AS citations, r.confidentiality AS linkConfidentiality
"""

INCIDENT_LAWS = """
MATCH (i:Incident {id: $id})-[r:APPLIED_LAW]->(l:Law)
RETURN i.id AS incidentId, l.id AS id, l.name AS name, r.citations AS citations, r.confidentiality AS linkConfidentiality
"""

INCIDENT_OPERATIONS = """
MATCH (i:Incident {id: $id})-[r:PART_OF]->(o:Operation)
RETURN i.id AS incidentId, o.id AS id, o.name AS name, r.citations AS citations, r.confidentiality AS linkConfidentiality
"""

#: Exculpatory information and proceedings that weaken one element (an incident, a
#: person, an organization, a sanction); ``$id``. ``perpetrator``: with an incident, the
#: one perpetrator whose link is weakened (null: the whole allegation).
WEAKENED_BY = """
MATCH (e:Entity)-[w:WEAKENS]->(t:Entity {id: $id})
RETURN t.id AS targetId, e.id AS id, labels(e) AS labels, e.name AS name, e.kind AS kind, e.date AS date,
       e.description AS description, e.confidentiality AS confidentiality, e.citations AS citations,
       w.perpetrator AS perpetrator, w.citations AS linkCitations, w.confidentiality AS linkConfidentiality
"""

#: Proceedings concerning one person, organization or incident; ``$id``.
PROCEEDINGS_ABOUT = """
MATCH (pr:Proceeding)-[c:CONCERNS]->(t:Entity {id: $id})
RETURN t.id AS targetId, pr.id AS id, pr.name AS name, pr.kind AS kind, pr.date AS date, pr.body AS body,
       pr.jurisdiction AS jurisdiction, pr.outcome AS outcome, pr.confidentiality AS confidentiality,
       c.role AS role, pr.citations AS citations, c.citations AS linkCitations, c.confidentiality AS linkConfidentiality
"""

#: Every PERPETRATED_BY link with its id, confidence and citations (evidence strength
#: groups them per incident and perpetrator). ``$id`` (the incident).
ALLEGATIONS_ON = """
MATCH (i:Incident {id: $id})-[p:PERPETRATED_BY]->(x:Entity)
RETURN i.id AS incidentId, x.id AS perpetratorId, labels(x) AS perpetratorLabels, x.name AS perpetrator,
       x.confidentiality AS perpetratorConfidentiality, p.id AS linkId, p.role AS role,
       p.confidence AS confidence, p.citations AS citations, p.confidentiality AS linkConfidentiality
"""

#: Incident ids with at least one PERPETRATED_BY (the evidence-strength list).
ALLEGED_INCIDENT_IDS = """
MATCH (i:Incident)-[:PERPETRATED_BY]->(:Entity)
RETURN DISTINCT i.id AS id
"""

#: ``ASSOCIATE_OF``/``ACTING_FOR``/``APPOINTED_BY``/``REMOVED_BY``/``OWNS``/``CONTROLS``/
#: ``MEMBER_OF`` of one person or organization, either direction; ``$id``.
AFFILIATIONS_OF = """
MATCH (o:Entity {id: $id})-[r]-(p:Entity)
WHERE type(r) IN ['ACTING_FOR', 'APPOINTED_BY', 'REMOVED_BY', 'OWNS', 'CONTROLS', 'MEMBER_OF', 'PART_OF']
RETURN o.id AS nodeId, type(r) AS type, startNode(r).id = o.id AS outgoing, properties(r) AS props,
       p.id AS otherId, labels(p) AS otherLabels, p.name AS other, p.confidentiality AS otherConfidentiality
"""


@dataclass(frozen=True)
class NamedQuery:
    """A question users ask by name (``repgraph query NAME``, ``/queries/NAME``)."""

    name: str
    summary: str
    params: dict[str, str] = field(default_factory=dict)


#: The named queries of the CLI and API; answered by :mod:`repgraph.service`.
NAMED_QUERIES: dict[str, NamedQuery] = {
    q.name: q
    for q in (
        NamedQuery(
            "guilt-by-association",
            "Family members targeted because of a relative's work: relative, defender, relation, incidents.",
            {"defender_id": "only this defender (optional)"},
        ),
        NamedQuery(
            "officials-cases",
            "Officials and organizations linked to incidents (direct, ordered, participated, command) and the victims.",
            {"official_id": "only this perpetrator (optional)", "incident_type": "only this incident type (optional)"},
        ),
        NamedQuery(
            "responsibility-chain",
            "From an incident up the chain of command, using only positions held at the incident's date.",
            {"incident_id": "the incident (required)"},
        ),
        NamedQuery(
            "exile-flows",
            "Defenders by host country and by half-year, with route; beside them the sourced statistics.",
            {"by": "country | period | route (default country)"},
        ),
        NamedQuery(
            "search",
            "Entities by name or alias, case- and accent-insensitive, ranked.",
            {"q": "text (required)", "type": "a node label (optional)", "limit": "default 20", "offset": "default 0"},
        ),
        NamedQuery(
            "sanctioned-as-of",
            "Persons and organizations under a sanction in force on a date (listed by then, not ended by then).",
            {"date": "ISO day (required)", "authority": "us_ofac | eu | uk | canada | un | switzerland | other (optional)"},
        ),
        NamedQuery(
            "sanctions-gap",
            "The advocacy gap list: sanctioned by one authority on a date but not by another.",
            {"by": "authority that sanctioned (required)", "not_by": "authority that did not (required)",
             "date": "ISO day (default today)"},
        ),
        NamedQuery(
            "relatives-and-associates",
            "Relatives and associates of sanctioned or accused persons (RCA; not guilt by association).",
            {"person_id": "only this sanctioned or accused person (optional)"},
        ),
        NamedQuery(
            "command-responsibility",
            "Per head post a person held: incidents of the commanded unit at dates the post was (or may have been) held.",
            {"person_id": "the person (required)"},
        ),
        NamedQuery(
            "evidence-strength",
            "Per allegation: independent sources (distinct publishers), lowest and highest confidence, flags.",
            {"incident_id": "only this incident (optional)", "perpetrator_id": "only this perpetrator (optional)"},
        ),
        NamedQuery("laws", "Laws with the incidents they were applied in."),
        NamedQuery("operations", "Operations with their incidents."),
    )
}

# --------------------------------------------------------------------------- scratch databases
# (repgraph.store.scratch: the Neo4j databases tests and the benchmark may wipe)

#: The schema index that marks a Neo4j database as scratch; invisible to node counts.
SCRATCH_MARKER_INDEX = "repgraph_test_database_marker"
SCRATCH_MARKER_CREATE = (f"CREATE INDEX {SCRATCH_MARKER_INDEX} IF NOT EXISTS "
                         "FOR (n:RepgraphTestDatabaseMarker) ON (n.marker)")
SCRATCH_MARKER_DROP = f"DROP INDEX {SCRATCH_MARKER_INDEX} IF EXISTS"
SCRATCH_MARKER_EXISTS = f"SHOW INDEXES YIELD name WHERE name = '{SCRATCH_MARKER_INDEX}' RETURN count(*) AS n"
#: Every node and every relationship, whatever their labels (not only repgraph's).
ANY_NODE_COUNT = "MATCH (n) RETURN count(n) AS n"
ANY_RELATIONSHIP_COUNT = "MATCH ()-[r]->() RETURN count(r) AS n"
#: One slice of a scratch wipe (repeated until the database is empty).
SCRATCH_WIPE_SLICE = "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n"
#: Relationships first, in slices: a slice of 20,000 nodes with their relationships (a host
#: country's exiles at 100k persons) needed more than a 1 GiB heap's transaction memory.
SCRATCH_WIPE_RELATIONSHIPS_SLICE = "MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r"
