"""The embedded store's full-text index: an SQLite FTS5 table beside GraphQLite's tables.

``repgraph_search(words)`` holds, per node (``rowid`` = GraphQLite's ``nodes.id``), the
node's folded ``searchText`` (:func:`repgraph.ontology.search_text`). SQLite triggers on
GraphQLite's property tables keep it in step with every write path (the SQL fast writer
of the ingest, Cypher ``CREATE``/``SET``/``REMOVE``/``DELETE``, and anything else that
writes the ``searchText`` property), inside the writer's own transaction: a rolled-back
ingest leaves the index as it was.

Stores written before this table existed get it when they are opened (:func:`ensure`):
the table and triggers are created, ``searchText`` is recomputed from each node's name
and aliases (the folding got better: ``Paweł`` now folds to ``pawel``) and indexed.

A search is a conjunction of quoted prefix terms built from folded words only
(:func:`match_expression`): the user's text never reaches FTS5's query syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..ontology import search_text
from .base import Row

TABLE = "repgraph_search"

#: ``unicode61`` splits on anything but letters and digits, like ontology.search_words;
#: prefix indexes of 1-3 characters keep short prefixes (``5``, ``ve``) cheap.
_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)

_KEY = "(SELECT id FROM property_keys WHERE key = 'searchText')"

#: Triggers: an insert or update of a node's searchText (re)indexes it; deleting the
#: property or the node removes it. ``INSERT OR REPLACE`` fires the insert trigger, which
#: replaces the row, so it needs no delete trigger (recursive_triggers stays off).
_TRIGGERS = (
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON node_props_text WHEN NEW.key_id = {_KEY}
BEGIN
  DELETE FROM {TABLE} WHERE rowid = NEW.node_id;
  INSERT INTO {TABLE} (rowid, words) VALUES (NEW.node_id, NEW.value);
END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE ON node_props_text WHEN OLD.key_id = {_KEY} OR NEW.key_id = {_KEY}
BEGIN
  DELETE FROM {TABLE} WHERE rowid = OLD.node_id AND OLD.key_id = {_KEY};
  DELETE FROM {TABLE} WHERE rowid = NEW.node_id AND NEW.key_id = {_KEY};
  INSERT INTO {TABLE} (rowid, words) SELECT NEW.node_id, NEW.value WHERE NEW.key_id = {_KEY};
END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON node_props_text WHEN OLD.key_id = {_KEY}
BEGIN
  DELETE FROM {TABLE} WHERE rowid = OLD.node_id;
END""",
    f"""CREATE TRIGGER {TABLE}_node_delete AFTER DELETE ON nodes
BEGIN
  DELETE FROM {TABLE} WHERE rowid = OLD.id;
END""",
)

#: Candidates with what the service ranks them by; ``?`` is the MATCH expression.
_CANDIDATES = f"""
SELECT f.rowid AS rowid, f.words AS searchText,
       (SELECT value FROM node_props_text WHERE node_id = f.rowid AND key_id = :id) AS id,
       (SELECT value FROM node_props_text WHERE node_id = f.rowid AND key_id = :name) AS name,
       (SELECT value FROM node_props_text WHERE node_id = f.rowid AND key_id = :confidentiality) AS confidentiality,
       (SELECT json_group_array(label) FROM node_labels WHERE node_id = f.rowid) AS labels
FROM {TABLE} f
WHERE {TABLE} MATCH :match
"""

#: One page of hits, filtered, ranked and ordered in SQL: the same order as service.search's
#: Python ranking and Neo4j's SEARCH_PAGE (the conformance tests hold the three equal).
#: BINARY collation orders names by code point, as Python and Neo4j do. ``total`` rides on
#: every row (a window count).
_PAGE = f"""
WITH hits AS (
  SELECT f.words AS words,
         (SELECT value FROM node_props_text WHERE node_id = f.rowid AND key_id = :id) AS id,
         (SELECT value FROM node_props_text WHERE node_id = f.rowid AND key_id = :name) AS name,
         (SELECT value FROM node_props_text WHERE node_id = f.rowid AND key_id = :confidentiality) AS confidentiality,
         (SELECT min(label) FROM node_labels WHERE node_id = f.rowid AND label <> 'Entity') AS label
  FROM {TABLE} f
  WHERE {TABLE} MATCH :match
), visible AS (
  SELECT id, label, name,
         CASE WHEN instr(words, :exact) > 0 THEN 0
              WHEN instr(words, :prefix) > 0 OR instr(words, :word) > 0 THEN 1
              ELSE 2 END AS rank,
         CASE label WHEN 'Person' THEN 0 WHEN 'Organization' THEN 1 ELSE 2 END AS kind
  FROM hits
  WHERE (:label IS NULL OR label = :label)
    AND (:levels IS NULL OR confidentiality IN (SELECT value FROM json_each(:levels)))
)
SELECT id, label, name, rank, count(*) OVER () AS total
FROM visible
ORDER BY rank, kind, name, id
LIMIT :limit OFFSET :offset
"""

_WORD = re.compile(r"[a-z0-9]+")


def match_expression(words: Sequence[str]) -> str:
    """FTS5 query: every word as a quoted prefix term (``"velas"* "yendri"*``), all required.

    Raises ValueError for anything but folded words (``[a-z0-9]+``): only
    :func:`repgraph.ontology.search_words` output is ever turned into a query."""
    if not words or not all(_WORD.fullmatch(w) for w in words):
        raise ValueError(f"full-text terms must be folded words [a-z0-9]+, got {list(words)!r}")
    return " ".join(f'"{w}"*' for w in words)


def exists(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def ensure(conn) -> bool:
    """Create the table and its triggers if missing and index every node: True if built.

    Runs in one transaction (a failure leaves the store as it was). Existing nodes get
    their ``searchText`` recomputed from ``name`` and ``aliases`` first."""
    if exists(conn):
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        if exists(conn):  # another process built it while this one waited for the lock
            conn.execute("COMMIT")
            return False
        conn.execute(_CREATE_TABLE)
        _recompute_search_text(conn)
        conn.execute(f"INSERT INTO {TABLE} (rowid, words) SELECT node_id, value FROM node_props_text WHERE key_id = {_KEY}")
        for trigger in _TRIGGERS:
            conn.execute(trigger)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def _recompute_search_text(conn) -> None:
    keys = dict(conn.execute("SELECT key, id FROM property_keys WHERE key IN ('name', 'aliases', 'searchText')").fetchall())
    if "searchText" not in keys:
        return
    rows = conn.execute(
        "SELECT s.node_id, n.value, a.value FROM node_props_text s "
        "LEFT JOIN node_props_text n ON n.node_id = s.node_id AND n.key_id = ? "
        "LEFT JOIN node_props_json a ON a.node_id = s.node_id AND a.key_id = ? "
        "WHERE s.key_id = ?",
        (keys.get("name", -1), keys.get("aliases", -1), keys["searchText"]),
    ).fetchall()
    conn.executemany(
        "UPDATE node_props_text SET value = ? WHERE node_id = ? AND key_id = ?",
        [(search_text([name or "", *(json.loads(aliases) if aliases else [])]), nid, keys["searchText"])
         for nid, name, aliases in rows],
    )


def page(conn, words: Sequence[str], label: str | None, levels: Sequence[str] | None, limit: int,
         offset: int) -> tuple[int, list[Row]]:
    """(total, one page of ``id``, ``label``, ``name``, ``rank``): the candidates filtered by
    ``label`` and ``levels`` (None: any), ranked and ordered as service.search documents."""
    keys = dict(conn.execute("SELECT key, id FROM property_keys WHERE key IN ('id', 'name', 'confidentiality')").fetchall())
    folded = " ".join(words)
    params = {"match": match_expression(words), "id": keys.get("id", -1), "name": keys.get("name", -1),
              "confidentiality": keys.get("confidentiality", -1), "label": label,
              "levels": None if levels is None else json.dumps(list(levels)),
              "exact": f"|{folded}|", "prefix": f"|{folded}", "word": f" {folded}", "limit": limit, "offset": offset}
    rows = conn.execute(_PAGE, params).fetchall()
    if rows:
        total = rows[0][4]
    else:  # past the end (or nothing): count alone
        total = conn.execute(_PAGE, {**params, "limit": 1, "offset": 0}).fetchall()
        total = total[0][4] if total else 0
    return total, [{"id": i, "label": lb, "name": n, "rank": r} for i, lb, n, r, _ in rows]


def candidates(conn, words: Sequence[str]) -> list[Row]:
    """Nodes in which every word starts a word of the folded names: ``id``, ``labels``,
    ``name``, ``searchText``, ``confidentiality`` (unordered)."""
    keys = dict(conn.execute("SELECT key, id FROM property_keys WHERE key IN ('id', 'name', 'confidentiality')").fetchall())
    params = {"match": match_expression(words), "id": keys.get("id", -1), "name": keys.get("name", -1),
              "confidentiality": keys.get("confidentiality", -1)}
    return [
        {"id": ident, "labels": json.loads(labels), "name": name, "searchText": text, "confidentiality": conf}
        for _, text, ident, name, conf, labels in conn.execute(_CANDIDATES, params)
    ]
