"""The embedded store's reads of an ego graph in SQL, on GraphQLite's own tables.

Three reads the ego graph makes, answered the way their Cypher answers them, row for
row: the nodes (:data:`repgraph.queries.ENTITY` per id: ``id``, ``label``, ``props``) and
their relationships (:data:`repgraph.queries.NEIGHBOURS` per node,
:data:`repgraph.queries.RELATIONSHIPS_AMONG`) in NEIGHBOURS' columns: ``nodeId``,
``type``, ``outgoing``, ``props`` (every property of the relationship, typed as
GraphQLite's ``properties(r)`` gives them), ``otherId``, ``otherLabels`` (sorted, as
GraphQLite lists them), ``otherName``, ``otherConfidentiality``. tests/test_conformance.py
and tests/test_ego_ring.py hold each to its Cypher on both backends.

Why SQL: GraphQLite 0.12 compiles an undirected one-hop ``MATCH`` into a join of every
relationship with every node filtered by an ``OR`` of both directions, and reads each
property through a correlated sub-select: ~180 µs per relationship and ~1 ms per
statement (measured at 10k persons). An ego graph whose ring holds a hub (Fakeland with
2,840 incidents) spent 0.5 s on that one node, and 200 ENTITY statements cost ~20 ms.
Here the relationships of the nodes are two index range scans (``idx_edges_source``,
``idx_edges_target``), and the properties of all of them one read of the property
tables. No table or index is added: stores of any version are read as they are.

Read only: nothing here writes. Every id reaches SQL as a bound parameter (a JSON array
read with ``json_each``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..schema import ENTITY_LABEL
from .base import Row

#: GraphQLite's property tables by value type (``_TYPED`` of embedded.py), and how a
#: stored value reads back through ``properties(r)`` (text and int as stored: first).
_DECODE = {
    "text": lambda v: v,
    "int": lambda v: v,
    "real": float,
    "bool": bool,
    "json": json.loads,
}

#: :Entity nodes by ``id`` (the Cypher ``{id: $id}`` on a text id): internal id -> id.
_NODES_BY_ID = """
SELECT p.node_id, p.value FROM node_props_text p
WHERE p.key_id = :key AND p.value IN (SELECT value FROM json_each(:ids))
  AND EXISTS (SELECT 1 FROM node_labels l WHERE l.node_id = p.node_id AND l.label = :entity)
"""

#: Every relationship of the nodes ``:nids`` (internal ids): from each node, its outgoing
#: ones, then its incoming ones (a self-loop once, as outgoing, as GraphQLite's Cypher).
_EDGES_OF = """
WITH n(nid) AS (SELECT value FROM json_each(:nids))
SELECT e.id, e.type, e.source_id AS node, e.target_id AS other, 1 AS outgoing FROM n JOIN edges e ON e.source_id = n.nid
UNION ALL
SELECT e.id, e.type, e.target_id, e.source_id, 0 FROM n JOIN edges e ON e.target_id = n.nid WHERE e.source_id <> e.target_id
"""

#: The relationships from a node of ``:nids`` to a node of ``:nids``, each once, read from
#: its start node's outgoing ones (GraphQLite's ``idx_edges_source``): a hub's thousands
#: of incoming relationships (a country's incidents, a law's) are never read.
_EDGES_AMONG = """
WITH n(nid) AS (SELECT value FROM json_each(:nids))
SELECT e.id, e.type, e.source_id AS node, e.target_id AS other, 1 AS outgoing FROM n JOIN edges e ON e.source_id = n.nid
WHERE e.target_id IN (SELECT nid FROM n)
"""


def _key(conn, name: str) -> int | None:
    row = conn.execute("SELECT id FROM property_keys WHERE key = ?", (name,)).fetchone()
    return row[0] if row else None


def _nodes(conn, ids: Sequence[str]) -> dict[int, str]:
    key = _key(conn, "id")
    if key is None or not ids:
        return {}
    rows = conn.execute(_NODES_BY_ID, {"key": key, "ids": json.dumps(list(ids)), "entity": ENTITY_LABEL})
    return dict(rows.fetchall())


def _props(conn, table: str, column: str, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Every property of the elements ``ids`` of ``table`` (``edge`` or ``node``), in key id
    order as ``properties()`` lists them: one read of the five typed tables, sorted in
    SQL (key names from the small ``property_keys`` table, not joined per row)."""
    keys = dict(conn.execute("SELECT id, key FROM property_keys").fetchall())
    sql = " UNION ALL ".join(
        f"SELECT p.{column}, p.key_id, p.value, {k} FROM {table}_props_{typ} p WHERE p.{column} IN (SELECT value FROM json_each(:ids))"
        for k, typ in enumerate(_DECODE)) + " ORDER BY 1, 2"
    decode = list(_DECODE.values())
    out: dict[int, dict[str, Any]] = {}
    for eid, kid, value, typ in conn.execute(sql, {"ids": json.dumps(list(ids))}):
        props = out.get(eid)
        if props is None:
            props = out[eid] = {}
        props[keys[kid]] = value if typ < 2 else decode[typ](value)
    return out


def _rows(conn, edges: list[tuple], names: dict[int, str]) -> list[Row]:
    """NEIGHBOURS rows for ``edges`` (id, type, node, other, outgoing), keeping those whose
    other end is an :Entity node; ``names``: the ids of the nodes the edges were read from."""
    if not edges:
        return []
    others = sorted({e[3] for e in edges})
    labels: dict[int, list[str]] = {}
    for nid, label in conn.execute("SELECT node_id, label FROM node_labels WHERE node_id IN (SELECT value FROM json_each(?)) "
                                   "ORDER BY node_id, label", (json.dumps(others),)):
        labels.setdefault(nid, []).append(label)
    keys = {k: _key(conn, k) for k in ("id", "name", "confidentiality")}
    text: dict[tuple[int, int], str] = {}
    wanted = [k for k in keys.values() if k is not None]
    if wanted:
        for nid, kid, value in conn.execute(
                "SELECT node_id, key_id, value FROM node_props_text WHERE node_id IN (SELECT value FROM json_each(?)) "
                "AND key_id IN (SELECT value FROM json_each(?))", (json.dumps(others), json.dumps(wanted))):
            text[(nid, kid)] = value
    props = _props(conn, "edge", "edge_id", [e[0] for e in edges])
    out: list[Row] = []
    for eid, rel_type, node, other, outgoing in edges:
        if ENTITY_LABEL not in labels.get(other, ()):
            continue
        out.append({
            "nodeId": names[node], "type": rel_type, "outgoing": bool(outgoing),
            "props": props.get(eid, {}), "otherId": text.get((other, keys["id"])), "otherLabels": labels[other],
            "otherName": text.get((other, keys["name"])), "otherConfidentiality": text.get((other, keys["confidentiality"])),
        })
    return out


def relationships_of(conn, ids: Sequence[str]) -> list[Row]:
    """:data:`repgraph.queries.NEIGHBOURS` for every id of ``ids``: unordered rows."""
    names = _nodes(conn, ids)
    if not names:
        return []
    edges = conn.execute(_EDGES_OF, {"nids": json.dumps(sorted(names))}).fetchall()
    return _rows(conn, edges, names)


def entities(conn, ids: Sequence[str]) -> list[Row]:
    """:data:`repgraph.queries.ENTITY` for every id of ``ids``: unordered rows of ``id``,
    ``label`` (the first label but ``Entity``, in GraphQLite's order), ``props``."""
    names = _nodes(conn, ids)
    if not names:
        return []
    labels: dict[int, list[str]] = {}
    for nid, label in conn.execute("SELECT node_id, label FROM node_labels WHERE node_id IN (SELECT value FROM json_each(?)) "
                                   "ORDER BY node_id, label", (json.dumps(sorted(names)),)):
        if label != ENTITY_LABEL:
            labels.setdefault(nid, []).append(label)
    props = _props(conn, "node", "node_id", sorted(names))
    return [{"id": ident, "label": (labels.get(nid) or [None])[0], "props": props.get(nid, {})} for nid, ident in names.items()]


def relationships_among(conn, ids: Sequence[str]) -> list[Row]:
    """:data:`repgraph.queries.RELATIONSHIPS_AMONG` for ``ids``: unordered rows."""
    names = _nodes(conn, ids)
    if not names:
        return []
    edges = conn.execute(_EDGES_AMONG, {"nids": json.dumps(sorted(names))}).fetchall()
    return _rows(conn, edges, names)
