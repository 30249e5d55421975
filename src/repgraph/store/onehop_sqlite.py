"""Whole-store one-hop reads of the embedded store in SQL, on GraphQLite's own tables.

The global lists (exile flows, laws, operations, officials and their cases) each start
from a statement of one shape: every relationship of one type between two labels, with
properties of its three elements, e.g. :data:`repgraph.queries.EXILE_RECORDS`::

    MATCH (p:Person)-[e:EXILED_TO]->(c:Country)
    RETURN p.id AS personId, ..., e.date AS date, ...
    ORDER BY country, personId, date, id

GraphQLite 0.12 compiles each returned property into a correlated sub-select per row:
at 10k persons EXILE_RECORDS (958 rows, 14 columns) took 63 ms, PERPETRATIONS (5,700 rows,
17 columns) 206 ms. Here the relationships are one range of ``idx_edges_type`` and each
property a left join on its typed table's primary key.

The SQL is derived from the statement itself (:func:`parse`): its pattern, its ``x.key AS
alias`` and ``labels(x) AS alias`` columns and its ``ORDER BY`` aliases, so the two
cannot drift apart. Rows are those of the Cypher, typed as GraphQLite returns them (text
and numbers as stored, JSON values decoded, a missing property None); ordered by the
statement's ``ORDER BY`` in Cypher's order (of types too, :func:`_order_key`; nulls last),
else in no set order.
tests/test_onehop_sqlite.py holds each statement of :data:`STATEMENTS` to GraphQLite's
answer, and tests/test_conformance.py the embedded store to Neo4j.

Read only: nothing here writes, and no table or index is added (stores of any version are
read as they are). Ids reach SQL as bound parameters. A read is several statements: the
store runs it in one read transaction (``EmbeddedStore._sql``), so a write another process
commits meanwhile is seen whole or not at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .. import queries as Q
from .base import Row
from .edges_sqlite import _DECODE

#: A column reading the labels of a node (``labels(x)``), sorted as GraphQLite lists them.
LABELS = "labels()"

_PATTERN = re.compile(
    r"^\s*MATCH \((\w+):(\w+)\)-\[(\w*):(\w+)\]->\((\w+):(\w+)\)\s+RETURN\s+(.*?)(?:\s+ORDER BY\s+(.*?))?\s*$", re.S)
_COLUMN = re.compile(r"^(?:(\w+)\.(\w+)|labels\((\w+)\)) AS (\w+)$")


@dataclass(frozen=True)
class OneHop:
    """``MATCH (start:start_label)-[:rel_type]->(end:end_label) RETURN columns ORDER BY order``:
    ``columns`` are (alias, element, key) with element one of ``start``, ``rel``, ``end``
    and key a property name or :data:`LABELS`; ``order`` the aliases of ``ORDER BY``."""

    start_label: str
    rel_type: str
    end_label: str
    columns: tuple[tuple[str, str, str], ...]
    order: tuple[str, ...] = ()


def parse(statement: str) -> OneHop:
    """The :class:`OneHop` of a Cypher ``statement`` of that shape. Raises ValueError on any
    other statement (a filter, a second hop, an expression in RETURN): it is not answered
    here, GraphQLite answers it."""
    m = _PATTERN.match(statement)
    if not m:
        raise ValueError(f"not a one-hop read: {statement.strip()[:80]!r}")
    start, start_label, rel, rel_type, end, end_label, returns, order = m.groups()
    if start == end or rel in (start, end):
        # (x:A)-[]->(x:B) is a self-loop of a node with both labels in Cypher, not every
        # A -> B relationship; a relationship named as a node is no statement at all
        raise ValueError(f"not a one-hop read: a variable named twice in {statement.strip()[:80]!r}")
    element = {start: "start", end: "end"}
    if rel:
        element[rel] = "rel"
    columns = []
    for item in (c.strip() for c in returns.split(",")):
        c = _COLUMN.match(item)
        if not c or (c.group(1) or c.group(3)) not in element or (c.group(3) and element[c.group(3)] == "rel"):
            raise ValueError(f"not a one-hop read: column {item!r}")
        var, key, labelled, alias = c.groups()
        columns.append((alias, element[var or labelled], key or LABELS))
    aliases = {a for a, _, _ in columns}
    if len(aliases) < len(columns):  # Cypher refuses a column name twice; a dict would keep one
        raise ValueError(f"not a one-hop read: a column alias twice in {returns.strip()[:80]!r}")
    order_by = tuple(o.strip() for o in order.split(",")) if order else ()
    if any(o not in aliases for o in order_by):
        raise ValueError(f"not a one-hop read: ORDER BY {order!r} (aliases only)")
    return OneHop(start_label, rel_type, end_label, tuple(columns), order_by)


#: The statements the embedded store answers here (each read without parameters).
STATEMENTS: dict[str, OneHop] = {
    q: parse(q) for q in (Q.EXILE_RECORDS, Q.LAW_INCIDENTS, Q.OPERATION_INCIDENTS, Q.PERPETRATIONS, Q.VICTIMS)
}

#: The relationships of one type between two labels: one range of ``idx_edges_type`` (every
#: such relationship is read anyway), each end's label checked by a probe of
#: node_labels' primary key. Left to itself SQLite's planner walked ``idx_edges_source``
#: once per node of the start label instead (12.5 against 8.2 ms for LAW_INCIDENTS at 10k
#: persons), and ``IN (SELECT ... label)`` built a list of every such node per read.
_WHERE = """
WHERE e.type = :type
  AND EXISTS (SELECT 1 FROM node_labels WHERE node_id = e.source_id AND label = :start)
  AND EXISTS (SELECT 1 FROM node_labels WHERE node_id = e.target_id AND label = :end)
ORDER BY e.id
"""

#: The element id column of the edge row for each element of the pattern.
_ID = {"start": "e.source_id", "rel": "e.id", "end": "e.target_id"}


def _tables(conn, wanted: dict[str, dict[str, int]]) -> dict[tuple[str, str], list[str]]:
    """(node|edge, key) -> the typed tables holding that key (usually one; each one when a
    key was written with values of several types); ``wanted``: node|edge -> key -> key id.
    One probe of a typed table's (key_id, ...) index per key (~10 us each)."""
    out: dict[tuple[str, str], list[str]] = {}
    for kind, keys in wanted.items():
        for key, kid in keys.items():
            out[(kind, key)] = [typ for typ in _DECODE if conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM {kind}_props_{typ} WHERE key_id = ?)", (kid,)).fetchone()[0]]
    return out


def _value(values: tuple, found: list[tuple[int, str]]) -> Any:
    """The first stored value of a column among its typed tables, decoded (None: missing)."""
    for index, typ in found:
        v = values[index]
        if v is not None:
            return v if typ in ("text", "int") else _DECODE[typ](v)
    return None


def _order_key(value: Any) -> tuple:
    """Cypher's ascending order of one value: maps, lists (element by element), strings,
    booleans, numbers, then null (Neo4j's order of types, and GraphQLite's). A column may
    hold values of several types (stores of older versions, hand edits): Python cannot
    compare a string with a number, so each value sorts by its type's rank first."""
    if value is None:
        return (6,)
    if isinstance(value, dict):
        return (0, json.dumps(value, sort_keys=True))
    if isinstance(value, list):
        return (1, tuple(_order_key(v) for v in value))
    if isinstance(value, str):
        return (2, value)
    if isinstance(value, bool):
        return (3, value)
    if isinstance(value, (int, float)):
        return (4, value)
    return (5, str(value))


def sql_of(conn, spec: OneHop) -> tuple[str, dict[str, str], list[tuple[str, list[tuple[int, str]]]]]:
    """The SQL statement answering ``spec`` on this store's tables, its parameters, and its
    plan: for each column (alias) the select indexes and value types holding it (several
    when a key was stored with values of several types, none when no value has it)."""
    names = sorted({k for _, _, k in spec.columns if k != LABELS})
    key_ids = dict(conn.execute("SELECT key, id FROM property_keys WHERE key IN (SELECT value FROM json_each(?))",
                                (json.dumps(names),)).fetchall())
    wanted: dict[str, dict[str, int]] = {"node": {}, "edge": {}}
    for _, el, key in spec.columns:
        if key in key_ids:
            wanted["edge" if el == "rel" else "node"][key] = key_ids[key]
    tables = _tables(conn, wanted)
    selects: list[str] = []
    joins: list[str] = []  # one LEFT JOIN per (column, typed table): a primary-key probe each
    plan: list[tuple[str, list[tuple[int, str]]]] = []  # alias -> [(select index, value type)]
    for alias, el, key in spec.columns:
        if key == LABELS:
            plan.append((alias, [(len(selects), "json")]))
            selects.append(f"(SELECT json_group_array(label) FROM (SELECT label FROM node_labels WHERE node_id = {_ID[el]} ORDER BY label))")
            continue
        kind, col = ("edge", "edge_id") if el == "rel" else ("node", "node_id")
        found = []
        for typ in tables.get((kind, key), []):
            found.append((len(selects), typ))
            t = f"p{len(joins)}"
            selects.append(f"{t}.value")
            joins.append(f"LEFT JOIN {kind}_props_{typ} {t} ON {t}.{col} = {_ID[el]} AND {t}.key_id = {int(key_ids[key])}")
        plan.append((alias, found))
    sql = "SELECT " + (", ".join(selects) or "NULL") + " FROM edges e " + " ".join(joins) + _WHERE
    return sql, {"type": spec.rel_type, "start": spec.start_label, "end": spec.end_label}, plan


def read(conn, spec: OneHop) -> list[Row]:
    """The rows of the statement ``spec`` was parsed from (see the module's docstring): one
    SQL statement, each column a lookup by primary key in the typed table(s) holding it."""
    sql, params, plan = sql_of(conn, spec)
    cursor = conn.execute(sql, params)
    if all(len(found) == 1 for _, found in plan):
        # one select per column: rows as stored, then the few columns that need decoding
        # (SQLite already gives REAL as float; bool is stored 0/1, JSON as text)
        aliases = [a for a, _ in plan]
        decoders = [(alias, _DECODE[found[0][1]]) for alias, found in plan if found[0][1] in ("bool", "json")]
        rows = [dict(zip(aliases, t)) for t in cursor]
        for alias, decode in decoders:
            for row in rows:
                if row[alias] is not None:
                    row[alias] = decode(row[alias])
    else:  # a column missing from every table, or held in several
        rows = [{alias: _value(t, found) for alias, found in plan} for t in cursor]
    for alias in reversed(spec.order):  # Cypher's ORDER BY: ascending, nulls last
        rows.sort(key=lambda r, a=alias: _order_key(r[a]))
    return rows
